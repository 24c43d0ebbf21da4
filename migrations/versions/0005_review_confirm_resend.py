"""Reviews: when the current confirmation link was sent, so a resent link gets its own two weeks.

Revision ID: 0005_review_confirm_resend
Revises: 0004_finer_search_bands
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_review_confirm_resend"
down_revision = "0004_finer_search_bands"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirm_sent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("confirm_sent_at")
