"""Search counts the middle of its circle from search_cell (single-site clinics per cell), kept by triggers

A plain search read every index entry of its circle twice (the count, then the ring): 17,000 in New York at
1,000,000 providers. search_cell holds, per longitude band and fiftieth of a degree of latitude, the searchable
clinics whose provider has no other; triggers on location keep it on every write, whatever the door. Providers with
several clinics are counted through a partial index of their own. The statements are copied here, not imported
(search/cells.py), so this migration never changes.

Revision ID: 0018_search_cells
Revises: 0017_at_home_prescriber_rows
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_search_cells"
down_revision = "0017_at_home_prescriber_rows"
branch_labels = None
depends_on = None

COUNTED = "{row}.searchable AND {row}.is_only_location AND {row}.lat IS NOT NULL AND {row}.lon_band IS NOT NULL"
CELL = {"sqlite": "CAST(({lat} + 90.0) * 50 AS INTEGER)", "postgresql": "CAST(floor(({lat} + 90.0) * 50) AS INTEGER)"}
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS search_cell_insert AFTER INSERT ON location "
        f"WHEN {COUNTED.format(row='NEW')} BEGIN "
        "INSERT INTO search_cell (lon_band, lat_cell, clinics) "
        f"VALUES (NEW.lon_band, {CELL['sqlite'].format(lat='NEW.lat')}, 1) "
        "ON CONFLICT (lon_band, lat_cell) DO UPDATE SET clinics = clinics + 1; END",
        "CREATE TRIGGER IF NOT EXISTS search_cell_delete AFTER DELETE ON location "
        f"WHEN {COUNTED.format(row='OLD')} BEGIN "
        "UPDATE search_cell SET clinics = clinics - 1 "
        f"WHERE lon_band = OLD.lon_band AND lat_cell = {CELL['sqlite'].format(lat='OLD.lat')}; END",
        "CREATE TRIGGER IF NOT EXISTS search_cell_update AFTER UPDATE OF searchable, is_only_location, lat, lon_band "
        "ON location BEGIN "
        "UPDATE search_cell SET clinics = clinics - 1 "
        f"WHERE {COUNTED.format(row='OLD')} AND lon_band = OLD.lon_band "
        f"AND lat_cell = {CELL['sqlite'].format(lat='OLD.lat')}; "
        "INSERT INTO search_cell (lon_band, lat_cell, clinics) "
        f"SELECT NEW.lon_band, {CELL['sqlite'].format(lat='NEW.lat')}, 1 WHERE {COUNTED.format(row='NEW')} "
        "ON CONFLICT (lon_band, lat_cell) DO UPDATE SET clinics = clinics + 1; END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION search_cell_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') AND {COUNTED.format(row='OLD')} THEN "
        "UPDATE search_cell SET clinics = clinics - 1 "
        f"WHERE lon_band = OLD.lon_band AND lat_cell = {CELL['postgresql'].format(lat='OLD.lat')}; "
        "END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') AND {COUNTED.format(row='NEW')} THEN "
        "INSERT INTO search_cell (lon_band, lat_cell, clinics) "
        f"VALUES (NEW.lon_band, {CELL['postgresql'].format(lat='NEW.lat')}, 1) "
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


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_table(
        "search_cell",
        sa.Column("lon_band", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("lat_cell", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("clinics", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lon_band", "lat_cell", name=op.f("pk_search_cell")),
    )
    op.create_index("ix_location_multi_site", "location",
                    ["lon_band", "lat", "lon", "x", "y", "z", "provider_id", "searchable", "is_only_location"],
                    sqlite_where=sa.text("searchable = 1 AND is_only_location = 0"),
                    postgresql_where=sa.text("searchable AND NOT is_only_location"))
    for statement in TRIGGERS.get(dialect, []):
        op.execute(statement)
    op.execute(f"INSERT INTO search_cell (lon_band, lat_cell, clinics) "
               f"SELECT lon_band, {CELL.get(dialect, CELL['sqlite']).format(lat='lat')}, count(*) FROM location "
               f"WHERE {COUNTED.format(row='location')} GROUP BY 1, 2")


def downgrade():
    for statement in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_index("ix_location_multi_site", table_name="location")
    op.drop_table("search_cell")
