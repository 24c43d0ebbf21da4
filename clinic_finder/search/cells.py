"""How many single-site clinics each small cell of the map holds, so a search counts the middle of its circle from
a few cell rows and scans only the clinics near its edge (issue 20: in a dense metro the count was the search).

A cell is one longitude band of the search index (a tenth of a degree) by a fiftieth of a degree of latitude.
Database triggers on location keep search_cell true on every write, whatever the door (the ORM, bulk imports,
raw SQL): a clinic counts while it is searchable and its provider's only clinic, the rows the count reads by the
index. Providers with several clinics are counted apart (distinct providers), through their own small index.
"""
from __future__ import annotations

import functools
import math
from typing import NamedTuple

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clinic_finder.extensions import db
from clinic_finder.geo.geodesy import LON_BANDS_PER_DEGREE
from clinic_finder.search.id_lists import IdList

CELLS_PER_DEGREE = 50
# A row's cell, in SQL exactly as the triggers store it: latitude from the south pole, so truncation is floor.
_CELL_SQL = f"CAST((lat + 90.0) * {CELLS_PER_DEGREE} AS INTEGER)"
_CELL_SQL_POSTGRESQL = f"CAST(floor((lat + 90.0) * {CELLS_PER_DEGREE}) AS INTEGER)"
_EPSILON_DEGREES = 1e-7  # far beyond rounding, far below a cell: interior cells are certainly inside


class SearchCell(db.Model):
    """Searchable single-site clinics per cell (kept by triggers; see the module docstring)."""

    __tablename__ = "search_cell"
    __table_args__ = {"info": {"derived": True}}  # rebuilt by its triggers: an archive does not carry it

    lon_band: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    lat_cell: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    clinics: Mapped[int] = mapped_column(default=0)


_COUNTED = "{row}.searchable AND {row}.is_only_location AND {row}.lat IS NOT NULL AND {row}.lon_band IS NOT NULL"
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS search_cell_insert AFTER INSERT ON location "
        f"WHEN {_COUNTED.format(row='NEW')} BEGIN "
        "INSERT INTO search_cell (lon_band, lat_cell, clinics) "
        f"VALUES (NEW.lon_band, {_CELL_SQL.replace('lat', 'NEW.lat')}, 1) "
        "ON CONFLICT (lon_band, lat_cell) DO UPDATE SET clinics = clinics + 1; END",
        "CREATE TRIGGER IF NOT EXISTS search_cell_delete AFTER DELETE ON location "
        f"WHEN {_COUNTED.format(row='OLD')} BEGIN "
        "UPDATE search_cell SET clinics = clinics - 1 "
        f"WHERE lon_band = OLD.lon_band AND lat_cell = {_CELL_SQL.replace('lat', 'OLD.lat')}; END",
        "CREATE TRIGGER IF NOT EXISTS search_cell_update AFTER UPDATE OF searchable, is_only_location, lat, lon_band "
        "ON location BEGIN "
        "UPDATE search_cell SET clinics = clinics - 1 "
        f"WHERE {_COUNTED.format(row='OLD')} AND lon_band = OLD.lon_band "
        f"AND lat_cell = {_CELL_SQL.replace('lat', 'OLD.lat')}; "
        "INSERT INTO search_cell (lon_band, lat_cell, clinics) "
        f"SELECT NEW.lon_band, {_CELL_SQL.replace('lat', 'NEW.lat')}, 1 WHERE {_COUNTED.format(row='NEW')} "
        "ON CONFLICT (lon_band, lat_cell) DO UPDATE SET clinics = clinics + 1; END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION search_cell_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') AND {_COUNTED.format(row='OLD')} THEN "
        "UPDATE search_cell SET clinics = clinics - 1 "
        f"WHERE lon_band = OLD.lon_band AND lat_cell = {_CELL_SQL_POSTGRESQL.replace('lat', 'OLD.lat')}; "
        "END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') AND {_COUNTED.format(row='NEW')} THEN "
        "INSERT INTO search_cell (lon_band, lat_cell, clinics) "
        f"VALUES (NEW.lon_band, {_CELL_SQL_POSTGRESQL.replace('lat', 'NEW.lat')}, 1) "
        "ON CONFLICT (lon_band, lat_cell) DO UPDATE SET clinics = search_cell.clinics + 1; "
        "END IF; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS search_cell_follow ON location",
        "CREATE TRIGGER search_cell_follow AFTER INSERT OR DELETE OR UPDATE OF searchable, is_only_location, lat, "
        "lon_band ON location FOR EACH ROW EXECUTE FUNCTION search_cell_follow()",
    ],
}
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER IF EXISTS search_cell_insert", "DROP TRIGGER IF EXISTS search_cell_delete",
               "DROP TRIGGER IF EXISTS search_cell_update"],
    "postgresql": ["DROP TRIGGER IF EXISTS search_cell_follow ON location",
                   "DROP FUNCTION IF EXISTS search_cell_follow()"],
}
FILL = ("INSERT INTO search_cell (lon_band, lat_cell, clinics) SELECT lon_band, {cell}, count(*) FROM location "
        f"WHERE {_COUNTED.format(row='location')} GROUP BY 1, 2")


