"""The listing rules shared by public submissions and admin edits."""
from __future__ import annotations

import pytest

from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.listings.validation import validate_listing

from .conftest import valid_listing


def _errors(**overrides) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        validate_listing(valid_listing(**overrides))
    return caught.value.errors


def test_a_valid_listing_comes_back_normalized():
    out = validate_listing(valid_listing(phone="212.555.0123", email="Hello@Harbor-Light.example",
                                         website="harbor-light.example", price_min_usd="$450"))
    assert out["phone"] == "(212) 555-0123"
    assert out["email"] == "hello@harbor-light.example"  # the input kit lowercases the whole address
    assert out["website"] == "https://harbor-light.example"
    assert out["price_min_usd"] == 450 and out["price_max_usd"] == 650
    assert out["routes"] == ["iv"] and out["conditions"] == ["depression", "anxiety"]
    assert out["offers_in_clinic"] is True and out["offers_at_home"] is False


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": ""}, "name", "Please enter the practice's name"),
    ({"name": "<b>Clinic</b>"}, "name", "plain text"),
    ({"phone": "555"}, "phone", "valid phone number"),
    ({"phone": "call us"}, "phone", "Please enter a phone number"),
    ({"email": "not-an-email"}, "email", "valid email address"),
    ({"website": "javascript:alert(1)"}, "website", "web address"),
    ({"website": "ftp://files.example"}, "website", "web address"),
    ({"zip_code": "00000"}, "zip_code", "could not find the ZIP code 00000"),
    ({"zip_code": "1001"}, "zip_code", "five-digit"),
    ({"zip_code": "07030"}, "zip_code", "is in New Jersey, not New York"),
    ({"medical_director_npi": "1234567890"}, "medical_director_npi", "check digit"),
    ({"medical_director_npi": "12345"}, "medical_director_npi", "10 digits"),
    ({"price_min_usd": "800", "price_max_usd": "400"}, "price_max_usd", "below the lowest"),
    ({"price_min_usd": "4.5e2"}, "price_min_usd", "whole US dollars"),
    ({"price_min_usd": "", "price_max_usd": "500"}, "price_min_usd", "lowest price too"),
    ({"state": "XX"}, "state", "US state"),
    ({"offers_in_clinic": None}, "offers_in_clinic", "at least one"),
    ({"offers_at_home": "y", "states_served": []}, "states_served", "licensed to treat patients at home"),
    ({"offers_at_home": "y", "states_served": ["NY", "ZZ"]}, "states_served", "states from the list"),
    ({"routes": []}, "routes", "at least one treatment"),
    ({"routes": ["laser"]}, "routes", "from the list"),
    ({"conditions": []}, "conditions", "at least one condition"),
    ({"address_line1": ""}, "address_line1", "street address"),
    ({"session_length_minutes": "0"}, "session_length_minutes", "minutes"),
    ({"description": "ok\x00"}, "description", "control characters"),
])
def test_each_rule_names_its_field(overrides, field, message):
    errors = _errors(**overrides)
    assert field in errors
    assert message in errors[field]


def test_every_problem_is_reported_at_once():
    errors = _errors(phone="1", email="x", zip_code="00000", price_min_usd="9", price_max_usd="1")
    assert set(errors) == {"phone", "email", "zip_code", "price_max_usd"}


def test_at_home_only_listing_needs_no_address():
    out = validate_listing(valid_listing(offers_in_clinic=None, offers_at_home="y", states_served=["ny", "NJ"],
                                         address_line1="", city="", state="", zip_code="", routes=["oral"]))
    assert out["states_served"] == ["NJ", "NY"]
