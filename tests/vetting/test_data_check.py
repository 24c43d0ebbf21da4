"""`flask data check` (vetting/contradictions.py): each rule broken once is reported with the provider's id and a
reason, and the command exits 1; a clean provider is not mentioned."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistItem, ChecklistSource, Credential, LicenseStatus, Provider, Role
from clinic_finder.vetting import checklist as vetting
from clinic_finder.vetting import contradictions

NOW = datetime.now(UTC)


def _licensed(make_provider, add_license, **fields):
    p = make_provider(**fields)
    add_license(p, LicenseStatus.VERIFIED, state=fields.get("state", "NY"))
    return p


def _broken_directory(make_provider, add_license) -> dict[str, int]:
    """One provider per rule, each otherwise clean; {rule: provider id}."""
    broken: dict[str, int] = {}

    p = _licensed(make_provider, add_license)
    db.session.execute(sa.update(Provider).where(Provider.id == p.id).values(checks_verified=99))
    broken["summary_drift"] = p.id

    p = _licensed(make_provider, add_license)
    db.session.add(ChecklistItem(provider_id=p.id, key="review_summary", value="Very positive",
                                 source=ChecklistSource.SELF_REPORTED))
    broken["derived_fact_stored"] = p.id

    p = _licensed(make_provider, add_license)
    vetting.set_check(p, "response_time", "Same day", ChecklistSource.FROM_REVIEWS)
    broken["from_reviews_without_reviews"] = p.id

    p = _licensed(make_provider, add_license, free_consultation=False)
    vetting.set_check(p, "free_consultation", "yes", ChecklistSource.SELF_REPORTED)
    broken["consultation_mismatch"] = p.id

    p = _licensed(make_provider, add_license)
    add_license(p, LicenseStatus.VERIFIED, state="NJ", expires_on=date.today() - timedelta(days=3))
    broken["verified_license_expired"] = p.id

    p = _licensed(make_provider, add_license)
    vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED, verified_at=NOW)  # by nobody
    broken["verified_without_date_or_verifier"] = p.id

    broken["clinic_without_coordinates"] = _licensed(make_provider, add_license, lat=None, lon=None).id
    broken["at_home_without_states"] = _licensed(make_provider, add_license, in_clinic=False, at_home=True).id
    broken["prices"] = _licensed(make_provider, add_license, price_min_usd=400, price_max_usd=50_000).id
    broken["published_without_license"] = make_provider().id

    p = _licensed(make_provider, add_license)
    vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=NOW - timedelta(days=400), verified_by="checker@example.org")
    broken["past_recheck_window"] = p.id

    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED, credential=Credential.LCSW)
    p.clinicians[0].is_medical_director = True
    broken["prescriber"] = p.id
    db.session.commit()
    return broken


def test_each_rule_broken_once_is_reported_and_the_command_exits_1(runner, make_provider, add_license):
    clean = _licensed(make_provider, add_license, name="Clean Clinic")
    broken = _broken_directory(make_provider, add_license)
    result = runner.invoke(args=["data", "check"])
    assert result.exit_code == 1
    print(result.output)
    for rule, provider_id in broken.items():
        assert f"provider {provider_id} (" in result.output and f"): {rule}: " in result.output, rule
        found = [c for c in contradictions.find_all() if c.provider_id == provider_id]
        assert rule in {c.rule for c in found}, (rule, found)
    assert f"provider {clean.id} (" not in result.output
    assert set(broken) == set(contradictions.RULES)


def test_a_clean_directory_passes(runner, make_provider, add_license):
    _licensed(make_provider, add_license)
    result = runner.invoke(args=["data", "check"])
    assert result.exit_code == 0, result.output
    assert "No contradictions found." in result.output


def test_the_dashboard_shows_the_same_list_with_links(client, make_user, login_as, make_provider, add_license):
    login_as(make_user("admin@example.org", Role.ADMIN))
    _licensed(make_provider, add_license, lat=None, lon=None, name="Nowhere Clinic")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Data health" in html and "1 contradiction found" in html
    assert "Clinic without coordinates: 1" in html
    assert "/admin/providers/" in html and "Nowhere Clinic" in html


def test_refresh_summaries_repairs_drift(runner, make_provider, add_license):
    p = _licensed(make_provider, add_license)
    db.session.execute(sa.update(Provider).where(Provider.id == p.id).values(checks_verified=0, checks_total=0))
    db.session.commit()
    assert runner.invoke(args=["data", "refresh-summaries"]).output.startswith("1 provider summary recomputed")
    assert runner.invoke(args=["data", "check"]).exit_code == 0
