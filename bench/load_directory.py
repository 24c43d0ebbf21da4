"""The database a load run serves: the migrated production schema holding N synthetic providers
(bench/synthetic_directory.py), and the plan of what simulated visitors ask for.

Built once and reused while it holds N providers: on SQLite a file in bench/results/, on PostgreSQL the database given
(its public schema is replaced). Reviews a run stores are deleted before the next run, so every run starts alike.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "results"


def engine_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def sqlite_url(n: int) -> str:
    DATA_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{DATA_DIR / f'load-{n}.sqlite'}"


def _provider_count(engine: sa.Engine) -> int | None:
    with engine.connect() as conn:
        if "provider" not in sa.inspect(conn).get_table_names():
            return None
        return conn.scalar(sa.text("SELECT count(*) FROM provider"))


def _migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-load-not-secret", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "flask", "--app", "clinic_finder", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=600)


def ensure_directory(url: str, n: int, rebuild: bool = False, echo=print) -> None:
    """A migrated database with exactly n synthetic providers, and no reviews left from an earlier run."""
    engine = sa.create_engine(engine_url(url))
    try:
        if _provider_count(engine) is not None:
            _migrate(url)  # a directory built by an older checkout gets this one's schema (a no-op when current)
        if rebuild or _provider_count(engine) != n:
            echo(f"  building {n:,} providers in {url}")
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                    conn.execute(sa.text("CREATE SCHEMA public"))
            else:
                Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            engine.dispose()
            _migrate(url)
            _build(url, n, echo)
        with engine.begin() as conn:
            # A run's reviews (and their outbox messages and spent form tokens) are the run's; the next starts clean.
            for table in ("outbox_message", "review_report", "review", "spent_form_token"):
                conn.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 (fixed table names)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
            if engine.dialect.name == "sqlite":
                conn.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        engine.dispose()


def _build(url: str, n: int, echo) -> None:
    from bench.synthetic_directory import build
    from clinic_finder import create_app
    from clinic_finder.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-load-not-secret", "TESTING": True})
    with app.app_context():
        build(db.session, n, echo=echo)
        db.session.remove()
        db.engine.dispose()


def write_plan(url: str, path: Path, seed: int = 11) -> dict:
    """What visitors ask for, drawn once so every run of a comparison asks for the same things: ZIP codes where
    people live (bench/synthetic_directory.py's spread, named by the nearest ZIP), published providers' profiles,
    and API searches at points drawn from the same spread."""
    from bench.synthetic_directory import PointSampler, query_points
    from clinic_finder.geo.geocoding import us_data

    rng = random.Random(seed)
    sampler = PointSampler(rng)
    zips = []
    while len(zips) < 5000:
        found = us_data().nearest_zip(*sampler.point())
        if found is not None:
            zips.append(found[0].zip_code)
    engine = sa.create_engine(engine_url(url))
    with engine.connect() as conn:
        published = list(conn.scalars(sa.text(
            "SELECT id FROM provider WHERE listing_status = 'published' AND offers_in_clinic ORDER BY id")))
    engine.dispose()
    plan = {
        "zips": zips,
        "profile_ids": rng.sample(published, min(5000, len(published))),
        "points": query_points(5000),
    }
    path.write_text(json.dumps(plan))
    return plan
