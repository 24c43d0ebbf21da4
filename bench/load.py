"""Load benchmark: CPU per request as the measure. gunicorn (4 workers, sync and gthread) serves N synthetic
providers from SQLite (WAL) or PostgreSQL on one core while locust (headless) drives it from the other (taskset);
the server's CPU time is read from /proc (utime+stime of the master and its workers) before and after each run.

    python bench/load.py                                  # SQLite and PostgreSQL, sync and gthread, then nginx
    python bench/load.py --databases sqlite --classes sync --seconds 20 --no-nginx

Per server it runs: /healthz alone (the baseline of the same run: noisy neighbours move every figure), the floor
(the same gunicorn serving bench/floor_wsgi.py, an app that does nothing: what any request costs), the mix
(70 % results pages at ZIP codes where people live, 25 % profiles, 5 % review visits: the form, then after a
person's fill-in time its post, honeypot empty, one-time tokens), then each page type alone. It prints

    load db=… N=… workers=4 class=… rps=… p50_ms=… p95_ms=… p99_ms=… cpu_ms_per_req=… errors=…
    cpu_ms db=… class=… page=results|profile|api per_req=…   (the median of --alone-rounds turns, each listed)
    reviews db=… class=… posted=… accepted=… stored=… twice=… stored_not_accepted=…

and, with nginx (PostgreSQL: two app servers of two workers each behind deploy/nginx/clinic_finder.conf, sharing
the database and Redis), the mix through nginx with its cache hit rate. Exits 1 on any error or a review not stored
exactly once. The rate limits are raised for the run through the server's environment (REVIEW_RATE_LIMIT), never
in the defaults. PostgreSQL's database (--pg-url) is replaced by the synthetic directory.
"""
from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import local_servers  # noqa: E402
from bench.load_directory import engine_url, ensure_directory, sqlite_url, write_plan  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "load_locustfile.py"
MIX = "results=70,profile=25,review=5"
SERVER_CPU, CLIENT_CPU = "1", "0"


@dataclass
class RunResult:
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    cpu_ms_per_req: float
    by_name: dict


def run_locust(servers: list[local_servers.Server], target: str, mix: str, seconds: int, users: int, plan: Path,
               review_log: Path) -> RunResult:
    """One headless locust run against `target`; CPU per request is the servers' CPU time over the requests."""
    with tempfile.TemporaryDirectory(prefix="cf-locust-") as tmp:
        prefix = Path(tmp) / "run"
        env = {**os.environ, "LOAD_PLAN": str(plan), "LOAD_MIX": mix, "LOAD_REVIEW_LOG": str(review_log)}
        command = ["taskset", "-c", CLIENT_CPU, sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
                   "-u", str(users), "-r", str(users), "--run-time", f"{seconds}s", "-H", target, "--csv",
                   str(prefix), "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "10"]
        before = sum(s.cpu_seconds() for s in servers)
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120)
        spent = sum(s.cpu_seconds() for s in servers) - before
        stats_file = Path(f"{prefix}_stats.csv")
        if not stats_file.exists():
            raise RuntimeError(f"locust wrote no statistics: {done.stderr[-3000:]}")
        rows = {row["Name"]: row for row in csv.DictReader(stats_file.open())}
        failures_file = Path(f"{prefix}_failures.csv")
        failure_lines = failures_file.read_text().splitlines()[1:] if failures_file.exists() else []
    total = rows["Aggregated"]
    requests = int(total["Request Count"])
    if not requests:
        raise RuntimeError(f"locust made no request: {done.stdout[-2000:]} {done.stderr[-3000:]}")
    for line in failure_lines[:5]:
        print(f"    failure: {line}")
    return RunResult(
        requests=requests, failures=int(total["Failure Count"]), rps=float(total["Requests/s"]),
        p50=float(total["50%"]), p95=float(total["95%"]), p99=float(total["99%"]),
        cpu_ms_per_req=1000 * spent / requests if requests else float("nan"),
        by_name={name: int(row["Request Count"]) for name, row in rows.items() if name != "Aggregated"},
    )


