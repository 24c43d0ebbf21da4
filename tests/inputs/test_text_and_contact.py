"""Plain text, email addresses, phone numbers and ZIP codes: one rule each, for every form, file and API."""
import re

import pytest

from clinic_finder.inputs.contact import email_address, phone_e164, phone_for_display, phone_number
from clinic_finder.inputs.places import state_code, zip_code
from clinic_finder.inputs.problems import FieldProblem, InvalidInput, ProblemCollector
from clinic_finder.inputs.text import CONTROL_CHARACTERS_MESSAGE, MARKUP_MESSAGE, plain_text


def test_emails_are_stored_in_one_form_whatever_the_case_typed():
    # Decided once for every door (staff sign-in, reviews, consultations, listings): the whole address lowercased.
    assert email_address("  Jane.Doe@Example.ORG ") == "jane.doe@example.org"
    assert email_address("") is None
    with pytest.raises(InvalidInput, match="give your email"):
        email_address("", required="Please give your email address.")
    with pytest.raises(InvalidInput, match="valid email address") as err:
        email_address("not-an-email", field="contact_email")
    assert err.value.field == "contact_email"
    with pytest.raises(InvalidInput):
        email_address("a" * 300 + "@example.org")


def test_phone_numbers_parse_once_and_show_in_the_national_form():
    number = phone_number("212-555-0123".replace("555-0123", "736-4100"))
    assert phone_e164(number) == "+12127364100"
    assert phone_for_display(number) == "(212) 736-4100" == phone_for_display("+12127364100")
    with pytest.raises(InvalidInput, match="valid phone number"):
        phone_number("(000) 000-0000")
    with pytest.raises(InvalidInput, match="Please enter a phone number"):
        phone_number("call me")


@pytest.mark.parametrize(("raw", "message"), [("a\x00b", CONTROL_CHARACTERS_MESSAGE),
                                              ("a\u0085b", CONTROL_CHARACTERS_MESSAGE),
                                              ("<script>x</script>", MARKUP_MESSAGE),
                                              ("x" * 201, "under 200 characters")])
def test_plain_text_refuses_what_does_not_belong_in_a_name(raw, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        plain_text(raw, "name", "Name", 200)


def test_line_breaks_only_where_the_field_is_multi_line():
    assert plain_text(" one\ntwo ", "note", "Note", 50, multiline=True) == "one\ntwo"
    with pytest.raises(InvalidInput):
        plain_text("one\ntwo", "name", "Name", 50)


def test_a_zip_must_exist_and_lie_in_its_state():
    assert zip_code("10001", state="NY") == "10001"
    assert zip_code("100012345") == "10001" == zip_code("10001-2345")  # NPPES writes ZIP+4 without the dash
    with pytest.raises(InvalidInput, match="is in New York, not New Jersey"):
        zip_code("10001", state="NJ")
    for raw in ("00000", "1000", "abcde", "１０００１"):
        with pytest.raises(InvalidInput):
            zip_code(raw)
    assert state_code(" ny ") == "NY"
    with pytest.raises(InvalidInput):
        state_code("XX")


def test_problems_are_collected_per_field_for_a_form():
    found = ProblemCollector()
    assert found.take(email_address, "bad", field="email") is None
    found.take(zip_code, "00000", field="zip_code")
    assert found.take(state_code, "ca") == "CA"
    with pytest.raises(InvalidInput) as err:
        found.raise_if_any()
    assert set(err.value.errors) == {"email", "zip_code"}
    assert isinstance(err.value.problems[0], FieldProblem)
