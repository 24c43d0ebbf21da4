"""Load test for the issue's closing note: 200 reviews sent at once to gunicorn with 4 workers, on SQLite (WAL)
and on PostgreSQL, with the rate limiter's memory storage and with Redis. Every accepted review must be stored
exactly once, with its confirmation email, and no request may answer 5xx.

Skipped unless RUN_LOAD_TESTS=1. PostgreSQL: LOAD_TEST_DATABASE_URL (default TEST_DATABASE_URL), which is
emptied. Redis: REDIS_URL (default redis://127.0.0.1:6379/15). The limit for the run is LOAD_REVIEW_RATE_LIMIT
(default "100 per hour", so the limiter's answer shows); the minimum fill-in time is switched off through the
environment of the server only (REVIEW_MIN_SECONDS=0), never in the production defaults.

    RUN_LOAD_TESTS=1 python -m pytest tests/load -s -p no:cacheprovider
"""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from ..forms import form_tokens

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("RUN_LOAD_TESTS") != "1", reason="load test: set RUN_LOAD_TESTS=1"),
]

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = int(os.environ.get("LOAD_SUBMISSIONS", "200"))
WORKERS = 4
RATE_LIMIT = os.environ.get("LOAD_REVIEW_RATE_LIMIT", "100 per hour")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
PG_URL = os.environ.get("LOAD_TEST_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL", "")
RESULTS: list[dict] = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(args: list[str], env: dict) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "clinic_finder", *args], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=120)


def _reset_database(url: str) -> None:
    """Empty the database, then build it with the migrations, as production does."""
    if url.startswith("postgresql"):
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()


def _seed_provider(url: str) -> int:
    from clinic_finder import create_app
    from clinic_finder.extensions import db
    from clinic_finder.models import ListingStatus, Provider

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load", "TESTING": True})
    with app.app_context():
        provider = Provider(slug="load-test-clinic", name="Load Test Clinic", listing_status=ListingStatus.PUBLISHED,
                            offers_in_clinic=True)
        db.session.add(provider)
        db.session.commit()
        provider_id = provider.id
        db.session.remove()
        db.engine.dispose()
    return provider_id


def _clear_redis_limits() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter("CF_LOAD_TEST*"))
    if keys:
        client.delete(*keys)


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _start_gunicorn(env: dict) -> Server:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "--log-level", "warning", "tests.load.load_wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited: " + process.stderr.read().decode()[-2000:])
        try:
            status, _, _ = _request(port, "GET", "/healthz")
            if status == 200:
                return Server(port, process)
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _request(port: int, method: str, path: str, body: dict | None = None, cookie: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        session = next((c.split(";", 1)[0] for c in response.msg.get_all("Set-Cookie") or []
                        if c.startswith("session=")), "")
        return response.status, response.read().decode("utf-8", "replace"), session
    finally:
        conn.close()


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


def _review_data(i: int) -> dict:
    words = " ".join(f"w{(i * 31 + j * 17) % 9973}" for j in range(14))
    return {
        "overall_rating": str(1 + i % 5), "experience_rating": "4", "professionalism_rating": "5",
        "customer_service_rating": str(1 + (i * 3) % 5), "mode": "in_clinic", "route": "iv",
        "treatment_month": "1", "treatment_year": "2025",
        "text": f"Load review {i}: {words}. The nurse monitored my vital signs throughout.",
        "display_name": "Anonymous patient", "email": f"load{i}@example.org", "consent": "y", "website": "",
    }


@dataclass
class Outcome:
    answers: list[tuple[str, int]]  # (email, status) per submission
    seconds: float
    stored: Counter  # contact_email -> rows
    emails: int  # confirmation messages in the outbox
    journal: str


def _send_all(url: str, limiter_uri: str, forms_data: list[dict]) -> Outcome:
    """Serve the app with gunicorn, load one form per submission, then send them all at the same moment."""
    _reset_database(url)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-test-secret", "RATELIMIT_STORAGE_URI": limiter_uri,
           "REVIEW_RATE_LIMIT": RATE_LIMIT, "REVIEW_MIN_SECONDS": "0", "SESSION_COOKIE_SECURE": "0",
           "PYTHONPATH": str(ROOT)}
    env.pop("TEST_DATABASE_URL", None)
    _flask(["db", "upgrade"], env)
    provider_id = _seed_provider(url)
    if limiter_uri.startswith("redis"):
        _clear_redis_limits()
    server = _start_gunicorn(env)
    path = f"/providers/{provider_id}/reviews/new"
    try:
        # Each simulated person loads the form first (session cookie, CSRF token, signed render time) ...
        def load_form(data: dict):
            status, html, cookie = _request(server.port, "GET", path)
            assert status == 200 and cookie
            return {**data, **form_tokens(html), "form_token": _hidden(html, "form_token")}, cookie

        with ThreadPoolExecutor(32) as pool:
            forms = list(pool.map(load_form, forms_data))
        # ... then all of them send at the same moment.
        start = threading.Barrier(len(forms))

        def send(item):
            data, cookie = item
            start.wait()
            status, _, _ = _request(server.port, "POST", path, data, cookie)
            return data["email"], status

        began = time.monotonic()
        with ThreadPoolExecutor(len(forms)) as pool:
            answers = list(pool.map(send, forms))
        seconds = time.monotonic() - began
    finally:
        server.stop()

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        stored = Counter(conn.execute(sa.text("SELECT contact_email FROM review")).scalars())
        emails = conn.execute(sa.text("SELECT count(*) FROM outbox_message WHERE kind = 'review_confirmation'")).scalar()
    engine.dispose()
    journal = "-"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    return Outcome(answers, seconds, stored, emails, journal)


