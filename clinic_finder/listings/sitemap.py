"""What a search engine may list: the published profiles, in sitemap-sized parts, and never fictional ones."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings.directory import published
from clinic_finder.models import Provider

# The sitemap protocol's limit of URLs per file; past it the sitemap becomes an index of parts.
URLS_PER_SITEMAP = 50_000


def listable() -> sa.Select:
    """Published, real providers: a demo listing is fictional and must never reach a search engine."""
    return published().where(Provider.is_demo.is_(False))


def part_count() -> int:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(listable().subquery())) or 0
    return max(1, -(-total // URLS_PER_SITEMAP))


def profiles_in_part(part: int) -> list[tuple[int, datetime | None]]:
    """(provider id, last modified) of one part, by id, so a part's content is stable between crawls."""
    stmt = (listable().with_only_columns(Provider.id, Provider.updated_at).order_by(Provider.id)
            .offset((part - 1) * URLS_PER_SITEMAP).limit(URLS_PER_SITEMAP))
    return [(row.id, row.updated_at) for row in db.session.execute(stmt)]
