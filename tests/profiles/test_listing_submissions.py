"""Listing submissions: the public form, pending until approved, errors beside fields, input kept."""
from __future__ import annotations

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings import submissions as listings
from clinic_finder.models import ListingSubmission, ModerationStatus, Provider, SubmissionKind

from .conftest import valid_listing


def _submissions():
    return db.session.scalars(sa.select(ListingSubmission)).all()


def test_footer_links_to_the_listing_form(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/listings/new"' in html
    assert "List your practice" in client.get("/listings/new").get_data(as_text=True)


def test_a_valid_new_listing_is_stored_as_pending_and_is_not_public(client):
    response = client.post("/listings/new", data=valid_listing())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/listings/received")
    [submission] = _submissions()
    assert submission.kind == SubmissionKind.NEW_LISTING
    assert submission.status == ModerationStatus.PENDING
    assert submission.payload["phone"] == "(212) 555-0123"
    assert submission.submitter_email == "sam@harbor-light.example"
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0
    assert "Harbor Light" not in client.get("/providers").get_data(as_text=True)
    assert listings.pending_count() == 1


def test_bad_fields_re_render_with_each_error_beside_its_field_and_keep_the_input(client):
    data = valid_listing(phone="555", zip_code="00000", medical_director_npi="1234567890",
                         price_min_usd="900", price_max_usd="400", name="Typed Name Kept")
    response = client.post("/listings/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please correct the 4 fields marked below" in html
    for field, message in (("phone", "valid phone number"), ("zip_code", "could not find the ZIP code"),
                           ("medical_director_npi", "check digit"), ("price_max_usd", "below the lowest")):
        error_at = html.index(f'id="{field}-error"')
        assert message in html[error_at:error_at + 300]
        assert html.index(f'id="{field}"') < error_at  # the message follows its own field
    assert 'value="Typed Name Kept"' in html
    assert 'value="00000"' in html
    assert '<input checked id="routes-0" name="routes" type="checkbox" value="iv">' in html
    assert _submissions() == []


def test_missing_submitter_details_are_asked_for(client):
    response = client.post("/listings/new", data=valid_listing(submitter_name="", submitter_email="nope"))
    html = response.get_data(as_text=True)
    assert "Please tell us your name" in html
    assert "valid email address" in html
    assert _submissions() == []


def test_correction_form_is_prefilled_and_needs_a_note(client, make_provider):
    p = make_provider("Old Name Clinic", phone="(212) 555-0100")
    html = client.get(f"/providers/{p.id}/correction").get_data(as_text=True)
    assert 'value="Old Name Clinic"' in html
    assert f'href="/providers/{p.id}/correction"' in client.get(f"/providers/{p.id}").get_data(as_text=True)
    response = client.post(f"/providers/{p.id}/correction", data=valid_listing(note=""))
    assert "Please tell us what is wrong or what changed" in response.get_data(as_text=True)
    response = client.post(f"/providers/{p.id}/correction", data=valid_listing(note="New phone number."))
    assert response.status_code == 302
    [submission] = _submissions()
    assert submission.kind == SubmissionKind.CORRECTION
    assert submission.provider_id == p.id
    assert submission.payload["note"] == "New phone number."
    db.session.refresh(p)
    assert p.name == "Old Name Clinic"  # nothing changes before approval


def test_correction_for_unknown_provider_is_404(client):
    assert client.get("/providers/999/correction").status_code == 404
    assert client.post("/providers/abc/correction").status_code == 404
