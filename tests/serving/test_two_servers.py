"""Two app servers on two ports behind nginx (deploy/nginx/clinic_finder.conf), sharing PostgreSQL and Redis:
sign-in, sessions, rate limits and one-time form tokens hold whichever server a request reaches, and nginx keeps
anonymous pages while passing everything with a session cookie through.

Needs nginx (Debian's package), PostgreSQL (TEST_DATABASE_URL) and Redis (REDIS_URL, default
redis://127.0.0.1:6379/15); skipped without any of them. The servers run the code of this checkout with one worker
each and its production settings, a few limits lowered so the test reaches them.
"""
from __future__ import annotations

import os
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench import local_servers

from ..forms import form_tokens

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
PASSWORD = "correct horse battery staple"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 (any failure means: not here)
        return False


pytestmark = [
    pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis,
    pytest.mark.skipif(local_servers.nginx_binary() is None, reason="nginx is not installed"),
    pytest.mark.skipif(not DATABASE_URL.startswith("postgresql"), reason="needs TEST_DATABASE_URL (PostgreSQL)"),
    pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {REDIS_URL}"),
]


@pytest.fixture(scope="module")
def cluster(app):
    """Server A, server B and nginx in front of both; `app` first, so the test database has its tables."""
    prefix = f"cf-two-servers-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_DEBUG")}
    env.update({
        "DATABASE_URL": DATABASE_URL, "SECRET_KEY": "two-servers-test-secret", "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": REDIS_URL, "LOAD_LIMIT_PREFIX": prefix, "TRUSTED_PROXY_COUNT": "1",
        "LOGIN_RATE_LIMIT": "3 per minute", "REVIEW_MIN_SECONDS": "1", "PUBLIC_BASE_URL": "http://127.0.0.1",
    })
    with ThreadPoolExecutor(2) as pool:
        servers = list(pool.map(lambda _: local_servers.start_gunicorn(env, workers=1, app="bench.load_wsgi:app"),
                                range(2)))
    try:
        nginx = local_servers.start_nginx([s.port for s in servers])
    except Exception:
        for server in servers:
            server.stop()
        raise
    yield {"a": servers[0].url, "b": servers[1].url, "nginx": nginx.url, "nginx_server": nginx}
    for server in (nginx, *servers):
        server.stop()
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def _visitor(ip: str) -> requests.Session:
    """A browser at a client address of its own (as nginx would pass it on), so limits count per test."""
    browser = requests.Session()
    browser.headers["X-Forwarded-For"] = ip
    return browser


def _sign_in(browser: requests.Session, page_from: str, post_to: str, email: str, password: str):
    form = browser.get(f"{page_from}/auth/login")
    assert form.status_code == 200
    return browser.post(f"{post_to}/auth/login", allow_redirects=False,
                        data={**form_tokens(form.text), "email": email, "password": password, "next": ""})


def test_a_staff_session_started_on_one_server_holds_on_the_other_and_ends_on_both(cluster, make_user):
    make_user("two.servers@example.org", password=PASSWORD)
    browser = _visitor("198.51.100.10")
    signed_in = _sign_in(browser, cluster["a"], cluster["b"], "two.servers@example.org", PASSWORD)
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/admin/")
    for server in ("a", "b", "nginx"):
        page = browser.get(f"{cluster[server]}/admin/", allow_redirects=False)
        assert page.status_code == 200, server
        assert "no-store" in page.headers["Cache-Control"]

    dashboard = browser.get(f"{cluster['b']}/admin/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', dashboard).group(1)  # the sign-out form's own
    signed_out = browser.post(f"{cluster['a']}/auth/logout", data={"csrf_token": token}, allow_redirects=False)
    assert signed_out.status_code == 302
    for server in ("a", "b"):
        assert browser.get(f"{cluster[server]}/admin/", allow_redirects=False).status_code == 302, server


def test_the_sign_in_limit_counts_across_both_servers(cluster, make_user):
    make_user("limited@example.org", password=PASSWORD)
    browser = _visitor("198.51.100.20")
    answers = [_sign_in(browser, cluster["a"], cluster[server], "nobody@example.org", "wrong password").status_code
               for server in ("a", "b", "a", "b")]
    # LOGIN_RATE_LIMIT is 3 per minute for the run: three refusals, then the limit, on whichever server.
    assert answers == [401, 401, 401, 429]
    other = _visitor("198.51.100.21")  # another address is not affected
    assert _sign_in(other, cluster["b"], cluster["b"], "limited@example.org", PASSWORD).status_code == 302


def test_a_rendered_review_form_is_accepted_once_whichever_server_it_reaches(cluster, make_provider, db):
    from clinic_finder.models import Review

    provider = make_provider("Two Servers Clinic")
    browser = _visitor("198.51.100.30")
    form = browser.get(f"{cluster['a']}/providers/{provider.id}/reviews/new")
    assert form.status_code == 200 and "no-store" in form.headers["Cache-Control"]
    data = {
        **form_tokens(form.text),
        "form_token": re.search(r'name="form_token" type="hidden" value="([^"]+)"', form.text).group(1),
        "overall_rating": "5", "experience_rating": "4", "professionalism_rating": "5",
        "customer_service_rating": "4", "mode": "in_clinic", "route": "iv", "treatment_month": "3",
        "treatment_year": "2025", "display_name": "Anonymous patient", "email": "two.servers@example.org",
        "text": "The nurse checked my blood pressure every fifteen minutes and explained each step.",
        "consent": "y", "website": "",
    }
    time.sleep(1.2)  # REVIEW_MIN_SECONDS is 1 for the run: a person's fill-in time
    first = browser.post(f"{cluster['b']}/providers/{provider.id}/reviews/new", data=data, allow_redirects=False)
    again = browser.post(f"{cluster['a']}/providers/{provider.id}/reviews/new", data=data, allow_redirects=False)
    assert first.status_code == 302
    assert again.status_code == 400 and "already been sent once" in again.text
    db.session.expire_all()
    assert db.session.query(Review).filter_by(provider_id=provider.id).count() == 1


def test_nginx_keeps_anonymous_pages_and_passes_sessions_through(cluster, make_provider, make_user):
    provider = make_provider("Cached Behind Nginx Clinic")
    url = f"{cluster['nginx']}/providers/{provider.id}"
    anonymous = _visitor("198.51.100.40")
    first, second = anonymous.get(url), anonymous.get(url)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Cache-Status"] == "MISS" and second.headers["X-Cache-Status"] == "HIT"
    assert "Set-Cookie" not in second.headers and second.text == first.text
    revalidated = anonymous.get(url, headers={"If-None-Match": second.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.headers["X-Cache-Status"] == "HIT"

    make_user("cache.staff@example.org", password=PASSWORD)
    staff = _visitor("198.51.100.41")
    assert _sign_in(staff, cluster["nginx"], cluster["nginx"], "cache.staff@example.org", PASSWORD).status_code == 302
    as_staff = staff.get(url)
    assert as_staff.headers["X-Cache-Status"] == "BYPASS"
    assert as_staff.headers["Cache-Control"] == "private, no-cache"

    # Both app servers answered through nginx: the upstream takes turns.
    log = (cluster["nginx_server"].workdir / "clinic_finder.access.log").read_text()
    assert len(set(re.findall(r" upstream=(\S+) ", log)) - {"-"}) == 2
