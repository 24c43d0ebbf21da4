"""HTTP caching of public reads: a validator taken from the page itself, a short shared lifetime, and 304s.

The validator is a hash of the bytes sent, so it moves with anything the page shows — a publication, an edit, an
approved review, a verified license, and the date, since "verified 12 days ago" and expiry notices move with the
clock. Only pages an anonymous visitor gets are shared: a request carrying a session cookie (staff, or a visitor in
the middle of a form) is answered `private`, and pages with personal data or a CSRF token are `no-store`
(security/headers.py decides which those are).
"""
from __future__ import annotations

import hashlib

from flask import Flask, Response, current_app, request

from clinic_finder.security.headers import is_private
from clinic_finder.serving.anonymous import sent_session_cookie


def shared_cache_control() -> str:
    cfg = current_app.config
    # A browser asks again each time (a 304 when nothing changed), so a patient who just posted a review or an
    # admin who just published sees the change at once; shared caches in front (nginx, a CDN) keep the page briefly.
    return (f"public, max-age=0, s-maxage={cfg['PUBLIC_MAX_AGE']}, "
            f"stale-while-revalidate={cfg['PUBLIC_STALE_WHILE_REVALIDATE']}")


# A health check must reach the app it checks: a cache in front answering for it would hide an outage.
LIVE_ONLY = {"public.healthz"}


def _cacheable(response: Response) -> bool:
    return (request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed
            and request.endpoint not in (None, "static") and "Cache-Control" not in response.headers
            and not is_private())


def init_http_cache(app: Flask) -> None:
    @app.after_request
    def _validators(response: Response) -> Response:
        if request.endpoint in LIVE_ONLY:
            response.headers["Cache-Control"] = "no-store"
            return response
        if not _cacheable(response):
            return response
        if sent_session_cookie(app, request):
            # Signed-in staff may see a page differently; only their browser may keep it, after asking again.
            response.headers["Cache-Control"] = "private, no-cache"
            response.vary.add("Cookie")
        else:
            response.headers["Cache-Control"] = shared_cache_control()
        response.set_etag(hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
        return response.make_conditional(request)
