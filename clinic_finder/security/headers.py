"""Security headers sent with every response, including a CSP that forbids inline scripts."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

# Pages that show staff or patient records (every admin page, e.g. a patient's email and phone on
# /admin/consultations) and sign-in: never kept by a browser, a shared computer's cache or a proxy.
PRIVATE_PREFIXES = ("/admin/", "/auth/")


def is_private() -> bool:
    """Whether this request's page shows personal data or carries the visitor's own form token."""
    if request.path.startswith(PRIVATE_PREFIXES) or request.path == "/admin":
        return True
    # A page carrying a form with a CSRF token (Flask-WTF keeps the token it rendered in g): its token is the
    # visitor's own, and the form may come back filled in with what they typed.
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g


def _tile_origin(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.netloc
    if "{s}." in url:  # Leaflet's subdomain placeholder
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}" if parts.scheme and host else ""


def init_security_headers(app: Flask) -> None:
    tile_origin = _tile_origin(app.config.get("MAP_TILE_URL", ""))
    img_src = " ".join(filter(None, ["'self'", "data:", tile_origin]))
    csp = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img_src}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )

    every_response = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "geolocation=(self), camera=(), microphone=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    every_response = [(name, name.lower(), value) for name, value in every_response]

    @app.after_request
    def _headers(response: Response) -> Response:
        # A view may have set its own (setdefault's semantics), read in one pass over the response's headers
        # rather than one case-insensitive search per header.
        present = {key.lower() for key in response.headers.keys()}
        for name, lowered, value in every_response:
            if lowered not in present:
                response.headers.add(name, value)
        # Over HTTPS, directly or through the trusted proxy (ProxyFix sets the scheme from X-Forwarded-Proto), the
        # browser is told to use nothing else; over plain http (make run) the header would mean nothing.
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if is_private() and "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "no-store"
        return response
