"""A patient reads profiles (verified, with an expired license, with gaps), compares providers, and a provider
submits a listing with mistakes — in a real browser, without JavaScript errors. Saves the closing-note screenshots."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistSource, LicenseStatus
from clinic_finder.vetting import checklist as vetting
from tests.profiles.conftest import fill_checklist

pytestmark = pytest.mark.browser

DESCRIPTION = ("A fictional demo clinic offering low-dose IV ketamine with a physical exam before treatment and "
               "monitoring throughout each session.")


def _script_errors(page) -> list[str]:
    """JavaScript errors, leaving out Chromium's note that a page answered 400/422 (a form with errors must)."""
    return [e for e in page.js_errors
            if not e.startswith("Failed to load resource: the server responded with a status of 4")]


def _verified_clinic(make_provider, add_license, add_review):
    p = make_provider("Harbor Light Ketamine Clinic", is_demo=True, description=DESCRIPTION,
                      phone="(212) 555-0123", website="https://harbor-light.example", free_consultation=True,
                      superbill_offered=True, session_length_minutes=150, routes=("iv", "nasal"),
                      conditions=("depression", "anxiety", "ptsd"))
    fill_checklist(p, verified_days_ago=12)
    # Issue 14: the licenses check and the review summary are derived from their rows, not typed in.
    for key, value in (("years_offering_ketamine", "8"), ("treatments_given", "6000"),
                       ("response_time", "Same day")):
        item = next(i for i in p.checklist_items if i.key == key)
        item.value = value
    db.session.commit()
    add_license(p, LicenseStatus.VERIFIED)
    add_license(p, LicenseStatus.VERIFIED, state="NJ")
    add_review(p, 5, text="Staff explained every step and checked my blood pressure throughout. (Fictional review.)")
    add_review(p, 4, text="Calm room and a clear recovery plan; I had a ride home arranged. (Fictional review.)")
    return p


def _expired_clinic(make_provider, add_license):
    p = make_provider("Northside Infusion Center", is_demo=True, city="Hoboken", state="NJ", zip_code="07030",
                      lat=40.7440, lon=-74.0324, price_min_usd=395, price_max_usd=850)
    fill_checklist(p, verified_days_ago=410, skip=("treatments_given", "acls_staff_on_site"))
    add_license(p, LicenseStatus.VERIFIED, state="NJ")
    add_license(p, LicenseStatus.EXPIRED, state="NJ", expires_on=date.today() - timedelta(days=45))
    add_license(p, LicenseStatus.VERIFIED, state="NY", expires_on=date.today() + timedelta(days=18))
    return p


def _gappy_clinic(make_provider):
    p = make_provider("Quiet Pines Wellness", is_demo=True, price_min_usd=None, price_max_usd=None,
                      free_consultation=True, city="Yonkers", zip_code="10701", lat=40.9312, lon=-73.8988)
    vetting.set_check(p, "years_offering_ketamine", "2", ChecklistSource.SELF_REPORTED)
    vetting.set_check(p, "free_consultation", "yes", ChecklistSource.SELF_REPORTED)
    vetting.set_check(p, "vital_sign_monitoring", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=datetime.now(UTC) - timedelta(days=3))
    db.session.commit()
    return p


