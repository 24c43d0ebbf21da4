"""Migration 0003 installs the append-only guard on a migrated database, and its downgrade removes it."""
from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db

from ..test_migrations import empty_database_url  # noqa: F401  (the throwaway-database fixture)

INSERT = sa.text("INSERT INTO audit_event (created_at, actor_label, action, target_type) "
                 "VALUES (CURRENT_TIMESTAMP, 'system', 'test.event', 'test')")


@pytest.fixture
def loggers_kept():
    """Alembic's env.py runs logging.config.fileConfig, which disables every existing logger; undo that so
    tests after this one still see the app's log records."""
    loggers = [lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    disabled = {lg: lg.disabled for lg in loggers}
    yield
    for lg, was in disabled.items():
        lg.disabled = was


def test_a_migrated_database_refuses_to_change_audit_events(empty_database_url, loggers_kept):  # noqa: F811
    class MigrationConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(MigrationConfig)
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(INSERT)
        for statement in ("UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
                conn.execute(sa.text(statement))
        downgrade(revision="0002_search_indexes")
        with db.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_event"))
        downgrade(revision="base")
        db.engine.dispose()
