"""One stylesheet per audience: a page makes one render-blocking CSS request; the bundle joins the source files
in order, is fingerprinted, and may be kept for a year."""
from __future__ import annotations

import re
from pathlib import Path

from clinic_finder.serving.stylesheets import BUNDLES


def _stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def test_a_public_page_loads_one_stylesheet_and_a_staff_page_its_own(client, make_user, login_as):
    public = _stylesheets(client.get("/guide").get_data(as_text=True))
    assert len(public) == 1 and re.fullmatch(r"/assets/public\.css\?v=[0-9a-f]{12}", public[0])
    login_as(make_user(role="admin"))
    staff = _stylesheets(client.get("/admin/").get_data(as_text=True))
    assert len(staff) == 1 and re.fullmatch(r"/assets/staff\.css\?v=[0-9a-f]{12}", staff[0])


def test_the_results_page_adds_only_the_map_stylesheet(client, make_provider):
    make_provider()
    sheets = _stylesheets(client.get("/search?q=10001").get_data(as_text=True))
    assert len(sheets) == 2 and "leaflet.css" in sheets[1]


def test_the_bundle_is_the_source_files_in_order_and_is_immutable_at_its_version(app, client):
    url = _stylesheets(client.get("/").get_data(as_text=True))[0]
    response = client.get(url)
    assert response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    css = response.get_data()
    positions = [css.index((Path(app.static_folder) / name).read_bytes()) for name in BUNDLES["public"]]
    assert positions == sorted(positions)
    assert b"admin-nav" not in css  # staff rules stay off public pages
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get("/assets/public.css?v=old").headers["Cache-Control"] == "public, max-age=300"


def test_an_unknown_audience_is_404(client):
    assert client.get("/assets/hacker.css").status_code == 404
    assert client.get("/assets/..%2Fsetup.css").status_code == 404
