"""Freshness: how long ago a fact was verified, what is due for a re-check, and what may move the date."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistSource
from clinic_finder.vetting import checklist as vetting
from clinic_finder.vetting import freshness

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def test_describe_says_how_long_ago_in_words():
    assert freshness.describe(NOW, NOW) == "verified today"
    assert freshness.describe(NOW - timedelta(days=1), NOW) == "verified yesterday"
    assert freshness.describe(NOW - timedelta(days=12), NOW) == "verified 12 days ago"
    assert freshness.describe(NOW - timedelta(days=95), NOW) == "verified 3 months ago"
    assert freshness.describe(NOW - timedelta(days=800), NOW) == "verified 2 years ago"
    assert freshness.describe(None, NOW) == "not verified"


def test_due_only_after_a_full_year():
    assert not freshness.is_due(NOW - timedelta(days=365), NOW)
    assert freshness.is_due(NOW - timedelta(days=366), NOW)
    assert not freshness.is_due(None, NOW)


def test_unchanged_save_does_not_move_the_verified_date(make_provider):
    p = make_provider()
    then = datetime.now(UTC) - timedelta(days=200)
    vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED, verified_at=then)
    db.session.commit()
    vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED)  # a save, not a verification
    db.session.commit()
    db.session.expire_all()
    assert p.checklist_items[0].verified_at == then


def test_a_self_reported_change_clears_the_verification(make_provider):
    p = make_provider()
    vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=datetime.now(UTC) - timedelta(days=5))
    vetting.set_check(p, "dea_registration", "no", ChecklistSource.SELF_REPORTED)
    db.session.commit()
    assert p.checklist_items[0].verified_at is None


def test_seed_and_import_never_count_as_a_recent_verification(runner, db):
    """Seeded facts keep the age the seed gives them; a second run moves nothing."""
    import sqlalchemy as sa

    from clinic_finder.models import ChecklistItem

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = dict(db.session.execute(sa.select(ChecklistItem.id, ChecklistItem.verified_at)).all())
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    second = dict(db.session.execute(sa.select(ChecklistItem.id, ChecklistItem.verified_at)).all())
    assert first == second


def test_due_list_holds_stale_verified_checks_and_licenses_oldest_first(make_provider, add_license):
    p = make_provider("Stale Clinic")
    vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=NOW - timedelta(days=500))
    vetting.set_check(p, "npi", "1234567893", ChecklistSource.ADMIN_VERIFIED, verified_at=NOW - timedelta(days=400))
    vetting.set_check(p, "free_consultation", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=NOW - timedelta(days=30))
    vetting.set_check(p, "response_time", "Same day", ChecklistSource.SELF_REPORTED)
    lic = add_license(p)
    lic.verified_at = NOW - timedelta(days=450)
    db.session.commit()
    page = freshness.due_for_recheck(1, 20, now=NOW)
    assert [(i.kind, i.label) for i in page.items] == [
        ("check", "DEA registration on file"),
        ("license", f"License NY {lic.license_number} ({lic.clinician.full_name})"),
        ("check", "National Provider Identifier (NPI)"),
    ]
    assert freshness.due_count(now=NOW) == 3


def test_reverify_moves_the_date_and_is_audited(make_provider, make_user):
    import sqlalchemy as sa

    from clinic_finder.models import AuditEvent

    admin = make_user()
    p = make_provider()
    item = vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED,
                             verified_at=NOW - timedelta(days=500))
    db.session.commit()
    freshness.reverify_check(item, admin, now=NOW)
    assert item.verified_at == NOW
    event = db.session.scalar(sa.select(AuditEvent))
    assert event.action == "checklist_item.reverify"
    assert event.actor_id == admin.id
