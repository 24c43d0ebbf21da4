"""HTML and JSON travel compressed (brotli or gzip, as the browser asks); the bytes decompress to the same page."""
from __future__ import annotations

import gzip

import brotli
import pytest


@pytest.mark.parametrize(("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_pages_and_json_are_compressed_as_asked(client, make_provider, encoding, decompress):
    for i in range(5):
        make_provider(f"Compressed Clinic {i}")
    for path in ["/search?q=10001", "/api/v1/providers?lat=40.75&lon=-74.0"]:
        plain = client.get(path)
        packed = client.get(path, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding
        assert "accept-encoding" in packed.headers["Vary"].lower()
        assert len(packed.data) < len(plain.data) / 2
        assert decompress(packed.data) == plain.data


def test_a_compressed_page_still_answers_304(client, make_provider):
    make_provider()
    first = client.get("/search?q=10001", headers={"Accept-Encoding": "br"})
    again = client.get("/search?q=10001", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(("accept", "expected"), [
    ("br;q=0, gzip;q=0", None),  # refused, both (RFC 9110: a weight of 0 means "not acceptable")
    ("gzip, br;q=0", "gzip"),
    ("br;q=abc", None),  # a malformed weight: the entry does not count
    ("gzip;q=0.5, br;q=0.4", "gzip"),  # the client's preference first
    ("*", "br"),
    ("identity", None),
])
def test_pages_json_and_assets_read_accept_encoding_one_way(app, client, make_provider, accept, expected):
    from flask import url_for

    make_provider()
    with app.test_request_context():
        asset = url_for("static", filename="vendor/leaflet/leaflet.js")
    for path in ["/search?q=10001", "/api/v1/providers?lat=40.75&lon=-74.0", asset]:
        response = client.get(path, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == expected, path
        assert "accept-encoding" in response.headers["Vary"].lower()