def server_env(url: str, behind_proxy: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_DEBUG")}
    env.update({
        "DATABASE_URL": url, "SECRET_KEY": "bench-load-not-secret", "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "LOAD_LIMIT_PREFIX": f"cf-bench-load-{uuid.uuid4().hex[:8]}",
        # Raised for the run: every simulated visitor comes from 127.0.0.1, so the per-IP limits would refuse them.
        "REVIEW_RATE_LIMIT": "1000000 per hour",
        "TRUSTED_PROXY_COUNT": "1" if behind_proxy else "0",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
    })
    return env


def check_reviews(url: str, review_log: Path) -> dict:
    """Every review answered 302 is stored exactly once; nothing refused is stored."""
    answers = [line.split() for line in review_log.read_text().splitlines()] if review_log.exists() else []
    accepted = {email for email, status in answers if status == "302"}
    posted = {email for email, _ in answers}
    engine = sa.create_engine(engine_url(url))
    with engine.connect() as conn:
        stored = Counter(email for email in conn.execute(sa.text(
            "SELECT contact_email FROM review WHERE contact_email LIKE 'load-%'")).scalars() if email in posted)
    engine.dispose()
    return {"posted": len(answers), "accepted": len(accepted), "stored": sum(stored.values()),
            "twice": sum(1 for n in stored.values() if n > 1),
            "missing": len(accepted - set(stored)), "stored_not_accepted": len(set(stored) - accepted)}


def positive(text: str) -> int:
    """argparse's type for a count of 1 or more."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _fmt(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def bench_server(db: str, url: str, args, worker_class: str, plan: Path, problems: list) -> None:
    review_log = Path(tempfile.mkstemp(prefix="cf-reviews-", suffix=".log")[1])
    server = local_servers.start_gunicorn(server_env(url, False), workers=args.workers, worker_class=worker_class,
                                          cpus=SERVER_CPU, app="bench.load_wsgi:app")
    try:
        run_locust([server], server.url, MIX, args.warmup, args.users, plan, review_log)  # warm caches, not measured
        base = run_locust([server], server.url, "healthz=1", args.alone_seconds, args.users, plan, review_log)
        print(f"baseline db={db} class={worker_class} page=healthz rps={base.rps:.0f} "
              f"cpu_ms_per_req={_fmt(base.cpu_ms_per_req)}", flush=True)
        floor = local_servers.start_gunicorn(server_env(url, False), workers=args.workers,
                                             worker_class=worker_class, cpus=SERVER_CPU, app="bench.floor_wsgi:app")
        try:
            nothing = run_locust([floor], floor.url, "healthz=1", args.alone_seconds, args.users, plan, review_log)
        finally:
            floor.stop()
        print(f"baseline db={db} class={worker_class} page=floor rps={nothing.rps:.0f} "
              f"cpu_ms_per_req={_fmt(nothing.cpu_ms_per_req)}", flush=True)
        mix = run_locust([server], server.url, MIX, args.seconds, args.users, plan, review_log)
        print(f"load db={db} N={args.n} workers={args.workers} class={worker_class} rps={mix.rps:.0f} "
              f"p50_ms={mix.p50:.0f} p95_ms={mix.p95:.0f} p99_ms={mix.p99:.0f} "
              f"cpu_ms_per_req={_fmt(mix.cpu_ms_per_req)} errors={mix.failures}", flush=True)
        print(f"    requests: {mix.by_name}", flush=True)
        if mix.failures:
            problems.append(f"{db}/{worker_class}: {mix.failures} errors in the mix")
        # Each page alone, the pages taking turns round after round: this machine's speed drifts over minutes, and
        # the median of turns spread over the run is steadier than one turn's figure.
        alone: dict[str, list[RunResult]] = {page: [] for page in args.pages}
        for _ in range(args.alone_rounds):
            for page in args.pages:
                alone[page].append(run_locust([server], server.url, f"{page}=1", args.alone_seconds, args.users,
                                              plan, review_log))
        for page, runs in alone.items():
            middle = sorted(runs, key=lambda run: run.cpu_ms_per_req)[(len(runs) - 1) // 2]
            failures = sum(run.failures for run in runs)
            turns = f" rounds={','.join(_fmt(run.cpu_ms_per_req) for run in runs)}" if len(runs) > 1 else ""
            print(f"cpu_ms db={db} class={worker_class} page={page} per_req={_fmt(middle.cpu_ms_per_req)} "
                  f"rps={middle.rps:.0f} p50_ms={middle.p50:.0f} errors={failures}{turns}", flush=True)
            if failures:
                problems.append(f"{db}/{worker_class}: {failures} errors on {page} alone")
    finally:
        server.stop()
        if sys.exc_info()[0] is not None:
            review_log.unlink(missing_ok=True)
    _report_reviews(db, worker_class, url, review_log, problems)


def _report_reviews(db: str, label: str, url: str, review_log: Path, problems: list) -> None:
    reviews = check_reviews(url, review_log)
    review_log.unlink(missing_ok=True)
    print(f"reviews db={db} class={label} " + " ".join(f"{k}={v}" for k, v in reviews.items()), flush=True)
    if not reviews["posted"]:
        problems.append(f"{db}/{label}: no review was posted: the runs are shorter than a person's fill-in time")
    elif reviews["twice"] or reviews["missing"] or reviews["stored_not_accepted"] or not reviews["accepted"]:
        problems.append(f"{db}/{label}: reviews not stored exactly once: {reviews}")


def bench_nginx(db: str, url: str, args, plan: Path, problems: list) -> None:
    """Two app servers (half the workers each) behind nginx's cache, sharing the database and Redis."""
    review_log = Path(tempfile.mkstemp(prefix="cf-reviews-", suffix=".log")[1])
    env = server_env(url, True)
    apps = []
    try:
        for _ in range(2):
            apps.append(local_servers.start_gunicorn(env, workers=max(1, args.workers // 2), worker_class="sync",
                                                     cpus=SERVER_CPU, app="bench.load_wsgi:app"))
        nginx = local_servers.start_nginx([a.port for a in apps], cpus=SERVER_CPU)
        apps.append(nginx)
        run_locust(apps[:2], nginx.url, MIX, args.warmup, args.users, plan, review_log)
        before = local_servers.cache_statuses(nginx)
        mix = run_locust(apps[:2], nginx.url, MIX, args.seconds, args.users, plan, review_log)
        after = local_servers.cache_statuses(nginx)
        counts = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        served_from_cache = counts.get("HIT", 0) + counts.get("UPDATING", 0) + counts.get("STALE", 0)
        cacheable = sum(n for k, n in counts.items() if k != "-" and k != "BYPASS")
        print(f"load db={db} N={args.n} servers=2x{max(1, args.workers // 2)} class=sync via=nginx rps={mix.rps:.0f} "
              f"p50_ms={mix.p50:.0f} p95_ms={mix.p95:.0f} p99_ms={mix.p99:.0f} "
              f"app_cpu_ms_per_req={_fmt(mix.cpu_ms_per_req)} errors={mix.failures}", flush=True)
        print(f"cache db={db} hit_rate={served_from_cache / max(1, sum(counts.values())):.1%} "
              f"of_cacheable={served_from_cache / max(1, cacheable):.1%} statuses={dict(sorted(counts.items()))}",
              flush=True)
        if mix.failures:
            problems.append(f"{db}/nginx: {mix.failures} errors in the mix")
    finally:
        for server in reversed(apps):
            server.stop()
        if sys.exc_info()[0] is not None:
            review_log.unlink(missing_ok=True)
    _report_reviews(db, "nginx", url, review_log, problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("LOAD_DATABASE_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/cf_bench_load"))
    parser.add_argument("--classes", default="sync,gthread")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=16, help="simulated visitors at once (closed loop)")
    parser.add_argument("--seconds", type=int, default=30, help="length of the measured mix")
    parser.add_argument("--alone-seconds", type=int, default=10, help="length of each page type alone")
    parser.add_argument("--alone-rounds", type=positive, default=3,
                        help="turns of each page alone, taken in rotation; the median is reported (the lower "
                             "middle one for an even count), each turn's figure beside it")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pages", default="results,profile,api")
    parser.add_argument("--no-nginx", action="store_true", help="skip the two servers behind nginx")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    args.pages = [p for p in args.pages.split(",") if p]
    if len(os.sched_getaffinity(0)) < 2:
        parser.error("needs two cores: the server on one, locust on the other")
    problems: list[str] = []
    started = time.monotonic()
    for db in [d for d in args.databases.split(",") if d]:
        url = sqlite_url(args.n) if db == "sqlite" else args.pg_url
        ensure_directory(url, args.n, rebuild=args.rebuild)
        plan = Path(tempfile.mkstemp(prefix="cf-plan-", suffix=".json")[1])
        try:
            write_plan(url, plan)
            for worker_class in [c for c in args.classes.split(",") if c]:
                bench_server(db, url, args, worker_class, plan, problems)
            if db == "postgresql" and not args.no_nginx:
                if local_servers.nginx_binary() is None:
                    print("nginx: not installed (apt-get install -y nginx); the run through nginx is skipped")
                else:
                    bench_nginx(db, url, args, plan, problems)
        finally:
            plan.unlink(missing_ok=True)
    print(f"done in {time.monotonic() - started:.0f} s")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
