"""Where to send someone after sign-in: only back to a page of this site, never to another host."""
from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """The target when it is a local path (e.g. /admin/licenses?page=2), else None."""
    if not target or len(target) > 2000:
        return None
    # Browsers treat backslashes as slashes and drop tabs/newlines, so "/\\evil.example" leaves the site.
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
