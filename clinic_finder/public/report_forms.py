"""The "report a problem" form on every profile."""
from __future__ import annotations

from wtforms import EmailField, TextAreaField

from clinic_finder.inputs.forms import ChoiceRequiredRadioField, choices
from clinic_finder.listings.problem_reports import NOTE_MAX
from clinic_finder.models import ProblemCategory
from clinic_finder.security.single_use import SingleUseForm


class ProblemReportForm(SingleUseForm):
    category = ChoiceRequiredRadioField("What is wrong?", choices=choices(ProblemCategory.choices()),
                                       required_message="Please choose what is wrong.")
    note = TextAreaField("Tell us more", render_kw={"rows": 4, "maxlength": NOTE_MAX})
    reporter_email = EmailField("Your email (optional)", render_kw={"autocomplete": "email", "maxlength": 254})

    def add_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            target = getattr(self, field, None) or self.note
            target.errors = [*target.errors, message]
