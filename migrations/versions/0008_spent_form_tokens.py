"""One-time form nonces already submitted, so a rendered public form can be posted once (issue 18).

Revision ID: 0008_spent_form_tokens
Revises: 0007_staff_sessions
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_spent_form_tokens"
down_revision = "0007_staff_sessions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spent_form_token",
        sa.Column("nonce", sa.String(length=40), nullable=False),
        sa.Column("spent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_spent_form_token")),
    )
    with op.batch_alter_table("spent_form_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spent_form_token_spent_at"), ["spent_at"], unique=False)


def downgrade():
    with op.batch_alter_table("spent_form_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spent_form_token_spent_at"))
    op.drop_table("spent_form_token")