def create_cell_triggers(connection) -> None:
    """Triggers, then the cells of the clinics already there (rebuilt from scratch: the same either way)."""
    dialect = connection.dialect.name
    for statement in TRIGGERS.get(dialect, []):
        connection.exec_driver_sql(statement)
    connection.exec_driver_sql("DELETE FROM search_cell")
    connection.exec_driver_sql(FILL.format(cell=_CELL_SQL_POSTGRESQL if dialect == "postgresql" else _CELL_SQL))


@sa.event.listens_for(db.metadata, "after_create")
def _triggers_after_create(target, connection, **kw):
    create_cell_triggers(connection)


# --- Which cells lie inside a cap, and where its edge must be scanned -----------------------------------------

class Band(NamedTuple):
    """One longitude band of a search: the latitudes to scan (lat_min..lat_max) and the cells inside the inner cap
    (cell_min..cell_max, none when cell_min > cell_max), which the scan leaves to search_cell."""

    band: int
    lat_min: float
    lat_max: float
    cell_min: int
    cell_max: int


class _Meridians:
    """The latitudes where meridians cross the caps around one center: the center's sine and cosine are taken once
    per search, and the outer cap's crossings once per meridian (neighbouring bands share their edge)."""

    def __init__(self, lat0: float, lon0: float):
        p0 = math.radians(lat0)
        self.lon0, self.sin0, self.cos0 = lon0, math.sin(p0), math.cos(p0)
        self._outer: dict[float, tuple[float, float] | None] = {}

    def span(self, lon: float, cos_radius: float) -> tuple[float, float] | None:
        """The latitudes (degrees) of meridian `lon` inside the cap of cosine cos_radius, or None."""
        a, b = self.sin0, self.cos0 * math.cos(math.radians(lon - self.lon0))
        r = math.hypot(a, b)
        if r == 0 or cos_radius / r > 1:
            return None
        middle, half = math.atan2(a, b), math.acos(max(-1.0, cos_radius / r))
        return math.degrees(middle - half), math.degrees(middle + half)

    def outer_span(self, lon: float, cos_outer: float) -> tuple[float, float] | None:
        if lon not in self._outer:
            self._outer[lon] = self.span(lon, cos_outer)
        return self._outer[lon]


