"""Query parameters of the search API, parsed in one place. Every bad value is an ApiError naming the parameter.

400: the request is malformed (a number that is not a number, a missing half of lat/lon).
422: it is well formed but cannot be answered (out of range, unknown choice, a place we cannot find).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from clinic_finder.errors import ApiError
from clinic_finder.geo.geocoding import (
    AmbiguousPlace,
    GeocoderUnavailable,
    Place,
    PlaceNotFound,
    place_for_point,
    resolve_place,
)
from clinic_finder.models import Condition, Mode, Route
from clinic_finder.search import query as search

NEAR_MAX_LENGTH = search.PLACE_MAX_LENGTH
MAX_PRICE_LIMIT = search.MAX_PRICE_LIMIT
_CONTROL = search.CONTROL_CHARACTERS
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SearchRequest:
    near: str | None
    point: tuple[float, float] | None
    radius_mi: float
    filters: search.SearchFilters
    sort: search.Sort
    page: int
    per_page: int


def _number(args: MultiDict, name: str, low: float, high: float, default=None, integer: bool = False):
    raw = args.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ApiError(400, "invalid_number", f"{name} must be {kind}; got {raw[:40]!r}.", name) from None
    if not math.isfinite(value):
        raise ApiError(400, "invalid_number", f"{name} must be a finite number.", name)
    if not low <= value <= high:
        raise ApiError(422, "out_of_range", f"{name} must be between {low:g} and {high:g}; got {value:g}.", name)
    return value


def _choice(args: MultiDict, name: str, enum_cls, allow_any: bool = False):
    raw = args.get(name)
    if raw is None or raw == "" or (allow_any and raw == "any"):
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        allowed = ", ".join(["any"] * allow_any + [m.value for m in enum_cls])
        raise ApiError(422, "invalid_choice", f"{name} must be one of: {allowed}; got {raw[:40]!r}.",
                       name) from None


def _flag(args: MultiDict, name: str) -> bool:
    raw = args.get(name)
    if raw is None:
        return False
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ApiError(400, "invalid_boolean", f"{name} must be true or false (1 or 0); got {raw[:40]!r}.", name)


def _near(args: MultiDict) -> str | None:
    raw = args.get("near")
    if raw is None:
        return None
    if len(raw) > NEAR_MAX_LENGTH:
        raise ApiError(422, "too_long", f"near must be at most {NEAR_MAX_LENGTH} characters.", "near")
    if _CONTROL.search(raw):
        raise ApiError(422, "invalid_characters", "near must not contain control characters.", "near")
    if not raw.strip():
        raise ApiError(400, "missing_location", "near is empty: give a ZIP code, \"City, ST\" or an address.",
                       "near")
    return raw.strip()


def parse_search(args: MultiDict) -> SearchRequest:
    near = _near(args)
    lat = _number(args, "lat", -90, 90)
    lon = _number(args, "lon", -180, 180)
    if (lat is None) != (lon is None):
        missing = "lon" if lon is None else "lat"
        raise ApiError(400, "missing_parameter", "lat and lon go together: give both, or use near.", missing)
    point = (lat, lon) if lat is not None else None
    if near is None and point is None:
        raise ApiError(400, "missing_location", "Give near (a ZIP code, \"City, ST\" or an address) or lat and lon.")
    if near is not None and point is not None:
        raise ApiError(400, "conflicting_location", "Give near or lat and lon, not both.")
    filters = search.SearchFilters(
        mode=_choice(args, "mode", Mode, allow_any=True),
        condition=_choice(args, "condition", Condition),
        route=_choice(args, "route", Route),
        max_price=_number(args, "max_price", 0, MAX_PRICE_LIMIT, integer=True),
        verified_only=_flag(args, "verified_only"),
        min_rating=_number(args, "min_rating", 1, 5),
        free_consultation=_flag(args, "free_consultation"),
        accepting_new_patients=_flag(args, "accepting_new_patients"),
        monitored_recovery=_flag(args, "monitored_recovery"),
    )
    return SearchRequest(
        near=near,
        point=point,
        radius_mi=_number(args, "radius_mi", search.RADIUS_MIN_MI, search.RADIUS_MAX_MI,
                          default=search.RADIUS_DEFAULT_MI),
        filters=filters,
        sort=_choice(args, "sort", search.Sort) or search.Sort.DISTANCE,
        page=_number(args, "page", 1, 10**6, default=1, integer=True),
        per_page=_number(args, "per_page", 1, search.PER_PAGE_MAX, default=search.PER_PAGE_DEFAULT,
                         integer=True),
    )


def locate(req: SearchRequest) -> Place:
    if req.point is not None:
        return place_for_point(*req.point)
    try:
        return resolve_place(req.near)
    except PlaceNotFound:
        raise ApiError(422, "unknown_location", f"We could not find {req.near!r}. Try a ZIP code or \"City, ST\".",
                       "near") from None
    except AmbiguousPlace as err:
        choices = [{"label": c.label, "lat": c.lat, "lon": c.lon, "state": c.state} for c in err.choices]
        raise ApiError(422, "ambiguous_location", f"{req.near!r} matches {len(choices)} places; add the state.",
                       "near", {"choices": choices}) from None
    except GeocoderUnavailable:
        raise ApiError(503, "geocoder_unavailable",
                       "The address lookup service is not answering; try a ZIP code or \"City, ST\".") from None
