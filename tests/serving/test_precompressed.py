"""Static assets and the audience stylesheets go out compressed at the highest quality, made once per process;
each encoding has its own validator and still answers 304."""
from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest
from flask import url_for

from clinic_finder.serving import precompressed

LEAFLET = "vendor/leaflet/leaflet.js"


def _url(app, endpoint, **values):
    with app.test_request_context():
        return url_for(endpoint, **values)


@pytest.mark.parametrize(("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_a_static_script_is_sent_compressed_at_the_highest_quality(app, client, encoding, decompress):
    raw = (Path(app.static_folder) / LEAFLET).read_bytes()
    url = _url(app, "static", filename=LEAFLET)
    packed = client.get(url, headers={"Accept-Encoding": encoding})
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == encoding
    assert "accept-encoding" in packed.headers["Vary"].lower()
    assert decompress(packed.data) == raw
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    if encoding == "br":  # quality 11: a quarter smaller than the pages' quality would make it
        assert packed.data == brotli.compress(raw, quality=11)
        assert len(packed.data) < 0.85 * len(brotli.compress(raw, quality=3))
    assert packed.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_each_encoding_has_its_own_validator_and_answers_304(app, client):
    url = _url(app, "static", filename=LEAFLET)
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers and plain.data == (Path(app.static_folder) / LEAFLET).read_bytes()
    tags = {plain.headers["ETag"]}
    for encoding in ("br", "gzip"):
        packed = client.get(url, headers={"Accept-Encoding": encoding})
        tags.add(packed.headers["ETag"])
        again = client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
    assert len(tags) == 3


def test_an_asset_is_compressed_once_per_process(app, client, monkeypatch):
    made = []
    compress = dict(precompressed._COMPRESS)
    monkeypatch.setattr(precompressed, "_copies", {})
    monkeypatch.setitem(precompressed._COMPRESS, "br", lambda data: made.append(len(data)) or compress["br"](data))
    url = _url(app, "static", filename=LEAFLET)
    first, second = (client.get(url, headers={"Accept-Encoding": "br"}) for _ in range(2))
    assert first.data == second.data and brotli.decompress(second.data) == (Path(app.static_folder) / LEAFLET).read_bytes()
    assert made == [len(brotli.decompress(first.data))]


def test_the_audience_stylesheet_is_precompressed_too(app, client):
    from clinic_finder.serving.stylesheets import bundle

    url = _url(app, "stylesheet", audience="public", v=None)
    with app.app_context():
        css = bundle("public").css
    packed = client.get(url, headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br" and packed.data == brotli.compress(css, quality=11)
    assert client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": packed.headers["ETag"]}).status_code == 304


def test_images_and_missing_files_are_left_alone(app, client):
    png = next(p for p in Path(app.static_folder).rglob("*.png"))
    image = client.get(_url(app, "static", filename=png.relative_to(app.static_folder).as_posix()),
                       headers={"Accept-Encoding": "br"})
    assert image.status_code == 200 and "Content-Encoding" not in image.headers
    assert image.data == png.read_bytes()
    assert client.get("/static/js/nope.js", headers={"Accept-Encoding": "br"}).status_code == 404
