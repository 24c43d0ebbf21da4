"""Reading the directory: published listings, one profile with everything it shows loaded up front."""
from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from clinic_finder.extensions import db
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.models import Clinician, License, ListingStatus, Provider


def published() -> sa.Select:
    return sa.select(Provider).where(Provider.listing_status == ListingStatus.PUBLISHED)


def list_published(page: int, per_page: int) -> Page:
    return paginate(published().order_by(Provider.name, Provider.id), page, per_page,
                    options=(selectinload(Provider.locations), selectinload(Provider.service_states)))


def profile_options(one: bool = False):
    """Everything a profile page shows, loaded in a fixed number of queries (no N+1).

    one: for a statement that reads a single provider, whose clinics (one to three) and routes (at most four) are
    joined into its own rows: two statements fewer, 0.2–0.4 ms of a profile. A list of providers selects them, and
    the longer collections are selected for one provider too, as each joined collection multiplies the rows."""
    joined = joinedload if one else selectinload
    return (
        joined(Provider.locations),
        selectinload(Provider.service_states),
        joined(Provider.route_links),
        selectinload(Provider.condition_links),
        selectinload(Provider.checklist_items),
        # A team's licenses, and their rare board actions, are joined into the clinicians' statement: each
        # statement a profile does not send saves 0.1–0.3 ms of its CPU (bench/LOAD.md).
        selectinload(Provider.clinicians).joinedload(Clinician.licenses).joinedload(License.disciplinary_actions),
    )


@cache
def _published_profile() -> sa.Select:
    # Built once per process: building the statement and its cache key with seven loader options cost 0.3 ms of
    # every profile page (bench/profile_page.py).
    return published().where(Provider.id == sa.bindparam("provider_id")).options(*profile_options(one=True))


def get_published_provider(provider_id: int) -> Provider | None:
    # unique(): the joined collections give the provider one row per clinic and route.
    return db.session.execute(_published_profile(), {"provider_id": provider_id}).unique().scalar_one_or_none()
