"""Reading the directory: published listings, one profile with everything it shows loaded up front."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clinic_finder.extensions import db
from clinic_finder.models import Clinician, ListingStatus, Provider


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


def published() -> sa.Select:
    return sa.select(Provider).where(Provider.listing_status == ListingStatus.PUBLISHED)


def list_published(page: int, per_page: int) -> Page:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(published().subquery()))
    rows = db.session.scalars(
        published()
        .options(selectinload(Provider.locations), selectinload(Provider.service_states))
        .order_by(Provider.name, Provider.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(rows), total or 0, page, per_page)


def profile_options():
    """Everything a profile page shows, loaded in a fixed number of queries (no N+1)."""
    return (
        selectinload(Provider.locations),
        selectinload(Provider.service_states),
        selectinload(Provider.route_links),
        selectinload(Provider.condition_links),
        selectinload(Provider.checklist_items),
        selectinload(Provider.clinicians).selectinload(Clinician.licenses),
    )


def get_published_provider(provider_id: int) -> Provider | None:
    return db.session.scalar(published().where(Provider.id == provider_id).options(*profile_options()))
