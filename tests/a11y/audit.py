"""Runs the vendored axe-core on the page a Playwright tab shows, and measures what axe cannot: sideways scrolling
at 320 CSS px (WCAG 1.4.10 reflow). The tests collect every finding of every page first and fail once, with the
whole table, so one run shows everything that is wrong."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
NARROW = 320  # WCAG 1.4.10: content must reflow, without scrolling in two directions, at 320 CSS px


@dataclass
class PageAudit:
    name: str
    url: str
    violations: list[dict] = field(default_factory=list)
    page_width_at_320: int = 0
    too_wide: list[str] = field(default_factory=list)

    @property
    def scrolls_sideways(self) -> bool:
        return self.page_width_at_320 > NARROW

    def lines(self) -> list[str]:
        out = []
        for v in self.violations:
            targets = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                                for n in v["nodes"][:3])
            out.append(f"{self.name} ({self.url}): {v['impact']} {v['id']} — {v['help']} — {targets}")
        if self.scrolls_sideways:
            out.append(f"{self.name} ({self.url}): page is {self.page_width_at_320} px wide at {NARROW} px, "
                       f"past the edge: {'; '.join(self.too_wide)}")
        return out


def run_axe(page) -> list[dict]:
    # evaluate() runs outside the page's CSP, which (rightly) refuses injected <script> elements.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(
        """async () => {
          // target-size (WCAG 2.2 AA, 2.5.8) is off in axe's defaults; targets of 24 px are part of our bar.
          const r = await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.map(n => ({target: n.target, html: n.html}))}));
        }"""
    )


# The innermost elements whose right edge passes the viewport: what to fix when a page scrolls sideways.
_PAST_THE_EDGE = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= window.innerWidth + 1 || r.width === 0) continue;
    if ([...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1)) continue;
    out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.right) + 'px');
  }
  return out.slice(0, 5);
}"""


def page_width_at(page, width: int) -> tuple[int, list[str]]:
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": 800})
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        return scroll_width, (page.evaluate(_PAST_THE_EDGE) if scroll_width > width else [])
    finally:
        page.set_viewport_size(size)


def audit(page, name: str) -> PageAudit:
    """axe on the page as it stands (at the tab's viewport), then its width at 320 px."""
    page.wait_for_load_state("load")
    result = PageAudit(name, page.url.split("//", 1)[-1].split("/", 1)[-1])
    result.violations = run_axe(page)
    result.page_width_at_320, result.too_wide = page_width_at(page, NARROW)
    return result


class AuditLog:
    """Collects the audits of one test; `A11Y_REPORT=file.md` appends their table (for the closing note)."""

    def __init__(self, audience: str):
        self.audience = audience
        self.pages: list[PageAudit] = []

    def check(self, page, name: str) -> PageAudit:
        result = audit(page, name)
        self.pages.append(result)
        return result

    def table(self) -> str:
        rows = [f"| {self.audience}: page | URL | axe findings | width at {NARROW} px |", "|---|---|---|---|"]
        for p in self.pages:
            found = ", ".join(f"{v['id']} ({v['impact']})" for v in p.violations) or "none"
            rows.append(f"| {p.name} | /{p.url} | {found} | {p.page_width_at_320} |")
        return "\n".join(rows)

    def assert_clean(self) -> None:
        report = os.environ.get("A11Y_REPORT")
        if report:
            with open(report, "a", encoding="utf-8") as out:
                out.write(self.table() + "\n\n")
        problems = [line for p in self.pages for line in p.lines()]
        assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)
