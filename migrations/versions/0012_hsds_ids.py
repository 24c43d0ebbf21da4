"""Stored uuids for providers, clinics and clinicians, and when a listing's shown content last changed.

The uuids are the ids HSDS and FHIR consumers keep (interchange/hsds, interchange/fhir); stored, they survive a
move between databases that renumbers the integer ids. Existing rows get the uuid the export derived from their
integer id until now (uuid5 in the export's namespace: the service, organization and service-at-location ids), so
files a 211 already holds keep matching; clinicians get fresh ones. content_modified_at starts at the row's updated_at.

Revision ID: 0012_hsds_ids
Revises: 0010_trust_summary
"""
import uuid

from alembic import op
import sqlalchemy as sa

revision = "0012_hsds_ids"
down_revision = "0015_license_discipline"
branch_labels = None
depends_on = None

# The namespace the HSDS export used before ids were stored (kept here, not imported: a migration is frozen).
_OLD_EXPORT_NAMESPACE = uuid.UUID("6f1f7f0e-4c1e-5b8a-9d51-3c0f1f0ad001")
# (table, column): the export's old name for the object the column identifies (None: a fresh uuid4).
_COLUMNS = {("provider", "uuid"): "service", ("provider", "organization_uuid"): "organization",
            ("location", "uuid"): "sal", ("clinician", "uuid"): None}


def upgrade():
    # Plain ADD COLUMN and CREATE INDEX (no batch copy): copying the provider table would drop the original, and
    # with foreign keys on, SQLite cascades that drop to every clinic, license and review.
    for table, column in _COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(length=36), nullable=True))
    op.add_column("provider", sa.Column("content_modified_at", sa.DateTime(timezone=True), nullable=True))
    conn = op.get_bind()
    for (table, column), old_kind in _COLUMNS.items():
        rows = conn.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
        for row_id in rows:
            value = (uuid.uuid5(_OLD_EXPORT_NAMESPACE, f"{old_kind}:{row_id}") if old_kind else uuid.uuid4())
            conn.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                         {"value": str(value), "id": row_id})
        op.create_index(f"ix_{table}_{column}", table, [column], unique=True)
    conn.execute(sa.text("UPDATE provider SET content_modified_at = updated_at"))
    op.create_index("ix_provider_content_modified_at", "provider", ["content_modified_at"], unique=False)


def downgrade():
    op.drop_index("ix_provider_content_modified_at", table_name="provider")
    op.drop_column("provider", "content_modified_at")
    for table, column in reversed(list(_COLUMNS)):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_column(table, column)
