"""Static files are fingerprinted: the URL carries a hash of the content and such a URL may be kept for a year."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import url_for


def test_static_urls_carry_a_content_hash(app):
    with app.test_request_context():
        url = url_for("static", filename="css/site.css")
    version = re.fullmatch(r"/static/css/site\.css\?v=([0-9a-f]{12})", url).group(1)
    content = (Path(app.static_folder) / "css" / "site.css").read_bytes()
    assert version == hashlib.blake2b(content, digest_size=6).hexdigest()


def test_pages_link_their_static_files_by_fingerprint(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/static/favicon\.svg\?v=[0-9a-f]{12}"', page)


def test_a_fingerprinted_url_is_immutable_and_any_other_is_kept_briefly(app, client):
    with app.test_request_context():
        url = url_for("static", filename="css/site.css")
    assert client.get(url).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/css/site.css").headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/static/css/site.css?v=000000000000").headers["Cache-Control"] == "public, max-age=300"


def test_an_unknown_static_file_is_404_without_a_fingerprint(app, client):
    with app.test_request_context():
        assert url_for("static", filename="css/nope.css") == "/static/css/nope.css"
        assert url_for("static", filename="../setup.py") == "/static/../setup.py"
    assert client.get("/static/css/nope.css").status_code == 404
