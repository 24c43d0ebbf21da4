"""last_modified moves with every change a service shows and with nothing else."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from clinic_finder.interchange.last_modified import last_modified
from clinic_finder.models import ModerationStatus, Provider

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def _set_back(db, provider):
    db.session.execute(sa.update(Provider).where(Provider.id == provider.id).values(content_modified_at=LONG_AGO))
    db.session.commit()
    db.session.expire_all()


def test_a_pending_review_changes_nothing_shown_and_its_approval_does(db, make_provider, add_review):
    clinic = make_provider()
    _set_back(db, clinic)
    review = add_review(clinic, 4, status=ModerationStatus.PENDING)
    assert last_modified(db.session.get(Provider, clinic.id)) == LONG_AGO
    review.status = ModerationStatus.APPROVED  # now counted: the rating and "Patient reviews" check change
    db.session.commit()
    assert last_modified(db.session.get(Provider, clinic.id)) > LONG_AGO


def test_a_save_that_changes_nothing_moves_nothing(db, make_provider):
    clinic = make_provider()
    _set_back(db, clinic)
    clinic = db.session.get(Provider, clinic.id)
    clinic.name = clinic.name
    clinic.locations[0].city = clinic.locations[0].city
    db.session.commit()
    assert last_modified(db.session.get(Provider, clinic.id)) == LONG_AGO


def test_routes_and_served_states_count_as_changes(db, make_provider):
    clinic = make_provider(at_home=True, states_served=("NY",))
    for change in (lambda p: setattr(p, "routes", ["iv", "im"]),
                   lambda p: setattr(p, "conditions", ["depression", "ptsd"])):
        _set_back(db, clinic)
        p = db.session.get(Provider, clinic.id)
        change(p)
        db.session.commit()
        assert last_modified(db.session.get(Provider, clinic.id)) > LONG_AGO
