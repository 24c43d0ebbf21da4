"""While an import runs: SQLite's small default page cache, and the garbage collector leaves alone what was alive
before; afterwards the connection and the collector are as they were."""
from __future__ import annotations

import gc

import pytest
import sqlalchemy as sa

from clinic_finder.geo.geocoding import us_data
from clinic_finder.interchange.engine import Outcome, run_import
from clinic_finder.interchange.import_footprint import IMPORT_CACHE_SIZE


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


def test_what_lived_before_the_import_is_frozen_while_it_runs_and_handed_back_after(db):
    us_data.cache_clear()  # the import builds the ZIP index before it freezes, so the index is frozen too
    frozen = []

    def handle(number, row):
        frozen.append(gc.get_freeze_count())
        return Outcome.SKIPPED

    run_import([(1, "a")], handle)
    assert us_data.cache_info().currsize == 1
    assert frozen[0] > 100_000  # the app, its modules and the ZIP index
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_objects_itself_keeps_them_frozen(db):
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        run_import([(1, "a")], lambda number, row: Outcome.SKIPPED)
        # Still frozen (less what died meanwhile: freeing an object takes it off the frozen list too).
        assert before * 0.9 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()


def test_both_are_undone_when_the_reader_fails(db):
    searching = _cache_size(db) if db.engine.dialect.name == "sqlite" else None

    def rows():
        yield 1, "a"
        raise ValueError("the header lacks a column")

    with pytest.raises(ValueError):
        run_import(rows(), lambda number, row: Outcome.SKIPPED)
    assert gc.get_freeze_count() == 0
    if searching is not None:
        assert _cache_size(db) == searching
