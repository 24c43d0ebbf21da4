"""Work each server process would otherwise do on its first visitor's request, done once before gunicorn forks its
workers (`gunicorn --preload`), so every worker starts warm and shares the result copy-on-write.

Measured on the 2-core bench machine: the offline geocoder's ZIP and city indexes took 3–8 s of CPU to build (under
1 s since they are read from a compact file, geo/zip_data.py), and compiling the templates a results page needs
about 0.3 s; without this each of 4 workers paid both on its first search, and every worker restart again.
"""
from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask, url_for


def warm_up(app: Flask) -> None:
    from clinic_finder.extensions import db
    from clinic_finder.geo.geocoding import us_data

    us_data()
    for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml", ".txt"))):
        app.jinja_env.get_template(name)
    precompress_assets(app)
    with app.app_context():
        # Nothing above should have connected, but a connection opened before the fork would be shared by workers.
        db.engine.dispose()
    # What exists now (the app, the geocoder's indexes, compiled templates: some 300,000 objects) lives as long as
    # the process: out of the collector's sight, a full collection no longer walks it (about 0.1 s of CPU every few
    # hundred requests on the bench machine), and forked workers keep sharing its memory pages (Python's gc docs).
    gc.collect()
    gc.freeze()


def precompress_assets(app: Flask) -> None:
    """Each static asset and stylesheet compressed at the highest quality once, in both encodings (about 0.4 s;
    Leaflet's script alone is a quarter second), instead of on the first request for it in each worker."""
    from clinic_finder.serving.precompressed import kept_encodings
    from clinic_finder.serving.stylesheets import BUNDLES

    static = Path(app.static_folder or "")
    client = app.test_client()
    base_url = app.config.get("PUBLIC_BASE_URL") or None  # a host the site serves (TRUSTED_HOSTS may omit localhost)
    with app.test_request_context(base_url=base_url):
        urls = [url_for("stylesheet", audience=audience) for audience in BUNDLES]
        urls += [url_for("static", filename=path.relative_to(static).as_posix())
                 for path in sorted(static.rglob("*")) if path.is_file()]
    for url in urls:
        for algorithm in kept_encodings(app):
            client.get(url, base_url=base_url, headers={"Accept-Encoding": algorithm}).close()


def create_served_app(config: dict | None = None) -> Flask:
    """The app as gunicorn serves it: `gunicorn --preload 'clinic_finder.serving.warm:create_served_app()'` (the
    installed wheel's equivalent of `gunicorn --preload wsgi:app` in a checkout)."""
    from clinic_finder import create_app
    from clinic_finder.config import check_served_for_production

    app = create_app(config)
    check_served_for_production(app)
    warm_up(app)
    return app
