"""axe-core finds nothing on the staff pages (sign-in, every queue, the edit and verification forms in their error
state) and on every error page, and none scrolls sideways at 320 px."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_limiter.errors import RateLimitExceeded
from playwright.sync_api import expect
from werkzeug.exceptions import Forbidden, HTTPException, RequestEntityTooLarge, TooManyRequests

from clinic_finder.extensions import db
from clinic_finder.models import License, Role

from .audit import AuditLog
from .conftest import submit_without_browser_checks

pytestmark = pytest.mark.browser

PASSWORD = "violet lantern orbit 42"


def test_staff_pages_have_no_axe_findings(live_server, page, profile_id, make_user):
    make_user("admin@clinic-finder.example", Role.ADMIN, PASSWORD)
    log = AuditLog("staff")
    go = lambda path: page.goto(live_server + path)  # noqa: E731

    # Something in each queue: a correction, a problem report and a consultation request, sent as the public would.
    go(f"/providers/{profile_id}/correction")
    page.get_by_role("button", name="Send the correction").click()
    go(f"/providers/{profile_id}/report")
    page.locator("input[name=category]").first.check()
    page.get_by_role("button", name="Send the report").click()

    go("/auth/login")
    log.check(page, "sign in")
    page.get_by_label("Email").fill("admin@clinic-finder.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_focused()
    log.check(page, "sign in, errors")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    log.check(page, "dashboard")
    for path, name in [("/admin/accounts", "staff accounts"), ("/admin/audit", "audit trail"),
                       ("/admin/consultations", "consultation requests"), ("/admin/licenses", "licenses"),
                       ("/admin/listings", "listing submissions"), ("/admin/problem-reports", "problem reports"),
                       ("/admin/recheck", "due for re-check"), ("/admin/reviews", "review moderation"),
                       ("/admin/exports", "exports"), ("/admin/imports/to-review", "imports to review"),
                       ("/admin/imports/differences", "import differences"),
                       ("/admin/imports/deactivated-npis", "deactivated NPIs")]:
        go(path)
        log.check(page, name)

    license_id = db.session.scalars(sa.select(License.id).order_by(License.id)).first()
    go(f"/admin/licenses/{license_id}")
    log.check(page, "verify a license")
    submit_without_browser_checks(page, "form[enctype]", "Save the outcome")
    log.check(page, "verify a license, errors")
    go(f"/admin/providers/{profile_id}/edit")
    log.check(page, "edit a listing")
    page.locator("#name").fill("")
    submit_without_browser_checks(page, "form.listing-form", "Save")
    log.check(page, "edit a listing, errors")

    log.assert_clean()


def _raises(error: Exception):
    def view(*args, **kwargs):
        raise error
    return view


def _rate_limited() -> RateLimitExceeded:
    # Flask-Limiter builds this from a live limit; the page only needs an exception the reviews handler catches.
    error = RateLimitExceeded.__new__(RateLimitExceeded)
    HTTPException.__init__(error, "too many")
    error.limit = None
    return error


def test_error_pages_have_no_axe_findings(app, live_server, page, demo_directory, monkeypatch):
    log = AuditLog("errors")
    go = lambda path: page.goto(live_server + path)  # noqa: E731

    go("/no-such-page")
    log.check(page, "404 not found")
    go("/auth/logout")  # GET on a POST-only address
    log.check(page, "405 (generic error page)")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    go("/auth/login")
    page.locator("input[name=csrf_token]").evaluate("input => { input.value = 'expired'; }")
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_label("Password").fill("whatever it was")
    page.get_by_role("button", name="Sign in").click()
    log.check(page, "form expired")

    # The rest cannot be caused from outside on purpose: a view that raises shows each handler's real page.
    for error, name in [(Forbidden(), "403 forbidden"), (RequestEntityTooLarge(), "413 too large"),
                        (TooManyRequests(), "429 too many requests"), (RuntimeError("boom"), "500 server error"),
                        (sa.exc.OperationalError("SELECT 1", {}, Exception("gone")), "503 unavailable")]:
        monkeypatch.setitem(app.view_functions, "public.privacy", _raises(error))
        go("/privacy")
        log.check(page, name)
    monkeypatch.setitem(app.view_functions, "reviews.guidelines", _raises(_rate_limited()))
    go("/reviews/guidelines")
    expect(page.get_by_role("heading", level=1, name="Please wait a little before sending again")).to_be_visible()
    log.check(page, "429 reviews paused")

    log.assert_clean()
