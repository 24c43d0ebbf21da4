"""The provider-record validator's two levels, and the decisions taken where the seed and the listing rules used to
disagree."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.interchange.seeding import SEED_FORMAT
from clinic_finder.listings import submissions as listings
from clinic_finder.listings.record import Level, validate_provider
from clinic_finder.listings.validation import validate_listing
from clinic_finder.models import ListingStatus, Provider

from .conftest import valid_listing


def _problems(record, level):
    with pytest.raises(InvalidInput) as caught:
        validate_provider(record, level)
    return caught.value.errors


def test_a_draft_needs_only_a_name_a_mode_and_valid_values():
    out = validate_provider({"name": "  Harbor Light  ", "modes": ["in_clinic"],
                             "medical_director_npi": "1234 567 893"}, Level.DRAFT)
    assert out["name"] == "Harbor Light" and out["medical_director_npi"] == "1234567893"
    assert _problems({"name": "", "modes": ["at_home"]}, Level.DRAFT) == {"name": "Please enter the practice's name."}
    assert set(_problems({"name": "X", "phone": "555"}, Level.DRAFT)) == {"modes", "phone"}


def test_publishable_asks_for_what_a_patient_needs():
    problems = _problems({"name": "Harbor Light", "price_max_usd": 500}, Level.PUBLISHABLE)
    assert set(problems) == {"modes", "routes", "conditions", "price_min_usd"}
    problems = _problems({"name": "X", "modes": ["in_clinic", "at_home"], "routes": ["iv"],
                          "conditions": ["ptsd"]}, Level.PUBLISHABLE)
    assert set(problems) == {"locations", "states_served"}


def test_a_location_given_is_given_whole_even_in_a_draft():
    problems = _problems({"name": "X", "modes": ["in_clinic"], "locations": [{"city": "Austin", "lat": 30.2}]},
                         Level.DRAFT)
    assert set(problems) == {"locations[1].address_line1", "locations[1].state", "locations[1].zip_code",
                             "locations[1].lon"}


def test_a_files_phone_is_stored_as_a_patient_reads_it(runner, db, tmp_path):
    """Decision: seeds and imports now check phone numbers, and store them like the form does, "(212) 555-0123"."""
    row = {"slug": "harbor-light", "name": "Harbor Light", "modes": ["at_home"], "states_served": ["ny"],
           "routes": ["oral"], "conditions": ["depression"], "phone": "212.555.0123", "email": "Hi@Harbor.example"}
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"format": SEED_FORMAT, "providers": [row]}))
    assert runner.invoke(args=["import", "json", str(f)]).exit_code == 0
    p = db.session.scalar(sa.select(Provider))
    assert (p.phone, p.email, p.states_served) == ("(212) 555-0123", "hi@harbor.example", ["NY"])


def test_an_imported_row_that_is_only_a_draft_is_held_as_pending_review(runner, db, tmp_path):
    """Decision: an import is not refused for lacking what a patient needs; the row waits, unpublished, and the
    command says what it lacks."""
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"format": SEED_FORMAT, "providers": [{"slug": "only-a-name", "name": "Only A Name",
                                                                    "modes": ["at_home"]}]}))
    result = runner.invoke(args=["import", "json", str(f)])
    assert result.exit_code == 0, result.output
    assert "Held as pending review" in result.output
    assert "in.json: provider 1 (only-a-name): routes: Please tick at least one treatment you offer." in result.output
    assert db.session.scalar(sa.select(Provider.listing_status)) == ListingStatus.PENDING


def test_an_at_home_listing_with_half_an_address_is_asked_for_the_rest():
    """Decision: an address typed into the form is checked whole even when the listing is at-home only."""
    with pytest.raises(InvalidInput) as caught:
        validate_listing(valid_listing(offers_in_clinic=None, offers_at_home="y", states_served=["NY"],
                                       address_line1="", state="", zip_code=""))
    assert set(caught.value.errors) == {"address_line1", "state", "zip_code"}


def test_an_admin_may_save_an_unfinished_listing_out_of_sight_but_not_publish_it(client, db, make_provider,
                                                                                  make_user, login_as):
    """Decision: an admin edit saved as published must be publishable; saved as suspended it is held to the draft
    rules."""
    login_as(make_user())
    p = make_provider("Unfinished Clinic")
    data = {k: ("y" if v is True else v) for k, v in listings.listing_fields(p).items()
            if v not in (None, False, [])}
    response = client.post(f"/admin/providers/{p.id}/edit", data={**data, "listing_status": "published"})
    assert response.status_code == 302
    response = client.post(f"/admin/providers/{p.id}/edit", data={**{k: v for k, v in data.items()
                                                                      if k != "routes"},
                                                                   "listing_status": "published"})
    assert response.status_code == 422
    response = client.post(f"/admin/providers/{p.id}/edit", data={**{k: v for k, v in data.items()
                                                                      if k != "routes"},
                                                                   "listing_status": "suspended"})
    assert response.status_code == 302
    db.session.expire_all()
    p = db.session.get(Provider, p.id)
    assert p.listing_status == ListingStatus.SUSPENDED and p.routes == []


def test_submission_reports_listing_and_submitter_problems_together():
    from clinic_finder.listings.submissions import submit

    with pytest.raises(InvalidInput) as caught:
        submit(valid_listing(phone="555"), {"submitter_name": "", "submitter_email": "x"})
    assert {"phone", "submitter_name", "submitter_email"} <= set(caught.value.errors)
