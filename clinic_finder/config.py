"""Configuration read from the environment (names in PRODUCT.md), with safe local defaults."""
from __future__ import annotations

import os
from datetime import timedelta


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production-shaped defaults; every value can be overridden from the environment."""

    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means "a SQLite file under instance/", resolved in create_app where instance_path is known.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # No pool_pre_ping: connections are tested on checkout except for read-only requests, which are retried once
    # instead if their connection had died (serving/dropped_connections.py).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Optional streaming replica for the reads of anonymous GET/HEAD requests (serving/read_replica.py).
    DATABASE_READ_URL = os.environ.get("DATABASE_READ_URL", "")
    GEOCODER = os.environ.get("GEOCODER", "offline")
    GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "clinic_finder")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # The memory store counts per process, so several gunicorn workers each allow the full limit: wsgi.py refuses
    # it unless this says the site runs as one worker on one host.
    RATELIMIT_SINGLE_PROCESS = _bool("RATELIMIT_SINGLE_PROCESS", False)
    # Where the site is reached from outside (scheme, host, and a path if it is not served at the root): every
    # absolute link (emails, the API's `url` fields) is built from it, never from the request's Host header.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Host names requests may name (comma-separated; ".example.org" also accepts its subdomains); others get a 400.
    # Unset: the host of PUBLIC_BASE_URL, plus 127.0.0.1 and localhost.
    TRUSTED_HOSTS = [name.strip() for name in os.environ.get("TRUSTED_HOSTS", "").split(",") if name.strip()] or None
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: none). Without this, behind a proxy
    # every visitor shares the proxy's address and its rate limits.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)
    # The name in the header, page titles and social cards.
    SITE_NAME = os.environ.get("SITE_NAME", "").strip() or "Clinic Finder"
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = 3600
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    # Outbox delivery: "log" writes to the database and the log; "smtp" also sends through SMTP_*.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@clinic-finder.example")
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587") or 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", True)
    # Where requests for a provider without an email address go, for staff to pass on.
    ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL", "admin@clinic-finder.example")
    # Per client IP, POSTs only; Flask-Limiter syntax.
    CONSULTATION_RATE_LIMIT = os.environ.get("CONSULTATION_RATE_LIMIT", "10 per hour;30 per day")
    PER_PAGE_DEFAULT = 20
    # Public reads (what an anonymous visitor gets) may be kept by shared caches (nginx, a CDN) this long, then served
    # stale for a while longer while one request refreshes them (serving/http_cache.py).
    PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "60") or 60)
    PUBLIC_STALE_WHILE_REVALIDATE = int(os.environ.get("PUBLIC_STALE_WHILE_REVALIDATE", "300") or 300)
    # How long a server process trusts its last answer to "is demo data loaded?" (the banner on every page) before
    # asking the database again. Demo data comes and goes by command (`flask seed-demo [--remove]`), not by request;
    # 0 asks on every page. Well inside what shared caches may keep a page (the two settings above). A page showing a
    # fictional listing carries the banner at once, from the listing itself (base.html).
    DEMO_BANNER_RECHECK_SECONDS = float(os.environ.get("DEMO_BANNER_RECHECK_SECONDS", "10") or 10)
    # Brotli for browsers that take it, gzip for the rest. Pages and JSON at the lowest levels, measured in the app
    # on a results page (bench/LOAD.md): brotli 0.06 ms at quality 1 against 0.15–0.18 at 3, for 5.5 KB against 5.0;
    # gzip 0.10 ms at level 1 against 0.35 at 6. Static assets are compressed once at the highest quality instead
    # (serving/precompressed.py).
    COMPRESS_ALGORITHM = ["br", "gzip"]  # preferred first; which one a request gets: serving/encodings.py
    COMPRESS_ALGORITHM_STREAMING = ["br"]
    COMPRESS_BR_LEVEL = 1
    COMPRESS_LEVEL = 1
    PER_PAGE_MAX = 100
    # Staff sign-in and the admin workspace (issue 7). Sign-in POSTs per client IP; Flask-Limiter syntax.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # A staff session ends after this long even if the browser stays open.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("STAFF_SESSION_HOURS", "8") or 8))
    # License evidence files; empty means instance/evidence (never under static/, so never served directly).
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", "")
    # Profiles feature: listing submissions and problem reports accepted per client IP (POSTs only).
    LISTING_SUBMISSION_RATE_LIMIT = os.environ.get("LISTING_SUBMISSION_RATE_LIMIT", "5 per hour;20 per day")
    PROBLEM_REPORT_RATE_LIMIT = os.environ.get("PROBLEM_REPORT_RATE_LIMIT", "10 per hour;30 per day")
    # Patient reviews (issue 6). Rate limits are per client IP on POSTs, in Flask-Limiter syntax.
    # How long contact details are kept once they have served their purpose (privacy/retention.py, /privacy).
    REVIEW_CONTACT_RETENTION_DAYS = int(os.environ.get("REVIEW_CONTACT_RETENTION_DAYS", "90") or 90)
    CONSULTATION_RETENTION_DAYS = int(os.environ.get("CONSULTATION_RETENTION_DAYS", "90") or 90)
    # Key of the fingerprint kept after a reviewer's address is deleted; SECRET_KEY when unset. Keep it stable:
    # a new key makes old fingerprints unmatchable (a deleted address could then review the provider again).
    PRIVACY_HASH_KEY = os.environ.get("PRIVACY_HASH_KEY", "")
    REVIEW_RATE_LIMIT = os.environ.get("REVIEW_RATE_LIMIT", "10 per hour;30 per day")
    REVIEW_REPORT_RATE_LIMIT = os.environ.get("REVIEW_REPORT_RATE_LIMIT", "10 per hour;50 per day")
    REVIEW_RESEND_RATE_LIMIT = os.environ.get("REVIEW_RESEND_RATE_LIMIT", "5 per hour;20 per day")
    # Reports on a published review that send it back to the moderation queue.
    REVIEW_REPORT_THRESHOLD = int(os.environ.get("REVIEW_REPORT_THRESHOLD", "3") or 3)
    # A person needs more than a few seconds to rate a provider and write 50 characters; scripts do not.
    REVIEW_MIN_SECONDS = int(os.environ.get("REVIEW_MIN_SECONDS", "5") or 5)
    REVIEW_CONFIRM_MAX_AGE_DAYS = int(os.environ.get("REVIEW_CONFIRM_MAX_AGE_DAYS", "14") or 14)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    GEOCODER = "offline"
    MAP_TILE_URL = ""
    MAIL_BACKEND = "log"
    PUBLIC_BASE_URL = "http://localhost"  # Flask's test client asks for host "localhost"
    TRUSTED_HOSTS = None
    DEMO_BANNER_RECHECK_SECONDS = 0  # tests add and remove demo providers between requests


def check_served_for_production(app) -> None:
    """Settings that are fine for `make run` but wrong when gunicorn serves the site (wsgi.py calls this).

    The app cannot see how many workers or hosts serve it, so a per-process rate-limit store needs to be declared.
    """
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if uri.startswith("memory") and app.config.get("RATELIMIT_ENABLED", True) \
            and not app.config.get("RATELIMIT_SINGLE_PROCESS"):
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI is the memory store, which counts per worker process: with several gunicorn "
            "workers or hosts each one allows the full limit. Set RATELIMIT_STORAGE_URI to a shared store "
            "(e.g. redis://host:6379/0), or RATELIMIT_SINGLE_PROCESS=1 if the site really runs as one worker "
            "on one host."
        )
