"""Audit events append-only in the database: triggers refuse UPDATE and DELETE on audit_event.

The one UPDATE allowed is the foreign key's ON DELETE SET NULL blanking actor_id when a staff account is deleted
(actor_label keeps who it was). The statements are copied here, not imported, so this migration never changes.

Revision ID: 0003_audit_append_only
Revises: 0002_search_indexes
"""
from alembic import op

revision = "0003_audit_append_only"
down_revision = "0002_search_indexes"
branch_labels = None
depends_on = None

MESSAGE = "audit events are append-only"
_SQLITE_UNCHANGED = " AND ".join(
    f"NEW.{c} IS OLD.{c}"
    for c in ("id", "created_at", "actor_label", "action", "target_type", "target_id", "before", "after",
              "ip_address")
)
_POSTGRESQL_UNCHANGED = (
    "(NEW.id, NEW.created_at, NEW.actor_label, NEW.action, NEW.target_type, NEW.target_id, NEW.before::text, "
    "NEW.after::text, NEW.ip_address) IS NOT DISTINCT FROM (OLD.id, OLD.created_at, OLD.actor_label, "
    "OLD.action, OLD.target_type, OLD.target_id, OLD.before::text, OLD.after::text, OLD.ip_address)"
)

UPGRADE = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
        f"WHEN NOT (NEW.actor_id IS NULL AND {_SQLITE_UNCHANGED}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND {_POSTGRESQL_UNCHANGED} THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
        "END $$",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    ],
}
DOWNGRADE = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
                   "DROP FUNCTION IF EXISTS audit_event_refuse_change()"],
}


def upgrade():
    for statement in UPGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DOWNGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)
