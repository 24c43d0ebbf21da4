"""What axe cannot see: every control's focus ring contrasts 3:1 or more with what surrounds it (WCAG 2.2 2.4.11/
1.4.11), walking the Tab order of the busiest public pages, summaries and the map included."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# For the focused element: its outline, and the background colour just outside it (the nearest ancestor with one).
_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  let bg = 'rgba(0, 0, 0, 0)', node = el.parentElement;
  while (node && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
    bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
  }
  return {what: el.outerHTML.slice(0, 80), style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          color: style.outlineColor, around: bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg};
}"""


def _luminance(css: str) -> float:
    r, g, b = (int(float(v)) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_is_computed_like_wcag():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(240, 165, 0)", "rgb(247, 248, 250)"), 2) == 1.96  # the old amber ring on the page


def test_every_focus_ring_has_3_to_1_contrast(live_server, page, profile_id, busy_zip):
    weak = []
    for path in ("/", f"/search?q={busy_zip}", f"/providers/{profile_id}", "/assessment"):
        page.goto(live_server + path)
        page.keyboard.press("Tab")  # the skip link first
        for _ in range(40):
            ring = page.evaluate(_FOCUS)
            if ring:
                ratio = contrast(ring["color"], ring["around"])
                if ring["style"] in ("none", "hidden") or ring["width"] < 2 or ratio < 3:
                    weak.append(f"{path}: {ring['what']} {ring['style']} {ring['width']}px {ratio:.2f}:1")
            page.keyboard.press("Tab")
    assert not weak, "\n".join(weak)
