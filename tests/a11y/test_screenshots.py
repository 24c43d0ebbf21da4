"""Screenshots for people at 1280 and 360 px: home, results with and without clinics in range, a profile and the
self-assessment in its error state (SCREENSHOT_DIR=docs/screenshots refreshes the ones in the repository; the
default, artifacts/screenshots, is not committed). Each is checked for sideways scrolling on the way."""
from __future__ import annotations

import pytest

from .conftest import submit_without_browser_checks

pytestmark = pytest.mark.browser

MAX_HEIGHT = 1500  # keeps the files small; the top of a page is what a visitor sees first


@pytest.mark.parametrize("width", [1280, 360])
def test_screenshots_at_desktop_and_phone_widths(live_server, browser, profile_id, busy_zip, screenshot_dir, width):
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 780},
                                  is_mobile=width < 400, has_touch=width < 400)
    page = context.new_page()
    try:
        def shot(name: str) -> None:
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
            page.screenshot(path=str(screenshot_dir / f"a11y-{name}-{width}.png"),
                            clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True)

        page.goto(live_server + "/")
        shot("home")
        page.goto(f"{live_server}/search?q={busy_zip}")
        page.locator("#results-map.map-ready").wait_for()
        shot("results")
        page.goto(live_server + "/search?q=59001&radius_mi=1")
        page.locator("#results-map.map-ready").wait_for()
        shot("results-none-in-range")
        page.goto(f"{live_server}/providers/{profile_id}")
        shot("profile")
        page.goto(live_server + "/assessment")
        submit_without_browser_checks(page, "form.assessment-form", "See my result")
        shot("assessment-errors")
    finally:
        context.close()
