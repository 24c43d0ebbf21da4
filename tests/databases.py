"""Throwaway databases for tests that need one of their own (migrations from scratch, an archive's target)."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def throwaway_postgresql():
    """A new, empty PostgreSQL database beside TEST_DATABASE_URL's (None without PostgreSQL)."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield None
        return
    url = sa.engine.make_url(base)
    name = f"cf_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url.set(drivername="postgresql+psycopg", database="postgres"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
