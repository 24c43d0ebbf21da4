"""Migrations upgrade an empty database to head, match the models, and go back down to base."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db
from tests.databases import throwaway_postgresql


@pytest.fixture
def empty_database_url(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield "sqlite:///" + str(tmp_path / "migrations.db")
        return
    with throwaway_postgresql() as url:
        yield url


def test_upgrade_to_head_matches_models_and_downgrades_to_base(empty_database_url):
    class MigrationConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(MigrationConfig)
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        assert {"provider", "location", "license", "review", "audit_event", "checklist_item"} <= set(
            inspector.get_table_names()
        )
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_longitude_bands_are_recomputed_both_ways(empty_database_url):
    """0004 moved to tenth-of-a-degree bands: existing clinics must be found by the new search, and after a
    downgrade by the old one."""
    from clinic_finder.geo.geodesy import lon_band

    from .factories import make_provider

    class MigrationConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(MigrationConfig)
    lons = [-73.95, -180.0, 179.99, -0.05]
    with app.app_context():
        upgrade()
        for i, lon in enumerate(lons):
            make_provider(f"Band {i}", lat=40.0, lon=lon)
        db.session.commit()
        bands = sa.text("SELECT lon, lon_band FROM location ORDER BY id")

        def stored():
            with db.engine.connect() as conn:
                return conn.execute(bands).all()

        assert stored() == [(lon, lon_band(lon)) for lon in lons]
        downgrade(revision="0003_audit_append_only")
        assert stored() == [(lon, min(719, int((lon + 180) * 2))) for lon in lons]
        upgrade()
        assert stored() == [(lon, lon_band(lon)) for lon in lons]
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_stored_emails_are_lowercased_like_new_ones(empty_database_url):
    """0006: a review stored as "Jane@Example.org" before the kit's rule is the same person as "jane@example.org"
    afterwards, so duplicate detection and the resend page find it."""
    class MigrationConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(MigrationConfig)
    with app.app_context():
        upgrade(revision="0005_review_confirm_resend")
        with db.engine.begin() as conn:
            # The provider row as 0005 knew it (today's model has columns later migrations add).
            provider_id = conn.execute(sa.text(
                "INSERT INTO provider (slug, name, description, offers_in_clinic, offers_at_home, insurance_accepted, "
                "superbill_offered, free_consultation, listing_status, license_status, rating_count, is_demo, "
                "created_at, updated_at) VALUES ('case-clinic', 'Case Clinic', '', true, false, false, false, false, "
                "'published', 'unverified', 0, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id")).scalar_one()
            conn.execute(sa.text(
                "INSERT INTO consultation_request (provider_id, name, email, preferred_contact_time, status, consent_given_at, "
                "created_at) VALUES (:p, 'Jane', 'Jane.Doe@Example.org', 'any', 'open', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"p": provider_id})
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT email FROM consultation_request")).scalar_one() == "jane.doe@example.org"
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
