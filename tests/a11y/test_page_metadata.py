"""What search engines and link previews read: the site's name, a canonical address, Open Graph tags on every page,
and schema.org JSON-LD on profiles with a rating only from published reviews."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from clinic_finder.models import ModerationStatus


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link" and "rel" in a:
            self.links[a["rel"]] = a.get("href", "")
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in = "json"
        elif tag == "title":
            self._in = "title"

    def handle_data(self, data):
        if self._in == "json":
            self.json_ld.append(data)
        elif self._in == "title":
            self.title += data

    def handle_endtag(self, tag):
        self._in = None


def _head(client, path: str) -> _Head:
    response = client.get(path)
    assert response.status_code == 200, path
    parsed = _Head()
    parsed.feed(response.get_data(as_text=True))
    return parsed


def test_every_public_page_has_a_canonical_address_and_open_graph_tags(app, client, make_provider):
    provider = make_provider("Lakeside Ketamine Clinic")
    other = make_provider("Riverside Ketamine Clinic")
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    for path in ("/", "/search?q=10001", "/providers", f"/providers/{provider.id}", "/guide", "/assessment",
                 "/about/data", "/privacy", "/reviews/guidelines", f"/compare?ids={provider.id}&ids={other.id}"):
        head = _head(client, path)
        assert head.links["canonical"].startswith(base + "/"), path
        assert head.meta["og:url"] == head.links["canonical"], path
        assert head.title.endswith(" · Clinic Finder"), path
        assert head.meta["og:title"] == head.title.removesuffix(" · Clinic Finder"), path
        assert head.meta["og:description"] == head.meta["description"] and head.meta["og:description"], path
        assert head.meta["og:site_name"] == "Clinic Finder"
        assert head.meta["og:image"] == base + "/static/img/social-card.png"
    assert client.get("/static/img/social-card.png").status_code == 200


def test_the_canonical_address_keeps_only_the_parameters_the_page_reads(client):
    head = _head(client, "/search?utm_source=newsletter&q=10001&radius_mi=10&fbclid=abc")
    assert head.links["canonical"] == "http://localhost/search?q=10001&radius_mi=10"


def test_site_name_names_the_header_the_title_and_the_social_card(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_NAME", "Ketamine Care Finder")
    html = client.get("/guide").get_data(as_text=True)
    assert re.search(r'<a class="brand" href="/"><img src="/static/img/logo.svg[^"]*" alt="" [^>]*> Ketamine Care Finder</a>',
                     html)
    head = _head(client, "/guide")
    assert head.title.endswith(" · Ketamine Care Finder") and head.meta["og:site_name"] == "Ketamine Care Finder"
    assert "clinic_finder</a>" not in html


def test_a_profile_carries_json_ld_with_address_position_prices_and_published_rating(client, make_provider,
                                                                                   add_review):
    provider = make_provider("Harbor Infusion Center", price_min_usd=450, price_max_usd=650)
    add_review(provider, 5)
    add_review(provider, 3)
    add_review(provider, 1, status=ModerationStatus.PENDING)  # not published: must not count
    add_review(provider, 1, confirmed=False)  # email never confirmed: must not count
    head = _head(client, f"/providers/{provider.id}")
    assert len(head.json_ld) == 1
    data = json.loads(head.json_ld[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalClinic"
    assert data["name"] == "Harbor Infusion Center"
    assert data["url"] == head.links["canonical"]
    assert data["address"]["addressLocality"] == "New York" and data["address"]["postalCode"] == "10001"
    assert data["address"]["addressRegion"] == "NY" and data["address"]["addressCountry"] == "US"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 40.7484, "longitude": -73.9967}
    assert data["priceRange"] == "$450–$650 per session"
    assert data["aggregateRating"]["ratingValue"] == 4.0 and data["aggregateRating"]["reviewCount"] == 2


def test_a_profile_without_published_reviews_claims_no_rating_and_text_cannot_break_out(client, make_provider,
                                                                                      add_review):
    provider = make_provider("Clinic </script><script>alert(1)</script>", in_clinic=False, at_home=True,
                             states_served=("NY", "DC"))
    add_review(provider, 5, status=ModerationStatus.PENDING)
    html = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</script>" not in block and "<script>" not in block  # |tojson escapes < and >
    data = json.loads(block)
    assert "aggregateRating" not in data and "address" not in data and "geo" not in data
    assert data["name"] == "Clinic </script><script>alert(1)</script>"
    assert sorted(s["name"] for s in data["areaServed"]) == ["District of Columbia", "New York"]
