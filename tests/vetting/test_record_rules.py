"""Contradictions refused at entry by the one provider-record validator (issue 14): derived facts, facts "from
reviews" without reviews, a consultation answer the listing contradicts, verified facts without a date and a
verifier, and who may prescribe (publishable level)."""
from __future__ import annotations

import pytest

from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.listings.record import Level, validate_provider


def _record(**overrides) -> dict:
    data = {"name": "Harbor Light", "modes": ["in_clinic"], "routes": ["iv"], "conditions": ["depression"],
            "price_min_usd": 450, "price_max_usd": 650, "free_consultation": True,
            "locations": [{"address_line1": "12 Harbor St", "city": "New York", "state": "NY", "zip_code": "10001",
                           "lat": 40.75, "lon": -73.99}],
            "clinicians": [{"full_name": "Avery Fernhill", "credential": "MD", "is_medical_director": True,
                            "licenses": [{"license_number": "DEMO-NY-000001", "state": "NY",
                                          "expires_in_days": 300}]}]}
    data.update(overrides)
    return data


def _problems(record, level=Level.PUBLISHABLE) -> dict:
    with pytest.raises(InvalidInput) as caught:
        validate_provider(record, level)
    return caught.value.errors


def test_a_clean_record_passes():
    assert validate_provider(_record(), Level.PUBLISHABLE)["clinicians"][0]["credential"] == "MD"


@pytest.mark.parametrize("fact, field, words", [
    ({"key": "review_summary", "value": "Very positive", "source": "self_reported"}, "checklist[1].key",
     "worked out from the published reviews"),
    ({"key": "licenses_verified", "value": "1 of 1", "source": "self_reported"}, "checklist[1].key",
     "worked out from the licenses"),
    ({"key": "response_time", "value": "Same day", "source": "from_reviews"}, "checklist[1].source",
     "needs published reviews"),
    ({"key": "free_consultation", "value": "no", "source": "self_reported"}, "checklist[1].value",
     "differs from the listing"),
    ({"key": "dea_registration", "value": "yes", "source": "admin_verified", "verified_days_ago": 3},
     "checklist[1].verified_by", "who verified it"),
    ({"key": "dea_registration", "value": "yes", "source": "admin_verified", "verified_by": "Sam"},
     "checklist[1].verified_days_ago", "the day it was verified"),
])
def test_a_fact_that_would_contradict_another_is_refused_with_the_reason(fact, field, words):
    problems = _problems(_record(checklist=[fact]), Level.DRAFT)
    assert words in problems[field]


def test_a_verified_fact_with_its_date_and_verifier_is_accepted():
    fact = {"key": "dea_registration", "value": "yes", "source": "admin_verified", "verified_days_ago": 3,
            "verified_by": "Demo verifier (fictional)"}
    assert validate_provider(_record(checklist=[fact]))["checklist"][0]["verified_by"] == "Demo verifier (fictional)"


def test_a_medical_director_must_prescribe():
    record = _record(clinicians=[{"full_name": "Rowan Ashdown", "credential": "LCSW", "is_medical_director": True,
                                  "licenses": [{"license_number": "DEMO-NY-000002", "state": "NY"}]}])
    problems = _problems(record)
    assert "is an LCSW: a medical director must hold a prescribing credential" in problems["clinicians[1].credential"]
    assert "No prescriber on the team" in problems["clinicians"]
    validate_provider(record, Level.DRAFT)  # a draft may still be incomplete


def test_an_rn_may_be_on_the_team_but_not_prescribe():
    record = _record()
    record["clinicians"].append({"full_name": "Wren Everly", "credential": "RN",
                                 "licenses": [{"license_number": "DEMO-NY-000003", "state": "NY"}]})
    validate_provider(record)


def test_the_prescriber_must_be_licensed_where_the_clinic_treats():
    record = _record()
    record["clinicians"][0]["licenses"][0]["state"] = "NJ"
    assert "licensed in NY" in _problems(record)["locations"]


def test_at_home_needs_a_prescriber_licensed_in_every_state_served():
    record = _record(modes=["at_home"], routes=["oral"], locations=[], states_served=["NY", "NJ", "CT"])
    assert _problems(record)["states_served"].endswith("none is licensed in CT, NJ.")
    record["clinicians"][0]["licenses"] += [{"license_number": "DEMO-NJ-000004", "state": "NJ"},
                                            {"license_number": "DEMO-CT-000005", "state": "CT"}]
    validate_provider(record)


def test_an_expired_or_revoked_license_does_not_make_a_prescriber():
    record = _record()
    record["clinicians"][0]["licenses"][0]["expires_in_days"] = -1
    assert "No prescriber" in _problems(record)["clinicians"]
    record["clinicians"][0]["licenses"][0].update(expires_in_days=100, status="revoked")
    assert "No prescriber" in _problems(record)["clinicians"]


def test_search_can_keep_only_states_with_a_licensed_prescriber(db, make_provider, add_license):
    from datetime import date

    import sqlalchemy as sa

    from clinic_finder.licensing.prescribers import prescriber_until_sql, prescribers
    from clinic_finder.listings.profiles import team_of
    from clinic_finder.models import Credential, LicenseStatus, ServiceState

    p = make_provider(in_clinic=False, at_home=True, states_served=("NY", "NJ", "CT"), prescriber=False)
    add_license(p, LicenseStatus.VERIFIED, state="NY")
    add_license(p, LicenseStatus.VERIFIED, state="NJ", credential=Credential.RN)
    add_license(p, LicenseStatus.REVOKED, state="CT")
    states = db.session.scalars(sa.select(ServiceState.state).where(
        ServiceState.provider_id == p.id,
        prescriber_until_sql(ServiceState.provider_id, ServiceState.state) >= date.today())).all()
    assert states == ["NY"]
    # the SQL rule the search stores and the rule the profile shows agree
    assert [s for _member, found in prescribers(team_of(p), date.today()) for s in found] == ["NY"]
