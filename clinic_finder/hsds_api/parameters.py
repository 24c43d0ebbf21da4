"""The HSDS API's query parameters, parsed once with the input kit; a bad value is an ApiError (400 or 422) in
the API's error shape, naming the parameter."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from clinic_finder.errors import ApiError
from clinic_finder.geo.geocoding import us_data
from clinic_finder.inputs.dates import moment
from clinic_finder.inputs.numbers import decimal_number, page_number, whole_number
from clinic_finder.inputs.places import zip_code
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.text import plain_text
from clinic_finder.interchange.hsds import taxonomy
from clinic_finder.interchange.hsds.directory import METERS_PER_MILE, Point, ServiceFilters
from clinic_finder.interchange.hsds.ids import parse_uuid
from clinic_finder.search.request import STATUS

PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 100
FORMATS = ("json", "ndjson")
SEARCH_MAX_LENGTH = 200
# The same ceiling as the patient search's radius (500 miles), in the meters HSDS counts proximity in.
PROXIMITY_MAX_METERS = round(500 * METERS_PER_MILE)
_STATUS = {**STATUS, "invalid_date": 400, "markup": 422, "unknown_taxonomy": 422, "unknown_taxonomy_term": 422,
           "unknown_postcode": 422}

# What each list reads: the view declares these (reads_query) and the OpenAPI copy documents them.
LIST = ("search", "page", "per_page", "format")
SERVICES = (*LIST, "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "minimal", "full")
SERVICE_AT_LOCATIONS = (*LIST, "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "full",
                        "postcode", "proximity")
ORGANIZATIONS = (*LIST, "full_service", "full")
TAXONOMY_TERMS = (*LIST, "taxonomy_id", "top_only", "parent_id")


@dataclass(frozen=True)
class ListRequest:
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT
    format: str = "json"
    search: str | None = None
    filters: ServiceFilters = field(default_factory=ServiceFilters)
    taxonomy_id: str | None = None  # the taxonomy whose terms /taxonomy_terms lists
    parent_id: str | None = None
    flags: frozenset[str] = frozenset()  # the boolean parameters that are true (minimal, full, full_service…)

    def flag(self, name: str) -> bool:
        return name in self.flags


def api_error(err: InvalidInput) -> ApiError:
    problem = err.problems[0]
    code = problem.code or "invalid_value"
    return ApiError(_STATUS.get(code, 422), code, problem.message, problem.field)


def parse_list(args: Mapping, names: tuple[str, ...]) -> ListRequest:
    """The parameters a list endpoint reads (`names`), or the ApiError for the first bad one."""
    try:
        return _parse(args, names)
    except InvalidInput as err:
        raise api_error(err) from None


def parse_flag(args: Mapping, name: str) -> bool:
    try:
        _refuse_empty(args, (name,))
        return _flag(args.get(name), name)
    except InvalidInput as err:
        raise api_error(err) from None


def _refuse_empty(args: Mapping, names: tuple[str, ...]) -> None:
    # "page=" is neither a page nor absent: a program that sends it has lost a value, and saying so beats
    # guessing (only free text may be empty).
    for name in names:
        if name != "search" and name in args and not str(args.get(name)).strip():
            raise InvalidInput(name, f"{name} was sent without a value; give one or leave {name} out.",
                               "missing_parameter")


def _parse(args: Mapping, names: tuple[str, ...]) -> ListRequest:
    _refuse_empty(args, names)
    fmt = (args.get("format") or "json").strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput("format", "Please choose the format json (pages) or ndjson (every result, one per line).",
                           "invalid_choice")
    search = plain_text(args.get("search"), "search", "search text", SEARCH_MAX_LENGTH)
    terms = set()
    if "taxonomy_term_id" in names and args.get("taxonomy_term_id"):
        terms.add(_term(args.get("taxonomy_term_id")).id)
    taxonomy_id = _taxonomy(args.get("taxonomy_id")).id if args.get("taxonomy_id") else None
    if taxonomy_id and "taxonomy_term_id" in names:
        terms.add(taxonomy_id)
    parent_id = _term(args.get("parent_id"), "parent_id").id if args.get("parent_id") else None
    filters = ServiceFilters(
        search=search,
        required_terms=frozenset(terms),
        organization_id=_organization_id(args.get("organization_id")),
        modified_after=moment(args.get("modified_after"), "modified_after", "modified_after date"),
        **_place(args) if "postcode" in names else {},
    )
    return ListRequest(
        page=page_number(args.get("page")),
        per_page=whole_number(args.get("per_page"), "per_page", "number of results on a page", 1, PER_PAGE_MAX,
                              default=PER_PAGE_DEFAULT),
        format=fmt, search=search, filters=filters, taxonomy_id=taxonomy_id, parent_id=parent_id,
        flags=frozenset(name for name in ("minimal", "full", "full_service", "top_only")
                        if name in names and _flag(args.get(name), name)),
    )


def _flag(raw: str | None, name: str) -> bool:
    # Exactly true or false (or absent), as the description's boolean says: HSDS clients send JSON booleans.
    value = raw or ""
    if value not in ("true", "false", ""):
        raise InvalidInput(name, f"Please give {name} as true or false.", "invalid_boolean")
    return value == "true"


def _term(raw: str, name: str = "taxonomy_term_id") -> taxonomy.Term:
    term = taxonomy.term_by_id(parse_uuid(raw) or "")
    if term is None:
        raise InvalidInput(name, "No taxonomy term has that id; /hsds/taxonomy_terms lists them.",
                           "unknown_taxonomy_term")
    return term


def _taxonomy(raw: str) -> taxonomy.Taxonomy:
    found = taxonomy.taxonomy_by_id(parse_uuid(raw) or "")
    if found is None:
        raise InvalidInput("taxonomy_id", "No taxonomy has that id; /hsds/taxonomies lists them.", "unknown_taxonomy")
    return found


def _organization_id(raw: str | None) -> str | None:
    if not raw:
        return None
    value = parse_uuid(raw)
    if value is None:
        raise InvalidInput("organization_id", "Please give organization_id as an organization's uuid.",
                           "invalid_choice")
    return value


def _place(args: Mapping) -> dict:
    try:
        postcode = zip_code(args.get("postcode"), "postcode")
    except InvalidInput as err:
        raise InvalidInput("postcode", err.message, "unknown_postcode") from None
    meters = decimal_number(args.get("proximity"), "proximity", "proximity in meters", 1, PROXIMITY_MAX_METERS)
    if meters is None:
        return {"postcode": postcode}
    if postcode is None:
        raise InvalidInput("proximity", "proximity is measured from a postcode: please give the postcode too.",
                           "missing_parameter")
    centroid = us_data().by_zip[postcode]
    return {"postcode": postcode, "near": Point(centroid.lat, centroid.lon, meters)}

