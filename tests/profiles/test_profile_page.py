"""The public profile: summary, sourced checklist, licenses that stand out, prices in context, session steps."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistSource, LicenseStatus, ListingStatus
from clinic_finder.vetting import checklist as vetting


def _html(client, provider):
    response = client.get(f"/providers/{provider.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_unknown_and_non_numeric_ids_are_a_404_page(client, make_provider):
    make_provider()
    for path in ("/providers/999", "/providers/abc", "/providers/-1", "/providers/99999999999999999999",
                 "/providers/0"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "We could not find that page" in response.get_data(as_text=True)


def test_pending_listing_is_not_public(client, make_provider):
    p = make_provider(listing_status=ListingStatus.PENDING)
    assert client.get(f"/providers/{p.id}").status_code == 404


def test_fully_verified_profile_counts_every_check_and_says_when(client, make_provider, fill, add_review):
    p = fill(make_provider("Verified Clinic"), verified_days_ago=12)
    add_review(p, 5)
    html = _html(client, p)
    total = len(vetting.definitions_for(p))
    # Issue 14: the review summary comes from patients' reviews and is never "verified by our team".
    assert f"{total - 1} of {total} checks verified" in html
    assert "verified 12 days ago" in html
    assert "Verified by our team on" in html
    assert "Not provided</span>" not in html
    assert "Due for re-check" not in html


def test_missing_items_say_not_provided_instead_of_disappearing(client, make_provider, fill):
    p = fill(make_provider(), skip=("acls_staff_on_site", "years_offering_ketamine"))
    html = _html(client, p)
    total = len(vetting.definitions_for(p))
    # Issue 14: the review summary (no reviews yet) is not provided and never verified by our team.
    assert f"{total - 3} of {total} checks verified" in html
    assert "ACLS-trained staff on site" in html
    assert html.count('class="badge badge-missing">Not provided') == 3
    assert "3 not provided" in html


def test_each_source_has_its_own_badge(client, make_provider, add_review):
    p = make_provider()
    vetting.set_check(p, "years_offering_ketamine", "6", ChecklistSource.SELF_REPORTED)
    vetting.set_check(p, "response_time", "Same day", ChecklistSource.FROM_REVIEWS)
    vetting.set_check(p, "dea_registration", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=datetime.now(UTC) - timedelta(days=3))
    db.session.commit()
    for _ in range(3):
        add_review(p, 4)
    html = _html(client, p)
    assert "Reported by the provider" in html
    assert "From 3 patient reviews" in html
    assert "verified 3 days ago" in html
    assert "1 of 18 checks verified" in html
    assert "4.0 / 5 from 3 reviews" in html


def test_verification_older_than_a_year_is_marked_due_for_recheck(client, make_provider, fill):
    p = fill(make_provider(), verified_days_ago=400)
    html = _html(client, p)
    assert "Due for re-check" in html
    assert "verified 13 months ago" in html


def test_expired_license_stands_out_and_wins_over_a_verified_one(client, make_provider, add_license):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED)
    add_license(p, LicenseStatus.EXPIRED, expires_on=date.today() - timedelta(days=20))
    html = _html(client, p)
    assert "License: Expired" in html
    assert "Check these licenses before you book" in html
    assert 'class="license-expired"' in html


def test_license_past_its_date_counts_as_expired_before_the_nightly_job_runs(client, make_provider, add_license):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED, expires_on=date.today() - timedelta(days=1))
    html = _html(client, p)
    assert "License: Expired" in html
    assert "License: Verified" not in html


def test_revoked_license_stands_out(client, make_provider, add_license):
    p = make_provider()
    add_license(p, LicenseStatus.REVOKED)
    html = _html(client, p)
    assert "License: Revoked" in html
    assert 'class="license-revoked"' in html


def test_license_expiring_within_30_days_is_flagged_but_one_in_60_is_not(client, make_provider, add_license):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED, expires_on=date.today() + timedelta(days=10))
    html = _html(client, p)
    assert "Expires in 10 days" in html
    assert 'class="license-expiring"' in html

    q = make_provider()
    add_license(q, LicenseStatus.VERIFIED, expires_on=date.today() + timedelta(days=60))
    html = _html(client, q)
    assert "Check these licenses before you book" not in html
    assert "License: Verified" in html


def test_prices_are_set_against_the_guide_and_a_yearly_maintenance_cost(client, make_provider):
    html = _html(client, make_provider(price_min_usd=450, price_max_usd=650))
    assert "$450–$650 per session" in html
    assert "Within the typical $400–$800 per infusion" in html
    assert "$11,700–$16,900 a year" in html  # 26 sessions a year
    html = _html(client, make_provider(price_min_usd=900, price_max_usd=1200))
    assert "Above the typical $400–$800" in html
    html = _html(client, make_provider(price_min_usd=None, price_max_usd=None))
    assert "Cannot be estimated without a price" in html


def test_insurance_explains_why_it_is_usually_not_covered(client, make_provider):
    html = _html(client, make_provider(routes=("iv", "nasal"), superbill_offered=True))
    assert "off-label" in html
    assert "superbill" in html
    assert "Spravato" in html
    assert "Spravato" not in _html(client, make_provider(routes=("iv",)))


def test_session_steps_follow_the_guide(client, make_provider):
    html = _html(client, make_provider(session_length_minutes=120))
    positions = [html.index(f"<strong>{step}.</strong>") for step in ("Screening", "Monitoring", "Treatment",
                                                                       "Recovery")]
    assert positions == sorted(positions)
    assert "about 120 minutes" in html


def test_at_home_provider_shows_states_served_and_no_clinic_map(client, make_provider):
    p = make_provider(in_clinic=False, at_home=True, states_served=("NY", "NJ"), routes=("oral",))
    html = _html(client, p)
    assert "New Jersey, New York" in html  # by name
    assert "OpenStreetMap" not in html
    assert "Medicine prescribed" in html


def test_clinic_map_links_to_openstreetmap_without_tiles_and_draws_tiles_when_configured(app, client, make_provider):
    p = make_provider(lat=40.7484, lon=-73.9967)
    html = _html(client, p)
    assert "openstreetmap.org/?mlat=40.74840&amp;mlon=-73.99670" in html
    assert "<svg" not in html
    app.config["MAP_TILE_URL"] = "https://tiles.example/{z}/{x}/{y}.png"
    try:
        html = _html(client, p)
    finally:
        app.config["MAP_TILE_URL"] = ""
    assert '<image href="https://tiles.example/15/' in html
    assert 'class="map-pin"' in html


def test_website_that_is_not_http_is_not_a_link(client, make_provider):
    html = _html(client, make_provider(website="javascript:alert(1)"))
    assert 'href="javascript:' not in html


def test_checklist_json_carries_value_source_and_verified_at(make_provider, fill):
    from clinic_finder.listings import profiles

    p = fill(make_provider(), skip=("npi", "licenses_verified"))  # no license on file
    vetting.set_check(p, "response_time", "Same day", ChecklistSource.SELF_REPORTED)
    db.session.commit()
    data = profiles.checklist_json(p)
    by_key = {item["key"]: item for item in data["items"]}
    assert data["total"] == len(by_key) == 18
    # Issue 14: the review summary (no reviews) and the licenses check (no license) are gaps, not verified checks.
    assert data["verified"] == 14
    assert by_key["npi"] == {**by_key["npi"], "value": None, "source": None, "verified_at": None, "provided": False}
    assert by_key["response_time"]["source"] == "self_reported"
    assert by_key["response_time"]["verified_at"] is None
    assert by_key["dea_registration"]["source"] == "admin_verified"
    stored = next(i for i in p.checklist_items if i.key == "dea_registration")
    assert datetime.fromisoformat(by_key["dea_registration"]["verified_at"]) == stored.verified_at
    full = profiles.profile_json(profiles.load_profile(p.id))
    assert full["checklist"]["verified"] == 14
    assert full["license_status"] == "unverified"


def test_license_verified_over_a_year_ago_is_due_for_recheck(client, make_provider, add_license):
    p = make_provider()
    lic = add_license(p, LicenseStatus.VERIFIED)
    html = _html(client, p)
    assert "Due for re-check" not in html
    lic.verified_at = datetime.now(UTC) - timedelta(days=400)
    db.session.commit()
    assert "Due for re-check" in _html(client, p)
