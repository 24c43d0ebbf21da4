"""Personal details in a review are flagged for the moderator, never removed silently."""
from __future__ import annotations

import pytest

from clinic_finder.reviews import privacy


@pytest.mark.parametrize("text", ["write to pat@example.org", "pat at example dot org? no: pat(at)example(dot)org"])
def test_email_addresses_are_spotted(text):
    assert privacy.contains_email(text)


@pytest.mark.parametrize("text", ["call (212) 555-0123", "my cell is 212.555.0123", "+1 212 555 0123"])
def test_phone_numbers_are_spotted(text):
    assert privacy.contains_phone(text)


@pytest.mark.parametrize("text", ["5 stars, 6 infusions over 2 weeks", "$450 per session in 2024", "IV at 0.5 mg/kg"])
def test_ordinary_numbers_are_not_phone_numbers(text):
    assert not privacy.contains_phone(text)


def test_staff_full_names_are_spotted_whatever_the_case_and_title():
    staff = ["Dr. Ana Ruiz", "Bo Lee", "Cher"]
    assert privacy.staff_names_in("dr ana   RUIZ was great", staff) == ["Dr. Ana Ruiz"]
    assert privacy.staff_names_in("Ana was great, and so was Lee", staff) == []  # first names alone are fine
    assert privacy.staff_names_in("Bo Leeds helped", staff) == []  # whole words only
    assert privacy.staff_names_in("Cher was there", staff) == []  # a single name is not a full name


def test_flags_cover_the_text_and_the_reviewers_own_details():
    flags = privacy.flags_for("Lovely staff.", "Maria Lopez", [])
    assert flags == [privacy.DISPLAY_NAME_FLAG]
    assert privacy.flags_for("Lovely staff.", "maria@example.org", []) == [privacy.EMAIL_FLAG]
    assert privacy.flags_for("Lovely staff.", "Anonymous patient", []) == []
    assert privacy.flags_for("Lovely staff.", "Sam", []) == []
    joined = privacy.join_flags(["a", "b"])
    assert privacy.split_flags(joined) == ["a", "b"] and privacy.join_flags([]) is None
