"""Turning what a patient types (a ZIP code, "City, ST", a street address) into a place on the map.

The default geocoder works offline over the `zipcodes` package's US data (every ZIP code with its centroid,
city and state), shipped in compact form (geo/zip_data.py). `GEOCODER=nominatim` (or any geopy geocoder by name) asks an online service instead, through
geopy's RateLimiter, and caches every answer in the geocode_cache table so a place is asked for once.

Interface used by the search page, the API and the `flask geocode` command:
  resolve_place(text) -> Place, or raises PlaceNotFound / AmbiguousPlace / GeocoderUnavailable
  place_for_point(lat, lon) -> Place
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from geopy import exc as geopy_exc
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location as GeopyLocation

from clinic_finder.geo.states import STATES
from clinic_finder.geo.zip_data import ZipCode, read_zip_codes

# A point further than this from every US ZIP centroid is not in a state we can match at-home providers to.
NEAREST_ZIP_MAX_MI = 60.0


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    label: str
    state: str | None
    zip_code: str | None = None


class PlaceNotFound(Exception):
    def __init__(self, query: str):
        super().__init__(f"We could not find {query!r}.")
        self.query = query


@dataclass
class AmbiguousPlace(Exception):
    query: str
    choices: list[Place] = field(default_factory=list)


class GeocoderUnavailable(Exception):
    pass


# --- the shipped US data -------------------------------------------------------------------------------------

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}
_STATE_BY_NAME = {name.lower(): code for code, name in STATES.items()}
_TERRITORIES = {"PR", "GU", "VI", "AS", "MP"}
_GRID_CELLS_PER_DEGREE = 5
_GRID_RINGS = 6  # at least a degree around the point: beyond that a point has no nearest ZIP


def normalize_city(text: str) -> str:
    """'St. Louis' and 'saint louis' are the same town; so are 'Ft Worth' and 'Fort Worth'."""
    words = re.sub(r"[.']", "", text.lower()).replace("-", " ").split()
    return " ".join(_ABBREVIATIONS.get(w, w) if i == 0 else w for i, w in enumerate(words))


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    state: str
    lat: float
    lon: float
    zip_count: int  # how many ZIP codes it has: a rough measure of size, to list big places first


class _UsData:
    """Indexes over the shipped ZIP data (clinic_finder/geo/zip_data.py), built once per process in under a second:
    36 MB with the town indexes, where building them from the `zipcodes` package's dicts took 190 MB."""

    def __init__(self) -> None:
        self.by_zip: dict[str, ZipCode] = {}
        grouped: dict[tuple[str, str], list[ZipCode]] = defaultdict(list)
        normalized: dict[str, str] = {}  # 96,000 names but 27,000 distinct: normalize each once
        for z in read_zip_codes():
            self.by_zip[z.zip_code] = z
            for name in (z.city, *z.other_cities):
                key = normalized.get(name)
                if key is None:
                    key = normalized[name] = normalize_city(name)
                grouped[(key, z.state)].append(z)
        self.cities: dict[tuple[str, str], _City] = {}
        self.states_by_city: dict[str, list[_City]] = defaultdict(list)
        for (key, state), rows in grouped.items():
            city = _City(
                name=rows[0].city.title() if normalized[rows[0].city] == key else key.title(),
                state=state,
                lat=sum(r.lat for r in rows) / len(rows),
                lon=sum(r.lon for r in rows) / len(rows),
                zip_count=len(rows),
            )
            self.cities[(key, state)] = city
            self.states_by_city[key].append(city)
        for cities in self.states_by_city.values():
            cities.sort(key=lambda c: (-c.zip_count, c.state))
        # A grid of ZIP centroids answers "which ZIP is nearest this point" from a few cells around it. Its cells are
        # a fifth of a degree: with one-degree cells a point in a city compared itself with a thousand centroids
        # (0.3 ms of every API search, which names its point by the nearest ZIP).
        self.grid: dict[tuple[int, int], list[tuple[float, float, ZipCode]]] = defaultdict(list)
        for z in self.by_zip.values():
            if z.kind != "STANDARD":  # name a point by a delivery area, not a PO box or a firm
                continue
            self.grid[(math.floor(z.lat * _GRID_CELLS_PER_DEGREE),
                       math.floor(z.lon * _GRID_CELLS_PER_DEGREE))].append((z.lat, z.lon, z))

    def nearest_zip(self, lat: float, lon: float) -> tuple[ZipCode, float] | None:
        """The nearest ZIP centroid (within about a degree) and its great-circle distance in miles."""
        from geopy.distance import great_circle

        best, best_score = None, math.inf
        scaled_lat, scaled_lon = lat * _GRID_CELLS_PER_DEGREE, lon * _GRID_CELLS_PER_DEGREE
        cell_lat, cell_lon = math.floor(scaled_lat), math.floor(scaled_lon)
        shrink = math.cos(math.radians(lat)) ** 2
        # How near the point is to its own cell's sides, in cells (less a hair, for rounding).
        lat_margin = min(scaled_lat - cell_lat, cell_lat + 1 - scaled_lat) - 1e-9
        lon_margin = min(scaled_lon - cell_lon, cell_lon + 1 - scaled_lon) - 1e-9
        grid = self.grid
        # Rings of cells outwards: a centroid in ring r is r - 1 whole cells and the point's margin away in
        # latitude or in longitude, so once the best so far is no farther than that, no further ring can hold a
        # nearer one (a point well inside its cell often needs no ring but its own). A flat-earth comparison is
        # enough to pick the nearest of the few centroids this close.
        for ring in range(_GRID_RINGS + 1):
            if best is not None and best_score <= min(
                    ((ring - 1 + lat_margin) / _GRID_CELLS_PER_DEGREE) ** 2,
                    ((ring - 1 + lon_margin) / _GRID_CELLS_PER_DEGREE) ** 2 * shrink):
                break
            for dlat in range(-ring, ring + 1):
                edge = abs(dlat) == ring
                for dlon in range(-ring, ring + 1) if edge else (-ring, ring):
                    for z_lat, z_lon, z in grid.get((cell_lat + dlat, cell_lon + dlon), ()):
                        score = (z_lat - lat) ** 2 + (z_lon - lon) ** 2 * shrink
                        if score < best_score:
                            best, best_score = z, score
        if best is None:
            return None
        return best, great_circle((lat, lon), (best.lat, best.lon)).miles