def _run(database: str, url: str, limiter_uri: str) -> dict:
    outcome = _send_all(url, limiter_uri, [_review_data(i) for i in range(SUBMISSIONS)])
    statuses = Counter(status for _, status in outcome.answers)
    accepted = {email for email, status in outcome.answers if status == 302}
    stored = outcome.stored
    row = {
        "database": database, "limiter": limiter_uri.split(":", 1)[0], "journal": outcome.journal,
        "302": statuses.get(302, 0), "429": statuses.get(429, 0),
        "5xx": sum(n for s, n in statuses.items() if s >= 500), "stored": sum(stored.values()),
        "twice": sum(1 for n in stored.values() if n > 1), "emails": outcome.emails,
        "secs": f"{outcome.seconds:.1f}", "other": {s: n for s, n in statuses.items() if s not in (302, 429)},
    }
    RESULTS.append(row)
    print(f"\n{row}")
    assert row["5xx"] == 0, row
    assert set(statuses) <= {302, 429}, row
    assert set(stored) == accepted, "every accepted review stored, and nothing refused stored"
    assert row["twice"] == 0 and outcome.emails == len(accepted)
    limit = int(RATE_LIMIT.split()[0])
    if limiter_uri.startswith("redis"):
        # One shared counter across the four workers: exactly the limit gets through.
        assert row["302"] == min(limit, SUBMISSIONS)
    else:
        # Memory storage counts per worker process, so up to four times the limit can get through.
        assert min(limit, SUBMISSIONS) <= row["302"] <= min(WORKERS * limit, SUBMISSIONS)
    return row


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.parametrize("limiter_name", ["memory", "redis"])
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_200_concurrent_reviews_are_each_stored_once(database, limiter_name, tmp_path):
    if database == "postgresql" and not PG_URL.startswith("postgresql"):
        pytest.skip("set LOAD_TEST_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL database it may empty")
    if limiter_name == "redis" and not _redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    url = PG_URL if database == "postgresql" else f"sqlite:///{tmp_path / 'load.db'}"
    limiter_uri = REDIS_URL if limiter_name == "redis" else "memory://"
    try:
        _run(database, url, limiter_uri)
    finally:
        _reset_database(url)  # leave the PostgreSQL database as empty as we found it


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_20_identical_reviews_sent_at_once_to_four_workers_store_one(database, tmp_path):
    """The provider lock works across worker processes, not only across threads."""
    if database == "postgresql" and not PG_URL.startswith("postgresql"):
        pytest.skip("set LOAD_TEST_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL database it may empty")
    url = PG_URL if database == "postgresql" else f"sqlite:///{tmp_path / 'identical.db'}"
    try:
        outcome = _send_all(url, "memory://", [_review_data(0)] * 20)
    finally:
        _reset_database(url)
    statuses = Counter(status for _, status in outcome.answers)
    print(f"\n{database}: 20 identical submissions -> {dict(statuses)}, stored {sum(outcome.stored.values())}")
    # The answers depend on timing, never on the address: count what was stored, not what was answered.
    assert set(statuses) <= {200, 302} and statuses[302] >= 1
    assert sum(outcome.stored.values()) == 1 and outcome.emails == 1  # one confirmation link


def test_print_the_results_table():
    """Runs last in this module: the table for the closing note."""
    if not RESULTS:
        pytest.skip("no load runs in this session")
    columns = ["database", "limiter", "journal", "302", "429", "5xx", "stored", "twice", "emails", "secs"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in RESULTS]
    table = "\n".join(lines)
    print(f"\n{SUBMISSIONS} concurrent submissions, gunicorn --workers {WORKERS}, REVIEW_RATE_LIMIT={RATE_LIMIT!r}\n"
          + table)
    out = ROOT / "artifacts" / "load"
    out.mkdir(parents=True, exist_ok=True)
    (out / "review-load.md").write_text(table + "\n")
