"""SQLite's page cache while an import writes: SQLite's own default of 2 MB, not the 64 MB the app gives every
connection for searches (the pragmas in clinic_finder/__init__.py).

SQLite keeps the pages a transaction dirties, and after a commit the clean ones, until its cache is full, so with
the search-sized cache an import's memory grew by 64 MB over its first 60,000 rows (bench/import_bench.py:
peak 258 MB for 100,000 rows, 187 MB with this) and gained nothing: an import rereads few pages, and those it
does come from the operating system's file cache. PostgreSQL has no per-connection cache to size.
"""
from __future__ import annotations

from collections.abc import Callable

from clinic_finder.extensions import db

IMPORT_CACHE_SIZE = -2000  # as PRAGMA cache_size takes it: negative means KiB


def shrink_for_import() -> Callable[[], None]:
    """Give the session's SQLite connection the small cache; returns what gives it back its own (the connection
    goes back to the pool, where a search may take it next)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return lambda: None
    raw = connection.connection.dbapi_connection
    previous = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size={IMPORT_CACHE_SIZE}")
    return lambda: raw.execute(f"PRAGMA cache_size={previous}")
