"""Audit events append-only in the database (filled in by the admin feature).

Revision ID: 0003_audit_append_only
Revises: 0002_search_indexes
"""

revision = "0003_audit_append_only"
down_revision = "0002_search_indexes"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
