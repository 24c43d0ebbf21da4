"""Fixtures for staff sign-in and the admin workspace."""
from __future__ import annotations

import re

import pytest

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


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)
