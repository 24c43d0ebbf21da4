"""robots.txt, the sitemap, /favicon.ico and the robots meta tag: real listings findable, fictional ones never."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from clinic_finder.extensions import db
from clinic_finder.listings import sitemap
from clinic_finder.models import ListingStatus

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locs(response) -> list[str]:
    assert response.mimetype == "application/xml"
    return [el.text for el in ET.fromstring(response.get_data()).iterfind(".//s:loc", NS)]


def test_with_real_listings_the_sitemap_lists_published_profiles_and_robots_points_to_it(app, client, make_provider):
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    shown = make_provider("Listed Clinic")
    hidden = make_provider("Pending Clinic", listing_status=ListingStatus.PENDING)
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /admin/" in robots and f"Sitemap: {base}/sitemap.xml" in robots
    assert "Disallow: /\n" not in robots
    locs = _locs(client.get("/sitemap.xml"))
    assert f"{base}/providers/{shown.id}" in locs
    assert f"{base}/providers/{hidden.id}" not in locs
    assert f"{base}/guide" in locs
    assert 'name="robots"' not in client.get("/").get_data(as_text=True)
    assert 'name="description"' in client.get("/").get_data(as_text=True)


def test_while_demo_data_is_loaded_nothing_may_be_indexed(client, make_provider):
    demo = make_provider("Demo Clinic", is_demo=True)
    assert client.get("/robots.txt").get_data(as_text=True).endswith("User-agent: *\nDisallow: /\n")
    assert f"/providers/{demo.id}" not in " ".join(_locs(client.get("/sitemap.xml")))
    for page in ("/", "/guide", f"/providers/{demo.id}"):
        assert '<meta name="robots" content="noindex, nofollow">' in client.get(page).get_data(as_text=True), page


def test_past_fifty_thousand_urls_the_sitemap_is_an_index_of_parts(app, client, make_provider, monkeypatch):
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    for _ in range(3):
        make_provider()
    db.session.commit()
    monkeypatch.setattr(sitemap, "URLS_PER_SITEMAP", 2)
    parts = _locs(client.get("/sitemap.xml"))
    assert parts == [f"{base}/sitemaps/1.xml", f"{base}/sitemaps/2.xml"]
    assert len([u for u in _locs(client.get("/sitemaps/2.xml")) if "/providers/" in u]) == 1
    assert client.get("/sitemaps/3.xml").status_code == 404


def test_favicon_ico_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and "/static/favicon.svg?v=" in response.headers["Location"]
