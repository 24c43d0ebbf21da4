"""Reading a rendered form as a browser would, for tests that post it back with CSRF on."""
from __future__ import annotations

import re


def form_tokens(html: str) -> dict[str, str]:
    """The first form's CSRF token and, on public forms, its one-time nonce (each rendering can be sent once)."""
    found = {}
    for name in ("csrf_token", "form_once"):
        match = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html)
        if match:
            found[name] = match.group(1)
    return found
