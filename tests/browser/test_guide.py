"""A patient reads the guide, takes the self-assessment (with and without the crisis path) and requests a free
consultation, in a real browser with no script errors. Saves the screenshots for the closing note."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from clinic_finder.extensions import db
from clinic_finder.models import ConsultationRequest, OutboxMessage

pytestmark = pytest.mark.browser


def _answer(page, *, self_harm="No", history=("None of these",), medications=""):
    page.get_by_label("Depression").check()
    page.get_by_label("Chronic pain").check()
    page.get_by_label("More than 2 years").check()
    page.get_by_label("Talk therapy (psychotherapy or counseling)").check()
    page.get_by_label("Two or more prescription medications for this").check()
    if medications:
        page.get_by_label("4. Which medicines do you take now? (optional)").fill(medications)
    for item in history:
        page.get_by_label(item).check()
    page.get_by_role("group", name="6. In the past two weeks").get_by_label(self_harm, exact=True).check()
    page.get_by_label("At a clinic").check()
    page.get_by_label("Up to $600").check()
    page.get_by_label("9. Your ZIP code").fill("10001")
    page.get_by_role("button", name="See my result").click()


def test_the_guide_reads_as_a_patient_would_see_it(live_server, page, screenshot_dir):
    page.goto(live_server + "/guide")
    expect(page.get_by_role("heading", level=1, name="Patient guide to ketamine therapy")).to_be_visible()
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="How to check a provider").click()
    assert page.url.endswith("#vetting")
    assert page.get_by_role("link", name="Only providers with verified licenses").get_attribute("href") == \
        "/search?verified_only=1"
    page.screenshot(path=str(screenshot_dir / "guide.png"), full_page=True)
    assert page.js_errors == []


def test_an_assessment_without_risk_shows_points_and_provider_links(live_server, page, screenshot_dir):
    page.goto(live_server + "/assessment")
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_text("Please choose an answer.").first).to_be_visible()  # nothing answered yet
    page.screenshot(path=str(screenshot_dir / "assessment-errors.png"), full_page=True)
    _answer(page, history=("High blood pressure that is not under control",), medications="sertraline")
    expect(page.get_by_role("heading", level=1, name="Your self-assessment result")).to_be_visible()
    expect(page.get_by_role("heading", name="Tell the clinician first")).to_be_visible()
    expect(page.get_by_role("link", name="Providers near 10001 who treat depression")).to_be_visible()
    assert page.locator(".crisis").count() == 0
    page.screenshot(path=str(screenshot_dir / "assessment-result.png"), full_page=True)
    assert page.js_errors == []


def test_the_crisis_path_puts_988_and_911_first(live_server, page, screenshot_dir):
    page.goto(live_server + "/assessment")
    _answer(page, self_harm="Yes, sometimes")
    crisis = page.get_by_role("heading", level=1, name="You deserve support right now")
    expect(crisis).to_be_visible()
    call = page.get_by_role("link", name="Call 988")
    expect(call).to_be_visible()
    assert call.get_attribute("href") == "tel:988"
    expect(page.get_by_role("link", name="Call 911")).to_be_visible()
    result_title = page.get_by_role("heading", name="Your self-assessment result")
    assert crisis.bounding_box()["y"] < result_title.bounding_box()["y"]
    assert call.bounding_box()["y"] < 600  # in the first screenful, without scrolling
    page.screenshot(path=str(screenshot_dir / "assessment-crisis.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert call.bounding_box()["y"] + call.bounding_box()["height"] < 844
    page.screenshot(path=str(screenshot_dir / "assessment-crisis-phone.png"))
    assert page.js_errors == []


def test_a_consultation_request_with_shared_answers(live_server, page, make_provider, screenshot_dir):
    provider = make_provider("Harbor Infusion Center", email="intake@harbor.example", free_consultation=True,
                             is_demo=True)
    page.goto(live_server + "/assessment")
    _answer(page)
    page.get_by_role("button", name="Keep my answers for a consultation request").click()
    assert "/search?" in page.url
    page.goto(f"{live_server}/providers/{provider.id}/consultation")
    page.get_by_label("Your name").fill("Jordan Example")
    page.get_by_label("Email").fill("jordan@example")
    page.get_by_label("Phone").fill("212-555-0123")
    page.get_by_label("When should they contact you?").select_option("evening")
    page.get_by_label("Message to the provider (optional)").fill("What does a first session involve?")
    page.get_by_label("Send my self-assessment answers with this request").check()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("Please enter a valid email address")).to_be_visible()
    expect(page.get_by_text("Please tick this box")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "consultation-errors.png"), full_page=True)
    page.goto(f"{live_server}/providers/{provider.id}/consultation")
    page.get_by_label("Your name").fill("Jordan Example")
    page.get_by_label("Email").fill("jordan@example.org")
    page.get_by_label("When should they contact you?").select_option("evening")
    page.get_by_label("Message to the provider (optional)").fill("What does a first session involve?")
    page.get_by_label("Send my self-assessment answers with this request").check()
    page.get_by_text("What would be sent").click()
    page.get_by_label("I agree that clinic_finder passes").check()
    page.screenshot(path=str(screenshot_dir / "consultation.png"), full_page=True)
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name="Your request was sent")).to_be_visible()
    expect(page.get_by_text("not a medical service")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "consultation-sent.png"), full_page=True)
    db.session.expire_all()
    [request] = db.session.scalars(sa.select(ConsultationRequest)).all()
    assert request.email == "jordan@example.org" and request.assessment_answers["zip_code"] == "10001"
    [message] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert message.recipient == "intake@harbor.example"
    assert page.js_errors == []


def test_an_admin_reads_and_resolves_consultation_requests(app, live_server, page, make_provider, make_user,
                                                          screenshot_dir):
    from datetime import UTC, datetime

    from clinic_finder.extensions import login_manager
    from clinic_finder.staff import sessions as staff_sessions

    provider = make_provider("Harbor Infusion Center", email=None, is_demo=True)
    for name, message in (("Jordan Example", "What does a first session involve?"),
                          ("Sam Sample", "Do you offer evening appointments?\nI work days.")):
        db.session.add(ConsultationRequest(provider_id=provider.id, name=name, email="person@example.org",
                                           phone="+12125550123", preferred_contact_time="evening", message=message,
                                           consent_given_at=datetime.now(UTC)))
    db.session.commit()
    admin = make_user()
    # Sign in by cookie (the login form belongs to another feature), bound to this browser like a real session.
    user_agent = page.evaluate("navigator.userAgent")
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": user_agent}):
        identifier = login_manager._session_identifier_generator()
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": admin.get_id(), "_fresh": True, "_id": identifier,
         "staff_session": staff_sessions.start(admin, app.permanent_session_lifetime)})  # as sign-in does
    page.context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server}])
    page.goto(live_server + "/admin/consultations")
    expect(page.get_by_role("heading", name="Consultation requests")).to_be_visible()
    expect(page.get_by_text("No provider email: pass it on").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "admin-consultations.png"), full_page=True)
    page.get_by_label("Status of request #1").select_option("resolved")
    page.locator("#request-1").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Request #1 is now resolved.")).to_be_visible()
    assert page.js_errors == []
