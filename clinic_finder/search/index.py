"""Keeping the search rows in step with their provider, on every flush of the app's session.

Radius search reads only the location index and the at-home list only service_state (bench/README.md), so the
provider facts they need are copied onto those rows: Location.searchable and is_only_location, ServiceState.listed.
What the flags mean is defined beside the columns (models/provider.py: search_flags, at_home_listed); this module
applies it whenever a provider, a location or a served state changes. create_app registers it.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from clinic_finder.extensions import db
from clinic_finder.models import Location, Provider, ServiceState
from clinic_finder.models.provider import at_home_listed, refresh_all_search_flags, search_flags

__all__ = ["init_search_index", "keep_search_rows_in_step", "refresh_all_search_flags"]


def init_search_index(app: Flask) -> None:
    """Keep search rows in step on every flush of db.session (once per process: the session is shared by apps)."""
    if not sa.event.contains(db.session, "before_flush", keep_search_rows_in_step):
        sa.event.listen(db.session, "before_flush", keep_search_rows_in_step)


def keep_search_rows_in_step(session: sa.orm.Session, _context=None, _instances=None) -> None:
    """before_flush: recompute the flags of every provider whose listing, locations or served states changed."""
    providers = _changed_providers(session)
    with session.no_autoflush:
        for provider, added in providers.items():
            if provider not in session.deleted:
                _refresh_provider(session, provider, added)


def _changed_providers(session: sa.orm.Session) -> dict[Provider, list[Location]]:
    """Each changed provider, with its new locations made by provider_id alone (not in its collection yet)."""
    providers: dict[Provider, list[Location]] = {}
    for obj in (*session.new, *session.dirty):
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
