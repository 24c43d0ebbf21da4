"""axe-core finds nothing on the reviewer's pages, each form in its error state too, and none scrolls sideways at
320 px."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from clinic_finder.extensions import db
from clinic_finder.models import ModerationStatus, OutboxMessage, Review

from .audit import AuditLog
from .conftest import submit_without_browser_checks

pytestmark = pytest.mark.browser


def test_reviewer_pages_have_no_axe_findings(app, live_server, page, profile_id, monkeypatch):
    monkeypatch.setitem(app.config, "REVIEW_MIN_SECONDS", 0)
    log = AuditLog("reviewer")
    go = lambda path: page.goto(live_server + path)  # noqa: E731

    go(f"/providers/{profile_id}/reviews/new")
    log.check(page, "new review")
    submit_without_browser_checks(page, "form.review-form", "Send my review")
    expect(page.locator(".error-summary")).to_be_focused()
    log.check(page, "new review, errors")
    for group in page.locator("fieldset.rating-field").all()[:4]:
        group.locator("input[value='4']").check()
    page.get_by_label("In a clinic").check()
    page.get_by_label("How was the ketamine given?").select_option("iv")
    last_month = datetime.now(UTC).date().replace(day=1) - timedelta(days=1)
    page.get_by_label("Month", exact=True).select_option(str(last_month.month))
    page.get_by_label("Year", exact=True).select_option(str(last_month.year))
    page.get_by_label("Your review").fill("The nurse checked my blood pressure before, during and after the "
                                          "infusion, and the recovery room was quiet. Fictional test review.")
    page.get_by_label("Your email address (never shown)").fill("reader@example.org")
    page.get_by_label("My review follows the review guidelines", exact=False).check()
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_role("heading", level=1, name="Thank you for your review")).to_be_visible()
    log.check(page, "review sent")

    db.session.expire_all()
    body = db.session.scalars(sa.select(OutboxMessage.body)).first()
    go(re.search(r"https?://[^/\s]+(/reviews/confirm/\S+)", body).group(1))
    log.check(page, "confirm your email")
    page.get_by_role("button", name="Confirm my email address").click()
    log.check(page, "email confirmed")
    go("/reviews/confirm/not-a-real-token")
    log.check(page, "confirmation link not valid")
    go("/reviews/confirm/resend")
    log.check(page, "resend link")
    page.get_by_label("Email", exact=False).fill("not an address")
    submit_without_browser_checks(page, "form.consultation-form", "Send a new link")
    log.check(page, "resend link, errors")
    page.get_by_label("Email", exact=False).fill("reader@example.org")
    page.get_by_role("button", name="Send a new link").click()
    log.check(page, "resend link, sent")
    go("/reviews/guidelines")
    log.check(page, "review guidelines")

    published = db.session.scalars(sa.select(Review.id).where(Review.status == ModerationStatus.APPROVED,
                                                               Review.email_confirmed_at.is_not(None))).first()
    go(f"/reviews/{published}/report")
    log.check(page, "report a review")
    submit_without_browser_checks(page, "form.consultation-form", "Send the report")
    log.check(page, "report a review, errors")
    go(f"/providers/{profile_id}#reviews")
    log.check(page, "profile with reviews")

    log.assert_clean()
