"""What imports leave for admins: each imported provider's origin and baseline (the "to review" queue of
candidates), differences a re-import found in fields someone had changed, and NPIs NPPES lists as deactivated.

Revision ID: 0011_import_review
Revises: 0010_trust_summary
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_import_review"
down_revision = "0012_hsds_ids"
branch_labels = None
depends_on = None


def _status():
    return sa.Enum("open", "resolved", "dismissed", name="requeststatus", native_enum=False, create_constraint=True,
                   length=32)


def upgrade():
    op.create_table(
        "import_origin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Enum("file", "nppes", name="importsource", native_enum=False, create_constraint=True,
                                    length=32), nullable=False),
        sa.Column("source_key", sa.String(length=160), nullable=False),
        sa.Column("source_label", sa.String(length=200), nullable=False),
        sa.Column("baseline", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("to_review", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], name=op.f("fk_import_origin_provider_id_provider"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_origin")),
        sa.UniqueConstraint("source", "source_key", name="uq_import_origin_source_key"),
    )
    op.create_index("ix_import_origin_provider_id", "import_origin", ["provider_id"])
    op.create_index("ix_import_origin_to_review", "import_origin", ["to_review", "id"])
    op.create_table(
        "import_difference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("current_value", sa.JSON(), nullable=True),
        sa.Column("incoming_value", sa.JSON(), nullable=True),
        sa.Column("source_label", sa.String(length=200), nullable=False),
        sa.Column("status", _status(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_import_difference_decided_by_id_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"],
                                name=op.f("fk_import_difference_provider_id_provider"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_difference")),
    )
    op.create_index("ix_import_difference_provider_id", "import_difference", ["provider_id"])
    op.create_index("ix_import_difference_status", "import_difference", ["status", "id"])
    op.create_table(
        "npi_deactivation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("deactivated_on", sa.Date(), nullable=False),
        sa.Column("source_label", sa.String(length=200), nullable=False),
        sa.Column("status", _status(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution_note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["clinician_id"], ["clinician.id"],
                                name=op.f("fk_npi_deactivation_clinician_id_clinician"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"],
                                name=op.f("fk_npi_deactivation_provider_id_provider"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["user.id"],
                                name=op.f("fk_npi_deactivation_resolved_by_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_npi_deactivation")),
        sa.UniqueConstraint("npi", "provider_id", "deactivated_on", name="uq_npi_deactivation"),
    )
    op.create_index("ix_npi_deactivation_npi", "npi_deactivation", ["npi"])
    op.create_index("ix_npi_deactivation_provider_id", "npi_deactivation", ["provider_id"])
    op.create_index("ix_npi_deactivation_status", "npi_deactivation", ["status", "id"])


def downgrade():
    op.drop_table("npi_deactivation")
    op.drop_table("import_difference")
    op.drop_table("import_origin")
