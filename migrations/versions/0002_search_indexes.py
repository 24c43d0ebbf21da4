"""Search indexes: denormalised search flags on location and the covering index radius search reads.

Revision ID: 0002_search_indexes
Revises: 0001_initial
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_search_indexes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.add_column(sa.Column("searchable", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("is_only_location", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("lon_band", sa.Integer(), nullable=True))
    # Existing rows: published, in-clinic and geocoded locations are searchable.
    op.execute(
        "UPDATE location SET searchable = (lat IS NOT NULL AND x IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM provider WHERE provider.id = location.provider_id "
        "AND provider.listing_status = 'published' AND provider.offers_in_clinic))"
    )
    op.execute(
        "UPDATE location SET is_only_location = ("
        "(SELECT count(*) FROM location AS sibling WHERE sibling.provider_id = location.provider_id) = 1)"
    )
    # Half-degree longitude bands (geo_math.lon_band); lon + 180 >= 0, so truncating is flooring.
    op.execute("UPDATE location SET lon_band = CAST((lon + 180) * 2 AS INTEGER) WHERE lon IS NOT NULL"
               if op.get_bind().dialect.name == "sqlite" else
               "UPDATE location SET lon_band = floor((lon + 180) * 2)::integer WHERE lon IS NOT NULL")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(
            "ix_location_search",
            ["searchable", "lon_band", "lat", "lon", "x", "y", "z", "provider_id", "is_only_location"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index("ix_location_search")
        batch_op.drop_column("lon_band")
        batch_op.drop_column("is_only_location")
        batch_op.drop_column("searchable")
