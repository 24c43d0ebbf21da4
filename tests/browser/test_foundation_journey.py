"""A patient opens the home page and a profile in a real browser, with no script errors."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_and_profile_render_without_script_errors(live_server, page, make_provider, add_license,
                                                       screenshot_dir):
    provider = make_provider("Browser Test Clinic", is_demo=True)
    add_license(provider)
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Find a ketamine-therapy provider you can trust")).to_be_visible()
    expect(page.get_by_text("Demo data.")).to_be_visible()
    page.goto(f"{live_server}/providers/{provider.id}")
    expect(page.get_by_role("heading", name="Browser Test Clinic")).to_be_visible()
    expect(page.get_by_text("License: Verified")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "foundation-profile.png"), full_page=True)
    assert page.js_errors == []
