"""The search form on /search: a GET form (bookmarkable, no CSRF) using the API's parameter names and limits."""
from __future__ import annotations

import math

from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, HiddenField, IntegerField, SearchField, SelectField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from clinic_finder.models import Condition, Mode, Route
from clinic_finder.search import query as search

_FALSE_VALUES = (False, "false", "0", "off", "no", "")


class _Number(FloatField):
    """A number that must be finite: 'abc', 'NaN' and 'inf' each get a plain message, not a silent default."""

    def __init__(self, *args, what: str = "a number", **kwargs):
        super().__init__(*args, **kwargs)
        self.what = what

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            value = float(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(f"Please enter {self.what}.") from None
        if not math.isfinite(value):
            self.data = None
            raise ValueError(f"Please enter {self.what}.")
        self.data = value


class _WholeNumber(IntegerField):
    def __init__(self, *args, what: str = "a whole number", **kwargs):
        super().__init__(*args, **kwargs)
        self.what = what

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(f"Please enter {self.what}.") from None


def _no_control_characters(form, field):
    if field.data and search.CONTROL_CHARACTERS.search(field.data):
        raise ValidationError("Please use plain text: remove the control characters from the place.")


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing; its URL can be bookmarked and shared

    q = SearchField(
        "ZIP code, city and state, or address",
        validators=[Length(max=search.PLACE_MAX_LENGTH,
                           message=f"Please shorten the place to {search.PLACE_MAX_LENGTH} characters or fewer."),
                    _no_control_characters],
        render_kw={"maxlength": search.PLACE_MAX_LENGTH, "placeholder": "e.g. 10001 or Austin, TX",
                   "autocomplete": "postal-code"},
    )
    lat = _Number("Latitude", what="a latitude between -90 and 90", widget=HiddenField.widget,
                  validators=[Optional(), NumberRange(-90, 90, message="Latitude must be between -90 and 90.")])
    lon = _Number("Longitude", what="a longitude between -180 and 180", widget=HiddenField.widget,
                  validators=[Optional(), NumberRange(-180, 180, message="Longitude must be between -180 and 180.")])
    radius_mi = _Number(
        "Distance (miles)", what="a distance in miles", default=search.RADIUS_DEFAULT_MI,
        validators=[Optional(), NumberRange(search.RADIUS_MIN_MI, search.RADIUS_MAX_MI,
                                            message=f"Please choose a distance from {search.RADIUS_MIN_MI} to "
                                                    f"{search.RADIUS_MAX_MI} miles.")],
        render_kw={"min": search.RADIUS_MIN_MI, "max": search.RADIUS_MAX_MI, "step": "any", "inputmode": "decimal"},
    )
    mode = SelectField("Where", choices=[("any", "In a clinic or at home"), *Mode.choices()], default="any",
                       validate_choice=True)
    condition = SelectField("Condition treated", choices=[("", "Any condition"), *Condition.choices()], default="")
    route = SelectField("How it is given", choices=[("", "Any way"), *Route.choices()], default="")
    max_price = _WholeNumber(
        "Highest price per session (USD)", what="a price in whole dollars",
        validators=[Optional(), NumberRange(0, search.MAX_PRICE_LIMIT,
                                            message=f"Please enter a price from $0 to ${search.MAX_PRICE_LIMIT:,}.")],
        render_kw={"min": 0, "max": search.MAX_PRICE_LIMIT, "inputmode": "numeric"},
    )
    min_rating = _Number(
        "Lowest rating (1–5)", what="a rating from 1 to 5",
        validators=[Optional(), NumberRange(1, 5, message="Please enter a rating from 1 to 5.")],
        render_kw={"min": 1, "max": 5, "step": "0.5", "inputmode": "decimal"},
    )
    verified_only = BooleanField("Verified licenses only", false_values=_FALSE_VALUES)
    free_consultation = BooleanField("Free consultation", false_values=_FALSE_VALUES)
    accepting_new_patients = BooleanField("Accepting new patients", false_values=_FALSE_VALUES)
    monitored_recovery = BooleanField("Monitored recovery period", false_values=_FALSE_VALUES)
    sort = SelectField("Sort", choices=[(s.value, s.label) for s in search.Sort], default="distance")
    page = _WholeNumber("Page", what="a page number", default=1, widget=HiddenField.widget,
                        validators=[Optional(), NumberRange(min=1, message="Page numbers start at 1.")])

    _messages = {
        "mode": "Please choose in a clinic, at home, or either.",
        "condition": "Please choose a condition from the list.",
        "route": "Please choose how it is given from the list.",
        "sort": "Please choose nearest, highest rated or lowest price.",
    }

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            if field.process_errors:  # "not a number" says it all; a range error about nothing would confuse
                field.errors = list(field.process_errors)
        # WTForms' "Not a valid choice." does not say which list or what to do.
        for name, message in self._messages.items():
            field = self[name]
            if field.errors:
                field.errors = [message]
        if (self.lat.data is None) != (self.lon.data is None) and not self.lat.errors and not self.lon.errors:
            self.lat.errors = ["Your location arrived incomplete; please search by place instead."]
            ok = False
        return ok

    @property
    def has_filters(self) -> bool:
        return bool(self.query_args().keys() - {"q", "lat", "lon", "radius_mi", "sort"})

    @property
    def has_location(self) -> bool:
        return bool((self.q.data or "").strip()) or (self.lat.data is not None and self.lon.data is not None)

    def filters(self) -> search.SearchFilters:
        return search.SearchFilters(
            mode=None if self.mode.data == "any" else Mode(self.mode.data),
            condition=Condition(self.condition.data) if self.condition.data else None,
            route=Route(self.route.data) if self.route.data else None,
            max_price=self.max_price.data,
            verified_only=self.verified_only.data,
            min_rating=self.min_rating.data,
            free_consultation=self.free_consultation.data,
            accepting_new_patients=self.accepting_new_patients.data,
            monitored_recovery=self.monitored_recovery.data,
        )

    def query_args(self, **changes) -> dict:
        """The search as URL parameters (for pagination and "search wider" links), defaults left out."""
        args = {}
        for name in ("q", "lat", "lon", "radius_mi", "mode", "condition", "route", "max_price", "min_rating",
                     "sort"):
            value = self[name].data
            if value not in (None, "") and not (name == "mode" and value == "any") and not (
                    name == "sort" and value == "distance"):
                args[name] = f"{value:g}" if isinstance(value, float) else value
        for name in ("verified_only", "free_consultation", "accepting_new_patients", "monitored_recovery"):
            if self[name].data:
                args[name] = 1
        if (args.get("q") or "").strip():
            args.pop("lat", None)
            args.pop("lon", None)
        args.update(changes)
        return args
