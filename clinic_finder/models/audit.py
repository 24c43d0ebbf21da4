"""The append-only audit trail: who did what to which record, when, with before/after values."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from clinic_finder.extensions import db
from clinic_finder.models.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(254))  # kept even if the account is deleted
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(60))
    target_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))


class AuditTrailIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):
    raise AuditTrailIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AuditTrailIsAppendOnly("audit events cannot be deleted")


# The database refuses changes too, so no code path (a raw UPDATE, a future bug) can rewrite history.
# One exception: when a staff account is deleted, the foreign key's ON DELETE SET NULL may blank actor_id;
# actor_label keeps who it was. Migration 0003 installs the same guard; this hook covers db.create_all().
_UNCHANGED_SQLITE = " AND ".join(
    f"NEW.{c} IS OLD.{c}"
    for c in ("id", "created_at", "actor_label", "action", "target_type", "target_id", "before", "after",
              "ip_address")
)
_UNCHANGED_POSTGRESQL = (
    "(NEW.id, NEW.created_at, NEW.actor_label, NEW.action, NEW.target_type, NEW.target_id, NEW.before::text, "
    "NEW.after::text, NEW.ip_address) IS NOT DISTINCT FROM (OLD.id, OLD.created_at, OLD.actor_label, "
    "OLD.action, OLD.target_type, OLD.target_id, OLD.before::text, OLD.after::text, OLD.ip_address)"
)
APPEND_ONLY_MESSAGE = "audit events are append-only"

APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
        f"WHEN NOT (NEW.actor_id IS NULL AND {_UNCHANGED_SQLITE}) "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND {_UNCHANGED_POSTGRESQL} THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
        "END $$",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    ],
}
DROP_APPEND_ONLY_DDL = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
                   "DROP FUNCTION IF EXISTS audit_event_refuse_change()"],
}


def create_append_only_guard(connection) -> None:
    for statement in APPEND_ONLY_DDL.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


def drop_append_only_guard(connection) -> None:
    """Only for emptying a test database between tests; the app never calls this."""
    for statement in DROP_APPEND_ONLY_DDL.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


@event.listens_for(AuditEvent.__table__, "after_create")
def _guard_after_create(target, connection, **kw):
    create_append_only_guard(connection)
