"""Search: tenth-of-a-degree longitude bands, and index-only reads for the at-home list and on PostgreSQL.

The at-home list reads service_state by state and asks, per provider, whether one of its clinics is in the searched
circle. A denormalised `listed` flag (published and at home) with (state, listed, provider_id), and
(provider_id, searchable, x, y, z) on location, answer both from indexes alone; narrower longitude bands make a
radius search read less of the index beside its circle; PostgreSQL's search index carries the location id so the
scans that return it need no table rows (bench/README.md).

Revision ID: 0004_finer_search_bands
Revises: 0003_audit_append_only
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_finer_search_bands"
down_revision = "0003_audit_append_only"
branch_labels = None
depends_on = None

SEARCH_COLUMNS = ["searchable", "lon_band", "lat", "lon", "x", "y", "z", "provider_id", "is_only_location"]


def _set_bands(per_degree: int) -> None:
    # lon + 180 >= 0, so truncating is flooring; the same double arithmetic as geo_math.lon_band.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"UPDATE location SET lon_band = min({360 * per_degree - 1}, "
                   f"CAST((lon + 180) * {per_degree} AS INTEGER)) WHERE lon IS NOT NULL")
    else:
        op.execute(f"UPDATE location SET lon_band = least({360 * per_degree - 1}, "
                   f"floor((lon + 180) * {per_degree})::integer) WHERE lon IS NOT NULL")


def upgrade():
    _set_bands(10)
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index("ix_location_provider_id")
        batch_op.create_index("ix_location_provider_search", ["provider_id", "searchable", "x", "y", "z"])
        if op.get_bind().dialect.name == "postgresql":
            batch_op.drop_index("ix_location_search")
            batch_op.create_index("ix_location_search", SEARCH_COLUMNS, postgresql_include=["id"])
    with op.batch_alter_table("service_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_index("ix_service_state_state")
    op.execute(
        "UPDATE service_state SET listed = EXISTS (SELECT 1 FROM provider WHERE provider.id = service_state.provider_id "
        "AND provider.listing_status = 'published' AND provider.offers_at_home)"
    )
    with op.batch_alter_table("service_state", schema=None) as batch_op:
        batch_op.create_index("ix_service_state_state_listed", ["state", "listed", "provider_id"])


def downgrade():
    with op.batch_alter_table("service_state", schema=None) as batch_op:
        batch_op.drop_index("ix_service_state_state_listed")
        batch_op.create_index("ix_service_state_state", ["state"])
        batch_op.drop_column("listed")
    with op.batch_alter_table("location", schema=None) as batch_op:
        if op.get_bind().dialect.name == "postgresql":
            batch_op.drop_index("ix_location_search")
            batch_op.create_index("ix_location_search", SEARCH_COLUMNS)
        batch_op.drop_index("ix_location_provider_search")
        batch_op.create_index("ix_location_provider_id", ["provider_id"])
    _set_bands(2)
