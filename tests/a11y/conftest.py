"""The accessibility audit walks the demo directory: seeded once per test, served by the shared live server."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.interchange.seeding import seed_from_folder
from clinic_finder.models import Location, Provider, Review

SEED = Path(__file__).resolve().parents[2] / "seed_data"


@pytest.fixture
def demo_directory(db):
    seed_from_folder(SEED, demo=True)


@pytest.fixture
def profile_id(demo_directory) -> int:
    """The published clinic with the most reviews: licenses, reviews, checklist, a map."""
    reviewed = (sa.select(Review.provider_id, sa.func.count().label("n")).group_by(Review.provider_id)
                .order_by(sa.desc("n")).limit(1))
    row = db.session.execute(reviewed).first()
    return row.provider_id


@pytest.fixture
def busy_zip(demo_directory) -> str:
    """A ZIP code with many demo clinics around it."""
    stmt = (sa.select(Location.zip_code, sa.func.count().label("n")).join(Provider)
            .group_by(Location.zip_code).order_by(sa.desc("n")).limit(1))
    return db.session.execute(stmt).first().zip_code


def submit_without_browser_checks(page, form_selector: str, button_name: str) -> None:
    """Sends a form as a browser without HTML5 validation would (or a hurried person with a screen reader), so the
    server's own error state is what gets audited."""
    form = page.locator(form_selector)
    form.evaluate("f => { f.noValidate = true; }")
    form.get_by_role("button", name=button_name).click()
    page.wait_for_load_state("load")
