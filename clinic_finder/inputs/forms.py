"""Shared WTForms pieces: choices in the form the installed WTForms prefers, and a polite required radio group."""
from __future__ import annotations

from collections.abc import Iterable

from wtforms import RadioField
from wtforms.validators import StopValidation

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover (WTForms 3.2)
    SelectChoice = None


def choices(pairs: Iterable[tuple[str, str]]) -> list:
    """(value, label) pairs as the select and radio fields of the installed WTForms want them."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


class ChoiceRequiredRadioField(RadioField):
    """A radio group whose "nothing chosen" error is a polite sentence, shown once."""

    def __init__(self, label=None, validators=None, required_message="Please choose an answer.", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message
        self.flags.required = True

    def pre_validate(self, form):
        if not self.data:
            raise StopValidation(self.required_message)
        super().pre_validate(form)
