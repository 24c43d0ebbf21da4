"""The queues imports feed: candidates to review, deactivated NPIs on the profile, differences on re-import."""
from __future__ import annotations

import sqlalchemy as sa

from bench import nppes_file
from bench.nppes_file import Spec, npi_for
from clinic_finder.models import (
    AuditEvent,
    Clinician,
    ImportDifference,
    ImportOrigin,
    ListingStatus,
    NpiDeactivation,
    Provider,
    RequestStatus,
)
from tests.interchange.test_nppes import FILE_NAME, _row


def _candidate(runner, db, tmp_path, n: int = 1) -> ImportOrigin:
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=[_row(npi_for(n))])
    assert runner.invoke(args=["import", "nppes", str(path)]).exit_code == 0
    return db.session.scalar(sa.select(ImportOrigin).where(ImportOrigin.source_key == npi_for(n)))


def test_the_queue_lists_candidates_as_approximate_and_unverified(client, runner, db, tmp_path, signed_in_admin):
    _candidate(runner, db, tmp_path)
    page = client.get("/admin/imports/to-review").get_data(as_text=True)
    assert "Avery Galloway, MD" in page and "NPPES file of 2026-11-09" in page
    assert "Approximate: placed at the ZIP code" in page and "not yet verified" in page
    assert client.get("/admin/imports/to-review?page=9").status_code == 404


def test_an_incomplete_candidate_is_not_published(client, runner, db, tmp_path, signed_in_admin):
    origin = _candidate(runner, db, tmp_path)
    response = client.post(f"/admin/imports/to-review/{origin.id}/publish", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "is not ready to publish" in page and "Treatments offered" in page
    db.session.expire_all()
    assert origin.provider.listing_status == ListingStatus.PENDING and origin.to_review


def test_a_completed_candidate_is_published_and_leaves_the_queue(client, runner, db, tmp_path, signed_in_admin):
    origin = _candidate(runner, db, tmp_path)
    provider = origin.provider
    provider.routes, provider.conditions, provider.price_min_usd = ["iv"], ["depression"], 450
    db.session.commit()
    client.post(f"/admin/imports/to-review/{origin.id}/publish")
    db.session.expire_all()
    assert provider.listing_status == ListingStatus.PUBLISHED and not origin.to_review
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "import_candidate.publish"


def test_merging_moves_the_clinician_and_next_months_file_updates_the_listing(client, runner, db, tmp_path,
                                                                               make_provider, signed_in_admin):
    target = make_provider("Our Listing")
    target_id = target.id
    origin = _candidate(runner, db, tmp_path)
    candidate_id = origin.provider_id
    response = client.post(f"/admin/imports/to-review/{origin.id}/merge", data={"target": str(target_id)})
    assert response.status_code == 302
    assert db.session.get(Provider, candidate_id) is None
    target = db.session.get(Provider, target_id)
    assert target.name == "Our Listing" and [c.npi for c in target.clinicians] == [npi_for(1)]
    # The next file describes the person: it adds a license, never renames the listing or records differences.
    row = _row(npi_for(1), zip_code="100021000")
    row[nppes_file.COL["Provider License Number_5"]] = "DEMO-NY-000555"
    row[nppes_file.COL["Provider License Number State Code_5"]] = "NY"
    later = nppes_file.write(tmp_path / "npidata_pfile_20050523-20261207.csv", Spec(rows=0), extra=[row])
    assert "added=0 updated=1" in runner.invoke(args=["import", "nppes", str(later)]).output
    target = db.session.get(Provider, target_id)
    assert target.name == "Our Listing" and len(target.clinicians[0].licenses) == 2
    assert db.session.scalar(sa.select(sa.func.count(ImportDifference.id))) == 0


def test_merging_into_a_demo_or_missing_listing_is_refused(client, runner, db, tmp_path, make_provider,
                                                           signed_in_admin):
    demo_id = make_provider("Demo", is_demo=True).id
    origin = _candidate(runner, db, tmp_path)
    for target, message in ((str(demo_id), "fictional demo listing"), ("999999", "no other listing"),
                            ("abc", "whole number"), ("", "Please give the number")):
        page = client.post(f"/admin/imports/to-review/{origin.id}/merge", data={"target": target},
                           follow_redirects=True).get_data(as_text=True)
        assert message in page, target
    assert db.session.get(ImportOrigin, origin.id).to_review


def test_a_deactivated_npi_shows_on_the_profile_until_resolved(client, db, make_provider, signed_in_admin):
    provider = make_provider("Flagged Clinic")
    clinician = Clinician(full_name="Jordan Ashgrove", credential="MD", npi=npi_for(5))
    provider.clinicians.append(clinician)
    db.session.flush()
    db.session.add(NpiDeactivation(npi=npi_for(5), provider_id=provider.id, clinician_id=clinician.id,
                                   deactivated_on=__import__("datetime").date(2026, 5, 14),
                                   source_label="NPPES file of 2026-11-09"))
    db.session.commit()
    profile = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "lists an NPI here as deactivated" in profile and "Jordan Ashgrove" in profile
    assert "NPPES file of 2026-11-09" in client.get("/admin/imports/deactivated-npis").get_data(as_text=True)
    flag_id = db.session.scalar(sa.select(NpiDeactivation.id))
    assert "Please say what was done" in client.post(f"/admin/imports/deactivated-npis/{flag_id}/resolve",
                                                     data={"note": " "}, follow_redirects=True).get_data(as_text=True)
    client.post(f"/admin/imports/deactivated-npis/{flag_id}/resolve", data={"note": "Clinician removed"})
    assert "deactivated" not in client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert db.session.get(NpiDeactivation, flag_id).status == RequestStatus.RESOLVED


def test_differences_are_taken_or_kept(client, db, make_provider, signed_in_admin):
    provider = make_provider("Our Name")
    for field, incoming in (("name", "Their Name"), ("phone", "(212) 555-0199")):
        db.session.add(ImportDifference(provider_id=provider.id, field=field, current_value=None,
                                        incoming_value=incoming, source_label="NPPES file of 2026-12-01"))
    db.session.commit()
    page = client.get("/admin/imports/differences").get_data(as_text=True)
    assert "Their Name" in page and "Practice name" in page
    name_id, phone_id = db.session.scalars(sa.select(ImportDifference.id).order_by(ImportDifference.id)).all()
    client.post(f"/admin/imports/differences/{name_id}/decide", data={"decision": "accept"})
    client.post(f"/admin/imports/differences/{phone_id}/decide", data={"decision": "dismiss"})
    assert client.post(f"/admin/imports/differences/{phone_id}/decide", data={"decision": "x"}).status_code == 404
    provider = db.session.get(Provider, provider.id)
    assert provider.name == "Their Name" and provider.phone != "(212) 555-0199"
    assert [d.status for d in db.session.scalars(sa.select(ImportDifference).order_by(ImportDifference.id))] == [
        RequestStatus.RESOLVED, RequestStatus.DISMISSED]
