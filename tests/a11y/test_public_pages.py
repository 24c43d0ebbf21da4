"""axe-core finds nothing, of any impact, on the pages a patient sees, each form in its error state too, and no page
scrolls sideways at 320 px. A11Y_REPORT=file.md appends the per-page table."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .audit import AuditLog
from .conftest import submit_without_browser_checks

pytestmark = pytest.mark.browser


def test_public_pages_have_no_axe_findings(live_server, page, profile_id, busy_zip):
    log = AuditLog("public")
    go = lambda path: page.goto(live_server + path)  # noqa: E731

    go("/")
    log.check(page, "home")
    go("/search")
    log.check(page, "search, not started")
    go(f"/search?q={busy_zip}")
    page.locator("#results-map.map-ready").wait_for()
    log.check(page, "results with clinics")
    go("/search?q=59001&radius_mi=1")  # a Montana town with no demo clinic within a mile
    page.locator("#results-map.map-ready").wait_for()
    log.check(page, "results, no clinic in range")
    go("/search?q=Portland")
    log.check(page, "search, which place")
    go("/search?q=Nowhereville%2C+ZZ")
    log.check(page, "search, unknown place")
    go("/search?q=10001&radius_mi=9999&max_price=-4")
    log.check(page, "search with errors")
    go("/providers")
    log.check(page, "all providers")
    go(f"/providers/{profile_id}")
    log.check(page, "profile")
    go(f"/compare?ids={profile_id}&ids={profile_id + 1}")
    log.check(page, "compare")
    go(f"/compare?ids={profile_id}")
    log.check(page, "compare, one id")
    go("/guide")
    log.check(page, "guide")
    go("/about/data")
    log.check(page, "about our data")
    go("/privacy")
    log.check(page, "privacy")

    go("/assessment")
    log.check(page, "assessment")
    submit_without_browser_checks(page, "form.assessment-form", "See my result")
    log.check(page, "assessment, errors")
    for question in page.locator("fieldset.question").all():
        question.locator("input").last.check()
    page.locator("fieldset#self_harm input[value=no]").check()  # the one answer that does not bring crisis help
    page.locator("#zip_code").fill(busy_zip)
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", level=1, name="Your self-assessment result")).to_be_visible()
    log.check(page, "assessment result")
    go("/assessment")
    page.locator("fieldset#self_harm input[value=sometimes]").check()  # crisis help comes first, errors after it
    submit_without_browser_checks(page, "form.assessment-form", "See my result")
    expect(page.locator("section.crisis")).to_be_visible()
    log.check(page, "assessment, crisis help")

    go(f"/providers/{profile_id}/consultation")
    log.check(page, "consultation request")
    submit_without_browser_checks(page, "form.consultation-form", "Send my request")
    expect(page.locator(".error-summary")).to_be_focused()
    log.check(page, "consultation request, errors")
    go(f"/providers/{profile_id}/consultation/sent")
    log.check(page, "consultation sent")

    go("/listings/new")
    log.check(page, "new listing")
    submit_without_browser_checks(page, "form.listing-form", "Submit the listing for review")
    log.check(page, "new listing, errors")
    go("/listings/received")
    log.check(page, "listing received")
    go(f"/providers/{profile_id}/correction")
    log.check(page, "correction")
    page.locator("#name").fill("")
    submit_without_browser_checks(page, "form.listing-form", "Send the correction")
    log.check(page, "correction, errors")
    go(f"/providers/{profile_id}/report")
    log.check(page, "report a problem")
    submit_without_browser_checks(page, "main form", "Send the report")
    log.check(page, "report a problem, errors")

    log.assert_clean()
