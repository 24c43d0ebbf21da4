"""Which host the site is: absolute links come from the configured public base URL, never from a request's Host
header, and requests naming a host the site does not serve are refused (400) by Flask's TRUSTED_HOSTS.

A link built from the Host header lets anyone who can send one request make the site email a working
confirmation link that points at their own server.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug.routing import MapAdapter

# Names `make run` and a developer's browser use for the local server, trusted whatever PUBLIC_BASE_URL says.
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def _split_base_url(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"PUBLIC_BASE_URL must be an http(s) address such as https://clinics.example.org, "
                           f"not {url!r}.")
    return parts.scheme, parts.netloc, parts.path.rstrip("/") or "/"


def init_trusted_hosts(app: Flask) -> None:
    """Check PUBLIC_BASE_URL and settle TRUSTED_HOSTS: the configured list, else the base URL's host plus the
    local names (so `make run` works at 127.0.0.1 and localhost with no setting at all)."""
    _split_base_url(app.config["PUBLIC_BASE_URL"])
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        hosts = [name.strip() for name in hosts.split(",") if name.strip()]
    if not hosts:
        hosts = [urlsplit(app.config["PUBLIC_BASE_URL"]).hostname, *LOCAL_HOSTS]
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts))


def _adapter(app: Flask) -> MapAdapter:
    adapter = app.extensions.get("public_url_adapter")
    if adapter is None:
        scheme, netloc, path = _split_base_url(app.config["PUBLIC_BASE_URL"])
        adapter = app.url_map.bind(netloc, script_name=path, url_scheme=scheme)
        app.extensions["public_url_adapter"] = adapter
    return adapter


def public_url(endpoint: str, **values) -> str:
    """The absolute address of a page, e.g. public_url("reviews.confirm", token=t), for emails and the API.

    The one way the app builds an absolute link; it works the same inside a request, in a CLI command or a job.
    """
    return _adapter(current_app).build(endpoint, values, force_external=True)
