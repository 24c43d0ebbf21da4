"""One search request: query arguments in, a SearchRequest (or the problems with it) out, for the page and the API.

Parameter names are the API's (PRODUCT.md); the /search page names the place `q`. Every value goes through the
input kit; what is said about a bad value is said here, once, with the code and HTTP status the API answers
(400: malformed, 422: well formed but cannot be answered, 503: the online geocoder is down). Finding the place
and running the search report their failures (unknown or ambiguous place, geocoder down, a page past the end)
the same way, so a view only renders what it is given.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clinic_finder.geo.geocoding import (
    AmbiguousPlace,
    GeocoderUnavailable,
    Place,
    PlaceNotFound,
    place_for_point,
    resolve_place,
)
from clinic_finder.inputs.numbers import PAGE_MAX, decimal_number, page_number, whole_dollars, whole_number
from clinic_finder.inputs.problems import FieldProblem, InvalidInput, ProblemCollector
from clinic_finder.inputs.text import plain_text
from clinic_finder.models import Condition, Mode, Route
from clinic_finder.search.query import (
    MAX_PRICE_LIMIT,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    PLACE_MAX_LENGTH,
    RADIUS_DEFAULT_MI,
    RADIUS_MAX_MI,
    RADIUS_MIN_MI,
    PageOutOfRange,
    SearchFilters,
    SearchQuery,
    SearchResult,
    Sort,
    find_providers,
)

# The HTTP status of each error code of the API (PRODUCT.md; the OpenAPI document lists 400, 422 and 503).
STATUS = {
    "invalid_number": 400, "invalid_boolean": 400, "missing_location": 400, "conflicting_location": 400,
    "missing_parameter": 400,
    "out_of_range": 422, "invalid_choice": 422, "too_long": 422, "invalid_characters": 422,
    "unknown_location": 422, "ambiguous_location": 422, "page_out_of_range": 422,
    "geocoder_unavailable": 503,
}
# Spellings of a yes/no filter. y/n too: the page's checkboxes sent "y" until they sent "1", and bookmarks remain.
TRUE_VALUES = frozenset({"1", "true", "yes", "on", "y"})
FALSE_VALUES = frozenset({"0", "false", "no", "off", "n", ""})
FLAGS = ("verified_only", "free_consultation", "accepting_new_patients", "monitored_recovery")
# Every parameter parse_search reads besides the place ("near" in the API, "q" on the page): the views declare
# them (inputs.web.reads_query) and the OpenAPI document lists them.
PARAMETERS = ("lat", "lon", "radius_mi", "mode", "condition", "route", "max_price", "min_rating", *FLAGS, "sort",
              "page", "per_page")
PLACE_HELP = "Please enter a ZIP code, a city and state (like Austin, TX), or an address."
INCOMPLETE_POINT = "Your location arrived incomplete; please search by place instead."

# What is said beside a number that is not one, and beside one out of range.
_NUMBER_MESSAGES = {
    "lat": ("Please enter a latitude between -90 and 90.", "Latitude must be between -90 and 90."),
    "lon": ("Please enter a longitude between -180 and 180.", "Longitude must be between -180 and 180."),
    "radius_mi": ("Please enter a distance in miles.",
                  f"Please choose a distance from {RADIUS_MIN_MI} to {RADIUS_MAX_MI} miles."),
    "max_price": ("Please enter a price in whole dollars.", f"Please enter a price from $0 to ${MAX_PRICE_LIMIT:,}."),
    "min_rating": ("Please enter a rating from 1 to 5.", "Please enter a rating from 1 to 5."),
    "page": ("Please enter a page number.", f"Please choose a page from 1 to {PAGE_MAX:,}."),
    "per_page": ("Please enter how many results to show on a page, as a whole number.",
                 f"Please show from 1 to {PER_PAGE_MAX} results on a page."),
}
_CHOICE_MESSAGES = {
    "mode": "Please choose in a clinic, at home, or either.",
    "condition": "Please choose a condition from the list.",
    "route": "Please choose how it is given from the list.",
    "sort": "Please choose nearest, highest rated or lowest price.",
}


@dataclass(frozen=True)
class SearchProblem(FieldProblem):
    """A field problem with what the API answers: code (and so status), and the extra keys of the error object.

    `field` is where the page shows the message; whole_request: the API names no parameter (nothing was given,
    or two ways of giving the place conflict).
    """

    code: str = "invalid_number"
    whole_request: bool = False
    choices: tuple[Place, ...] = ()  # ambiguous_location: the places the text may mean, best first
    pages: int | None = None  # page_out_of_range: how many pages there are

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 422)

    @property
    def parameter(self) -> str | None:
        return None if self.whole_request else self.field


class InvalidSearch(InvalidInput):
    """The problems with a search, each a SearchProblem, first the one the API answers with."""

    problems: tuple[SearchProblem, ...]


@dataclass(frozen=True)
class SearchRequest:
    place_text: str | None  # what was typed, trimmed; None when searching from a point
    point: tuple[float, float] | None
    radius_mi: float = RADIUS_DEFAULT_MI
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = Sort.DISTANCE
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT
    place_param: str = "near"

    def query(self, place: Place) -> SearchQuery:
        return SearchQuery(place, self.radius_mi, self.filters, self.sort, self.page, self.per_page)

    def url_args(self, **changes) -> dict:
        """The request as query arguments (for page links and "search wider"), defaults left out."""
        f = self.filters
        args: dict[str, Any] = {}
        if self.place_text:
            args[self.place_param] = self.place_text
        elif self.point:
            args["lat"], args["lon"] = (f"{v:g}" for v in self.point)
        values = {"radius_mi": None if self.radius_mi == RADIUS_DEFAULT_MI else f"{self.radius_mi:g}",
                  "mode": f.mode and f.mode.value, "condition": f.condition and f.condition.value,
                  "route": f.route and f.route.value, "max_price": f.max_price,
                  "min_rating": None if f.min_rating is None else f"{f.min_rating:g}",
                  "sort": None if self.sort == Sort.DISTANCE else self.sort.value,
                  **{flag: 1 for flag in FLAGS if getattr(f, flag)},
                  "per_page": None if self.per_page == PER_PAGE_DEFAULT else self.per_page}
        args.update((name, value) for name, value in values.items() if value is not None)
        args.update(changes)
        return args


def parse_search(args: Mapping, *, form: bool = False) -> SearchRequest:
    """The request in `args` (a MultiDict), or InvalidSearch with every problem found.

    form: the arguments come from the /search page's form. Its place is `q`, and a typed place replaces the point
    its hidden fields keep from an earlier "use my location" (the API refuses both at once: conflicting_location).
    """
    place_param = "q" if form else "near"
    problems = ProblemCollector()
    place_text = problems.take(plain_text, args.get(place_param), place_param, "place", PLACE_MAX_LENGTH,
                               allow_markup=True)
    point = _point(args, problems)
    if form and place_text:
        point = None
    if not problems.problems:
        _check_one_place(args, place_param, place_text, point, problems)
    filters = SearchFilters(
        mode=_choice(args, "mode", Mode, problems, allow_any=True),
        condition=_choice(args, "condition", Condition, problems),
        route=_choice(args, "route", Route, problems),
        max_price=problems.take(whole_dollars, args.get("max_price"), "max_price", "price", MAX_PRICE_LIMIT),
        min_rating=problems.take(decimal_number, args.get("min_rating"), "min_rating", "rating", 1, 5),
        **{flag: _flag(args, flag, problems) for flag in FLAGS},
    )
    radius_mi = problems.take(decimal_number, args.get("radius_mi"), "radius_mi", "distance in miles",
                              RADIUS_MIN_MI, RADIUS_MAX_MI, default=RADIUS_DEFAULT_MI)
    sort = _choice(args, "sort", Sort, problems) or Sort.DISTANCE
    page = problems.take(page_number, args.get("page"))
    per_page = problems.take(whole_number, args.get("per_page"), "per_page", "number of results on a page", 1,
                             PER_PAGE_MAX, default=PER_PAGE_DEFAULT)
    if problems.problems:
        raise InvalidSearch.of(_explained(problem, args) for problem in problems.problems)
    return SearchRequest(place_text, point, radius_mi, filters, sort, page, per_page, place_param)


def locate(request: SearchRequest) -> Place:
    """The searched place: the point's, or the one the text names; InvalidSearch when there is not exactly one."""
    if request.point is not None:
        return place_for_point(*request.point)
    text, name = request.place_text, request.place_param
    try:
        return resolve_place(text)
    except PlaceNotFound:
        problem = SearchProblem(name, f"We could not find “{text}”. Check the spelling, or try a ZIP code or a city "
                                      "and state like “Austin, TX”.", "unknown_location")
    except AmbiguousPlace as err:
        problem = SearchProblem(name, f"“{text}” matches {len(err.choices)} places: choose one, or add the state.",
                                "ambiguous_location", choices=tuple(err.choices))
    except GeocoderUnavailable:
        problem = SearchProblem(name, "Our address lookup is not answering right now. A ZIP code or a city and "
                                      "state still works.", "geocoder_unavailable", whole_request=True)
    raise InvalidSearch.of([problem])


