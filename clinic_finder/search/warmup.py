"""Warming a new worker before it takes traffic, so its first visitor's search is as fast as the next one's.

A fresh process pays once for the offline geocoder's ZIP index (about 40,000 rows), the search statements' SQL
(built and compiled once per shape), the database connection, and the search page's templates: 1.4–4 seconds
measured on the first search of each new gunicorn worker (issue 20). warm_up() pays all of it by answering a few
searches through the app itself, as a visitor would, before the worker accepts a connection.

gunicorn runs it from the post_worker_init hook below (gunicorn.conf.py in a checkout; an installed wheel uses
`gunicorn -c python:clinic_finder.search.warmup …`). The readiness check /healthz never warms anything itself, and
the test suite never loads this hook, so tests stay fast.
"""
from __future__ import annotations

import logging
import time

from flask import Flask

log = logging.getLogger(__name__)

# What the first visitors ask for: the search page and the API, by ZIP code, by town and by a shared location.
WARM_UP_PATHS = (
    "/search?q=10001",
    "/search?q=Austin%2C+TX&sort=rating",
    "/api/v1/providers?near=60601",
    "/api/v1/providers?lat=34.05&lon=-118.24&radius_mi=50&sort=price",
    "/api/v1/providers?near=Denver%2C+CO&mode=at_home",
)


def warm_up(app: Flask) -> float:
    """Answer WARM_UP_PATHS in this process; returns the seconds it took. A failure is logged, never raised: a
    worker that cannot warm up still serves (its first search is merely slow)."""
    started = time.perf_counter()
    from clinic_finder.geo.geocoding import us_data

    us_data()
    client = app.test_client()
    base_url = app.config.get("PUBLIC_BASE_URL") or "http://localhost"  # a host the trusted-host check accepts
    for path in WARM_UP_PATHS:
        try:
            response = client.get(path, base_url=base_url)
        except Exception:  # noqa: BLE001 (a warm-up must not stop a worker from serving)
            log.exception("search warm-up: %s failed", path)
            continue
        if response.status_code != 200:
            log.warning("search warm-up: %s answered %s", path, response.status_code)
    elapsed = time.perf_counter() - started
    log.info("search warm-up took %.2f s", elapsed)
    return elapsed


def post_worker_init(worker) -> None:
    """gunicorn hook: the worker has loaded the app and does not accept connections until this returns."""
    app = getattr(worker, "wsgi", None)
    if isinstance(app, Flask):
        seconds = warm_up(app)
        worker.log.info("worker %s: search warmed up in %.2f s", worker.pid, seconds)
