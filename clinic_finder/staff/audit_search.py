"""Reading the audit trail: filters (who, what, which record, when) and pages, newest first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None  # an account's email or "system", matched whole, case-insensitively
    action: str | None = None
    target_type: str | None = None
    target_id: int | None = None
    date_from: date | None = None  # inclusive, UTC days
    date_to: date | None = None  # inclusive

    def as_params(self) -> dict[str, str]:
        """The filter as query parameters, for pagination links."""
        out = {}
        for name in ("actor", "action", "target_type", "target_id", "date_from", "date_to"):
            value = getattr(self, name)
            if value not in (None, ""):
                out[name] = value.isoformat() if isinstance(value, date) else str(value)
        return out


def _where(f: AuditFilter) -> list:
    conditions = []
    if f.actor:
        conditions.append(sa.func.lower(AuditEvent.actor_label) == f.actor.strip().lower())
    if f.action:
        conditions.append(AuditEvent.action == f.action)
    if f.target_type:
        conditions.append(AuditEvent.target_type == f.target_type)
    if f.target_id is not None:
        conditions.append(AuditEvent.target_id == f.target_id)
    if f.date_from:
        conditions.append(AuditEvent.created_at >= datetime.combine(f.date_from, time.min, UTC))
    if f.date_to:
        conditions.append(AuditEvent.created_at < datetime.combine(f.date_to + timedelta(days=1), time.min, UTC))
    return conditions


def list_events(f: AuditFilter, page: int, per_page: int) -> Page:
    return paginate(
        sa.select(AuditEvent).where(*_where(f)).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()),
        page, per_page,
    )


def known_values() -> dict[str, list[str]]:
    """The actions and record types that occur, for the filter's drop-downs."""
    def distinct(column) -> list[str]:
        return list(db.session.scalars(sa.select(column).distinct().order_by(column)))

    return {"action": distinct(AuditEvent.action), "target_type": distinct(AuditEvent.target_type)}


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def changes(event: AuditEvent) -> list[Change]:
    """The fields an event changed (or recorded), before and after, in a stable order."""
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [Change(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k) or k not in before]
