"""The self-assessment form: one page, every question validated with a message beside it."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, StopValidation, ValidationError

from clinic_finder.guide import assessment
from clinic_finder.inputs.forms import CheckboxGroupField, ChoiceRequiredRadioField, choices, plain_text_rule
from clinic_finder.inputs.places import zip_code
from clinic_finder.inputs.problems import InvalidInput


def _none_is_alone(message: str):
    def check(form, field):
        if "none" in (field.data or []) and len(field.data) > 1:
            raise ValidationError(message)

    return check


def _real_zip(form, field):
    try:
        field.data = zip_code(field.data, field.name,
                              required="Please enter your ZIP code so we can suggest providers near you.")
    except InvalidInput as err:
        raise StopValidation(err.message) from None


_real_zip.field_flags = {"required": True}


class AssessmentForm(FlaskForm):
    concerns = CheckboxGroupField(
        "1. What are you looking for help with?",
        choices=choices(assessment.CONCERNS),
        required_message="Please tick what you are looking for help with (or “Something else”).",
    )
    duration = ChoiceRequiredRadioField("2. For how long has this affected you?", choices=choices(assessment.DURATIONS))
    treatments = CheckboxGroupField(
        "3. Which treatments have you already tried for it?",
        choices=choices(assessment.TREATMENTS),
        validators=[_none_is_alone("“None yet” cannot be ticked together with a treatment.")],
        required_message="Please tick the treatments you have tried, or “None yet”.",
    )
    medications = TextAreaField(
        "4. Which medicines do you take now? (optional)",
        validators=[
            Length(max=assessment.MEDICATIONS_MAX_CHARS,
                   message=f"Please keep this under {assessment.MEDICATIONS_MAX_CHARS} characters."),
            plain_text_rule(multiline=True),
        ],
        render_kw={"rows": 3, "maxlength": assessment.MEDICATIONS_MAX_CHARS},
    )
    history = CheckboxGroupField(
        "5. Does any of this apply to you?",
        choices=choices(assessment.HISTORY),
        validators=[_none_is_alone("“None of these” cannot be ticked together with another answer.")],
        required_message="Please tick what applies to you, or “None of these”.",
    )
    self_harm = ChoiceRequiredRadioField(
        "6. In the past two weeks, have you had thoughts of hurting yourself, or that you would be better off "
        "dead?",
        choices=choices(assessment.SELF_HARM),
    )
    preference = ChoiceRequiredRadioField("7. Where would you prefer to be treated?", choices=choices(assessment.PREFERENCES))
    budget = ChoiceRequiredRadioField("8. What could you spend per session?", choices=choices(assessment.BUDGETS))
    zip_code = StringField(
        "9. Your ZIP code",
        validators=[_real_zip],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 5, "size": 7},
    )

    def answers(self) -> assessment.Answers:
        return assessment.Answers(
            concerns=tuple(self.concerns.data),
            duration=self.duration.data,
            treatments=tuple(self.treatments.data),
            medications=(self.medications.data or "").strip(),
            history=tuple(self.history.data),
            self_harm=self.self_harm.data,
            preference=self.preference.data,
            budget=self.budget.data,
            zip_code=self.zip_code.data.strip(),
        )


class KeepAnswersForm(FlaskForm):
    """Carries the signed answers when the person chooses to keep them for a consultation request."""

    answers = HiddenField()


class ForgetAnswersForm(FlaskForm):
    pass