def find(request: SearchRequest, place: Place) -> SearchResult:
    """One page of results; a page past the last is InvalidSearch (page_out_of_range, with the number of pages)."""
    try:
        return find_providers(request.query(place))
    except PageOutOfRange as err:
        raise InvalidSearch.of([SearchProblem("page", str(err), "page_out_of_range", pages=err.pages)]) from None


# --- one parameter each -----------------------------------------------------------------------------------

def _point(args: Mapping, problems: ProblemCollector) -> tuple[float, float] | None:
    lat = problems.take(decimal_number, args.get("lat"), "lat", "latitude", -90, 90)
    lon = problems.take(decimal_number, args.get("lon"), "lon", "longitude", -180, 180)
    if problems.has("lat") or problems.has("lon"):
        return None
    if (lat is None) != (lon is None):
        problems.problems.append(SearchProblem("lon" if lon is None else "lat", INCOMPLETE_POINT, "missing_parameter"))
        return None
    return None if lat is None else (lat, lon)


def _check_one_place(args: Mapping, place_param: str, place_text: str | None, point, problems) -> None:
    """A search needs a place or a point, not both. A blank place with a point is a search from the point."""
    if place_text is None and point is None:
        # Naming the empty box helps; when nothing was sent at all, no one parameter is at fault.
        problems.problems.append(SearchProblem(place_param, PLACE_HELP, "missing_location",
                                               whole_request=place_param not in args))
    elif place_text is not None and point is not None:
        problems.problems.append(SearchProblem(place_param, f"Give {place_param} or lat and lon, not both.",
                                               "conflicting_location", whole_request=True))


