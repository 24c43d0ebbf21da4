"""At-home search reads who may prescribe from service_state: prescriber_until and has_clinic, in its index

The at-home list kept only states where someone on the team holds a live prescriber's license by joining clinician
and license for every served state of the searched state (26 ms of a 49 ms search on PostgreSQL at 1,000,000
providers). The last day one may prescribe is now stored on the row (search/index.py keeps it in step) and compared
with today when read; has_clinic marks the few providers the list must check against the searched circle. A license
index by clinician and state lets that rule be read per provider without scanning a state's licenses.

Revision ID: 0017_at_home_prescriber_rows
Revises: 0016_npi_reactivation
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_at_home_prescriber_rows"
down_revision = "0016_npi_reactivation"
branch_labels = None
depends_on = None

# The prescriber rule as it stood at this revision (licensing/prescribers.py): a prescribing credential on both the
# clinician and the license, and a license neither revoked, expired nor rejected; no expiry date counts as never.
FILL = """
UPDATE service_state SET
  prescriber_until = (
    SELECT max(coalesce(license.expires_on, '9999-12-31')) FROM license
    WHERE license.clinician_id IN (SELECT clinician.id FROM clinician
                                   WHERE clinician.provider_id = service_state.provider_id
                                     AND clinician.credential IN ('MD', 'DO', 'NP', 'PA'))
      AND license.state = service_state.state AND license.credential IN ('MD', 'DO', 'NP', 'PA')
      AND license.status NOT IN ('revoked', 'expired', 'rejected')),
  has_clinic = EXISTS (SELECT 1 FROM location
                       WHERE location.provider_id = service_state.provider_id AND location.searchable)
"""


def upgrade():
    with op.batch_alter_table("service_state") as batch:
        batch.add_column(sa.Column("prescriber_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("has_clinic", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.drop_index("ix_service_state_state_listed", table_name="service_state")
    op.create_index("ix_service_state_state_listed", "service_state",
                    ["state", "listed", "prescriber_until", "has_clinic", "provider_id"])
    op.create_index("ix_license_clinician_state", "license",
                    ["clinician_id", "state", "status", "credential", "expires_on"])
    op.execute(sa.text(FILL))


def downgrade():
    op.drop_index("ix_license_clinician_state", table_name="license")
    op.drop_index("ix_service_state_state_listed", table_name="service_state")
    with op.batch_alter_table("service_state") as batch:
        batch.drop_column("has_clinic")
        batch.drop_column("prescriber_until")
    op.create_index("ix_service_state_state_listed", "service_state", ["state", "listed", "provider_id"])
