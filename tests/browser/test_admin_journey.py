"""An admin signs in, reads the dashboard, verifies a license with an evidence file, and reads the audit trail,
in a real browser with no script errors. Saves the screenshots for the closing note."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from clinic_finder.extensions import db
from clinic_finder.interchange.seeding import seed_from_folder
from clinic_finder.licensing import expiry as license_expiry
from clinic_finder.models import License, LicenseStatus, Role

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[2] / "seed_data"
PASSWORD = "violet lantern orbit 42"


def test_an_admin_verifies_a_license_and_sees_it_in_the_audit_trail(live_server, page, screenshot_dir, make_user,
                                                                     app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    seed_from_folder(SEED, demo=True)
    license_expiry.run_job()
    make_user("admin@clinic-finder.example", Role.ADMIN, PASSWORD)

    page.goto(live_server + "/admin/")
    assert "/auth/login" in page.url
    page.get_by_label("Email").fill("admin@clinic-finder.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Those details did not work")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Licenses to verify")).to_be_visible()
    expect(page.get_by_text("Last run")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "admin-dashboard.png"), full_page=True)

    page.get_by_role("link", name="Licenses to verify").click()
    page.locator(".licenses-table tbody a").first.click()
    lic_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert page.locator(".lookup-links a").count() >= 1
    page.get_by_label("Verified: the record shows the license active").check()
    page.get_by_label("Expiry date").fill((datetime.now(UTC).date() + timedelta(days=540)).isoformat())
    page.get_by_label("Evidence note").fill("Board lookup shows the license active with no public discipline "
                                            "(page saved as PDF).")
    evidence = tmp_path / "board-lookup.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label("Evidence file (optional: PDF, PNG or JPEG)").set_input_files(str(evidence))
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("recorded as verified")).to_be_visible()
    expect(page.get_by_role("link", name="evidence file")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "license-verification.png"), full_page=True)
    db.session.expire_all()
    assert db.session.get(License, lic_id).status == LicenseStatus.VERIFIED

    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1, name="Audit trail")).to_be_visible()
    expect(page.locator("#event-" + str(db.session.scalar(sa.text("SELECT max(id) FROM audit_event"))))).to_be_visible()
    expect(page.locator("td code", has_text="license.verify").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "admin-audit.png"), full_page=False)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(live_server + "/admin/")
    assert "/auth/login" in page.url
    # The refused sign-in answers 401 on purpose; Chromium logs any 4xx document as a console error.
    assert [e for e in page.js_errors if "status of 401" not in e] == []
