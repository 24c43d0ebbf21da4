"""Email addresses in their one stored form: the whole address lowercased (the input kit's rule for every door).

Reviews, consultation requests, listing submissions and problem reports used to keep the local part's case, so
"Jane@example.org" and "jane@example.org" were two people to duplicate detection and to the resend page. Staff
addresses were already lowercased. The downgrade keeps the lowercased values: the original case is not needed by
anything and cannot be recovered.

Revision ID: 0006_lowercase_emails
Revises: 0005_review_confirm_resend
"""
from alembic import op

revision = "0006_lowercase_emails"
down_revision = "0005_review_confirm_resend"
branch_labels = None
depends_on = None

COLUMNS = (("review", "contact_email"), ("consultation_request", "email"),
           ("listing_submission", "submitter_email"), ("problem_report", "reporter_email"))


def upgrade():
    for table, column in COLUMNS:
        op.execute(f"UPDATE {table} SET {column} = lower({column}) WHERE {column} <> lower({column})")


def downgrade():
    pass