def test_profiles_and_comparison(live_server, page, make_provider, add_license, add_review, screenshot_dir):
    verified = _verified_clinic(make_provider, add_license, add_review)
    expired = _expired_clinic(make_provider, add_license)
    gaps = _gappy_clinic(make_provider)

    page.goto(f"{live_server}/providers/{verified.id}")
    total = len(vetting.definitions_for(verified))
    # Every fact our team can check is verified; "Patient reviews" comes from the two published reviews instead.
    expect(page.get_by_text(f"{total - 1} of {total} checks verified")).to_be_visible()
    expect(page.locator("#check-review_summary").get_by_text("4.5 / 5 from 2 reviews")).to_be_visible()
    expect(page.get_by_text("verified 12 days ago").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "profile-verified.png"), full_page=True)

    page.goto(f"{live_server}/providers/{expired.id}")
    expect(page.get_by_text("License: Expired")).to_be_visible()
    expect(page.get_by_text("Check these licenses before you book")).to_be_visible()
    expect(page.get_by_text("Due for re-check").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "profile-expired-license.png"), full_page=True)

    page.goto(f"{live_server}/providers/{gaps.id}")
    expect(page.get_by_text(f"1 of {total} checks verified")).to_be_visible()
    assert page.locator(".badge-missing").count() == total - 3
    page.screenshot(path=str(screenshot_dir / "profile-gaps.png"), full_page=True)

    page.goto(f"{live_server}/providers")
    for name in ("Harbor Light Ketamine Clinic", "Northside Infusion Center", "Quiet Pines Wellness"):
        page.get_by_label(f"Compare {name}").check()
    page.get_by_role("button", name="Compare the ticked providers").click()
    assert page.url.endswith(f"ids={verified.id}&ids={expired.id}&ids={gaps.id}")
    expect(page.get_by_role("link", name="Northside Infusion Center", exact=True)).to_be_visible()
    assert page.locator("tr.differs").count() > 5
    page.screenshot(path=str(screenshot_dir / "compare.png"), full_page=True)

    page.get_by_role("link", name="Show only the differences").click()
    assert page.locator("tr.same").count() == 0

    page.goto(f"{live_server}/compare?ids={verified.id}")
    expect(page.get_by_text("A comparison needs at least two providers")).to_be_visible()
    assert _script_errors(page) == []


def test_listing_form_shows_errors_beside_fields_and_keeps_input(live_server, page, screenshot_dir):
    page.goto(live_server + "/")
    page.get_by_role("link", name="List your practice").click()
    page.get_by_label("Practice name").fill("Cedar Grove Ketamine Care")
    page.get_by_label("Phone").fill("555-12")
    page.get_by_label("Email", exact=True).fill("hello@cedar-grove.example")
    page.get_by_label("Medical director's NPI").fill("1234567890")
    page.get_by_label("Street address").fill("40 Cedar Ave")
    page.get_by_label("City").fill("New York")
    page.get_by_label("State", exact=True).select_option("NY")
    page.get_by_label("ZIP code").fill("07030")
    page.get_by_label("IV infusion").check()
    page.get_by_label("Depression").check()
    page.get_by_label("Lowest price per session (USD)").fill("900")
    page.get_by_label("Highest price per session (USD)").fill("450")
    page.get_by_label("Your name").fill("Ari Chen")
    page.get_by_label("Your email").fill("ari@cedar-grove.example")
    page.get_by_role("button", name="Submit the listing for review").click()

    expect(page.get_by_text("Please correct the 4 fields marked below")).to_be_visible()
    expect(page.locator("#phone-error")).to_be_visible()
    assert "New Jersey, not New York" in page.locator("#zip_code-error").inner_text()
    assert "check digit" in page.locator("#medical_director_npi-error").inner_text()
    assert "below the lowest" in page.locator("#price_max_usd-error").inner_text()
    assert page.get_by_label("Practice name").input_value() == "Cedar Grove Ketamine Care"
    assert page.get_by_label("IV infusion").is_checked()
    page.screenshot(path=str(screenshot_dir / "listing-form-errors.png"), full_page=True)

    page.get_by_label("Phone").fill("(212) 555-0188")
    page.get_by_label("ZIP code").fill("10001")
    page.get_by_label("Medical director's NPI").fill("1234567893")
    page.get_by_label("Highest price per session (USD)").fill("950")
    page.get_by_role("button", name="Submit the listing for review").click()
    expect(page.get_by_role("heading", name="Thank you — we have received it")).to_be_visible()
    assert _script_errors(page) == []
