"""The trust summary stored on the provider (vetting/trust.py), and who verified a checklist fact.

checks_verified / checks_total / license_valid_until / last_verified_at join the rating and license status the
provider row already kept, so search can filter and sort on the whole summary in one statement. Existing rows
start at zero: run `flask --app clinic_finder data refresh-summaries` once after upgrading (the summary is
computed by the application's rules, which a migration should not import); `data check` reports any provider
whose stored summary differs from its sources until then.

Revision ID: 0010_trust_summary
Revises: 0009_privacy_retention
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_trust_summary"
down_revision = "0009_privacy_retention"
branch_labels = None
depends_on = None


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite has both since 3.35): a batch copy of the provider table would drop
# the original, and with foreign keys on, SQLite cascades that drop to every clinic, license and review.
PROVIDER_COLUMNS = (
    lambda: sa.Column("checks_verified", sa.Integer(), server_default="0", nullable=False),
    lambda: sa.Column("checks_total", sa.Integer(), server_default="0", nullable=False),
    lambda: sa.Column("license_valid_until", sa.Date(), nullable=True),
    lambda: sa.Column("last_verified_at", sa.DateTime(timezone=True), nullable=True),
)


def upgrade():
    for column in PROVIDER_COLUMNS:
        op.add_column("provider", column())
    op.add_column("checklist_item", sa.Column("verified_by", sa.String(length=254), nullable=True))


def downgrade():
    op.drop_column("checklist_item", "verified_by")
    for column in reversed(PROVIDER_COLUMNS):
        op.drop_column("provider", column().name)
