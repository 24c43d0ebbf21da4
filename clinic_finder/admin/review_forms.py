"""Moderation forms: one review at a time, or several ticked in the queue."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField

from clinic_finder.inputs.forms import choices
from clinic_finder.inputs.numbers import record_ids
from clinic_finder.reviews.moderation import REASON_MAX_CHARS


class ModerateForm(FlaskForm):
    reason = StringField("Reason (required to reject; the reviewer is not told)",
                         render_kw={"maxlength": REASON_MAX_CHARS})
    approve = SubmitField("Approve")
    reject = SubmitField("Reject")
    page = HiddenField()


class BulkModerateForm(FlaskForm):
    review_ids = SelectMultipleField("Reviews", validate_choice=False)
    action = SelectField("With the ticked reviews", choices=choices([("approve", "Approve"), ("reject", "Reject")]))
    reason = StringField("Reason for rejecting", render_kw={"maxlength": REASON_MAX_CHARS})
    page = HiddenField()

    def ids(self) -> list[int]:
        return record_ids(self.review_ids.data)
