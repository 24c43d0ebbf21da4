"""License verification: queues, the lookup links, recording an outcome, evidence files, refusals."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import (
    AuditEvent,
    ChecklistItem,
    ChecklistSource,
    License,
    LicenseStatus,
    Provider,
    VerificationSource,
)

TODAY = datetime.now(UTC).date()
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
VALID_NPI = "1234567893"  # CMS's published example


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(folder))
    return folder


@pytest.fixture
def unverified(make_provider, add_license):
    provider = make_provider("Harbor Infusion Center")
    return add_license(provider, LicenseStatus.UNVERIFIED, state="NY", npi=VALID_NPI)


def _form(**overrides):
    data = {
        "outcome": "verified",
        "source": "state_board",
        "checked_on": TODAY.isoformat(),
        "license_number": "DEMO-NY-000123",
        "npi": VALID_NPI,
        "issued_on": (TODAY - timedelta(days=3000)).isoformat(),
        "expires_on": (TODAY + timedelta(days=700)).isoformat(),
        "evidence_note": "Board lookup page shows the license active, no discipline.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, lic, **overrides):
    return client.post(f"/admin/licenses/{lic.id}", data=_form(**overrides), content_type="multipart/form-data")


def _reload(lic) -> License:
    db.session.expire_all()
    return db.session.get(License, lic.id)


def _check_item(provider_id, key):
    return db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.provider_id == provider_id,
                                                            ChecklistItem.key == key))


def _audit_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_the_queues_sort_licenses_by_what_needs_doing(client, signed_in_admin, make_provider, add_license):
    provider = make_provider()
    add_license(provider, LicenseStatus.UNVERIFIED, state="NY")
    soon = add_license(provider, LicenseStatus.VERIFIED, state="NJ", expires_on=TODAY + timedelta(days=10))
    add_license(provider, LicenseStatus.VERIFIED, state="CT", expires_on=TODAY + timedelta(days=90))
    expired = add_license(provider, LicenseStatus.EXPIRED, state="PA", expires_on=TODAY - timedelta(days=5))
    lapsed = add_license(provider, LicenseStatus.VERIFIED, state="MA", expires_on=TODAY - timedelta(days=1))
    to_verify = client.get("/admin/licenses").get_data(as_text=True)
    assert "To verify (1)" in to_verify and "Expiring within 30 days (1)" in to_verify and "Expired (2)" in to_verify
    assert "DEMO-NY-" in to_verify and "DEMO-NJ-" not in to_verify
    expiring = client.get("/admin/licenses?queue=expiring").get_data(as_text=True)
    assert soon.license_number in expiring and "DEMO-CT-" not in expiring
    expired_html = client.get("/admin/licenses?queue=expired").get_data(as_text=True)
    assert expired.license_number in expired_html and lapsed.license_number in expired_html
    assert client.get("/admin/licenses?queue=everything").status_code == 404
    assert client.get("/admin/licenses?page=9").status_code == 404


def test_an_empty_queue_says_so(client, signed_in_admin):
    assert "No license is waiting to be verified." in client.get("/admin/licenses").get_data(as_text=True)


def test_the_verification_page_links_to_the_board_and_the_npi_registry(client, signed_in_admin, unverified):
    html = client.get(f"/admin/licenses/{unverified.id}").get_data(as_text=True)
    assert "https://www.op.nysed.gov/verification-search" in html  # the New York board
    assert "https://www.docinfo.org/" in html  # an MD: the national physician lookup
    assert f"https://npiregistry.cms.hhs.gov/provider-view/{VALID_NPI}" in html
    assert f"Search for: <code>{unverified.license_number}</code>" in html
    assert "fictional demo license number" in html
    assert 'rel="noopener noreferrer"' in html


def test_a_verified_outcome_updates_the_license_checklist_status_and_audit(client, signed_in_admin, unverified):
    response = _post(client, unverified)
    assert response.status_code == 302
    lic = _reload(unverified)
    assert lic.status == LicenseStatus.VERIFIED and lic.verification_source == VerificationSource.STATE_BOARD
    assert lic.checked_on == TODAY and lic.expires_on == TODAY + timedelta(days=700)
    assert lic.license_number == "DEMO-NY-000123" and lic.verified_by_id == signed_in_admin.id
    assert "no discipline" in lic.evidence_note
    provider = db.session.get(Provider, lic.clinician.provider_id)
    assert provider.license_status == LicenseStatus.VERIFIED
    # Issue 14: the licenses check is derived from the license rows (not stored), and worded once ("1 license").
    item = _derived_check(provider, "licenses_verified")
    assert item.value == "1 of 1 license verified" and item.source == ChecklistSource.ADMIN_VERIFIED
    assert item.verified_at is not None and item.verified_at.date() == TODAY and item.verified
    [event] = db.session.scalars(sa.select(AuditEvent)).all()
    assert (event.action, event.target_type, event.target_id, event.actor_id) == (
        "license.verify", "license", lic.id, signed_in_admin.id)
    assert event.before["status"] == "unverified" and event.after["status"] == "verified"
    assert event.after["checked_on"] == TODAY.isoformat()


def test_a_check_at_the_npi_registry_verifies_the_npi_item_too(client, signed_in_admin, unverified):
    assert _post(client, unverified, source="npi_registry").status_code == 302
    item = _check_item(unverified.clinician.provider_id, "npi")
    assert item.value == VALID_NPI and item.source == ChecklistSource.ADMIN_VERIFIED and item.verified_at


def test_a_revoked_license_lowers_the_provider_and_says_so_on_the_checklist(client, signed_in_admin,
                                                                          make_provider, add_license):
    provider = make_provider()
    add_license(provider, LicenseStatus.VERIFIED, state="NJ")
    lic = add_license(provider, LicenseStatus.UNVERIFIED, state="NY")
    assert _post(client, lic, outcome="revoked", expires_on=None,
                 license_number=lic.license_number).status_code == 302
    db.session.expire_all()
    provider = db.session.get(Provider, provider.id)
    assert provider.license_status == LicenseStatus.REVOKED
    item = _derived_check(provider, "licenses_verified")
    assert item.value == "1 of 2 licenses verified; 1 revoked" and not item.verified


def _derived_check(provider, key):
    from clinic_finder.vetting import checklist as vetting

    return next(i for i in vetting.checklist_for(provider).items if i.key == key)


def _refused(client, lic, field_text, **overrides):
    before = _audit_count()
    response = _post(client, lic, **overrides)
    assert response.status_code == 422
    assert field_text in response.get_data(as_text=True)
    assert _reload(lic).status == LicenseStatus.UNVERIFIED
    assert _audit_count() == before
    return response


def test_a_bad_npi_is_refused_before_anything_else(client, signed_in_admin, unverified):
    html = _refused(client, unverified, "does not match its check digit", npi="1234567890",
                    license_number="<script>", expires_on="2000-01-01").get_data(as_text=True)
    assert "A license number has only" not in html and "cannot be before the issue date" not in html
    assert _reload(unverified).clinician.npi == VALID_NPI


def test_the_npi_registry_as_source_needs_an_npi(client, signed_in_admin, unverified):
    _refused(client, unverified, "please enter the clinician", source="npi_registry", npi="")


@pytest.mark.parametrize("number", ["MD<123>", "12345;DROP", "AB\u00c9123", "A" * 41, "-123"])
def test_license_numbers_with_characters_a_board_never_uses_are_refused(client, signed_in_admin, unverified,
                                                                       number):
    _refused(client, unverified, "A license number has only letters", license_number=number)


def test_an_expiry_before_the_issue_date_is_refused(client, signed_in_admin, unverified):
    _refused(client, unverified, "The expiry date cannot be before the issue date.",
             issued_on="2024-05-01", expires_on="2024-04-30")


def test_a_verified_license_needs_a_future_expiry(client, signed_in_admin, unverified):
    _refused(client, unverified, "A verified license needs the expiry date", expires_on=None)
    _refused(client, unverified, "This expiry date has passed",
             expires_on=(TODAY - timedelta(days=1)).isoformat())


def test_dates_in_the_future_and_bad_dates_are_refused(client, signed_in_admin, unverified):
    _refused(client, unverified, "The date checked cannot be in the future.",
             checked_on=(TODAY + timedelta(days=1)).isoformat())
    _refused(client, unverified, "Please give the date you checked", checked_on="31/12/2024")


def test_an_evidence_note_is_required(client, signed_in_admin, unverified):
    _refused(client, unverified, "Please describe the evidence", evidence_note="ok")


def test_an_unknown_outcome_or_source_is_refused(client, signed_in_admin, unverified):
    _refused(client, unverified, "Not a valid choice", outcome="expired")
    _refused(client, unverified, "Not a valid choice", source="demo")


def test_a_number_already_used_by_another_license_is_refused(client, signed_in_admin, unverified, make_provider,
                                                             add_license):
    other = add_license(make_provider(), LicenseStatus.VERIFIED, state="NY")
    _refused(client, unverified, "already has this number", license_number=other.license_number)


def test_unknown_licenses_are_404(client, signed_in_admin):
    assert client.get("/admin/licenses/999999").status_code == 404
    assert client.get("/admin/licenses/99999999999999").status_code == 404
    assert client.post("/admin/licenses/999999", data=_form()).status_code == 404


def test_a_pdf_is_stored_outside_the_web_root_and_served_only_to_admins(client, app, signed_in_admin, unverified,
                                                                       evidence_dir, moderator, login_as):
    response = _post(client, unverified, evidence=(io.BytesIO(PDF), "board page.pdf", "application/pdf"))
    assert response.status_code == 302
    lic = _reload(unverified)
    [stored] = list(evidence_dir.iterdir())
    assert stored.name == lic.evidence_file and stored.read_bytes() == PDF
    assert "board" not in stored.name and len(stored.stem) == 32 and lic.evidence_mime == "application/pdf"
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    served = client.get(f"/admin/licenses/{lic.id}/evidence")
    assert served.status_code == 200 and served.data == PDF and served.mimetype == "application/pdf"
    assert "no-store" in served.headers["Cache-Control"]
    assert client.get(f"/static/{lic.evidence_file}").status_code == 404
    assert client.get(f"/admin/licenses/{lic.id}").get_data(as_text=True).count("evidence file") == 1
    other = app.test_client()
    assert other.get(f"/admin/licenses/{lic.id}/evidence").status_code == 302
    login_as(moderator, other)
    assert other.get(f"/admin/licenses/{lic.id}/evidence").status_code == 403


def test_a_png_or_jpeg_is_accepted(client, signed_in_admin, unverified, evidence_dir):
    assert _post(client, unverified, evidence=(io.BytesIO(PNG), "shot.PNG", "image/png")).status_code == 302
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 32
    assert _post(client, unverified, evidence=(io.BytesIO(jpeg), "shot.jpeg", "image/jpeg")).status_code == 302
    assert _reload(unverified).evidence_mime == "image/jpeg"
    assert len(list(evidence_dir.iterdir())) == 2


@pytest.mark.parametrize("upload, message", [
    ((io.BytesIO(b"MZ\x90\x00 not a document"), "evidence.pdf", "application/pdf"), "content is none of those"),
    ((io.BytesIO(b"<html>hi</html>"), "evidence.html", "text/html"), "content is none of those"),
    ((io.BytesIO(PNG), "evidence.pdf", "application/pdf"), "name does not match its content"),
    ((io.BytesIO(PDF), "evidence.pdf", "image/png"), "claims to be image/png"),
    ((io.BytesIO(b""), "evidence.pdf", "application/pdf"), "empty"),
])
def test_evidence_that_is_not_a_pdf_or_image_or_lies_about_its_type_is_refused(
        client, signed_in_admin, unverified, evidence_dir, upload, message):
    _refused(client, unverified, message, evidence=upload)
    assert not evidence_dir.exists() or list(evidence_dir.iterdir()) == []


def test_evidence_over_the_size_limit_is_refused(client, app, signed_in_admin, unverified, evidence_dir,
                                                 monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    _refused(client, unverified, "larger than", evidence=(io.BytesIO(PDF + b"0" * 2000), "big.pdf",
                                                          "application/pdf"))
    assert not evidence_dir.exists() or list(evidence_dir.iterdir()) == []


def test_a_request_over_the_upload_limit_is_413(client, app, signed_in_admin, unverified, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    response = _post(client, unverified, evidence=(io.BytesIO(PDF + b"0" * 10000), "big.pdf", "application/pdf"))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That upload is too large" in page and "at most 4 KB in all" in page
    assert "an evidence file at most\n5 MB" in page and "Nothing was saved." in page
    assert _reload(unverified).status == LicenseStatus.UNVERIFIED


def test_a_refused_check_keeps_no_file(client, signed_in_admin, unverified, evidence_dir):
    _refused(client, unverified, "cannot be before the issue date", issued_on="2024-05-01", expires_on="2024-04-30",
             evidence=(io.BytesIO(PDF), "ok.pdf", "application/pdf"))
    assert not evidence_dir.exists() or list(evidence_dir.iterdir()) == []


def test_moderators_and_visitors_cannot_verify(client, app, moderator, login_as, unverified):
    assert client.post(f"/admin/licenses/{unverified.id}", data=_form()).status_code == 302
    login_as(moderator)
    assert client.get("/admin/licenses").status_code == 403
    assert client.post(f"/admin/licenses/{unverified.id}", data=_form()).status_code == 403
    assert _reload(unverified).status == LicenseStatus.UNVERIFIED


def test_issue_and_expiry_dates_are_kept_as_dates(client, signed_in_admin, unverified):
    _post(client, unverified, issued_on="2015-03-02", expires_on="2031-03-01")
    lic = _reload(unverified)
    assert (lic.issued_on, lic.expires_on) == (date(2015, 3, 2), date(2031, 3, 1))


def test_the_license_list_loads_in_a_fixed_number_of_queries(client, signed_in_admin, make_provider, add_license,
                                                             count_queries):
    add_license(make_provider(), LicenseStatus.UNVERIFIED)
    with count_queries() as few:
        assert client.get("/admin/licenses?queue=all").status_code == 200
    for _ in range(8):
        add_license(make_provider(), LicenseStatus.UNVERIFIED)
    with count_queries() as many:
        client.get("/admin/licenses?queue=all")
    assert len(many) == len(few)


@pytest.mark.parametrize("overrides", [
    {"evidence": "not a file"},
    {"checked_on": "2024-02-30"},
    {"expires_on": "99999-01-01"},
    {"issued_on": "0001-01-01", "expires_on": "9999-12-31"},
    {"npi": "１２３４５６７８９３"},  # full-width digits
    {"npi": "12345678\x00"},
    {"evidence_note": "note with a NUL \x00 byte in it"},
    {"license_number": "DEMO\u200b-NY-1"},
    {"outcome": ""},
    {"source": "x" * 5000},
])
def test_odd_input_is_refused_not_a_server_error(client, signed_in_admin, unverified, evidence_dir, overrides):
    response = client.post(f"/admin/licenses/{unverified.id}", data=_form(**overrides))
    assert response.status_code in (302, 422), response.status_code
    if response.status_code == 422:
        assert _reload(unverified).status == LicenseStatus.UNVERIFIED
