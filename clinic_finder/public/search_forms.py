"""The search form on /search, as a renderer: it shows what was typed and the problems search/request.py found.

A GET form (bookmarkable, no CSRF) using the API's parameter names and limits. It validates nothing itself: the
one search parser (search/request.py) reads the same arguments for the page and the API, and its problems are
placed beside these fields. WTForms still renders the fields (labels, ids, input types, chosen options).
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SearchField, SelectField, StringField

from clinic_finder.inputs.forms import choices
from clinic_finder.inputs.widgets import HiddenInput, NumberInput, SearchInput
from clinic_finder.models import Condition, Mode, Route
from clinic_finder.search import query as search
from clinic_finder.search import request as search_request

_FILTERS = ("mode", "condition", "route", "max_price", "min_rating", *search_request.FLAGS)


class _Flag(BooleanField):
    """A checkbox ticked by the parser's true spellings; it sends "1"."""

    false_values = tuple(search_request.FALSE_VALUES | {False})

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and valuelist[0].strip().lower() in search_request.TRUE_VALUES

    def _value(self):
        return "1"


class _Select(SelectField):
    """A list whose unknown value is the parser's to report (WTForms' own "Not a valid choice" is not shown)."""

    def pre_validate(self, form):
        pass


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing; its URL can be bookmarked and shared

    q = SearchField(
        "ZIP code, city and state, or address", widget=SearchInput(),
        render_kw={"maxlength": search.PLACE_MAX_LENGTH, "placeholder": "e.g. 10001 or Austin, TX",
                   "autocomplete": "postal-code"},
    )
    lat = HiddenField("Latitude", widget=HiddenInput())
    lon = HiddenField("Longitude", widget=HiddenInput())
    radius_mi = StringField(
        "Distance (miles)", default=search.RADIUS_DEFAULT_MI, widget=NumberInput(),
        render_kw={"min": search.RADIUS_MIN_MI, "max": search.RADIUS_MAX_MI, "step": "any", "inputmode": "decimal"},
    )
    mode = _Select("Where", choices=choices([("any", "In a clinic or at home"), *Mode.choices()]), default="any")
    condition = _Select("Condition treated", choices=choices([("", "Any condition"), *Condition.choices()]),
                        default="")
    route = _Select("How it is given", choices=choices([("", "Any way"), *Route.choices()]), default="")
    max_price = StringField(
        "Highest price per session (USD)", widget=NumberInput(),
        render_kw={"min": 0, "max": search.MAX_PRICE_LIMIT, "inputmode": "numeric"},
    )
    min_rating = StringField(
        "Lowest rating (1–5)", widget=NumberInput(),
        render_kw={"min": 1, "max": 5, "step": "0.5", "inputmode": "decimal"},
    )
    verified_only = _Flag("Verified licenses only")
    free_consultation = _Flag("Free consultation")
    accepting_new_patients = _Flag("Accepting new patients")
    monitored_recovery = _Flag("Monitored recovery period")
    sort = _Select("Sort", choices=choices((s.value, s.label) for s in search.Sort), default="distance")
    page = HiddenField("Page", widget=HiddenInput())
    per_page = HiddenField("Results per page", widget=HiddenInput())

    # The parsed request, once the arguments parse: links are made from it, not from the raw text.
    request: search_request.SearchRequest | None = None

    def show_problems(self, problems) -> None:
        """Each problem's message beside its field."""
        for problem in problems:
            self[problem.field].errors = [*self[problem.field].errors, problem.message]

    @property
    def filters_key(self) -> tuple:
        """Everything the filters' panel shows (values as sent and parsed, problems): the panel's markup is the same
        for the same key, so results.html renders it once per process for each ({% memo %})."""
        return tuple((name, self[name].data, tuple(self[name].raw_data or ()), tuple(self[name].errors))
                     for name in (*_FILTERS, "sort"))

    @property
    def has_filters(self) -> bool:
        """A filter is set or has a problem (the filters' panel opens to show it)."""
        return any(self[name].data not in (None, "", False, "any") or self[name].errors for name in _FILTERS)

    def query_args(self, **changes) -> dict:
        """The search as URL parameters (for pagination and "search wider" links), defaults left out."""
        if self.request is None:
            return dict(changes)
        return self.request.url_args(**changes)
