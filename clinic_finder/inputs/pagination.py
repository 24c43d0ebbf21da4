"""One page of a list: the Page every list returns, and the one way a statement is cut into pages.

(Flask-SQLAlchemy's db.paginate would read the request itself and abort on a bad page; our views parse the page
with the input kit and decide what a page past the end means — 404 on HTML lists, page_out_of_range in the API.)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from clinic_finder.extensions import db


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def past_the_end(self) -> bool:
        """A page number beyond the last page (the first page of an empty list is not)."""
        return self.page > self.pages


def paginate(statement: sa.Select, page: int, per_page: int, *, options: tuple[Any, ...] = ()) -> Page:
    """The total and one page of `statement` (already ordered), in two queries; `options` (eager loads) apply
    to the page only, not to the count."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = db.session.scalars(statement.options(*options).limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(rows), total, page, per_page)


def page_of_list(items: list, page: int, per_page: int) -> Page:
    """A page of a list already in memory (a computed queue)."""
    start = (page - 1) * per_page
    return Page(items[start:start + per_page], len(items), page, per_page)
