"""search/index.py: the factory registers the listener that keeps search rows in step, and it does keep them."""
from __future__ import annotations

import sqlalchemy as sa

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db
from clinic_finder.models import ListingStatus, Location, ServiceState
from clinic_finder.search.index import keep_search_rows_in_step


def test_create_app_registers_the_search_index_listener(app):
    sa.event.remove(db.session, "before_flush", keep_search_rows_in_step)
    assert not sa.event.contains(db.session, "before_flush", keep_search_rows_in_step)
    try:
        create_app(TestConfig)
        assert sa.event.contains(db.session, "before_flush", keep_search_rows_in_step)
        create_app(TestConfig)  # a second app does not register it twice
        assert sa.event.contains(db.session, "before_flush", keep_search_rows_in_step)
    finally:
        if not sa.event.contains(db.session, "before_flush", keep_search_rows_in_step):
            sa.event.listen(db.session, "before_flush", keep_search_rows_in_step)


def test_a_provider_change_updates_its_search_rows(make_provider):
    p = make_provider("In step", at_home=True, states_served=("NY",))
    [loc] = p.locations
    [served] = p.service_states
    assert loc.searchable and loc.is_only_location and served.listed
    p.listing_status = ListingStatus.SUSPENDED
    db.session.commit()
    rows = db.session.execute(sa.select(Location.searchable).where(Location.provider_id == p.id)).scalars().all()
    listed = db.session.execute(sa.select(ServiceState.listed).where(ServiceState.provider_id == p.id)).scalars().all()
    assert rows == [False] and listed == [False]
    p.listing_status = ListingStatus.PUBLISHED
    db.session.commit()
    assert loc.searchable and served.listed


def test_a_location_added_by_provider_id_alone_is_searchable(make_provider):
    p = make_provider("Bare id")
    extra = Location(provider_id=p.id, address_line1="5 Annex Rd", city="New York", state="NY", zip_code="10001")
    extra.set_coordinates(40.75, -73.99, "test")
    db.session.add(extra)
    db.session.commit()
    assert extra.searchable
