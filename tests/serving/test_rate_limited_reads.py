"""Reads skip the rate limiter (extensions._reads_are_never_limited): every limit is on a form's POST, so a page or
an API answer need not look its limits up. A limit added on a read would be silently skipped: this says so."""
from __future__ import annotations

from clinic_finder.extensions import limiter


def test_every_rate_limit_is_on_a_post(app):
    manager = limiter.limit_manager
    decorated = manager._decorated_limits  # Flask-Limiter keeps the decorators' limits by view here
    assert decorated, "the forms' limits are registered"
    for view, limits in decorated.items():
        for limit in limits:
            assert limit.methods == ("post",), f"{view}: a limit on a read is skipped (extensions.py)"
    assert not manager.application_limits and not manager.default_limits


def test_reads_skip_the_limiter_and_posts_do_not(app):
    from clinic_finder.extensions import _reads_are_never_limited

    assert _reads_are_never_limited in limiter._request_filters
    for method, skipped in (("GET", True), ("HEAD", True), ("OPTIONS", True), ("POST", False), ("PUT", False)):
        with app.test_request_context("/reviews/new", method=method):
            assert _reads_are_never_limited() is skipped, method


def test_reads_skip_the_limiters_hooks_and_writes_run_them(other_app, monkeypatch):
    limited = other_app(RATELIMIT_ENABLED=True)
    wrapped = [hook for chain in (limited.before_request_funcs, limited.after_request_funcs,
                                  limited.teardown_request_funcs) for hook in chain.get(None, [])
               if getattr(hook, "__wrapped__", None) is not None]
    assert len(wrapped) == 3, "the limiter's check, headers and per-request state"
    looked_up = []
    original = limiter.identify_request
    monkeypatch.setattr(limiter, "identify_request", lambda: looked_up.append(1) or original())
    client = limited.test_client()
    for path in ("/", "/search?q=10001", "/api/v1/providers?lat=40.75&lon=-73.99", "/healthz"):
        assert client.get(path).status_code in (200, 503), path
        assert client.head(path).status_code in (200, 503), path
    assert looked_up == []
    client.post("/auth/login", data={"email": "nobody@example.org", "password": "not-the-password"})
    assert looked_up, "a form's POST is still checked against its limits"
