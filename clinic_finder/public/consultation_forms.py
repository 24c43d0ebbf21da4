"""The free-consultation request form. Field rules reuse the consultations domain module's."""
from __future__ import annotations

from wtforms import BooleanField, EmailField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from clinic_finder.guide import consultations
from clinic_finder.inputs.contact import email_address, phone_number
from clinic_finder.inputs.forms import choices, plain_text_rule, rule
from clinic_finder.security.single_use import SingleUseForm


def _no_angle_brackets(form, field):
    if field.data and ("<" in field.data or ">" in field.data):
        raise ValidationError("Please use plain text in your name: remove the < and > characters.")


class ConsultationForm(SingleUseForm):
    name = StringField(
        "Your name",
        validators=[
            DataRequired(message="Please tell us your name."),
            Length(max=consultations.NAME_MAX_CHARS,
                   message=f"Please keep your name under {consultations.NAME_MAX_CHARS} characters."),
            _no_angle_brackets,
            plain_text_rule(),
        ],
        render_kw={"autocomplete": "name", "maxlength": consultations.NAME_MAX_CHARS},
    )
    email = EmailField("Email", validators=[rule(lambda f: email_address(f.data, f.name))],
                       render_kw={"autocomplete": "email", "maxlength": 254})
    phone = TelField("Phone", validators=[rule(lambda f: phone_number(f.data, f.name))],
                     render_kw={"autocomplete": "tel", "maxlength": 32})
    preferred_contact_time = SelectField("When should they contact you?", choices=choices(consultations.CONTACT_TIMES),
                                         default="any")
    message = TextAreaField(
        "Message to the provider (optional)",
        validators=[
            Length(max=consultations.MESSAGE_MAX_CHARS,
                   message=f"Please keep your message under {consultations.MESSAGE_MAX_CHARS:,} characters."),
            plain_text_rule(multiline=True),
        ],
        render_kw={"rows": 5, "maxlength": consultations.MESSAGE_MAX_CHARS},
    )
    send_answers = BooleanField("Send my self-assessment answers with this request")
    consent = BooleanField(
        "I agree that clinic_finder passes my name, contact details and message to this provider so they can "
        "contact me.",
        validators=[DataRequired(message="Please tick this box so we may pass your details to the provider.")],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        has_email = bool(self.email.data and self.email.data.strip())
        has_phone = bool(self.phone.data and self.phone.data.strip())
        if not has_email and not has_phone:
            message = "Please give an email address or a phone number (or both) so the provider can reach you."
            self.email.errors = [*self.email.errors, message]
            ok = False
        return ok

    def to_input(self, answers=None) -> consultations.ConsultationInput:
        return consultations.ConsultationInput(
            name=self.name.data,
            email=self.email.data,
            phone=self.phone.data,
            preferred_contact_time=self.preferred_contact_time.data,
            message=self.message.data,
            consent=bool(self.consent.data),
            assessment=answers if self.send_answers.data else None,
        )