@cache
def us_data() -> _UsData:
    return _UsData()


def _zip_place(z: ZipCode) -> Place:
    return Place(z.lat, z.lon, f"{z.city.title()}, {z.state} {z.zip_code}", z.state, z.zip_code)


def _city_place(c: _City) -> Place:
    return Place(c.lat, c.lon, f"{c.name}, {c.state}", c.state)


_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
_STREET_ADDRESS = re.compile(r"\d+[A-Za-z]?\s+\S")  # "350 5th Ave ..." (a bare ZIP has no space after it)


def _parse_state(text: str) -> str | None:
    t = re.sub(r"\s+", " ", text.strip().rstrip(".")).lower()
    if len(t) == 2 and (t.upper() in STATES or t.upper() in _TERRITORIES):
        return t.upper()
    return _STATE_BY_NAME.get(t)


def offline_places(query: str) -> list[Place]:
    """Every place the shipped data can match for a query, best first (empty when it matches nothing)."""
    data = us_data()
    text = re.sub(r"\s+", " ", query).strip()
    if not text:
        return []
    m = _ZIP.search(text)
    if m and m.group(1) in data.by_zip:
        return [_zip_place(data.by_zip[m.group(1)])]
    # "City, ST", "City ST", "City, State", or the tail of a street address "12 Main St, City, ST".
    parts = [p.strip() for p in _ZIP.sub("", text).split(",") if p.strip()]
    candidates: list[tuple[str, str]] = []
    if len(parts) >= 2:
        state = _parse_state(parts[-1])
        if state:
            candidates.append((parts[-2], state))
    if parts:
        tail = parts[-1].split(" ")
        for n_state_words in (1, 2):
            if len(tail) > n_state_words:
                state = _parse_state(" ".join(tail[-n_state_words:]))
                if state:
                    candidates.append((" ".join(tail[:-n_state_words]), state))
    for city, state in candidates:
        found = data.cities.get((normalize_city(city), state))
        if found:
            return [_city_place(found)]
    if len(parts) == 1 and not candidates:
        # A bare town name: one match is an answer; several are choices for the patient to pick from.
        return [_city_place(c) for c in data.states_by_city.get(normalize_city(parts[0]), ())]
    if len(parts) >= 2 and not candidates:
        # A street address with a town but no state: the town is still a useful fallback.
        return [_city_place(c) for c in data.states_by_city.get(normalize_city(parts[-1]), ())]
    return []


