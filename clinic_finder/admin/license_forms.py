"""The license verification form. Rules beyond the field types live in license_verification."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from clinic_finder.inputs.forms import choices, date_in_range
from clinic_finder.licensing.verification import NOTE_MAX_CHARS, OUTCOMES, SOURCES
from clinic_finder.models import LicenseStatus

OUTCOME_LABELS = {
    LicenseStatus.VERIFIED: "Verified: the record shows the license active",
    LicenseStatus.REJECTED: "Rejected: the record could not be found or does not match",
    LicenseStatus.REVOKED: "Revoked: the board shows it revoked, suspended or surrendered",
}


class VerificationForm(FlaskForm):
    outcome = RadioField("Outcome", choices=choices((s.value, OUTCOME_LABELS[s]) for s in OUTCOMES),
                         validators=[DataRequired("Please choose verified, rejected or revoked.")])
    source = SelectField("Where you checked", choices=choices((s.value, s.label) for s in SOURCES),
                         validators=[DataRequired("Please choose where you checked the license.")])
    checked_on = DateField("Date checked", validators=[DataRequired("Please give the date you checked (YYYY-MM-DD)."),
                                                          date_in_range()])
    license_number = StringField("License number (as the board shows it)",
                                 validators=[DataRequired("Please enter the license number."), Length(max=200)])
    npi = StringField("Clinician's NPI", validators=[Optional(), Length(max=20)])
    issued_on = DateField("Issue date", validators=[Optional(), date_in_range("issue date")])
    expires_on = DateField("Expiry date", validators=[Optional(), date_in_range("expiry date")])
    evidence_note = TextAreaField("Evidence note",
                                  validators=[DataRequired("Please describe the evidence."),
                                              Length(max=NOTE_MAX_CHARS)])
    evidence = FileField("Evidence file (optional: PDF, PNG or JPEG)")
