"""Loading the published directory once for an export, with everything it needs (no N+1)."""
from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.listings.directory import profile_options, published
from clinic_finder.models import Provider


def published_providers(batch_size: int = 500) -> Iterator[Provider]:
    """Published providers in id order, loaded in batches so memory stays flat on big directories."""
    last_id = 0
    while True:
        batch = db.session.scalars(
            published().where(Provider.id > last_id).options(*profile_options()).order_by(Provider.id).limit(batch_size)
        ).all()
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
        # Only this batch (its rows cascade): the session may hold other things a request still needs, such as the
        # signed-in admin who downloads the export.
        for provider in batch:
            db.session.expunge(provider)


def count_published() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(published().subquery())) or 0