def bands(lat0: float, lon0: float, bands_in_box: list[int], cos_outer: float, cos_inner: float) -> list[Band]:
    """For each band of the outer cap's box: its latitudes in the outer cap and its cells inside the inner cap.

    A cell lies inside the cap when its four corners do (the distance from the center grows along a parallel with
    the longitude difference, and along a meridian has no maximum between its ends), so per band the inner cells
    are those between the latitudes both edge meridians keep inside. A band's latitudes in the outer cap lie between
    its edge meridians' and, when the center's meridian crosses the band, that one's.
    """
    out = []
    width = 1 / LON_BANDS_PER_DEGREE
    meridians = _Meridians(lat0, lon0)
    for band in bands_in_box:
        west = band * width - 180.0
        east = (band + 1) * width - 180.0
        lons = (west, lon0, east) if west < lon0 < east else (west, east)
        spans = [s for s in (meridians.outer_span(lon, cos_outer) for lon in lons) if s]
        if not spans:
            continue
        lat_min = min(s[0] for s in spans) - _EPSILON_DEGREES
        lat_max = max(s[1] for s in spans) + _EPSILON_DEGREES
        cell_min, cell_max = 1, 0
        west_edge = meridians.span(west - _EPSILON_DEGREES, cos_inner)
        east_edge = west_edge and meridians.span(east + _EPSILON_DEGREES, cos_inner)
        if west_edge and east_edge:
            south = max(west_edge[0], east_edge[0]) + _EPSILON_DEGREES
            north = min(west_edge[1], east_edge[1]) - _EPSILON_DEGREES
            cell_min = math.ceil((south + 90.0) * CELLS_PER_DEGREE)
            cell_max = math.floor((north + 90.0) * CELLS_PER_DEGREE) - 1
        out.append(Band(band, lat_min, lat_max, cell_min, cell_max))
    return out


# --- The count: cells inside, the edge scanned, several-site providers apart ----------------------------------

_COS = "{row}.x * :searched_x + {row}.y * :searched_y + {row}.z * :searched_z"
_MULTI_SITE = ("SELECT count(DISTINCT m.provider_id) FROM location AS m {indexed} WHERE {multi} "
               "AND m.lon_band {bands} AND m.lat BETWEEN :inner_lat_min AND :inner_lat_max "
               "AND m.lon BETWEEN :inner_lon_min AND :inner_lon_max AND " + _COS.format(row="m") + " >= :cos_inner")
# A clinic of the ring whose provider has another inside the inner circle: that provider is counted already.
_INSIDE_TOO = ("(NOT l.is_only_location AND EXISTS (SELECT 1 FROM location AS s WHERE s.provider_id = l.provider_id "
               "AND {searchable} AND " + _COS.format(row="s") + " >= :cos_inner))")
COUNT_SQL = {
    "sqlite": (
        "SELECT (SELECT coalesce(sum(c.clinics), 0) FROM json_each(:interior) AS i JOIN search_cell AS c "
        "ON c.lon_band = json_extract(i.value, '$.band') "
        "AND c.lat_cell BETWEEN json_extract(i.value, '$.cell_min') AND json_extract(i.value, '$.cell_max')) AS interior, "
        "(" + _MULTI_SITE.format(indexed="INDEXED BY ix_location_multi_site", bands="IN (SELECT value FROM json_each(:inner_lon_bands))",
                                 multi="m.searchable = 1 AND m.is_only_location = 0") + ") AS multi_site, "
        "coalesce(sum(CASE WHEN l.is_only_location AND " + _COS.format(row="l") + " >= :cos_inner "
        "THEN 1 ELSE 0 END), 0) AS edge_single_site, "
        "json_group_array(json_array(l.id, l.provider_id, l.lat, l.lon, l.is_only_location, "
        + _INSIDE_TOO.format(searchable="s.searchable = 1") + ")) "
        "FILTER (WHERE " + _COS.format(row="l") + " < :cos_inner) AS ring "
        # CROSS JOIN: SQLite keeps this order, one index range per edge (it would otherwise read every clinic).
        "FROM json_each(:edges) AS e CROSS JOIN location AS l ON l.searchable = 1 "
        "AND l.lon_band = json_extract(e.value, '$.band') "
        "AND l.lat BETWEEN json_extract(e.value, '$.lat_min') AND json_extract(e.value, '$.lat_max') "
        "WHERE " + _COS.format(row="l") + " >= :cos_outer"
    ),
    "postgresql": (
        # LATERAL: one primary-key range per band (the planner would hash-join every cell of the country).
        "SELECT (SELECT coalesce(sum(band.clinics), 0) FROM jsonb_to_recordset(CAST(:interior AS jsonb)) "
        "AS i(band int, cell_min int, cell_max int) CROSS JOIN LATERAL (SELECT sum(c.clinics) AS clinics "
        "FROM search_cell AS c WHERE c.lon_band = i.band AND c.lat_cell BETWEEN i.cell_min AND i.cell_max) AS band"
        ") AS interior, "
        # One array, not a list of values: the statement's text stays the same, so the server plans it once.
        "(" + _MULTI_SITE.format(indexed="", bands="= ANY(:inner_lon_bands)",
                                 multi="m.searchable AND NOT m.is_only_location") + ") AS multi_site, "
        "coalesce(sum(CASE WHEN l.is_only_location AND l.sphere_cos >= :cos_inner THEN 1 ELSE 0 END), 0) "
        "AS edge_single_site, "
        "json_agg(json_build_array(l.id, l.provider_id, l.lat, l.lon, l.is_only_location, "
        + _INSIDE_TOO.format(searchable="s.searchable") + ")) "
        "FILTER (WHERE l.sphere_cos < :cos_inner) AS ring, "
        "count(DISTINCT l.provider_id) FILTER (WHERE l.sphere_cos < :cos_inner) AS ring_providers "
        "FROM jsonb_to_recordset(CAST(:edges AS jsonb)) "
        "AS e(band int, lat_min float8, lat_max float8) "
        "CROSS JOIN LATERAL (SELECT loc.id, loc.provider_id, loc.lat, loc.lon, loc.is_only_location, "
        + _COS.format(row="loc") + " AS sphere_cos FROM location AS loc WHERE loc.searchable "
        "AND loc.lon_band = e.band AND loc.lat BETWEEN e.lat_min AND e.lat_max) AS l "
        "WHERE l.sphere_cos >= :cos_outer"
    ),
}
_STATEMENTS: dict[str, sa.TextClause] = {}


