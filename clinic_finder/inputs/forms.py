"""Shared WTForms pieces: choices in the form the installed WTForms prefers, and a polite required radio group."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from wtforms import Field, RadioField, SelectMultipleField, StringField, widgets
from wtforms.validators import StopValidation, ValidationError

from clinic_finder.inputs import dates
from clinic_finder.inputs.numbers import DB_ID_MAX, whole_number
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.text import CONTROL_CHARACTERS_MESSAGE, MARKUP_MESSAGE, has_control_characters, has_markup

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover (WTForms 3.2)
    SelectChoice = None


def choices(pairs: Iterable[tuple[str, str]]) -> list:
    """(value, label) pairs as the select and radio fields of the installed WTForms want them."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


class _RequiredChoice:
    """A choice field whose "nothing chosen" error is one polite sentence, shown once."""

    def __init__(self, label=None, validators=None, required_message="Please choose an answer.", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message
        self.flags.required = True

    def pre_validate(self, form):
        if not self.data:
            raise StopValidation(self.required_message)
        super().pre_validate(form)


class ChoiceRequiredRadioField(_RequiredChoice, RadioField):
    """A radio group: exactly one answer."""


class CheckboxGroupField(_RequiredChoice, SelectMultipleField):
    """Several answers may apply; at least one must be ticked ("None" may be one of the choices)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WholeNumberField(StringField):
    """A whole number in [low, high] parsed by the input kit, so a form says the same as the API and the CLI."""

    def __init__(self, label=None, validators=None, *, low: int, high: int, what: str, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)
        self.low, self.high, self.what = low, high, what

    def process_formdata(self, valuelist):
        self.raw_data = valuelist
        self.data = None
        if valuelist:
            try:
                self.data = whole_number(valuelist[0], self.name, self.what, self.low, self.high)
            except InvalidInput as err:
                raise ValueError(err.message) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def record_id_field(label: str, what: str = "record number", **kwargs) -> WholeNumberField:
    return WholeNumberField(label, low=1, high=DB_ID_MAX, what=what, **kwargs)


def rule(check: Callable[[Field], object]):
    """A WTForms validator from a kit or domain check: the InvalidInput it raises shows beside the field."""

    def validator(form, field):
        try:
            check(field)
        except InvalidInput as err:
            raise ValidationError(err.message) from None

    return validator


def plain_text_rule(multiline: bool = False):
    """No markup and no invisible control characters (line breaks allowed where the field is multi-line)."""

    def validator(form, field):
        if has_markup(field.data):
            raise ValidationError(MARKUP_MESSAGE)
        if has_control_characters(field.data, allow_line_breaks=multiline):
            raise ValidationError(CONTROL_CHARACTERS_MESSAGE)

    return validator


def date_in_range(label: str = "date"):
    """A WTForms validator for DateFields: the date lies within the years the directory can mean."""

    def validator(form, field):
        if field.data is not None and not dates.EARLIEST <= field.data <= dates.LATEST:
            raise ValidationError(dates.out_of_range_message(label))

    return validator
