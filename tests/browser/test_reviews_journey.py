"""A former patient reviews a provider, confirms their email, a moderator approves the review, and the profile
shows it with the rating summary, in a real browser with no script errors. Saves the screenshots for the
closing note (SCREENSHOT_DIR=docs/screenshots to refresh the ones in the repository)."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from clinic_finder.extensions import db
from clinic_finder.models import Clinician, Credential, Mode, ModerationStatus, OutboxMessage, Review, Role, Route
from clinic_finder.reviews import moderation as review_moderation
from clinic_finder.reviews import ratings

pytestmark = pytest.mark.browser

PUBLISHED = (
    (5, "Maya", "The team checked my blood pressure and heart rate before, during and after each infusion. The "
                "recovery room was calm and someone stayed with me until I felt steady."),
    (4, "Anonymous patient", "Booking took a week, but the nurse explained the dissociation and possible nausea "
                             "clearly beforehand. Cost matched the quote."),
    (3, "R.", "Good clinical care. Follow-up calls were slow and I had to chase the superbill for my insurer, "
              "who did not cover it in the end."),
)


def _seed(provider):
    provider.clinicians.append(Clinician(full_name="Ana Ruiz", credential=Credential.MD))
    for i, (stars, name, text) in enumerate(PUBLISHED):
        month = (datetime.now(UTC) - timedelta(days=40 * (i + 1))).date().replace(day=1)
        db.session.add(Review(provider=provider, overall_rating=stars, experience_rating=min(5, stars + 1),
                              professionalism_rating=stars, customer_service_rating=max(1, stars - 1),
                              safety_rating=5 if i != 2 else None, value_rating=stars - 1 if i else None,
                              text=text, display_name=name, contact_email=f"p{i}@example.org",
                              mode=Mode.IN_CLINIC, route=Route.IV, treatment_month=month,
                              status=ModerationStatus.APPROVED, email_confirmed_at=datetime.now(UTC),
                              created_at=datetime.now(UTC) - timedelta(days=10 * (i + 1))))
    db.session.flush()
    ratings.refresh_rating(provider)
    db.session.commit()


def _sign_in(app, page, live_server, user):
    from clinic_finder.extensions import login_manager
    from clinic_finder.staff import sessions as staff_sessions

    user_agent = page.evaluate("navigator.userAgent")
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": user_agent}):
        identifier = login_manager._session_identifier_generator()
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": user.get_id(), "_fresh": True, "_id": identifier,
         "staff_session": staff_sessions.start(user, app.permanent_session_lifetime)})  # as sign-in does
    page.context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server}])


def test_write_confirm_moderate_and_read_a_review(app, live_server, page, make_provider, make_user,
                                                 screenshot_dir, monkeypatch):
    # A person takes longer than the browser does; the minimum time has its own tests.
    monkeypatch.setitem(app.config, "REVIEW_MIN_SECONDS", 0)
    provider = make_provider("Harbor Infusion Center", is_demo=True, commit=False)
    _seed(provider)

    page.goto(f"{live_server}/providers/{provider.id}")
    page.get_by_role("link", name="Write a review").click()
    expect(page.get_by_role("heading", level=1, name="Review Harbor Infusion Center")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "review-form.png"), full_page=True)

    page.get_by_role("button", name="Send my review").click()
    # The summary takes focus, and every field in error says so to assistive technology (4 of 10 did before).
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary").get_by_text("Nothing has been stored yet")).to_be_visible()
    summary_links = page.locator(".error-summary a").evaluate_all("links => links.map(a => a.hash.slice(1))")
    assert len(summary_links) >= 6
    for field_id in summary_links:
        field = page.locator(f"[id='{field_id}']")
        controls = field.locator("input, select, textarea") if field.evaluate("e => e.tagName") == "FIELDSET" else field
        assert controls.count() and all(c.get_attribute("aria-invalid") == "true" for c in controls.all()), field_id
    assert page.locator("#overall_rating-error").inner_text() == "Please choose a rating from 1 to 5."
    assert "at least 50 characters" not in page.content()  # an empty text gets its own message
    assert page.locator("#text-error").inner_text() == "Please write about your experience."
    page.screenshot(path=str(screenshot_dir / "review-form-errors.png"), full_page=True)

    for group, stars in (("Overall", "4"), ("Experience and expertise", "5"), ("Professionalism", "4"),
                         ("Customer service", "3"), ("Safety and monitoring (optional)", "5")):
        page.get_by_role("group", name=group, exact=True).get_by_label(stars, exact=True).check()
    page.get_by_label("In a clinic").check()
    page.get_by_label("How was the ketamine given?").select_option("iv")
    last_month = (datetime.now(UTC).date().replace(day=1) - timedelta(days=1))
    page.get_by_label("Month", exact=True).select_option(str(last_month.month))
    page.get_by_label("Year", exact=True).select_option(str(last_month.year))
    page.get_by_label("Your review").fill(
        "Dr. Ana Ruiz screened me carefully and the nurse watched my vital signs the whole time. "
        "I felt floaty and a little nauseous afterwards, as they had warned.")
    page.get_by_label("Your email address (never shown)").fill("sam@example.org")
    page.get_by_label("My review follows the review guidelines", exact=False).check()
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_role("heading", level=1, name="Thank you for your review")).to_be_visible()
    db.session.expire_all()
    body = db.session.scalars(sa.select(OutboxMessage.body)).one()
    link = re.search(r"https?://[^/\s]+(/reviews/confirm/\S+)", body).group(1)
    page.goto(live_server + link)
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("heading", name="Your email is confirmed")).to_be_visible()
    reported = db.session.scalars(sa.select(Review).where(Review.display_name == "R.")).one()
    review_moderation.report(reported, "It is false or misleading: they did cover part of it", "reader-1", 3)
    _sign_in(app, page, live_server, make_user("mod@example.org", role=Role.MODERATOR))
    page.goto(live_server + "/admin/reviews")
    expect(page.get_by_text("Privacy: names a staff member: Ana Ruiz")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "moderation-queue.png"), full_page=True)
    review_id = db.session.scalars(sa.select(Review.id).where(Review.status == ModerationStatus.PENDING)).one()
    page.locator(f"#review-{review_id}").get_by_role("button", name="Approve").click()
    expect(page.get_by_text("1 review approved.")).to_be_visible()
    expect(page.get_by_text("0 awaiting moderation · 1 with open reports")).to_be_visible()
    page.goto(f"{live_server}/providers/{provider.id}#reviews")
    panel = page.locator("#reviews")
    expect(panel.get_by_text("4.0 out of 5")).to_be_visible()
    expect(panel.get_by_text("from 4 reviews with a confirmed email")).to_be_visible()
    assert panel.locator(".badge-confirmed").count() == 4
    assert "sam@example.org" not in page.content()
    panel.screenshot(path=str(screenshot_dir / "profile-reviews.png"))
    assert page.js_errors == []
