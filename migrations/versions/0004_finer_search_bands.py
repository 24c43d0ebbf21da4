"""Search: tenth-of-a-degree longitude bands, and covering indexes for the at-home list.

The at-home list reads service_state by state and asks, per provider, whether one of its clinics is in the searched
circle. With (state, provider_id) and (provider_id, searchable, x, y, z) both answers come from indexes alone, and
narrower longitude bands make a radius search read less of the index beside its circle (bench/README.md).

Revision ID: 0004_finer_search_bands
Revises: 0003_audit_append_only
"""
from alembic import op

revision = "0004_finer_search_bands"
down_revision = "0003_audit_append_only"
branch_labels = None
depends_on = None


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
    with op.batch_alter_table("service_state", schema=None) as batch_op:
        batch_op.drop_index("ix_service_state_state")
        batch_op.create_index("ix_service_state_state_provider", ["state", "provider_id"])


def downgrade():
    with op.batch_alter_table("service_state", schema=None) as batch_op:
        batch_op.drop_index("ix_service_state_state_provider")
        batch_op.create_index("ix_service_state_state", ["state"])
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index("ix_location_provider_search")
        batch_op.create_index("ix_location_provider_id", ["provider_id"])
    _set_bands(2)
