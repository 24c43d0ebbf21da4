"""Writing what a roster row was decided to mean (roster.decide_row): a verification through the one verification
function, mismatches for the license queue, disciplinary actions on the license. Each row is its own transaction,
so an interrupted run keeps the rows it finished and a second run adds nothing twice.
"""
from __future__ import annotations

from datetime import datetime

from clinic_finder.extensions import db
from clinic_finder.licensing import roster_mismatches
from clinic_finder.licensing.board_words import BoardAction
from clinic_finder.licensing.roster import RosterSource, RowOutcome, Verdict
from clinic_finder.licensing.verification import VerificationInput, VerificationRefused, record_verification
from clinic_finder.models import DisciplinaryAction, License, LicenseStatus, User, VerificationSource
from clinic_finder.staff import audit


class RowNotApplied(Exception):
    """The row was decided but a rule refused writing it (e.g. the verification's own checks); nothing changed."""


def apply(outcome: RowOutcome, source: RosterSource, actor: User, now: datetime) -> None:
    if outcome.license_id is None or outcome.verdict in (Verdict.REFUSED, Verdict.NOT_OURS, Verdict.OTHER_STATE):
        return
    lic = db.session.get(License, outcome.license_id)
    for action in outcome.actions:
        _record_action(lic, action, source, actor)
    for mismatch in outcome.mismatches:
        roster_mismatches.note(lic, mismatch.kind, mismatch.detail, source.evidence, source.dated, actor)
    if outcome.verdict in (Verdict.VERIFY, Verdict.CONFIRMED):
        roster_mismatches.resolve_open(lic, actor, now, f"confirmed by {source.evidence}")
    if outcome.verdict is not Verdict.VERIFY:
        db.session.commit()
        return
    data = VerificationInput(
        outcome=LicenseStatus.VERIFIED, source=VerificationSource.STATE_BOARD, checked_on=source.dated,
        license_number=lic.license_number, issued_on=lic.issued_on, expires_on=outcome.expires_on,
        evidence_note=source.evidence,
    )
    try:
        record_verification(lic, data, actor, now=now)  # commits this row's actions and settlements with it
    except VerificationRefused as exc:
        raise RowNotApplied(f"not verified: {exc.message}") from None


def _record_action(lic: License, action: BoardAction, source: RosterSource, actor: User) -> None:
    db.session.add(DisciplinaryAction(
        license_id=lic.id, kind=action.kind, board_wording=action.wording, action_on=action.action_on,
        source=source.evidence, source_dated=source.dated, recorded_by_id=actor.id,
    ))
    audit.record(actor, "license.discipline", "license", lic.id, after={
        "kind": action.kind.value, "board_wording": action.wording,
        "action_on": action.action_on.isoformat() if action.action_on else None, "source": source.evidence,
    })
