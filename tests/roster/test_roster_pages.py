"""What rosters leave on the pages: a board action on the profile (in the board's words, with its source), and the
license queue's "Roster mismatches" with each reason."""
from __future__ import annotations

from datetime import date

from clinic_finder.extensions import db
from clinic_finder.models import DisciplinaryAction, DisciplineKind, LicenseStatus

from .conftest import HEADER, add_tx_license, row


def test_the_profile_shows_a_board_action_with_its_source_and_date(tx_license, client, admin):
    db.session.add(DisciplinaryAction(license_id=tx_license.id, kind=DisciplineKind.CONSENT_ORDER,
                                      board_wording="Agreed Order", action_on=date(2025, 3, 15),
                                      source="roster tx.csv, dated 2026-12-01", source_dated=date(2026, 12, 1),
                                      recorded_by_id=admin.id))
    db.session.commit()
    html = client.get(f"/providers/{tx_license.clinician.provider_id}").get_data(as_text=True)
    assert "Board action on record" in html
    assert "Consent order (the board's words: “Agreed Order”), dated March 15, 2025." in html
    assert "Listed on the Texas licensing board's roster of December 1, 2026." in html
    assert "A licensing board lists an action against a license here" in html


def test_a_profile_without_board_actions_says_nothing_about_them(tx_license, client):
    html = client.get(f"/providers/{tx_license.clinician.provider_id}").get_data(as_text=True)
    assert "Board action" not in html and "licensing board lists an action" not in html


def test_a_roster_run_shows_its_mismatches_in_the_license_queue_and_on_the_dashboard(
        tx_license, write_roster, run_roster, client, login_as, admin):
    other = add_tx_license(tx_license.clinician.provider, "Ann Lee", "DEMO-TX-000102", status=LicenseStatus.VERIFIED)
    run_roster(write_roster([HEADER, row(name="DOE, JOHN")]))
    login_as(admin)
    html = client.get("/admin/licenses?queue=roster_mismatch").get_data(as_text=True)
    assert "Roster mismatches (2)" in html
    assert "Name differs</strong>: the roster names &#39;DOE, JOHN&#39;; we list Jane Smith" in html
    assert "Not on the roster</strong>: DEMO-TX-000102 is not on the TX roster" in html
    page = client.get(f"/admin/licenses/{other.id}").get_data(as_text=True)
    assert "Where a board roster disagrees" in page
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Licenses a board roster disagrees with" in dashboard


def test_profile_queries_do_not_grow_with_board_actions(tx_license, client, count_queries, admin):
    url = f"/providers/{tx_license.clinician.provider_id}"
    client.get(url)
    with count_queries() as before:
        client.get(url)
    for n in range(5):
        lic = add_tx_license(tx_license.clinician.provider, f"Clinician {n} Smith", f"DEMO-TX-0002{n:02d}")
        db.session.add(DisciplinaryAction(license_id=lic.id, kind=DisciplineKind.PROBATION, board_wording="Probation",
                                          source="roster tx.csv, dated 2026-12-01", source_dated=date(2026, 12, 1)))
    db.session.commit()
    with count_queries() as after:
        assert "Probation" in client.get(url).get_data(as_text=True)
    assert len(after) == len(before)
