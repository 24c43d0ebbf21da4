"""Fingerprinted static files: every URL built for a static file carries a hash of its content (`?v=…`), so a
browser or CDN may keep it for a year and a changed file gets a new URL. Templates keep calling
`url_for('static', filename=…)`; the fingerprint is added where URLs are built, not written into templates."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request

ONE_YEAR = 365 * 24 * 3600


def init_static_fingerprints(app: Flask) -> Callable[[dict], str | None]:
    """Returns the version (content hash) of the file a static request names, or None."""
    static_folder = Path(app.static_folder or "")

    @lru_cache(maxsize=1024)
    def fingerprint(filename: str) -> str | None:
        path = (static_folder / filename).resolve()
        if static_folder.resolve() not in path.parents or not path.is_file():
            return None
        return hashlib.blake2b(path.read_bytes(), digest_size=6).hexdigest()

    if app.debug:  # files change under a developer's hands; a cached hash would hide the change
        fingerprint = fingerprint.__wrapped__  # type: ignore[attr-defined]

    @app.url_defaults
    def _add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = fingerprint(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _far_future(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == fingerprint(filename):
                response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
            else:
                # An unversioned or stale URL (an old page in a cache): kept briefly, checked after that.
                response.headers["Cache-Control"] = "public, max-age=300"
        return response

    return lambda view_args: fingerprint(view_args.get("filename") or "")
