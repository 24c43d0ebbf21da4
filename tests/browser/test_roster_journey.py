"""A roster run, then what an admin and a patient see of it in a real browser: the license queue's roster
mismatches, each with its reason, and a profile showing a board action in the board's words. Saves the screenshots
for the closing note (roster-mismatch-queue.png, profile-board-action.png)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from clinic_finder.models import Credential, LicenseStatus, Role

from ..roster.conftest import EXPIRY, add_tx_license

pytestmark = pytest.mark.browser
PASSWORD = "violet lantern orbit 42"


def test_an_admin_reads_roster_mismatches_and_a_patient_sees_a_board_action(
        live_server, page, screenshot_dir, make_user, make_provider, runner, tmp_path):
    admin = make_user("admin@clinic-finder.example", Role.ADMIN, PASSWORD)
    austin = make_provider("Fictional Lone Star Infusions", state="TX", city="Austin", zip_code="78701",
                           lat=30.2672, lon=-97.7431)
    add_tx_license(austin, "Jane Smith", "DEMO-TX-000101")
    add_tx_license(austin, "Omar Haddad", "DEMO-TX-000102", credential=Credential.NP)
    houston = make_provider("Fictional Bayou Ketamine Clinic", state="TX", city="Houston", zip_code="77002",
                            lat=29.7604, lon=-95.3698)
    add_tx_license(houston, "Maria Garcia", "DEMO-TX-000103")
    add_tx_license(houston, "Ann Lee", "DEMO-TX-000104", status=LicenseStatus.VERIFIED)
    add_tx_license(houston, "Priya Raman", "DEMO-TX-000105")
    later = (EXPIRY + timedelta(days=365)).strftime("%m/%d/%Y")
    roster = tmp_path / "tx-medical-board-2026-12.csv"
    roster.write_text("\n".join([
        "License #,Licensee Name,License Status,Expiration Date,Disciplinary Action,Action Date",
        f'DEMO-TX-000101,"SMITH, JANE A",Active - Probation,{EXPIRY:%m/%d/%Y},Probation,03/15/2025',
        f'DEMO-TX-000102,"HADDAD, OMAR",Active,{later},None,',
        f'DEMO-TX-000103,"ROBERTS, PAULA",Active,{EXPIRY:%m/%d/%Y},None,',
        f'DEMO-TX-000105,"RAMAN, PRIYA",Suspended,{EXPIRY:%m/%d/%Y},Suspension,11/02/2026',
        f'DEMO-TX-100000,"ASHDOWN, AVERY",Active,{EXPIRY:%m/%d/%Y},None,',
    ]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", "roster", str(roster), "--state", "TX", "--as", admin.email,
                                 "--dated", date.today().isoformat(), "--report", str(tmp_path / "refused.csv")])
    assert result.exit_code == 0, result.output

    page.goto(live_server + "/auth/login")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    page.get_by_role("link", name="Licenses a board roster disagrees with").click()
    expect(page.get_by_role("link", name="Roster mismatches (4)")).to_be_visible()
    expect(page.get_by_text("we list Maria Garcia")).to_be_visible()
    expect(page.get_by_text("DEMO-TX-000104 is not on the TX roster")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "roster-mismatch-queue.png"), full_page=True)

    page.goto(f"{live_server}/providers/{austin.id}")
    expect(page.get_by_text("A licensing board lists an action against a license here")).to_be_visible()
    expect(page.locator(".license-table .board-actions")).to_contain_text("Probation, dated March 15, 2025.")
    # The summary's note and the license table, without the rest of a long page (a small PNG).
    page.set_viewport_size({"width": 1100, "height": 760})
    page.evaluate("document.querySelector('#at-a-glance').closest('section').style.display = 'none'")
    for section in ("#locations", "#session", "#cost"):
        page.evaluate(f"document.querySelector('{section}').closest('section').style.display = 'none'")
    page.screenshot(path=str(screenshot_dir / "profile-board-action.png"))
    assert page.js_errors == []
