"""GET /api/v1/providers and /api/v1/providers/<id>: the fields in PRODUCT.md, and a precise error for bad input."""
from __future__ import annotations

import re

import pytest

from clinic_finder.models import ChecklistSource, LicenseStatus
from clinic_finder.vetting.checklist import set_check


def test_search_by_zip_answers_the_documented_shape(client, clinic_at, make_provider, add_license):
    p = clinic_at(3.2, 90, "Harbor Infusion", conditions=("depression", "ocd"), routes=("iv", "nasal"))
    add_license(p, LicenseStatus.VERIFIED)
    make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY",))
    body = client.get("/api/v1/providers?near=10001").get_json()
    assert body["query"] == {"lat": 40.7484, "lon": -73.9967, "label": "New York, NY 10001", "state": "NY",
                             "radius_mi": 25}
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 20)
    clinic, tele = body["results"]
    assert clinic["name"] == "Harbor Infusion" and clinic["distance_mi"] == pytest.approx(3.2, abs=0.01)
    assert clinic["modes"] == ["in_clinic"] and clinic["match"] == "in_clinic"
    assert clinic["conditions"] == ["depression", "ocd"] and clinic["routes"] == ["iv", "nasal"]
    assert (clinic["city"], clinic["state"]) == ("New York", "NY")
    assert clinic["lat"] == pytest.approx(p.locations[0].lat)
    assert clinic["license_status"] == "verified"
    assert clinic["rating"] == {"average": None, "count": 0}
    # Its one verified license is a verified check: the list says what the profile says (one stored summary).
    assert clinic["checklist"] == {"verified": 1, "total": 18}
    profile = client.get(f"/api/v1/providers/{clinic['id']}").get_json()
    assert {k: profile["checklist"][k] for k in ("verified", "total")} == clinic["checklist"]
    assert (profile["license_status"], profile["rating"]) == (clinic["license_status"], clinic["rating"])
    assert clinic["url"] == f"http://localhost/providers/{p.id}"
    assert tele["distance_mi"] is None and tele["match"] == "at_home" and tele["lat"] is None


def test_search_by_point_finds_the_state_for_at_home_providers(client, make_provider):
    make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY",))
    body = client.get("/api/v1/providers?lat=40.75&lon=-73.99&radius_mi=5").get_json()
    assert body["query"]["state"] == "NY" and body["query"]["radius_mi"] == 5
    assert [r["name"] for r in body["results"]] == ["Tele"]


def test_filters_and_paging_in_the_api(client, clinic_at):
    for i in range(5):
        clinic_at(i + 1, name=f"C{i}", free_consultation=i % 2 == 0)
    body = client.get("/api/v1/providers?near=10001&free_consultation=true&per_page=2&page=2").get_json()
    assert body["total"] == 3 and body["pages"] == 2
    assert [r["name"] for r in body["results"]] == ["C4"]


@pytest.mark.parametrize("query, status, code, field", [
    ("", 400, "missing_location", None),
    ("near=", 400, "missing_location", "near"),
    ("near=%20%20", 400, "missing_location", "near"),
    ("near=Xyzzyville%2C%20ZZ", 422, "unknown_location", "near"),
    ("near=10001&lat=40&lon=-70", 400, "conflicting_location", None),
    ("lat=40", 400, "missing_parameter", "lon"),
    ("lat=abc&lon=1", 400, "invalid_number", "lat"),
    ("lat=NaN&lon=1", 400, "invalid_number", "lat"),
    ("lat=40&lon=inf", 400, "invalid_number", "lon"),
    ("lat=91&lon=0", 422, "out_of_range", "lat"),
    ("lat=0&lon=-180.5", 422, "out_of_range", "lon"),
    ("near=10001&radius_mi=0", 422, "out_of_range", "radius_mi"),
    ("near=10001&radius_mi=501", 422, "out_of_range", "radius_mi"),
    ("near=10001&radius_mi=nan", 400, "invalid_number", "radius_mi"),
    ("near=10001&radius_mi=ten", 400, "invalid_number", "radius_mi"),
    ("near=10001&mode=drive_through", 422, "invalid_choice", "mode"),
    ("near=10001&route=smoked", 422, "invalid_choice", "route"),
    ("near=10001&condition=flu", 422, "invalid_choice", "condition"),
    ("near=10001&sort=random", 422, "invalid_choice", "sort"),
    ("near=10001&verified_only=maybe", 400, "invalid_boolean", "verified_only"),
    ("near=10001&max_price=-1", 422, "out_of_range", "max_price"),
    ("near=10001&max_price=4.5", 400, "invalid_number", "max_price"),
    ("near=10001&min_rating=6", 422, "out_of_range", "min_rating"),
    ("near=10001&page=0", 422, "out_of_range", "page"),
    ("near=10001&page=2", 422, "page_out_of_range", "page"),
    ("near=10001&page=99999999999999999999", 422, "out_of_range", "page"),
    ("near=10001&per_page=101", 422, "out_of_range", "per_page"),
    ("near=" + "9" * 201, 422, "too_long", "near"),
    ("near=100%0001", 422, "invalid_characters", "near"),
    ("near=New%20York%1b%5B31m", 422, "invalid_characters", "near"),
])
def test_each_bad_input_gets_a_precise_json_error(client, query, status, code, field):
    response = client.get(f"/api/v1/providers?{query}")
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert error.get("field") == field


def test_an_ambiguous_place_lists_the_choices(client):
    response = client.get("/api/v1/providers?near=Portland")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "ambiguous_location"
    assert [c["label"] for c in error["choices"]][:2] == ["Portland, OR", "Portland, ME"]


