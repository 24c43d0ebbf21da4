"""The listing form (new listing or correction). Field rules live in listings.validation (the one provider-record
validator), shared with admin edits, seeds and imports."""
from __future__ import annotations

from wtforms import BooleanField, EmailField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets

from clinic_finder.geo.states import STATES
from clinic_finder.inputs.forms import choices
from clinic_finder.listings import validation as listing_validation
from clinic_finder.listings.validation import LABELS
from clinic_finder.models import Condition, Route
from clinic_finder.security.single_use import SingleUseForm


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):  # the domain rules say what is wrong, in words
        pass


class LenientSelectField(SelectField):
    def pre_validate(self, form):
        pass


class ListingForm(SingleUseForm):
    name = StringField(LABELS["name"], render_kw={"maxlength": listing_validation.NAME_MAX})
    description = TextAreaField(LABELS["description"], render_kw={"rows": 4,
                                                                  "maxlength": listing_validation.DESCRIPTION_MAX})
    website = StringField(LABELS["website"], render_kw={"inputmode": "url", "placeholder": "https://"})
    phone = StringField(LABELS["phone"], render_kw={"type": "tel", "autocomplete": "tel", "maxlength": 32})
    email = EmailField(LABELS["email"], render_kw={"maxlength": 254})
    offers_in_clinic = BooleanField(LABELS["offers_in_clinic"])
    offers_at_home = BooleanField(LABELS["offers_at_home"])
    address_line1 = StringField(LABELS["address_line1"], render_kw={"autocomplete": "address-line1"})
    address_line2 = StringField(LABELS["address_line2"], render_kw={"autocomplete": "address-line2"})
    city = StringField(LABELS["city"], render_kw={"autocomplete": "address-level2"})
    state = LenientSelectField(LABELS["state"], choices=choices([("", "Choose a state"), *STATES.items()]))
    zip_code = StringField(LABELS["zip_code"], render_kw={"inputmode": "numeric", "maxlength": 5, "size": 7,
                                                          "autocomplete": "postal-code"})
    states_served = CheckboxesField(LABELS["states_served"], choices=choices(STATES.items()))
    routes = CheckboxesField(LABELS["routes"], choices=choices(Route.choices()))
    conditions = CheckboxesField(LABELS["conditions"], choices=choices(Condition.choices()))
    price_min_usd = StringField(LABELS["price_min_usd"], render_kw={"inputmode": "numeric", "size": 8})
    price_max_usd = StringField(LABELS["price_max_usd"], render_kw={"inputmode": "numeric", "size": 8})
    free_consultation = BooleanField(LABELS["free_consultation"])
    insurance_accepted = BooleanField(LABELS["insurance_accepted"])
    superbill_offered = BooleanField(LABELS["superbill_offered"])
    session_length_minutes = StringField(LABELS["session_length_minutes"], render_kw={"inputmode": "numeric",
                                                                                      "size": 6})
    medical_director_npi = StringField(LABELS["medical_director_npi"], render_kw={"inputmode": "numeric",
                                                                                  "maxlength": 12, "size": 12})
    submitter_name = StringField("Your name", render_kw={"autocomplete": "name", "maxlength": 120})
    submitter_email = EmailField("Your email", render_kw={"autocomplete": "email", "maxlength": 254})
    note = TextAreaField("Anything our team should know (optional)",
                         render_kw={"rows": 3, "maxlength": listing_validation.NOTE_MAX})

    LISTING_FIELDS = tuple(LABELS)

    def listing_data(self) -> dict:
        return {name: getattr(self, name).data for name in self.LISTING_FIELDS}

    def submitter_data(self) -> dict:
        return {"submitter_name": self.submitter_name.data, "submitter_email": self.submitter_email.data,
                "note": self.note.data}

    def add_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            target = getattr(self, field, None) or self.name
            target.errors = [*target.errors, message]


class CorrectionForm(ListingForm):
    note = TextAreaField("What is wrong or what changed?", render_kw={"rows": 3,
                                                                       "maxlength": listing_validation.NOTE_MAX})
