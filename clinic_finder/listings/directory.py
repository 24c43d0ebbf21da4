"""Reading the directory: published listings, one profile with everything it shows loaded up front."""
from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from clinic_finder.extensions import db
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.models import Clinician, License, ListingStatus, Provider


def published() -> sa.Select:
    return sa.select(Provider).where(Provider.listing_status == ListingStatus.PUBLISHED)


def list_published(page: int, per_page: int) -> Page:
    return paginate(published().order_by(Provider.name, Provider.id), page, per_page,
                    options=(selectinload(Provider.locations), selectinload(Provider.service_states)))


# A team's licenses, and their rare board actions, are read in the clinicians' statement: each statement a profile
# does not send saves 0.1–0.3 ms of its CPU (bench/LOAD.md).
_NESTED = {"clinicians": (joinedload(Clinician.licenses).joinedload(License.disciplinary_actions),)}
# A provider's collections that a profile shows apart from its clinics and routes (joined into its own row).
_COLLECTIONS = ("service_states", "condition_links", "checklist_items", "clinicians")


def profile_options():
    """Everything a profile page shows, for a statement reading several providers: a fixed number of queries
    (no N+1), however many providers, licenses or checks."""
    return tuple(selectinload(getattr(Provider, name)).options(*_NESTED.get(name, ()))
                 for name in ("locations", "route_links", *_COLLECTIONS))


def _collection_statement(name: str) -> sa.Select:
    """One provider's rows of a collection, in the relationship's own order."""
    relationship = getattr(Provider, name).property
    ((_, foreign_key),) = relationship.local_remote_pairs
    return (sa.select(relationship.mapper).where(foreign_key == sa.bindparam("provider_id"))
            .order_by(*(relationship.order_by or ())).options(*_NESTED.get(name, ())))


@cache
def _published_profile() -> tuple[sa.Select, tuple[tuple[str, sa.Select], ...]]:
    # Built once per process (building the statements and their cache keys cost 0.3 ms of every profile). The
    # provider's clinics (one to three) and routes (at most four) are joined into its own rows; each longer
    # collection is one statement of its own, its rows set as the loaded collection. selectinload sent the same
    # statements, but its per-statement machinery was half of a profile's loading: 2.5–3.0 ms a profile against
    # 1.2 ms this way on SQLite, 3.8–5.5 against 2.3–2.7 on PostgreSQL (100,000 providers, bench/profile_page.py).
    provider = published().where(Provider.id == sa.bindparam("provider_id")).options(
        joinedload(Provider.locations), joinedload(Provider.route_links))
    return provider, tuple((name, _collection_statement(name)) for name in _COLLECTIONS)


def get_published_provider(provider_id: int) -> Provider | None:
    """The published provider with everything its profile shows loaded, or None."""
    provider_statement, collections = _published_profile()
    params = {"provider_id": provider_id}
    # unique(): the joined collections give the provider one row per clinic and route (and a clinician one per
    # license).
    provider = db.session.execute(provider_statement, params).unique().scalar_one_or_none()
    if provider is not None:
        unloaded = sa.inspect(provider).unloaded  # a provider this session already holds keeps what it has
        for name, statement in collections:
            if name in unloaded:
                set_committed_value(provider, name, db.session.execute(statement, params).unique().scalars().all())
    return provider