def _choice(args: Mapping, name: str, enum_cls, problems: ProblemCollector, allow_any: bool = False):
    raw = args.get(name)
    if raw is None or raw == "" or (allow_any and raw == "any"):
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        problems.problems.append(SearchProblem(name, _CHOICE_MESSAGES[name], "invalid_choice"))
        return None


def _flag(args: Mapping, name: str, problems: ProblemCollector) -> bool:
    value = (args.get(name) or "").strip().lower()
    if value in TRUE_VALUES:
        return True
    if value not in FALSE_VALUES:
        problems.problems.append(SearchProblem(name, f"Please give {name} as true or false (1 or 0).",
                                               "invalid_boolean"))
    return False


def _explained(problem: FieldProblem, args: Mapping) -> SearchProblem:
    """A kit problem in the search's words, with the API's code."""
    if isinstance(problem, SearchProblem):
        return problem
    if problem.field in _NUMBER_MESSAGES and problem.code in ("invalid_number", "out_of_range"):
        not_a_number, out_of_range = _NUMBER_MESSAGES[problem.field]
        message = not_a_number if problem.code == "invalid_number" else out_of_range
        if problem.field == "page" and problem.code == "out_of_range" and _below_one(args.get("page")):
            message = "Page numbers start at 1."
        return SearchProblem(problem.field, message, problem.code)
    if problem.code == "too_long":
        return SearchProblem(problem.field, f"Please shorten the place to {PLACE_MAX_LENGTH} characters or fewer.",
                             "too_long")
    if problem.code == "invalid_characters":
        return SearchProblem(problem.field, "Please use plain text: remove the control characters from the place.",
                             "invalid_characters")
    return SearchProblem(problem.field, problem.message, problem.code or "invalid_number")


def _below_one(raw: str | None) -> bool:
    text = (raw or "").strip()
    return text.startswith("-") or not text.strip("0")