def cell_of(lat: float) -> int:
    """A latitude's cell by the stored expression's own arithmetic (_CELL_SQL: IEEE doubles, then truncated, which
    is floor since lat + 90 >= 0), so Python and both databases put a clinic in the same cell."""
    return int((lat + 90.0) * CELLS_PER_DEGREE)


@functools.cache  # 9,000 cells at most, each bisected once per process
def last_latitude_below(cell: int) -> float:
    """The largest latitude whose cell is below `cell`: an edge's scan stops exactly where the counted cells begin,
    so no clinic is both counted by its cell and scanned, and none falls between.

    Bisected over doubles: near the equator a latitude's last bit is far finer than its sum with 90's, so stepping
    bit by bit could take forever."""
    edge = cell / CELLS_PER_DEGREE - 90.0
    below, above = edge - 1e-9, edge + 1e-9  # rounding moves the edge by far less than this
    while True:
        middle = (below + above) / 2
        if middle in (below, above):
            return below
        if cell_of(middle) < cell:
            below = middle
        else:
            above = middle


def count_params(lat0: float, lon0: float, bands_in_box: list[int], cos_outer: float, cos_inner: float) -> dict:
    """The interior cells and the edge's latitude ranges, as the count statement binds them. A band with interior
    cells is scanned south and north of them, to the last latitude outside them (no row is tested for its cell)."""
    interior, edges = [], []
    for b in bands(lat0, lon0, bands_in_box, cos_outer, cos_inner):
        if b.cell_min <= b.cell_max:
            interior.append({"band": b.band, "cell_min": b.cell_min, "cell_max": b.cell_max})
            south = last_latitude_below(b.cell_min)
            north = math.nextafter(last_latitude_below(b.cell_max + 1), math.inf)
            edges.append({"band": b.band, "lat_min": b.lat_min, "lat_max": min(b.lat_max, south)})
            edges.append({"band": b.band, "lat_min": max(b.lat_min, north), "lat_max": b.lat_max})
        else:
            edges.append({"band": b.band, "lat_min": b.lat_min, "lat_max": b.lat_max})
    return {"interior": orjson.dumps(interior).decode(), "edges": orjson.dumps(edges).decode()}


def count_statement(dialect: str) -> sa.TextClause | None:
    """The count of a plain search by cells, or None where this database has no plan for it."""
    if dialect not in COUNT_SQL:
        return None
    stmt = _STATEMENTS.get(dialect)
    if stmt is None:
        # The bands as one value (search/id_lists.py), so the text is never rewritten per execution.
        stmt = _STATEMENTS[dialect] = sa.text(COUNT_SQL[dialect]).bindparams(
            sa.bindparam("inner_lon_bands", type_=IdList()))
    return stmt
