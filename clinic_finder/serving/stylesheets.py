"""One stylesheet per audience: the CSS files stay separate in the source (named for what they style) and are
served joined, so a page makes one render-blocking request instead of five or six.

`/assets/<audience>.css?v=<hash>` is built from the files listed below, once per process (on every request while
debugging, so edits show at once), and may be kept for a year: a changed file changes the hash, and so the URL.
Leaflet's stylesheet is not here: it loads only on pages that show a map.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, url_for

from clinic_finder.inputs.web import reads_query

PUBLIC = ("css/site.css", "css/search.css", "css/profile.css", "css/reviews.css", "css/guide.css")
BUNDLES = {
    "public": PUBLIC,
    "staff": (*PUBLIC, "css/admin.css"),  # staff pages show profiles, reviews and requests as the public sees them
}
STAFF_BLUEPRINTS = {"admin", "auth"}
ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Bundle:
    css: bytes
    version: str


def _build(static_folder: str, audience: str) -> Bundle:
    parts = [f"/* {name} */\n".encode() + (Path(static_folder) / name).read_bytes() for name in BUNDLES[audience]]
    css = b"\n".join(parts)
    return Bundle(css, hashlib.blake2b(css, digest_size=6).hexdigest())


_cached_build = cache(_build)


def bundle(audience: str) -> Bundle:
    build = _build if current_app.debug else _cached_build
    return build(current_app.static_folder or "", audience)


def stylesheet_url() -> str:
    """The one stylesheet of the audience this page is for."""
    audience = "staff" if request.blueprint in STAFF_BLUEPRINTS else "public"
    return url_for("stylesheet", audience=audience, v=bundle(audience).version)


def init_stylesheets(app: Flask) -> None:
    @app.get("/assets/<string:audience>.css", endpoint="stylesheet")
    @reads_query("v")
    def stylesheet(audience: str) -> Response:
        if audience not in BUNDLES:
            abort(404)
        built = bundle(audience)
        response = Response(built.css, mimetype="text/css")
        response.set_etag(built.version)
        if request.args.get("v") == built.version:
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        else:  # an old page asking for an old version: kept briefly, asked again after that
            response.headers["Cache-Control"] = "public, max-age=300"
        return response.make_conditional(request)

    app.jinja_env.globals["stylesheet_url"] = stylesheet_url


def stylesheet_version(view_args: dict) -> str | None:
    """The version of the stylesheet a request names (None: no such audience)."""
    audience = view_args.get("audience")
    return bundle(audience).version if audience in BUNDLES else None
