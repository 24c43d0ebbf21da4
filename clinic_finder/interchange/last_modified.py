"""When what the exports and the HSDS API show about a listing last changed (HSDS `last_modified`, FHIR
`meta.lastUpdated`, the `modified_after` filter).

Two kinds of change move it. A row changes: every flush that adds, changes or deletes a listing's own row, its
clinics, served states, routes, conditions, clinicians, licenses or checklist stamps Provider.content_modified_at
(counted reviews reach it through the rating the trust summary stores on the provider row). And the clock: on the
day after a license's expiry date it counts as expired (licensing.status.status_on) without any row changing, so
the effective moment is the later of the stamp and the start of that day — computed when read, never by a
nightly job that a missed run would leave behind.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clinic_finder.licensing.status import provider_licenses
from clinic_finder.models import (
    ChecklistItem,
    Clinician,
    License,
    LicenseStatus,
    Location,
    Provider,
    ProviderCondition,
    ProviderRoute,
    ServiceState,
)
from clinic_finder.models.types import utcnow
from clinic_finder.vetting.trust import provider_of

_SHOWN_ROWS = (Provider, Location, ServiceState, ProviderRoute, ProviderCondition, Clinician, License, ChecklistItem)
# A license stored as revoked or expired shows the same after its expiry date: its lapse changes nothing.
_LAPSE_CHANGES = (LicenseStatus.REVOKED, LicenseStatus.EXPIRED)


def _today() -> date:
    return datetime.now(UTC).date()


def lapse_moment(expires_on: date) -> datetime:
    """The moment a license starts to count as expired: the start (UTC) of the day after its expiry date."""
    return datetime.combine(expires_on + timedelta(days=1), time(0), tzinfo=UTC)


def last_modified(provider: Provider, today: date | None = None) -> datetime:
    """The effective last modification: the stored stamp, or a later lapse of one of its licenses."""
    today = today or _today()
    moments = [provider.content_modified_at or provider.created_at or utcnow()]
    moments += [lapse_moment(lic.expires_on) for lic in provider_licenses(provider)
                if lic.status not in _LAPSE_CHANGES and lic.expires_on is not None and lic.expires_on < today]
    return max(moments)


def modified_since_sql(moment: datetime, today: date | None = None) -> sa.ColumnElement[bool]:
    """A WHERE clause on Provider: last_modified(provider) >= moment, in SQL."""
    today = today or _today()
    # lapse_moment(d) >= moment  <=>  d >= the first expiry date whose next midnight is not before `moment`.
    moment = moment.astimezone(UTC)
    first_date = moment.date() - timedelta(days=1) if moment.timetz() == time(0, tzinfo=UTC) else moment.date()
    lapsed_since = (
        sa.select(License.id)
        .join(Clinician, Clinician.id == License.clinician_id)
        .where(Clinician.provider_id == Provider.id, License.status.not_in(_LAPSE_CHANGES),
               License.expires_on < today, License.expires_on >= first_date)
        .exists()
    )
    return sa.or_(Provider.content_modified_at >= moment, lapsed_since)


def stamp_changed_listings(session: Session, _context=None, _instances=None) -> None:
    """before_flush: stamp each listing whose shown rows this flush adds, changes or deletes."""
    now = utcnow()
    with session.no_autoflush:
        changed = [obj for obj in session.new if isinstance(obj, _SHOWN_ROWS)]
        changed += [obj for obj in session.deleted if isinstance(obj, _SHOWN_ROWS)]
        # Columns only: a row added to a collection (a pending review on provider.reviews) is judged by its own type.
        changed += [obj for obj in session.dirty
                    if isinstance(obj, _SHOWN_ROWS) and session.is_modified(obj, include_collections=False)]
        providers = {provider_of(session, obj) for obj in changed}
        for provider in providers:
            if provider is None or provider in session.deleted:
                continue
            own_row_changed = provider in session.new or session.is_modified(provider, include_collections=False)
            provider.content_modified_at = now
            if not own_row_changed:
                # Only a related row changed (a clinic, a license, a stored fact): the listing row's updated_at keeps
                # meaning "the listing itself was edited" (an approval that changes nothing writes nothing there),
                # so the stamp's UPDATE sets it to itself instead of letting its onupdate fire.
                provider.updated_at = Provider.__table__.c.updated_at


def init_last_modified(session_target) -> None:
    """Register the stamp (create_app calls this after the trust summary's hook, so a flush that only changes the
    summary a review moved — the rating on the provider row — is seen as a change too)."""
    if not sa.event.contains(session_target, "before_flush", stamp_changed_listings):
        sa.event.listen(session_target, "before_flush", stamp_changed_listings)
