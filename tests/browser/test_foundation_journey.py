"""A patient opens the home page and a profile in a real browser, with no script errors."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_and_profile_render_without_script_errors(live_server, page, make_provider, add_license,
                                                       screenshot_dir):
    provider = make_provider("Browser Test Clinic", is_demo=True)
    add_license(provider)
    page.goto(live_server + "/")
    assert page.get_by_role("heading", name="Find a ketamine-therapy provider you can trust").is_visible()
    assert page.get_by_text("Demo data.").is_visible()
    page.goto(f"{live_server}/providers/{provider.id}")
    assert page.get_by_role("heading", name="Browser Test Clinic").is_visible()
    assert page.get_by_text("License: Verified").is_visible()
    page.screenshot(path=str(screenshot_dir / "foundation-profile.png"), full_page=True)
    assert page.js_errors == []