class OfflineGeocoder(Geocoder):
    """A geopy geocoder over the shipped US ZIP/city data: no network, no limits, no API key."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def geocode(self, query, *, exactly_one=True, timeout=None):
        places = offline_places(str(query))
        locations = [
            GeopyLocation(p.label, (p.lat, p.lon, 0.0), {"state": p.state, "zip_code": p.zip_code})
            for p in places
        ]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def reverse(self, query, *, exactly_one=True, timeout=None):
        lat, lon = (float(v) for v in (query if not isinstance(query, str) else query.split(",")))
        found = us_data().nearest_zip(lat, lon)
        if found is None or found[1] > NEAREST_ZIP_MAX_MI:
            return None
        z = found[0]
        location = GeopyLocation(_zip_place(z).label, (z.lat, z.lon, 0.0), {"state": z.state, "zip_code": z.zip_code})
        return location if exactly_one else [location]


def state_at(lat: float, lon: float) -> str | None:
    """The state of the nearest ZIP centroid, or None out at sea or abroad."""
    found = us_data().nearest_zip(lat, lon)
    return found[0].state if found and found[1] <= NEAREST_ZIP_MAX_MI else None


# --- online geocoders, rate limited and cached --------------------------------------------------------------

class CachedOnlineGeocoder:
    """Any geopy geocoder by name, behind RateLimiter, its answers (and its "no such place") kept in the database.

    Online services name the state in different shapes, so the state comes from the nearest ZIP centroid.
    """

    def __init__(self, service: str, user_agent: str, min_delay_seconds: float = 1.0):
        self.service = service
        try:
            geocoder_cls = get_geocoder_for_service(service)
        except geopy_exc.GeocoderNotFound as exc:
            raise ValueError(f"GEOCODER={service!r} is not a geopy geocoder") from exc
        self.geocoder = geocoder_cls(user_agent=user_agent)
        # Nominatim's usage policy: at most one request a second; errors are raised, not swallowed.
        self._geocode = RateLimiter(self.geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=1, error_wait_seconds=2.0, swallow_exceptions=False)

    def places(self, query: str) -> list[Place]:
        from clinic_finder.extensions import db
        from clinic_finder.models import GeocodeCacheEntry

        key = re.sub(r"\s+", " ", query).strip().lower()[:300]
        entry = db.session.scalar(sa.select(GeocodeCacheEntry).where(
            GeocodeCacheEntry.geocoder == self.service, GeocodeCacheEntry.query == key))
        if entry is None:
            try:
                found = self._geocode(query)
            except geopy_exc.GeopyError as exc:
                raise GeocoderUnavailable(str(exc)) from exc
            entry = GeocodeCacheEntry(geocoder=self.service, query=key)
            if found is not None:
                entry.lat, entry.lon = found.latitude, found.longitude
                entry.label = (found.address or query)[:300]
                entry.state = state_at(found.latitude, found.longitude)
            db.session.add(entry)
            db.session.commit()
        if entry.lat is None or entry.lon is None:
            return []
        return [Place(entry.lat, entry.lon, entry.label or query, entry.state)]


def _configured_geocoder():
    from flask import current_app

    name = (current_app.config.get("GEOCODER") or "offline").strip().lower()
    if name == "offline":
        return None
    store = current_app.extensions.setdefault("clinic_finder_geocoders", {})
    if name not in store:
        store[name] = CachedOnlineGeocoder(name, current_app.config.get("GEOCODER_USER_AGENT", "clinic_finder"),
                                           float(current_app.config.get("GEOCODER_MIN_DELAY_SECONDS", 1.0)))
    return store[name]


def resolve_place(text: str) -> Place:
    """The one place a query names. ZIP codes and "City, ST" are always answered offline (exact and free)."""
    query = re.sub(r"\s+", " ", text).strip()
    places = offline_places(query)
    online = _configured_geocoder()
    if online is not None and (not places or _STREET_ADDRESS.match(query)):
        # A street address: the online service can place it exactly; the offline answer is the fallback.
        found = online.places(query)
        places = found or places
    if not places:
        raise PlaceNotFound(query)
    if len(places) > 1:
        raise AmbiguousPlace(query, places)
    return places[0]


def place_for_point(lat: float, lon: float) -> Place:
    """A shared browser location or lat/lon pair: labelled by its coordinates, in the nearest ZIP's state."""
    found = us_data().nearest_zip(lat, lon)
    near = found[0] if found and found[1] <= NEAREST_ZIP_MAX_MI else None
    label = f"{lat:.4f}, {lon:.4f}"
    if near:
        label += f" (near {near.city.title()}, {near.state} {near.zip_code})"
    return Place(lat, lon, label, near.state if near else None, None)
