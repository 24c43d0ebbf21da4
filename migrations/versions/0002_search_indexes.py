"""Search indexes (filled in by the search feature).

Revision ID: 0002_search_indexes
Revises: 0001_initial
"""

revision = "0002_search_indexes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
