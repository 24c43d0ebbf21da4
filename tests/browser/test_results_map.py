"""The results map always works: no clinic in range, one, or a hundred crowded together; pins stay out of the Tab
order and out of the accessibility tree (the list is the accessible path); crowded pins become clusters that zoom
in; without a tile server the state borders are drawn. Leaflet loads only where there is a map."""
from __future__ import annotations

import pytest
from geopy.distance import geodesic

from clinic_finder.extensions import db

pytestmark = pytest.mark.browser

DENVER = (39.7392, -104.9903)


def _map_ready(page):
    page.locator("#results-map.map-ready").wait_for()


def _markers(page) -> dict:
    return page.evaluate("""() => ({
      pins: document.querySelectorAll('#results-map .leaflet-marker-icon.map-pin').length,
      clusters: [...document.querySelectorAll('#results-map .map-cluster')].map(c => parseInt(c.textContent, 10)),
      focusable: document.querySelectorAll('#results-map .leaflet-marker-icon[tabindex], #results-map .leaflet-interactive[tabindex]').length,
      announced: [...document.querySelectorAll('#results-map .leaflet-marker-icon')].filter(m => m.getAttribute('aria-hidden') !== 'true').length,
      borders: document.querySelectorAll('#results-map .leaflet-overlay-pane path').length,
    })""")


def test_no_clinic_in_range_still_draws_the_map_and_the_state_borders(live_server, page, make_provider):
    make_provider("Faraway Clinic", lat=DENVER[0], lon=DENVER[1], city="Denver", state="CO", zip_code="80202",
                  is_demo=True)
    page.goto(live_server + "/search?q=10001&radius_mi=5")
    _map_ready(page)
    found = _markers(page)
    assert found["pins"] == 0 and found["clusters"] == []
    assert found["borders"] >= 2  # the states outline and the radius circle
    assert page.get_by_text("No street map is configured: the map shows state borders.").is_visible()
    assert page.js_errors == []


def test_one_clinic_is_one_pin_out_of_the_tab_order(live_server, page, make_provider):
    make_provider("Only Clinic", is_demo=True)
    page.goto(live_server + "/search?q=10001")
    _map_ready(page)
    found = _markers(page)
    assert found["pins"] == 1 and found["focusable"] == 0 and found["announced"] == 0
    # From the last result, Tab leaves the list for the map itself (one stop), never for a pin.
    page.get_by_role("link", name="Only Clinic").focus()
    stops = []
    for _ in range(6):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.className || document.activeElement.tagName"))
    assert not any("map-pin" in str(s) for s in stops)
    assert page.js_errors == []


def test_a_hundred_crowded_clinics_are_clustered_and_a_cluster_zooms_in(live_server, page, make_provider):
    for i in range(100):  # a fictional city block by block: 10 x 10 clinics, 300 m apart
        point = geodesic(meters=300 * (i % 10)).destination(
            geodesic(meters=300 * (i // 10)).destination(DENVER, 0), 90)
        make_provider(f"Denver Clinic {i:03d}", lat=point.latitude, lon=point.longitude, city="Denver", state="CO",
                      zip_code="80202", is_demo=True, commit=False)
    db.session.commit()
    page.goto(live_server + "/search?q=80202&per_page=100")
    _map_ready(page)
    found = _markers(page)
    assert found["clusters"], "crowded pins should be clustered"
    assert found["pins"] + sum(found["clusters"]) == 100  # every clinic on the map exactly once
    assert found["focusable"] == 0 and found["announced"] == 0
    zoom_before = page.evaluate("document.querySelector('#results-map .leaflet-proxy').style.transform")
    page.locator("#results-map .map-cluster").first.click()
    page.wait_for_function("before => document.querySelector('#results-map .leaflet-proxy').style.transform !== before",
                           arg=zoom_before)
    assert page.js_errors == []


def test_leaflet_loads_only_where_a_map_is_shown(live_server, page, make_provider):
    make_provider("Only Clinic", is_demo=True)
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    for path in ("/", "/search", "/guide"):
        page.goto(live_server + path)
    assert not [u for u in loaded if "leaflet" in u or "us-states" in u]
    page.goto(live_server + "/search?q=10001")
    _map_ready(page)
    assert [u for u in loaded if "leaflet.js" in u] and [u for u in loaded if "us-states.js" in u]


def test_with_a_tile_server_the_borders_are_not_loaded(app, live_server, page, make_provider, monkeypatch):
    monkeypatch.setitem(app.config, "MAP_TILE_URL", live_server + "/no-such-tiles/{z}/{x}/{y}.png")
    make_provider("Only Clinic", is_demo=True)
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(live_server + "/search?q=10001")
    _map_ready(page)
    assert not [u for u in loaded if "us-states" in u]


def test_on_a_phone_the_list_comes_before_the_map_which_is_one_tap_away(live_server, browser, make_provider):
    make_provider("Harbor Infusion Center")  # a real directory: no demo banner
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(live_server + "/search?q=10001")
        _map_ready(page)
        first_result = page.locator(".results .result").first.bounding_box()
        the_map = page.locator("#results-map").bounding_box()
        assert first_result["y"] < the_map["y"]
        assert first_result["y"] < 740  # on the first screen
        page.get_by_role("link", name="See the clinics on a map").tap()
        page.wait_for_function("window.scrollY > 0")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
