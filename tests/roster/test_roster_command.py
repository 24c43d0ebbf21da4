"""`flask import roster`: a roster verifies what agrees, queues what does not, records board actions, and refuses
to run for anyone but an active admin."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import (
    AuditEvent,
    DisciplinaryAction,
    DisciplineKind,
    License,
    LicenseStatus,
    MismatchKind,
    Role,
    RosterMismatch,
    VerificationSource,
)

from .. import factories
from .conftest import ADMIN, EXPIRY, HEADER, add_tx_license, row


def _mismatches(lic_id: int) -> list[tuple[MismatchKind, str]]:
    return [(m.kind, m.detail) for m in db.session.scalars(
        sa.select(RosterMismatch).where(RosterMismatch.license_id == lic_id, RosterMismatch.resolved_at.is_(None)))]


def test_a_matching_row_verifies_the_license_with_the_roster_as_evidence_by_that_admin(
        tx_license, write_roster, run_roster, admin):
    path = write_roster([HEADER, row(), row("A99999", "DOE, JOHN")])
    result = run_roster(path)
    assert result.exit_code == 0, result.output
    lic = db.session.get(License, tx_license.id)
    assert lic.status == LicenseStatus.VERIFIED
    assert lic.verification_source == VerificationSource.STATE_BOARD
    assert lic.evidence_note == f"roster tx-medical-board.csv, dated {date.today().isoformat()}"
    assert lic.checked_on == date.today() and lic.expires_on == EXPIRY
    assert lic.verified_by_id == admin.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "license.verify"))
    assert (event.actor_id, event.target_id, event.after["status"]) == (admin.id, lic.id, "verified")
    assert "read=2 " in result.output
    assert "verified 1," in result.output
    assert "not in our directory: 1 rows" in result.output


def test_a_second_run_of_the_same_roster_changes_nothing(tx_license, write_roster, run_roster):
    path = write_roster([HEADER, row(discipline="Probation")])
    run_roster(path)
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    result = run_roster(path)
    assert result.exit_code == 0, result.output
    assert "verified 0, already as the roster says 1" in result.output
    assert "disciplinary actions recorded: 0" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisciplinaryAction)) == 1


def test_a_dry_run_decides_every_row_and_changes_nothing(tx_license, write_roster, run_roster, make_provider):
    other = add_tx_license(tx_license.clinician.provider, "Ann Lee", "DEMO-TX-000102")
    path = write_roster([HEADER, row(discipline="Consent Order"), "bad row", row("DEMO-TX-000777", "X")])
    result = run_roster(path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was written." in result.output
    assert "verified 1," in result.output and "not found: 1 " in result.output
    assert "disciplinary actions recorded: 1" in result.output and "refused=1 " in result.output
    assert db.session.get(License, tx_license.id).status == LicenseStatus.UNVERIFIED
    for table in (AuditEvent, DisciplinaryAction, RosterMismatch):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(table)) == 0
    assert db.session.get(License, other.id).status == LicenseStatus.UNVERIFIED


def test_each_kind_of_mismatch_goes_to_the_queue_with_its_reason(tx_license, write_roster, run_roster):
    provider = tx_license.clinician.provider
    expired = add_tx_license(provider, "Ann Lee", "DEMO-TX-000102")
    renamed = add_tx_license(provider, "Maria Garcia", "DEMO-TX-000103")
    missing = add_tx_license(provider, "Omar Haddad", "DEMO-TX-000104")
    path = write_roster([
        HEADER,
        row(expiry=EXPIRY + timedelta(days=365)),
        row("DEMO-TX-000102", "LEE, ANN", "Expired", expiry=date.today() - timedelta(days=10)),
        row("DEMO-TX-000103", "ROBERTS, PAULA"),
    ])
    result = run_roster(path)
    assert result.exit_code == 0, result.output
    assert _mismatches(tx_license.id) == [(MismatchKind.EXPIRY, f"the roster's expiry date is "
                                           f"{(EXPIRY + timedelta(days=365)).isoformat()}; we have {EXPIRY.isoformat()}")]
    assert _mismatches(expired.id) == [(MismatchKind.STATUS, "the roster's status is 'Expired'; we show not yet verified")]
    assert _mismatches(renamed.id) == [(MismatchKind.NAME, "the roster names 'ROBERTS, PAULA'; we list Maria Garcia")]
    assert _mismatches(missing.id) == [(MismatchKind.NOT_FOUND, "DEMO-TX-000104 is not on the TX roster")]
    for lic in (tx_license, expired, renamed, missing):
        assert db.session.get(License, lic.id).status == LicenseStatus.UNVERIFIED  # an admin decides
    assert "mismatched: 3 rows (status differs 1, expiry date differs 1, name differs 1)" in result.output
    assert "not found: 1 of our current licenses" in result.output


def test_disciplinary_actions_are_recorded_with_source_and_date(tx_license, write_roster, run_roster, admin):
    path = write_roster(["License #,Licensee Name,License Status,Expires,Board Action,Action Date",
                         f'DEMO-TX-000101,"SMITH, JANE A",Active - Probation,{EXPIRY.isoformat()},'
                         '"Consent Order; Probation",03/15/2025'])
    result = run_roster(path)
    assert result.exit_code == 0, result.output
    actions = db.session.scalars(sa.select(DisciplinaryAction).order_by(DisciplinaryAction.id)).all()
    assert [(a.kind, a.board_wording, a.action_on) for a in actions] == [
        (DisciplineKind.CONSENT_ORDER, "Consent Order", date(2025, 3, 15)),
        (DisciplineKind.PROBATION, "Probation", date(2025, 3, 15)),
    ]
    assert {(a.source, a.source_dated, a.recorded_by_id) for a in actions} == {
        (f"roster tx-medical-board.csv, dated {date.today().isoformat()}", date.today(), admin.id)}
    assert db.session.get(License, tx_license.id).status == LicenseStatus.VERIFIED  # on probation, but licensed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "license.discipline")) == 2


def test_a_suspension_is_recorded_and_is_a_status_mismatch(tx_license, write_roster, run_roster):
    result = run_roster(write_roster([HEADER, row(status="Suspended")]))
    assert result.exit_code == 0, result.output
    assert [a.kind for a in db.session.scalars(sa.select(DisciplinaryAction))] == [DisciplineKind.SUSPENSION]
    assert [k for k, _ in _mismatches(tx_license.id)] == [MismatchKind.STATUS]


def test_no_action_is_recorded_on_a_license_whose_name_differs(tx_license, write_roster, run_roster):
    run_roster(write_roster([HEADER, row(name="DOE, JOHN", discipline="Probation")]))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisciplinaryAction)) == 0
    [(kind, detail)] = _mismatches(tx_license.id)
    assert kind == MismatchKind.NAME and "it also lists: Probation (not recorded)" in detail


def test_a_later_matching_roster_settles_the_open_mismatch(tx_license, write_roster, run_roster):
    run_roster(write_roster([HEADER, row(status="Lapsed")]))
    assert len(_mismatches(tx_license.id)) == 1
    run_roster(write_roster([HEADER, row()], name="tx-december.csv"))
    assert _mismatches(tx_license.id) == []
    settled = db.session.scalar(sa.select(RosterMismatch))
    assert settled.resolution == f"confirmed by roster tx-december.csv, dated {date.today().isoformat()}"
    assert db.session.get(License, tx_license.id).status == LicenseStatus.VERIFIED


def test_an_older_roster_does_not_undo_a_newer_check(tx_license, write_roster, run_roster):
    run_roster(write_roster([HEADER, row()]))
    older = (date.today() - timedelta(days=30)).isoformat()
    result = run_roster(write_roster([HEADER, row(status="Expired")], name="old.csv"), "--dated", older)
    assert "checked more recently than the roster 1" in result.output
    assert _mismatches(tx_license.id) == []


def test_a_number_listed_twice_is_a_mismatch(tx_license, write_roster, run_roster):
    run_roster(write_roster([HEADER, row(), row(status="Revoked")]))
    assert [k for k, _ in _mismatches(tx_license.id)] == [MismatchKind.LISTED_TWICE]


def test_separators_in_license_numbers_do_not_hide_a_match(tx_license, write_roster, run_roster):
    run_roster(write_roster([HEADER, row(number="demo tx 000101")]))
    assert db.session.get(License, tx_license.id).status == LicenseStatus.VERIFIED


def test_demo_listings_are_never_matched(db, make_provider, write_roster, run_roster):
    provider = make_provider("Demo Clinic", state="TX", is_demo=True)
    lic_id = add_tx_license(provider).id  # the import leaves no object of the session attached
    result = run_roster(write_roster([HEADER, row()]))
    assert "not in our directory: 1 rows" in result.output
    assert "not found: 0" in result.output
    assert db.session.get(License, lic_id).status == LicenseStatus.UNVERIFIED


def test_credential_option_limits_which_licenses_can_be_not_found(tx_license, write_roster, run_roster):
    from clinic_finder.models import Credential
    nurse = add_tx_license(tx_license.clinician.provider, "Ann Lee", "DEMO-TX-000555", credential=Credential.NP)
    result = run_roster(write_roster([HEADER, row()]), "--credential", "md", "--credential", "DO")
    assert "not found: 0" in result.output
    assert _mismatches(nurse.id) == []


def test_only_an_active_admin_may_run_a_roster(tx_license, write_roster, run_roster, make_user):
    path = write_roster([HEADER, row()])
    make_user("mod@example.org", role=Role.MODERATOR)
    gone = make_user("gone@example.org")
    gone.active = False
    db.session.commit()
    for email in ("nobody@example.org", "mod@example.org", "gone@example.org"):
        result = run_roster(path, as_email=email)
        assert result.exit_code == 2
        assert "--as must name an active admin account" in result.output
    assert db.session.get(License, tx_license.id).status == LicenseStatus.UNVERIFIED
    assert run_roster(path, as_email=ADMIN.upper()).exit_code == 0


def test_an_unknown_state_or_a_future_date_is_refused_before_reading(runner, admin, write_roster, tmp_path):
    path = write_roster([HEADER, row()])
    result = runner.invoke(args=["import", "roster", str(path), "--state", "ZZ", "--as", ADMIN])
    assert result.exit_code == 2 and "'ZZ': Please choose a US state" in result.output
    future = (date.today() + timedelta(days=2)).isoformat()
    result = runner.invoke(args=["import", "roster", str(path), "--state", "tx", "--as", ADMIN, "--dated", future])
    assert result.exit_code == 2 and "is in the future" in result.output


def test_an_admin_outcome_on_the_license_page_settles_the_open_mismatch(
        tx_license, write_roster, run_roster, client, login_as, admin):
    run_roster(write_roster([HEADER, row(status="Suspended")]))
    login_as(admin)
    page = client.get("/admin/licenses?queue=roster_mismatch")
    assert page.status_code == 200
    assert b"the roster&#39;s status is &#39;Suspended&#39;" in page.data
    from clinic_finder.licensing.verification import VerificationInput, record_verification
    record_verification(db.session.get(License, tx_license.id), VerificationInput(
        outcome=LicenseStatus.REVOKED, source=VerificationSource.STATE_BOARD, checked_on=date.today(),
        license_number="DEMO-TX-000101", issued_on=None, expires_on=None,
        evidence_note="Board page shows the license suspended since March."), factories.make_user("b@example.org"))
    assert _mismatches(tx_license.id) == []
    assert b"Suspended" not in client.get("/admin/licenses?queue=roster_mismatch").data


def test_an_absurd_date_or_a_missing_report_folder_is_refused_before_reading(tx_license, write_roster, runner,
                                                                             admin, tmp_path):
    path = write_roster([HEADER, row()])
    base = ["import", "roster", str(path), "--state", "TX", "--as", ADMIN]
    result = runner.invoke(args=[*base, "--dated", "0001-01-01"])
    assert result.exit_code == 2 and "before 1900" in result.output
    result = runner.invoke(args=[*base, "--report", str(tmp_path / "nowhere" / "refused.csv")])
    assert result.exit_code == 2 and "does not exist" in result.output
    db.session.expire_all()
    assert db.session.get(License, tx_license.id).status == LicenseStatus.UNVERIFIED


def test_control_characters_in_a_boards_words_are_not_kept(tx_license, write_roster, run_roster):
    run_roster(write_roster([HEADER, row(discipline="Proba\x1b[31mtion\x07")]))
    [action] = db.session.scalars(sa.select(DisciplinaryAction)).all()
    assert action.board_wording == "Proba[31mtion" and action.kind == DisciplineKind.OTHER


def test_a_number_on_file_for_two_professions_needs_a_license_type(tx_license, write_roster, run_roster, tmp_path):
    from clinic_finder.models import Credential
    nurse = add_tx_license(tx_license.clinician.provider, "Jane Smith", "DEMO-TX-000101", credential=Credential.RN)
    result = run_roster(write_roster([HEADER, row()]))
    assert "refused=1 " in result.output and "not found: 0" in result.output
    assert "is on file for more than one kind of license in TX (MD, RN)" in (tmp_path / "refused.csv").read_text()
    typed = run_roster(write_roster(["License Number,Name,Status,Expiration Date,License Type",
                                     f'DEMO-TX-000101,"SMITH, JANE",Active,{EXPIRY.isoformat()},Registered Nurse'],
                                    name="typed.csv"))
    assert "verified 1," in typed.output
    assert db.session.get(License, nurse.id).status == LicenseStatus.VERIFIED
    assert db.session.get(License, tx_license.id).status == LicenseStatus.UNVERIFIED


def test_a_roster_runs_through_the_import_engine_with_its_progress_counts_and_report(
        tx_license, write_roster, runner, admin):
    path = write_roster([HEADER, row(), "bad row", row("A99999", "DOE, JOHN")])
    result = runner.invoke(args=["import", "roster", str(path), "--state", "TX", "--as", ADMIN,
                                 "--dated", date.today().isoformat()])
    assert result.exit_code == 0, result.output
    assert "Importing tx-medical-board.csv: [" in result.output and " rows/s" in result.output
    assert "read=3 selected=1 added=0 updated=1 unchanged=0 flagged=0 refused=1" in result.output
    assert "tx-medical-board.csv: row 3 (bad row): 1 values where the header has 5 columns" in result.output
    report = path.with_name("tx-medical-board.csv.refused.csv")
    assert report.read_text(encoding="utf-8").splitlines() == [
        f"row,key,reason,{HEADER}", "3,bad row,1 values where the header has 5 columns,bad row"]


def test_a_dry_run_counts_what_a_real_run_would(tx_license, write_roster, run_roster):
    add_tx_license(tx_license.clinician.provider, "Ann Lee", "DEMO-TX-000102")
    path = write_roster([HEADER, row(discipline="Probation"), row("DEMO-TX-000102", "LEE, ANN", "Expired")])
    dry = run_roster(path, "--dry-run")
    real = run_roster(path)
    summary = "read=2 selected=2 added=0 updated=1 unchanged=0 flagged=1 refused=0"
    assert summary in dry.output and summary in real.output
    assert dry.output.split("\nRoster ")[1] == real.output.split("\nRoster ")[1]
    assert "Dry run: nothing was written." in dry.output and "Dry run" not in real.output


def test_a_row_the_verification_rules_refuse_writes_nothing_and_the_rest_load(
        tx_license, write_roster, run_roster, tmp_path):
    # A number typed here with a character no board uses: the roster matches it (separators aside), but the one
    # verification function will not record it; the row is refused before its board action or anything else lands.
    odd = add_tx_license(tx_license.clinician.provider, "Ann Lee", "DEMO#TX#000102")
    odd_id = odd.id
    result = run_roster(write_roster([HEADER, row(), row("DEMO-TX-000102", "LEE, ANN", discipline="Probation")]))
    assert result.exit_code == 0, result.output
    assert "read=2 selected=1 added=0 updated=1 unchanged=0 flagged=0 refused=1" in result.output
    [refused] = (tmp_path / "refused.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert refused.startswith("3,DEMO-TX-000102,\"not verified: A license number has only letters")
    assert db.session.get(License, odd_id).status == LicenseStatus.UNVERIFIED
    assert db.session.get(License, tx_license.id).status == LicenseStatus.VERIFIED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisciplinaryAction)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.target_id == odd_id)) == 0
