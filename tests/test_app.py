"""The app factory, configuration, security defaults and the pages every visitor sees."""
from __future__ import annotations

import pytest

from clinic_finder import create_app
from clinic_finder.config import Config


def test_secret_key_is_required_outside_debug_and_testing(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    class Production(Config):
        SECRET_KEY = None
        SQLALCHEMY_DATABASE_URI = "sqlite:///" + str(tmp_path / "x.db")

    import flask

    # Flask sets instance_path per app from this method; an empty folder, so a checkout's instance/secret_key
    # (written by `make run`) does not answer for the missing setting.
    monkeypatch.setattr(flask.Flask, "auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Production)


def test_every_page_carries_disclaimer_and_emergency_numbers(client):
    for url in ("/", "/providers", "/guide", "/no-such-page"):
        html = client.get(url).get_data(as_text=True)
        assert "not medical advice" in html, url
        assert 'href="tel:911"' in html and 'href="tel:988"' in html, url


def test_security_headers_forbid_inline_scripts(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_each_security_header_is_sent_once_and_a_views_own_is_kept(client, other_app):
    names = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
             "Permissions-Policy", "Cross-Origin-Opener-Policy")
    for path in ("/", "/api/v1/providers?q=10001", "/no-such-page", "/healthz"):
        response = client.get(path)
        for name in names:
            assert len(response.headers.getlist(name)) == 1, (path, name)
    own = other_app()

    @own.get("/framed-on-purpose")
    def _framed():
        return "ok", 200, {"x-frame-options": "SAMEORIGIN"}

    response = own.test_client().get("/framed-on-purpose")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_in_templates():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "clinic_finder" / "templates"
    for path in templates.rglob("*.html"):
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", path.read_text()):
            # A JSON-LD data block is not a script: browsers never run it, and the CSP does not apply to it.
            attrs = match.group("attrs")
            assert "src=" in attrs or attrs.strip() == 'type="application/ld+json"', f"inline <script> in {path.name}"


def test_session_cookie_defaults_are_secure():
    assert Config.SESSION_COOKIE_HTTPONLY is True
    assert Config.SESSION_COOKIE_SAMESITE == "Lax"


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "rate_limit_store": "disabled"}


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/providers/999999")
    assert response.status_code == 404
    assert "could not find that page" in response.get_data(as_text=True)


def test_non_numeric_provider_id_is_a_404(client):
    assert client.get("/providers/abc").status_code == 404


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_demo_banner_only_while_demo_data_is_loaded(client, make_provider):
    make_provider()
    assert "Demo data." not in client.get("/").get_data(as_text=True)
    make_provider(is_demo=True)
    assert "Demo data." in client.get("/").get_data(as_text=True)


def test_a_server_process_asks_about_demo_data_again_after_its_recheck_interval(app, client, make_provider,
                                                                               monkeypatch):
    from types import SimpleNamespace

    from clinic_finder import templating

    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(templating, "time", SimpleNamespace(monotonic=lambda: clock.now))
    monkeypatch.setitem(app.config, "DEMO_BANNER_RECHECK_SECONDS", 10)
    monkeypatch.setitem(app.extensions, "demo_banner", {})
    real = make_provider()
    assert "Demo data." not in client.get("/").get_data(as_text=True)
    fictional = make_provider(is_demo=True)  # as `flask seed-demo` would, from another process
    clock.now += 9.5
    assert "Demo data." not in client.get("/").get_data(as_text=True)  # the process's answer still holds
    # …but a page showing a fictional listing says so at once, whatever the process last heard.
    for url in ("/providers", f"/providers/{fictional.id}", "/search?q=10001", f"/compare?ids={real.id},{fictional.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "Demo data." in html and 'content="noindex, nofollow"' in html, url
    clock.now += 1
    assert "Demo data." in client.get("/").get_data(as_text=True)


def test_an_unexpected_error_is_a_polite_500_page_and_json_under_api(app):
    # A fresh app: routes cannot be added to one that has already served requests.
    app = create_app({**app.config})
    app.add_url_rule("/boom-test", "boom_test", lambda: 1 / 0)
    app.add_url_rule("/api/v1/boom-test", "api_boom_test", lambda: 1 / 0)
    client = app.test_client()
    page = client.get("/boom-test")
    assert page.status_code == 500
    assert "Something went wrong on our side" in page.get_data(as_text=True)
    api = client.get("/api/v1/boom-test")
    assert api.status_code == 500
    assert api.get_json() == {"error": {"code": "internal_error", "message": "Something went wrong on our side."}}


@pytest.mark.parametrize(("proxies", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_the_visitor_address_comes_from_a_trusted_proxy_only(app, proxies, seen):
    from flask import request

    app = create_app({**app.config, "TRUSTED_PROXY_COUNT": proxies})
    app.add_url_rule("/ip-test", "ip_test", lambda: request.remote_addr)
    response = app.test_client().get("/ip-test", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    # With one proxy, the address it saw (the last one it appended) is the visitor; a forged earlier one is not.
    assert response.get_data(as_text=True) == seen
