"""Fixtures for the guide, self-assessment and consultation tests."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db as _db
from clinic_finder.models import ConsultationRequest, OutboxMessage


def valid_assessment(**overrides) -> dict:
    """Form data for a complete, valid self-assessment (lists for the checkbox questions)."""
    data = {
        "concerns": ["depression"],
        "duration": "over_2_years",
        "treatments": ["talk_therapy", "several_medications"],
        "medications": "",
        "history": ["none"],
        "self_harm": "no",
        "preference": "in_clinic",
        "budget": "600",
        "zip_code": "10001",
    }
    data.update(overrides)
    return data


def valid_consultation(**overrides) -> dict:
    data = {
        "name": "Jordan Example",
        "email": "jordan@example.org",
        "phone": "212-555-0123",
        "preferred_contact_time": "evening",
        "message": "I would like to know what a first session involves.",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def count_rows(db):
    def _count(model) -> int:
        return _db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return _count


@pytest.fixture
def nothing_stored(count_rows):
    """Asserts no consultation request and no outbox message exist."""

    def _check():
        _db.session.expire_all()
        assert count_rows(ConsultationRequest) == 0
        assert count_rows(OutboxMessage) == 0

    return _check


@pytest.fixture
def login(app, client):
    """Sign a staff user in directly (the login form belongs to another feature)."""
    from clinic_finder.auth.session import SESSION_KEY
    from clinic_finder.extensions import login_manager
    from clinic_finder.staff import sessions as staff_sessions

    def _login(user):
        with app.test_request_context(environ_base=client.environ_base):
            identifier = login_manager._session_identifier_generator()
        with client.session_transaction() as session:
            session["_user_id"] = f"{user.id}:{user.session_version}"
            session["_fresh"] = True
            session["_id"] = identifier
            session[SESSION_KEY] = staff_sessions.start(user, app.permanent_session_lifetime)  # as sign-in does
        return user

    return _login


@pytest.fixture
def make_provider(db):
    """Providers here offer a free consultation unless a test says otherwise: the request form is only open to
    providers whose listing offers one (issue 14: the button and the listing cannot disagree)."""
    from tests import factories

    def make(*args, **fields):
        fields.setdefault("free_consultation", True)
        return factories.make_provider(*args, **fields)

    return make
