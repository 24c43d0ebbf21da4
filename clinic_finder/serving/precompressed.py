"""Static assets (the fingerprinted files under static/ and the audience stylesheets) are compressed once per process
at the highest quality and served from that copy; pages and JSON, new on every request, are compressed by
Flask-Compress at the low level config.py sets for CPU.

Measured (bench/LOAD.md): the results page's scripts and stylesheets are 72.7 KB at brotli quality 3, 57.0 KB at 11;
a results page's HTML costs 0.06 ms at quality 1 against 0.15–0.18 at 3, for 10 % more bytes. Before this, each
request for Leaflet's 147 KB script compressed it again.
"""
from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli
from flask import Flask, Response, request

from clinic_finder.serving.encodings import chosen_encoding

# What a content version is, per endpoint: a hash of the bytes served (None: not an asset this module knows).
VersionOf = Callable[[dict], "str | None"]
_MAX_COPIES = 512  # a few dozen assets × two encodings; a developer editing files makes new versions
_copies: dict[tuple[str, str, str], bytes] = {}


def _gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)  # gzip framing, as Content-Encoding: gzip
    return packer.compress(data) + packer.flush()


# The encodings assets are kept in; any other COMPRESS_ALGORITHM is left to Flask-Compress.
_COMPRESS: dict[str, Callable[[bytes], bytes]] = {"br": lambda data: brotli.compress(data, quality=11), "gzip": _gzip}


def _copy(key: tuple[str, str, str], response: Response) -> bytes:
    copy = _copies.get(key)
    if copy is None:
        if len(_copies) >= _MAX_COPIES:
            _copies.clear()
        response.direct_passthrough = False  # a file's response: read it this once
        copy = _copies[key] = _COMPRESS[key[2]](response.get_data())
    return copy


def kept_encodings(app: Flask) -> list[str]:
    """The encodings an asset is kept in: those of COMPRESS_ALGORITHM this module has a compressor for."""
    return [name for name in app.config["COMPRESS_ALGORITHM"] if name in _COMPRESS]


def init_precompressed(app: Flask, versions: dict[str, VersionOf]) -> None:
    """versions: for each endpoint serving assets, the version of the asset a request's view arguments name."""
    if not app.config.get("COMPRESS_REGISTER", True):
        return  # compression switched off (bench/page_weight.py's "before"): assets go as they are
    mimetypes = set(app.config["COMPRESS_MIMETYPES"])

    # Registered after Flask-Compress, so it runs before it; Flask-Compress leaves an encoded response alone.
    @app.after_request
    def _send_precompressed(response: Response) -> Response:
        version_of = versions.get(request.endpoint or "")
        if (version_of is None or response.status_code != 200 or "Content-Encoding" in response.headers
                or response.mimetype not in mimetypes):
            return response
        algorithm = chosen_encoding()
        version = version_of(request.view_args or {})
        if algorithm not in _COMPRESS or version is None:
            return response
        body = _copy((request.endpoint, version, algorithm), response)
        close = getattr(response.response, "close", None)
        if close is not None:
            close()  # the open file behind a static response, unread on a hit
        response.set_data(body)
        response.headers["Content-Encoding"] = algorithm
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:{algorithm}", weak=weak)  # each encoding its own validator
        return response.make_conditional(request)
