"""Keeping the search rows in step with their provider, on every flush of the app's session.

Radius search reads only the location index and the at-home list only service_state (bench/README.md), so the
provider facts they need are copied onto those rows: Location.searchable and is_only_location, ServiceState.listed,
prescriber_until and has_clinic. What the flags mean is defined beside the columns (models/provider.py:
search_flags, at_home_listed; licensing/prescribers.py: prescriber_until_sql); this module applies it whenever a
provider, a location, a served state, a clinician or a license changes. create_app registers it.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from clinic_finder.extensions import db
from clinic_finder.licensing.prescribers import prescriber_until_sql
from clinic_finder.models import Clinician, License, Location, Provider, ServiceState
from clinic_finder.models.provider import at_home_listed, search_flags
from clinic_finder.models.provider import refresh_all_search_flags as _refresh_location_flags
from clinic_finder.search import cells  # noqa: F401 (search_cell and its triggers join the schema with the app)
from clinic_finder.vetting.trust import provider_of

__all__ = ["init_search_index", "keep_search_rows_in_step", "refresh_all_search_flags", "refresh_at_home_rows"]
_PENDING = "search_at_home_rows"  # session.info key: providers whose at-home rows the flush must refresh


def init_search_index(app: Flask) -> None:
    """Keep search rows in step on every flush of db.session (once per process: the session is shared by apps)."""
    for name, listener in (("before_flush", keep_search_rows_in_step),
                           ("after_flush_postexec", _refresh_pending_at_home_rows)):
        if not sa.event.contains(db.session, name, listener):
            sa.event.listen(db.session, name, listener)


def keep_search_rows_in_step(session: sa.orm.Session, _context=None, _instances=None) -> None:
    """before_flush: recompute the flags of every provider whose listing, locations or served states changed."""
    providers = _changed_providers(session)
    with session.no_autoflush:
        for provider, added in providers.items():
            if provider not in session.deleted:
                _refresh_provider(session, provider, added)
        team_changed = {provider_of(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)
                        if isinstance(obj, (Clinician, License))}
        pending = session.info.setdefault(_PENDING, set())
        pending.update(p for p in (*providers, *team_changed)
                       if p is not None and p not in session.deleted and p.service_states)


def refresh_at_home_rows(session: sa.orm.Session, provider_ids: list[int] | None = None) -> None:
    """Store prescriber_until and has_clinic on the served states of these providers (None: of every provider), from
    the rows as flushed: one UPDATE, the way bulk loads that bypass the ORM keep them in step too."""
    has_clinic = (sa.select(Location.id).where(Location.provider_id == ServiceState.provider_id,
                                               Location.searchable.is_(True)).exists())
    stmt = sa.update(ServiceState).values(
        prescriber_until=prescriber_until_sql(ServiceState.provider_id, ServiceState.state), has_clinic=has_clinic)
    if provider_ids is not None:
        stmt = stmt.where(ServiceState.provider_id.in_(provider_ids))
    session.connection().execute(stmt)


def refresh_all_search_flags(session: sa.orm.Session) -> None:
    """Recompute every search row's flags (after bulk loads that bypass the ORM)."""
    _refresh_location_flags(session)
    refresh_at_home_rows(session)


def _refresh_pending_at_home_rows(session: sa.orm.Session, _context=None) -> None:
    """after_flush_postexec: the flushed licenses and clinics decide the at-home rows, so they are read in SQL."""
    providers = session.info.pop(_PENDING, None)
    if not providers:
        return
    providers = [p for p in providers if p.id is not None and sa.inspect(p).persistent]
    if providers:
        refresh_at_home_rows(session, [p.id for p in providers])
        for provider in providers:
            for served in provider.service_states:
                if sa.inspect(served).persistent:
                    session.expire(served, ["prescriber_until", "has_clinic"])


def _changed_providers(session: sa.orm.Session) -> dict[Provider, list[Location]]:
    """Each changed provider, with its new locations made by provider_id alone (not in its collection yet)."""
    providers: dict[Provider, list[Location]] = {}
    for obj in (*session.new, *session.dirty, *(o for o in session.deleted if isinstance(o, Location))):
        if isinstance(obj, Provider):
            providers.setdefault(obj, [])
        elif isinstance(obj, (Location, ServiceState)):
            provider = _provider_of(session, obj)
            if provider is not None:
                providers.setdefault(provider, [])
                if isinstance(obj, Location) and obj.provider is None and obj in session.new:
                    providers[provider].append(obj)
                if isinstance(obj, ServiceState):
                    _set(obj, "listed", at_home_listed(provider))  # it may not be in provider.service_states yet
            elif isinstance(obj, Location):
                _set(obj, "searchable", False)  # a clinic without a provider is never found
    return providers


def _provider_of(session: sa.orm.Session, row: Location | ServiceState) -> Provider | None:
    if row.provider is None and row.provider_id is not None:  # made with a bare provider_id
        with session.no_autoflush:
            return session.get(Provider, row.provider_id)
    return row.provider


def _refresh_provider(session: sa.orm.Session, provider: Provider, added: list[Location]) -> None:
    live = [loc for loc in (*provider.locations, *added) if loc not in session.deleted]
    for loc in live:
        searchable, only = search_flags(provider, loc, len(live))
        _set(loc, "searchable", searchable)
        _set(loc, "is_only_location", only)
    listed = at_home_listed(provider)
    for served in provider.service_states:
        _set(served, "listed", listed)


def _set(row, name: str, value: bool) -> None:
    """Assign only a changed value, so an unchanged row is not marked dirty and rewritten."""
    if getattr(row, name) != value:
        setattr(row, name, value)
