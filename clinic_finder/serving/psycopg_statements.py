"""psycopg keeps the conversion of a statement's `%(name)s` placeholders for the next execution only when the
statement is at most 4 KB long (psycopg/_queries.py, MAX_CACHED_STATEMENT_LENGTH: it guards against ORMs' ever-new
multi-row INSERTs). PostgreSQL's one-statement search (search/single_statement.py) is 10.6 KB, the same text every
time, so each search paid the conversion again: 0.3–0.5 ms of a results page's or an API search's CPU
(bench/profile_page.py). The limit is raised to 32 KB; the conversions kept stay at psycopg's own 128, least
recently used first out, so a run of long one-off statements (an import's) cannot grow it."""
from __future__ import annotations

LONGEST_KEPT_STATEMENT = 32 * 1024


def keep_long_statements_converted() -> None:
    try:
        from psycopg import _queries
    except ImportError:  # the PostgreSQL driver is not installed: nothing to tune
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", None) is not None:
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST_KEPT_STATEMENT)
