"""Retention: a reviewer's address can be deleted (a keyed fingerprint stays), and a handled consultation
request's contact details too.

Revision ID: 0009_privacy_retention
Revises: 0008_spent_form_tokens
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_privacy_retention"
down_revision = "0008_spent_form_tokens"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.alter_column("contact_email", existing_type=sa.String(length=254), nullable=True)
        batch_op.add_column(sa.Column("contact_email_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_review_contact_email_hash", ["contact_email_hash"], unique=False)
    with op.batch_alter_table("consultation_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f("ck_consultation_request_has_contact"), type_="check")
        batch_op.create_check_constraint("has_contact", "email IS NOT NULL OR phone IS NOT NULL OR purged_at IS NOT NULL")


def downgrade():
    # A purged request or review has no contact left to restore; they keep a placeholder so the old rules hold.
    op.execute("UPDATE consultation_request SET email = 'removed@invalid.example' "
               "WHERE email IS NULL AND phone IS NULL")
    op.execute("UPDATE review SET contact_email = 'removed@invalid.example' WHERE contact_email IS NULL")
    with op.batch_alter_table("consultation_request", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_consultation_request_has_contact"), type_="check")
        batch_op.create_check_constraint("has_contact", "email IS NOT NULL OR phone IS NOT NULL")
        batch_op.drop_column("purged_at")
        batch_op.drop_column("handled_at")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index("ix_review_contact_email_hash")
        batch_op.drop_column("contact_email_hash")
        batch_op.alter_column("contact_email", existing_type=sa.String(length=254), nullable=False)
