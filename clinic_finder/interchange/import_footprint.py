"""What an import changes in the process and the connection it runs in, for as long as it runs.

- SQLite's page cache: SQLite's own default of 2 MB, not the 64 MB the app gives every connection for searches
  (the pragmas in clinic_finder/__init__.py). SQLite keeps the pages a transaction dirties, and after a commit the
  clean ones, until its cache is full: with the search-sized cache an import's memory grew by 64 MB over its first
  60,000 rows (bench/import_bench.py: peak 258 MB for 100,000 rows, 190 MB without) and gained nothing, as an import
  rereads few pages and those come from the operating system's file cache. PostgreSQL has no such cache to size.
- The garbage collector: what is alive when the import starts (the app, its modules, the ZIP index every import
  validates against: about 250,000 objects) is frozen out of its full collections, which otherwise walked all of
  it every 4,000 rows or so (0.25–0.55 s each on the bench machine; 0.002–0.03 s frozen). Objects the import
  creates are collected as usual; unfreezing at the end hands the rest back to the collector.
"""
from __future__ import annotations

import gc
from collections.abc import Callable

from clinic_finder.extensions import db

IMPORT_CACHE_SIZE = -2000  # as PRAGMA cache_size takes it: negative means KiB


def lighten_for_import() -> Callable[[], None]:
    """Apply both; returns what undoes them (the connection goes back to the pool, where a search may take it)."""
    from clinic_finder.geo.geocoding import us_data

    us_data()  # built now, it is frozen with the rest
    # A process that froze objects itself (a server before it forks) keeps its own arrangement: unfreezing at the
    # end would hand those back to the collector too.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    restore_cache = _shrink_page_cache()

    def restore() -> None:
        restore_cache()
        if freeze:
            gc.unfreeze()

    return restore


def _shrink_page_cache() -> Callable[[], None]:
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return lambda: None
    raw = connection.connection.dbapi_connection
    previous = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size={IMPORT_CACHE_SIZE}")
    return lambda: raw.execute(f"PRAGMA cache_size={previous}")
