"""An import writes through SQLite's small default page cache, and gives the connection back with its own."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder.interchange.engine import Outcome, run_import
from clinic_finder.interchange.page_cache import IMPORT_CACHE_SIZE


def _cache_size(db) -> int:
    return db.session.execute(sa.text("PRAGMA cache_size")).scalar_one()


@pytest.fixture
def sqlite_only(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no per-connection page cache")


@pytest.mark.parametrize("all_or_nothing", [True, False])
def test_an_import_writes_with_the_small_cache_and_restores_the_search_one(db, sqlite_only, all_or_nothing):
    searching = _cache_size(db)
    assert searching != IMPORT_CACHE_SIZE  # the app's pragma for searches (64 MB)
    seen = []

    def handle(number, row):
        seen.append(_cache_size(db))
        return Outcome.SKIPPED

    run_import([(1, "a"), (2, "b"), (3, "c")], handle, all_or_nothing=all_or_nothing, batch_size=1)
    assert seen == [IMPORT_CACHE_SIZE] * 3
    assert _cache_size(db) == searching


def test_the_cache_is_given_back_when_the_reader_fails(db, sqlite_only):
    searching = _cache_size(db)

    def rows():
        yield 1, "a"
        raise ValueError("the header lacks a column")

    with pytest.raises(ValueError):
        run_import(rows(), lambda number, row: Outcome.SKIPPED)
    assert _cache_size(db) == searching
