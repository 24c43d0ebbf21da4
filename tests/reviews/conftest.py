"""Fixtures for the review tests: valid form data (with a form token rendered a minute ago) and row counts."""
from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db as _db
from clinic_finder.models import OutboxMessage, Review
from clinic_finder.reviews.abuse import FormTiming

GOOD_TEXT = ("The nurse checked my blood pressure before and during the infusion, and the doctor explained "
             "what the dissociation would feel like. Recovery room was quiet.")


def last_month() -> tuple[str, str]:
    today = datetime.now(UTC).date()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return str(month), str(year)


@pytest.fixture
def valid_review(app):
    """Form data for a complete review of provider_id; `seconds_ago` back-dates the form's render time."""

    def _data(provider_id: int, seconds_ago: float = 60, **overrides) -> dict:
        month, year = last_month()
        data = {
            "overall_rating": "4",
            "experience_rating": "5",
            "professionalism_rating": "4",
            "customer_service_rating": "3",
            "safety_rating": "5",
            "value_rating": "",
            "mode": "in_clinic",
            "route": "iv",
            "treatment_month": month,
            "treatment_year": year,
            "text": GOOD_TEXT,
            "display_name": "Sam",
            "email": "sam@example.org",
            "consent": "y",
            "website": "",
            "form_token": FormTiming(app.secret_key).token(provider_id, time.time() - seconds_ago),
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return _data


@pytest.fixture
def count_rows(db):
    def _count(model, *where) -> int:
        _db.session.expire_all()
        return _db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    return _count


@pytest.fixture
def nothing_stored(count_rows):
    def _check():
        assert count_rows(Review) == 0
        assert count_rows(OutboxMessage) == 0

    return _check


@pytest.fixture
def live_server(live_server):
    """The shared live server (tests/browser/fixtures.py) as (host, port), for the concurrency tests' raw sockets."""
    host, port = live_server.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def post_form(host: str, port: int, path: str, data: dict, timeout: float = 60) -> tuple[int, str]:
    """POST form data without following redirects; (status, body)."""
    import http.client
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("POST", path, body=urlencode(data, doseq=True),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture
def outbox(db):
    """The messages queued so far, oldest first."""
    def _messages() -> list[OutboxMessage]:
        _db.session.expire_all()
        return list(_db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))

    return _messages
