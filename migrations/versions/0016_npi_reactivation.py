"""A deactivated-NPI flag closed by NPPES itself: the reactivation date a later file gives, and that file.

Revision ID: 0016_npi_reactivation
Revises: 0011_import_review
"""
from alembic import op
import sqlalchemy as sa

revision = "0016_npi_reactivation"
down_revision = "0011_import_review"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("npi_deactivation") as batch:
        batch.add_column(sa.Column("reactivated_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reactivation_source", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("npi_deactivation") as batch:
        batch.drop_column("reactivation_source")
        batch.drop_column("reactivated_on")
