"""Writing what a roster row was decided to mean (roster.decide_row): a verification through the one verification
function, mismatches for the license queue, disciplinary actions on the license. Nothing here commits: the import
engine commits the rows in batches (or rolls a dry run back), so a row it refuses must be refused before it writes.
"""
from __future__ import annotations

from datetime import datetime

from clinic_finder.extensions import db
from clinic_finder.interchange.engine import ImportPolicy, RowRefused
from clinic_finder.licensing import roster_mismatches
from clinic_finder.licensing.board_words import BoardAction
from clinic_finder.licensing.roster import RosterSource, RowOutcome, Verdict
from clinic_finder.licensing.verification import (
    VerificationInput,
    VerificationRefused,
    check_verification,
    record_verification,
)
from clinic_finder.models import DisciplinaryAction, License, LicenseStatus, User, VerificationSource
from clinic_finder.staff import audit


def apply(outcome: RowOutcome, source: RosterSource, policy: ImportPolicy, now: datetime, key: str = "") -> None:
    """Write the outcome in the name of the policy's admin; RowRefused (with nothing written) when a verification
    rule refuses what the roster says."""
    if outcome.license_id is None or outcome.verdict in (Verdict.REFUSED, Verdict.NOT_OURS, Verdict.OTHER_STATE):
        return
    actor = policy.verifier()
    lic = db.session.get(License, outcome.license_id)
    verification = _verification(lic, outcome, source, policy) if outcome.verdict is Verdict.VERIFY else None
    if verification is not None:
        try:
            check_verification(lic, verification, now.date())
        except VerificationRefused as exc:
            raise RowRefused(f"not verified: {exc.message}", key) from None
    for action in outcome.actions:
        _record_action(lic, action, source, actor)
    for mismatch in outcome.mismatches:
        roster_mismatches.note(lic, mismatch.kind, mismatch.detail, source.evidence, source.dated, actor)
    if outcome.verdict in (Verdict.VERIFY, Verdict.CONFIRMED):
        roster_mismatches.resolve_open(lic, actor, now, f"confirmed by {source.evidence}")
    if verification is not None:
        record_verification(lic, verification, actor, now=now, commit=False)


def _verification(lic: License, outcome: RowOutcome, source: RosterSource, policy: ImportPolicy) -> VerificationInput:
    return VerificationInput(
        outcome=LicenseStatus.VERIFIED, source=VerificationSource.STATE_BOARD, checked_on=source.dated,
        license_number=lic.license_number, issued_on=lic.issued_on, expires_on=outcome.expires_on,
        evidence_note=policy.source_label,
    )


def _record_action(lic: License, action: BoardAction, source: RosterSource, actor: User) -> None:
    db.session.add(DisciplinaryAction(
        license_id=lic.id, kind=action.kind, board_wording=action.wording, action_on=action.action_on,
        source=source.evidence, source_dated=source.dated, recorded_by_id=actor.id,
    ))
    audit.record(actor, "license.discipline", "license", lic.id, after={
        "kind": action.kind.value, "board_wording": action.wording,
        "action_on": action.action_on.isoformat() if action.action_on else None, "source": source.evidence,
    })
