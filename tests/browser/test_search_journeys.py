"""A patient searches near a ZIP code, by their shared location, and without JavaScript, in a real browser.
Saves the results-page screenshot for the closing note (docs/screenshots/search-results.png)."""
from __future__ import annotations

import pytest
from geopy.distance import geodesic

from clinic_finder.models import ChecklistSource, LicenseStatus
from clinic_finder.vetting.checklist import set_check

pytestmark = pytest.mark.browser

NEW_YORK = (40.7484, -73.9967)
CLINICS = [  # fictional names; miles and bearing from the centre of ZIP 10001
    ("Harbor Infusion Center", 0.8, 40, dict(free_consultation=True, routes=("iv", "im"))),
    ("Chelsea Ketamine Clinic", 1.6, 200, dict(routes=("iv",), price_min_usd=450, price_max_usd=600)),
    ("Hudson Nasal Esketamine Practice", 3.9, 300, dict(routes=("nasal",), price_min_usd=590, price_max_usd=590)),
    ("Brooklyn Heights Wellness", 5.2, 150, dict(routes=("iv", "im"), free_consultation=True)),
    ("Queens Infusion Partners", 7.5, 95, dict(routes=("iv",), price_min_usd=400, price_max_usd=550)),
    ("Palisades Ketamine Care", 12.4, 330, dict(routes=("im",))),
]


@pytest.fixture
def directory(make_provider, add_license, add_review):
    made = []
    for name, miles, bearing, extra in CLINICS:
        point = geodesic(miles=miles).destination(NEW_YORK, bearing)
        p = make_provider(name, lat=point.latitude, lon=point.longitude, is_demo=True, **extra)
        made.append(p)
    add_license(made[0], LicenseStatus.VERIFIED)
    add_license(made[1], LicenseStatus.VERIFIED)
    add_license(made[2], LicenseStatus.EXPIRED)
    add_review(made[0], 5)
    add_review(made[1], 4)
    set_check(made[0], "monitored_recovery", "60", ChecklistSource.SELF_REPORTED)
    make_provider("Empire Telehealth Ketamine", in_clinic=False, at_home=True, states_served=("NY", "NJ"),
                  routes=("oral",), is_demo=True, price_min_usd=250, price_max_usd=300)
    return made


def _real_errors(page) -> list[str]:
    # A missing map tile is expected in the tile test; anything else is a defect.
    return [e for e in page.js_errors if "Failed to load resource" not in e]


def test_results_page_with_list_and_map(live_server, page, directory, screenshot_dir):
    page.goto(live_server + "/")
    page.get_by_label("ZIP code, city and state, or address").fill("10001")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?**")
    assert page.get_by_role("heading", level=1, name="Providers near New York, NY 10001").is_visible()
    assert page.get_by_text("6 clinics within 25 mi of New York, NY 10001 and 1 at-home provider licensed in "
                            "New York.").is_visible()
    assert page.get_by_role("heading", name="In a clinic, within 25 mi").is_visible()
    assert page.get_by_role("heading", name="At home (telehealth), licensed in New York").is_visible()
    names = page.locator(".results .result h3").all_inner_texts()
    assert names[:6] == [c[0] for c in CLINICS] and names[6] == "Empire Telehealth Ketamine"
    # The map: one marker per clinic in the list, numbered like the list; no tile server is configured.
    page.locator("#results-map.map-ready").wait_for()
    assert page.locator("#results-map .map-pin").count() == 6
    assert page.locator("#results-map .map-pin").first.inner_text() == "1"
    assert page.get_by_text("No street map is configured: the map shows state borders.").is_visible()
    page.screenshot(path=str(screenshot_dir / "search-results.png"), full_page=True)
    page.locator("#results-map .map-pin").nth(1).click()
    assert page.locator(".leaflet-popup a", has_text="Chelsea Ketamine Clinic").is_visible()
    assert page.js_errors == []


def test_filters_narrow_the_list_and_stay_chosen(live_server, page, directory):
    page.goto(live_server + "/search?q=10001")
    page.get_by_text("Filters and order").click()
    page.get_by_label("Free consultation").check()
    page.get_by_label("How it is given").select_option("im")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**route=im**")
    names = page.locator(".results .result h3").all_inner_texts()
    assert names == ["Harbor Infusion Center", "Brooklyn Heights Wellness"]
    assert page.get_by_label("Free consultation").is_checked()
    assert page.locator("#results-map .map-pin").count() == 2
    assert page.js_errors == []


def test_use_my_location(live_server, browser, directory):
    context = browser.new_context(geolocation={"latitude": 40.7527, "longitude": -73.9772},
                                  permissions=["geolocation"])
    page = context.new_page()
    try:
        page.goto(live_server + "/search")
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url("**/search?*lat=40.7527*")
        assert page.get_by_text("6 clinics within 25 mi of 40.7527, -73.9772 (near New York, NY").is_visible()
    finally:
        context.close()


def test_the_page_works_without_javascript(live_server, browser, directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/search?q=10001&sort=price")
        assert page.get_by_role("button", name="Use my location").is_hidden()  # it needs a script
        names = page.locator(".results .result h3").all_inner_texts()
        assert names[0] == "Queens Infusion Partners"  # $400, the lowest price
        assert page.get_by_text("The map needs JavaScript. Every result is in the list.").is_visible()
        # Tick two results and compare them: plain form submission, no script.
        page.get_by_label("Compare Queens Infusion Partners").check()
        page.get_by_label("Compare Empire Telehealth Ketamine").check()
        page.get_by_role("button", name="Compare the ticked providers (2 to 4)").click()
        page.wait_for_url("**/compare?ids=*")
        headers = page.locator(".compare-table thead th").all_inner_texts()
        assert any("Queens Infusion Partners" in h for h in headers)
        assert any("Empire Telehealth Ketamine" in h for h in headers)
    finally:
        context.close()


def test_the_page_stays_usable_when_tiles_cannot_load(app, live_server, page, directory, monkeypatch):
    monkeypatch.setitem(app.config, "MAP_TILE_URL", live_server + "/no-such-tiles/{z}/{x}/{y}.png")
    page.goto(live_server + "/search?q=10001")
    page.get_by_text("Map tiles could not load.").wait_for()
    assert page.locator("#results-map .map-pin").count() == 6
    assert page.locator(".results .result").count() == 7
    assert _real_errors(page) == []
