"""License-board rosters: disciplinary actions a roster lists, and roster mismatches for the license queue

Two new tables hanging off license; nothing existing changes, so plain CREATE TABLE works on SQLite and
PostgreSQL alike (no batch copy of the license table, whose drop would cascade on SQLite).

Revision ID: 0015_license_discipline
Revises: 0010_trust_summary
"""
from alembic import op
import sqlalchemy as sa

revision = "0015_license_discipline"
down_revision = "0010_trust_summary"
branch_labels = None
depends_on = None

# The vocabularies as they stood at this revision (a later member is its own migration).
DISCIPLINE_KINDS = ("probation", "consent_order", "suspension", "restriction", "reprimand", "surrender",
                    "revocation", "other")
MISMATCH_KINDS = ("status", "expiry", "name", "not_found", "listed_twice")


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "disciplinary_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("license_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(DISCIPLINE_KINDS, "disciplinekind"), nullable=False),
        sa.Column("board_wording", sa.String(length=200), nullable=False),
        sa.Column("action_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_dated", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["license_id"], ["license.id"], name=op.f("fk_disciplinary_action_license_id_license"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"],
                                name=op.f("fk_disciplinary_action_recorded_by_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disciplinary_action")),
    )
    op.create_index(op.f("ix_disciplinary_action_license_id"), "disciplinary_action", ["license_id"], unique=False)

    op.create_table(
        "roster_mismatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("license_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(MISMATCH_KINDS, "mismatchkind"), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_dated", sa.Date(), nullable=False),
        sa.Column("found_by_id", sa.Integer(), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["license_id"], ["license.id"], name=op.f("fk_roster_mismatch_license_id_license"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["found_by_id"], ["user.id"], name=op.f("fk_roster_mismatch_found_by_id_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["user.id"], name=op.f("fk_roster_mismatch_resolved_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_mismatch")),
    )
    op.create_index("ix_roster_mismatch_open", "roster_mismatch", ["license_id", "resolved_at"], unique=False)


def downgrade():
    op.drop_index("ix_roster_mismatch_open", table_name="roster_mismatch")
    op.drop_table("roster_mismatch")
    op.drop_index(op.f("ix_disciplinary_action_license_id"), table_name="disciplinary_action")
    op.drop_table("disciplinary_action")
