"""Roster mismatches on a license: noting one (once per kind while it is open) and settling the open ones.

A mismatch stays open until an admin records an outcome for the license (verification.record_verification) or a
later roster confirms it; either way it is kept, with who settled it and how, not deleted.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import License, MismatchKind, RosterMismatch, User
from clinic_finder.models.board_findings import SOURCE_MAX_CHARS
from clinic_finder.staff import audit

DETAIL_MAX_CHARS = 500  # RosterMismatch.detail


def open_mismatches(lic: License) -> list[RosterMismatch]:
    return list(db.session.scalars(sa.select(RosterMismatch).where(
        RosterMismatch.license_id == lic.id, RosterMismatch.resolved_at.is_(None)).order_by(RosterMismatch.id)))


def note(lic: License, kind: MismatchKind, detail: str, source: str, source_dated, actor: User) -> RosterMismatch:
    """Open a mismatch, or bring the open one of the same kind up to date (a roster run twice adds nothing)."""
    detail = detail[:DETAIL_MAX_CHARS]
    current = next((m for m in open_mismatches(lic) if m.kind == kind), None)
    if current is not None and (current.detail, current.source) == (detail, source):
        return current
    before = None if current is None else {"detail": current.detail, "source": current.source}
    if current is None:
        current = RosterMismatch(license_id=lic.id, kind=kind, found_by_id=actor.id)
        db.session.add(current)
    current.detail, current.source, current.source_dated = detail, source, source_dated
    audit.record(actor, "license.roster_mismatch", "license", lic.id, before=before,
                 after={"kind": kind.value, "detail": detail, "source": source})
    return current


def resolve_open(lic: License, actor: User, now: datetime, resolution: str) -> int:
    """Settle every open mismatch of the license (the caller commits); returns how many there were."""
    settled = open_mismatches(lic)
    for mismatch in settled:
        mismatch.resolved_at, mismatch.resolved_by_id, mismatch.resolution = now, actor.id, resolution[:SOURCE_MAX_CHARS]
    if settled:
        audit.record(actor, "license.roster_mismatch.resolve", "license", lic.id,
                     before={"open": [m.kind.value for m in settled]}, after={"resolution": resolution[:SOURCE_MAX_CHARS]})
    return len(settled)
