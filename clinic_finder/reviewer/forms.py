"""Review forms. Field rules are the review_submission domain module's, so the form and the domain agree."""
from __future__ import annotations

from datetime import UTC, date, datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from clinic_finder.inputs.forms import choices, rule
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from clinic_finder.models import Mode, Route
from clinic_finder.reviews import submission as rules
from clinic_finder.security.single_use import SingleUseForm

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
REPORT_REASONS = (
    ("personal_details", "It contains personal details (a name, email address or phone number)"),
    ("not_a_patient", "It does not seem to come from a patient"),
    ("offensive", "It is abusive, hateful or offensive"),
    ("false", "It is false or misleading"),
    ("advertising", "It is advertising or spam"),
    ("other", "Something else"),
)
REPORT_DETAILS_MAX_CHARS = 400


def _int_or_none(value):
    if value is None or value == "" or isinstance(value, int):
        return value if value != "" else None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a rating: refused by the domain rule with its message




class RatingField(RadioField):
    """Five radio buttons; an answer outside 1–5 gets the domain's message, not WTForms' "Not a valid choice"."""

    def __init__(self, label, required=True, **kwargs):
        choices_ = RATING_CHOICES if required else [("", "Not rated"), *RATING_CHOICES]
        validators = [rule(lambda f, required=required: rules.check_rating(f.name, f.data, required))]
        super().__init__(label, validators=validators, choices=choices(choices_), coerce=_int_or_none,
                         validate_choice=False, default=None if required else "", **kwargs)
        self.flags.required = required

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = self.coerce(valuelist[0])


def _years() -> list[tuple[str, str]]:
    this_year = datetime.now(UTC).year
    return [(str(y), str(y)) for y in range(this_year, rules.EARLIEST_TREATMENT_YEAR - 1, -1)]


class ReviewForm(SingleUseForm):
    overall_rating = RatingField("Overall")
    experience_rating = RatingField("Experience and expertise")
    professionalism_rating = RatingField("Professionalism")
    customer_service_rating = RatingField("Customer service")
    safety_rating = RatingField("Safety and monitoring (optional)", required=False)
    value_rating = RatingField("Value for money (optional)", required=False)
    mode = RadioField("Where were you treated?", choices=choices(Mode.choices()), validate_choice=False,
                      validators=[rule(lambda f: rules.validate_mode(f.data))])
    route = SelectField("How was the ketamine given?", choices=choices([("", "Choose one"), *Route.choices()]),
                        validate_choice=False, validators=[rule(lambda f: rules.validate_route(f.data))])
    treatment_month = SelectField("Month", choices=choices([("", "Month"), *((str(i), m) for i, m in
                                                                            enumerate(MONTHS, start=1))]),
                                  validate_choice=False)
    treatment_year = SelectField("Year", validate_choice=False)
    text = TextAreaField(
        "Your review",
        validators=[rule(lambda f: rules.check_text(f.data))],
        render_kw={"rows": 9, "maxlength": rules.TEXT_MAX_CHARS, "minlength": rules.TEXT_MIN_CHARS},
    )
    display_name = StringField("Display name", default=rules.DEFAULT_DISPLAY_NAME,
                               validators=[rule(lambda f: rules.check_display_name(f.data))],
                               render_kw={"maxlength": rules.DISPLAY_NAME_MAX_CHARS, "autocomplete": "off"})
    email = EmailField("Your email address (never shown)",
                       validators=[rule(lambda f: rules.normalize_email(f.data))],
                       render_kw={"autocomplete": "email", "maxlength": 254})
    consent = BooleanField("My review follows the review guidelines: it describes my own experience as a "
                           "patient and contains no one's personal details.")
    # Hidden from people (CSS and aria-hidden); scripts that fill every field fill it.
    website = StringField("Leave this field empty", render_kw={"autocomplete": "off", "tabindex": "-1"})
    form_token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.treatment_year.choices = choices([("", "Year"), *_years()])
        self.treatment_month.flags.required = True
        self.mode.flags.required = self.route.flags.required = True
        self.text.flags.required = self.email.flags.required = self.consent.flags.required = True

    def treatment_date(self) -> date | None:
        try:
            return date(int(self.treatment_year.data), int(self.treatment_month.data), 1)
        except (TypeError, ValueError, OverflowError):  # a 40-digit year is not a year
            return None

    def validate_treatment_month(self, field):
        if not self.treatment_month.data or not self.treatment_year.data:
            raise ValidationError("Please choose the month and year of your treatment.")
        if self.treatment_date() is None:
            raise ValidationError("Please choose a month and year from the lists.")
        try:
            rules.check_treatment_month(self.treatment_date())
        except InvalidInput as exc:
            raise ValidationError(exc.message) from None

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError("Please confirm that your review follows the review guidelines.")

    def to_input(self) -> rules.ReviewInput:
        return rules.ReviewInput(
            overall_rating=self.overall_rating.data,
            experience_rating=self.experience_rating.data,
            professionalism_rating=self.professionalism_rating.data,
            customer_service_rating=self.customer_service_rating.data,
            safety_rating=self.safety_rating.data,
            value_rating=self.value_rating.data,
            mode=self.mode.data,
            route=self.route.data,
            treatment_month=self.treatment_date(),
            text=self.text.data or "",
            display_name=self.display_name.data,
            email=self.email.data or "",
            consent=bool(self.consent.data),
        )


class ReportForm(SingleUseForm):
    reason = RadioField("Why should a moderator look at this review?", choices=choices(REPORT_REASONS),
                        validate_choice=False)
    details = TextAreaField("Anything the moderator should know (optional)",
                            render_kw={"rows": 4, "maxlength": REPORT_DETAILS_MAX_CHARS})

    def validate_reason(self, field):
        if field.data not in dict(REPORT_REASONS):
            raise ValidationError("Please choose a reason.")

    def validate_details(self, field):
        text = field.data or ""
        if len(text.strip()) > REPORT_DETAILS_MAX_CHARS:
            raise ValidationError(f"Please keep this under {REPORT_DETAILS_MAX_CHARS} characters.")
        if has_control_characters(text, allow_line_breaks=True):
            raise ValidationError(CONTROL_CHARACTERS_MESSAGE)

    def reason_text(self) -> str:
        label = dict(REPORT_REASONS)[self.reason.data]
        details = " ".join((self.details.data or "").split())
        return f"{label}: {details}" if details else label


class ConfirmForm(FlaskForm):
    """A button: mail scanners open links, so the confirmation itself is a POST."""


class ResendForm(SingleUseForm):
    email = EmailField("The email address you gave with your review",
                       render_kw={"autocomplete": "email", "maxlength": 254})

    def validate_email(self, field):
        try:
            field.data = rules.normalize_email(field.data)
        except InvalidInput as exc:
            raise ValidationError(exc.message) from None