def test_a_providers_full_profile(client, make_provider, add_license):
    p = make_provider("Profile Clinic", at_home=True, states_served=("NY", "NJ"), description="Calm rooms.",
                      prescriber=False)
    add_license(p, LicenseStatus.VERIFIED)
    set_check(p, "monitored_recovery", "60", ChecklistSource.SELF_REPORTED)
    from clinic_finder.extensions import db

    db.session.commit()
    body = client.get(f"/api/v1/providers/{p.id}").get_json()
    assert body["name"] == "Profile Clinic" and body["states_served"] == ["NJ", "NY"]
    assert body["modes"] == ["in_clinic", "at_home"]
    assert body["locations"][0]["zip_code"] == "10001"
    assert body["clinicians"][0]["licenses"][0]["status"] == "verified"
    item = next(i for i in body["checklist"]["items"] if i["key"] == "monitored_recovery")
    assert (item["value"], item["source"], item["verified_at"]) == ("60", "self_reported", None)
    assert body["checklist"]["total"] == len(body["checklist"]["items"])


def test_unknown_unpublished_and_huge_ids_are_json_404s(client, make_provider):
    from clinic_finder.models import ListingStatus

    hidden = make_provider(listing_status=ListingStatus.PENDING)
    for pid in (hidden.id, 999, 2**40):
        response = client.get(f"/api/v1/providers/{pid}")
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_the_openapi_document_describes_every_route(client, app):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    api_rules = {re.sub(r"<\w+:(\w+)>", r"{\1}", r.rule.removeprefix("/api/v1"))
                 for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    assert api_rules == set(doc["paths"])
    documented = {p["name"] for p in doc["paths"]["/providers"]["get"]["parameters"]}
    assert documented == {"near", "lat", "lon", "radius_mi", "mode", "condition", "route", "max_price",
                          "verified_only", "min_rating", "free_consultation", "accepting_new_patients",
                          "monitored_recovery", "sort", "page", "per_page"}


@pytest.mark.parametrize("query, status, code, field", [
    ("near=10001&page=" + "9" * 400, 422, "out_of_range", "page"),
    ("near=10001&page=%C2%B2", 400, "invalid_number", "page"),  # "²" is a digit to str.isdigit, not to us
    ("near=10001&page=%EF%BC%91%EF%BC%92", 400, "invalid_number", "page"),  # full-width "１２"
    ("near=10001&page=-1", 422, "out_of_range", "page"),
    ("near=10001&max_price=" + "9" * 309, 422, "out_of_range", "max_price"),
    ("near=10001&max_price=1e400", 400, "invalid_number", "max_price"),
    ("near=10001&per_page=1e9", 400, "invalid_number", "per_page"),
    ("near=10001&per_page=" + "9" * 400, 422, "out_of_range", "per_page"),
    ("near=10001&radius_mi=NaN", 400, "invalid_number", "radius_mi"),
    ("near=10001&radius_mi=" + "9" * 400, 400, "invalid_number", "radius_mi"),
    ("near=10001&min_rating=-inf", 400, "invalid_number", "min_rating"),
    ("lat=" + "1" * 400 + "&lon=0", 400, "invalid_number", "lat"),
    ("near=10001&page=1000001", 422, "out_of_range", "page"),
])
def test_hostile_numbers_are_polite_errors_not_500s(client, query, status, code, field):
    response = client.get(f"/api/v1/providers?{query}")
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert (error["code"], error.get("field")) == (code, field) and error["message"]


def test_a_page_past_the_end_says_how_many_pages_there_are(client, clinic_at):
    clinic_at(1)
    error = client.get("/api/v1/providers?near=10001&page=3").get_json()["error"]
    assert (error["code"], error["pages"]) == ("page_out_of_range", 1)
    assert error["message"] == "There is no page 3: these results have 1 page."


@pytest.mark.parametrize("spelling", ["1", "true", "True", "yes", "on", "y", " 1 "])
def test_each_documented_true_spelling_sets_a_filter(client, clinic_at, spelling):
    clinic_at(1, name="Free", free_consultation=True)
    clinic_at(2, name="Paid")
    body = client.get(f"/api/v1/providers?near=10001&free_consultation={spelling}").get_json()
    assert [r["name"] for r in body["results"]] == ["Free"]


def test_a_blank_near_with_a_point_searches_from_the_point(client, clinic_at):
    clinic_at(1, name="Nearby")
    body = client.get("/api/v1/providers?near=&lat=40.7484&lon=-73.9967").get_json()
    assert [r["name"] for r in body["results"]] == ["Nearby"]


def test_a_price_may_be_written_with_a_dollar_sign_and_commas(client, clinic_at):
    clinic_at(1, name="Cheap", price_min_usd=400, price_max_usd=500)
    clinic_at(2, name="Dear", price_min_usd=1500, price_max_usd=2000)
    body = client.get("/api/v1/providers?near=10001&max_price=%241%2C200").get_json()
    assert [r["name"] for r in body["results"]] == ["Cheap"]


def test_an_unreachable_geocoder_is_a_503_with_its_code(client, monkeypatch):
    from clinic_finder.geo import geocoding
    from clinic_finder.search import request as search_request

    def down(_text):
        raise geocoding.GeocoderUnavailable("down")

    monkeypatch.setattr(search_request, "resolve_place", down)
    response = client.get("/api/v1/providers?near=350+5th+Ave,+New+York")
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "geocoder_unavailable" and "field" not in error
