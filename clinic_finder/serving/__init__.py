"""How responses travel: JSON encoding, compression, HTTP caching of public reads, fingerprinted static files,
cookie-free anonymous visits. Nothing here changes what a page says, only how cheaply it reaches the reader."""
from __future__ import annotations

from flask import Flask


def init_serving(app: Flask) -> None:
    from clinic_finder.extensions import compress
    from clinic_finder.serving.anonymous import CookieFreeSessionInterface
    from clinic_finder.serving.http_cache import init_http_cache
    from clinic_finder.serving.json_responses import init_json_responses
    from clinic_finder.serving.precompressed import init_precompressed
    from clinic_finder.serving.psycopg_statements import describe_results_on_demand, keep_long_statements_converted
    from clinic_finder.serving.static_files import init_static_fingerprints
    from clinic_finder.serving.stylesheets import init_stylesheets, stylesheet_version

    app.session_interface = CookieFreeSessionInterface()
    init_json_responses(app)
    compress.init_app(app)
    # Registered after compression so it runs before it (Flask runs after_request hooks last-registered first):
    # the validator is taken from the page itself, and Flask-Compress then marks it per encoding.
    init_http_cache(app)
    static_version = init_static_fingerprints(app)
    init_stylesheets(app)
    init_precompressed(app, {"static": static_version, "stylesheet": stylesheet_version})
    keep_long_statements_converted()  # process-wide, and nothing to do without the PostgreSQL driver
    describe_results_on_demand()
