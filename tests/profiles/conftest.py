"""Fixtures for the profiles feature: providers with fully verified, partly provided or stale checklists."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinic_finder import vetting
from clinic_finder.extensions import db
from clinic_finder.models import ChecklistSource

SAMPLE_VALUES = {"bool": "yes", "int": "5", "text": "Anesthesiology", "choice": "compounded"}


def fill_checklist(provider, source=ChecklistSource.ADMIN_VERIFIED, verified_days_ago=12, skip=()):
    """Give every applicable check a value from one source (admin-verified ones dated days ago)."""
    when = datetime.now(UTC) - timedelta(days=verified_days_ago) if source == ChecklistSource.ADMIN_VERIFIED else None
    for definition in vetting.definitions_for(provider):
        if definition.key in skip:
            continue
        vetting.set_check(provider, definition.key, SAMPLE_VALUES[definition.kind], source, verified_at=when)
    db.session.commit()
    return provider


@pytest.fixture
def fill(db):
    return fill_checklist
