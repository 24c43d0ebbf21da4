"""Fixtures for staff sign-in and the admin workspace."""
from __future__ import annotations

import re

import pytest

from clinic_finder import create_app
from clinic_finder.extensions import db as _db
from clinic_finder.extensions import limiter
from clinic_finder.models import Role

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.org", Role.ADMIN, PASSWORD)


@pytest.fixture
def moderator(make_user):
    return make_user("mod@example.org", Role.MODERATOR, PASSWORD)


@pytest.fixture
def signed_in_admin(admin, login_as):
    return login_as(admin)


@pytest.fixture
def signed_in_moderator(moderator, login_as):
    return login_as(moderator)


@pytest.fixture
def other_app(app):
    """A second app on the same database with settings of a test's choosing (e.g. CSRF or rate limits on)."""
    made = []

    def _make(**settings):
        config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
        config.update({"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "SESSION_COOKIE_SECURE": False, "RATELIMIT_STORAGE_URI": "memory://"})
        config.update(settings)
        new = create_app(config)
        made.append(new)
        if settings.get("RATELIMIT_ENABLED"):
            limiter.reset()
        return new

    yield _make
    # The limiter is one object shared by every app: switch it off again for the rest of the suite.
    if limiter.enabled:
        limiter.reset()
    limiter.enabled = False
    for new in made:
        with new.app_context():
            _db.session.remove()
            _db.engine.dispose()


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)
