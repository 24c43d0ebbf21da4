"""Search benchmark: radius searches through the real API against directories of N synthetic providers.

    python bench/search_bench.py --sizes 10000,100000,1000000 --queries 200
    python bench/search_bench.py --sizes 100000 --database-url postgresql://postgres@127.0.0.1:5432/cf_bench
        (each size in a database of its own, cf_bench_100000: built once, then reused)

For each N it builds (or reuses) a directory spread like the US population, then times, over the same points:
  search  GET /api/v1/providers?lat=…&lon=…&radius_mi=25 through the Flask test client (first page of 20 and
          the total count), the way the site answers;
  naive   no prefilter: a per-row distance function over every location, then count and the nearest 20;
  kdtree  the physical limit: scipy's cKDTree over unit vectors in memory (count and nearest 20).
It prints one line per N in the form `search N=… p50_ms=… p95_ms=… naive_p95_ms=… kdtree_p95_ms=… speedup=…x`,
then detail, and checks every total against an exact geodesic count (made from the k-d tree's candidates).

    python bench/search_bench.py --coldstart --sizes 1000000 [--database-url …]

starts fresh gunicorn servers (one worker each) on the directory of the last size, waits for /healthz, then times
the first search and the next ones: `coldstart first_search_ms=… warm_p50_ms=…` with the warm-up hook of
gunicorn.conf.py, beside `coldstart_without_warmup …` from servers started without it, in the same run.
"""
from __future__ import annotations

import argparse
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from geopy.distance import geodesic
from scipy.spatial import cKDTree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic_directory import build, query_points  # noqa: E402
from clinic_finder import create_app  # noqa: E402
from clinic_finder.config import TestConfig  # noqa: E402
from clinic_finder.extensions import db  # noqa: E402
from clinic_finder.geo.geodesy import EARTH_RADIUS_MI  # noqa: E402
from clinic_finder.models import Location, Provider  # noqa: E402
from clinic_finder.search.nearby import SPHERE_MARGIN  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "results"
RADIUS_MI = 25.0
PAGE = 20


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def make_app(url: str):
    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(BenchConfig)


def database_for(url: str | None, n: int) -> str:
    """The directory of size n: a SQLite file, or on PostgreSQL a database of its own (`<name>_<n>`, created when
    missing), so each size is built once and reused like the SQLite files."""
    if not url:
        return f"sqlite:///{DATA_DIR / f'search-{n}.sqlite'}"
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    name = f"{parsed.database}_{n}"
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _complete_schema(inspector) -> bool | None:
    """None when a column of the models is missing (a directory built before a migration that adds one is rebuilt);
    else adds missing tables and indexes in place (a new table's after_create hook fills what it derives) and says
    whether it added any."""
    for table in db.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        if {c.name for c in table.columns} - {c["name"] for c in inspector.get_columns(table.name)}:
            return None
    added = [t.name for t in db.metadata.sorted_tables if not inspector.has_table(t.name)]
    db.create_all()
    for table in db.metadata.sorted_tables:
        have = {i["name"] for i in sa.inspect(db.engine).get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in have:
                added.append(index.name)
                index.create(db.engine)
    db.session.commit()
    if added:
        print(f"  added {', '.join(added)}", flush=True)
    return bool(added)


def prepare(app, n: int, rebuild: bool) -> None:
    with app.app_context():
        inspector = sa.inspect(db.engine)
        have, completed = None, None
        if "provider" in inspector.get_table_names():
            completed = _complete_schema(inspector)
            if completed is not None:
                have = db.session.scalar(sa.select(sa.func.count()).select_from(Provider))
            db.session.remove()  # end the read's transaction: on PostgreSQL it would block the DROP below
        if have == n and not rebuild:
            print(f"  reusing the directory of {n:,} providers")
            if completed:
                _analyze()
            return
        db.drop_all()
        db.create_all()
        build(db.session, n)
        _analyze()


def _analyze() -> None:
    """Fresh statistics (and, on PostgreSQL, a visibility map so index-only scans skip the table)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"))
        if conn.dialect.name == "sqlite":
            # Fold the write-ahead log into the database file: timed reads must not search a log of the build.
            conn.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db.engine.dispose()


def naive_statement(dialect: str):
    """Count and nearest 20 with the distance computed per row over the whole table: no index can help."""
    if dialect == "sqlite":
        distance = "geodist(:lat, :lon, lat, lon)"
    else:
        distance = ("2 * 3958.7613 * asin(sqrt(power(sin(radians(lat - :lat) / 2), 2) + cos(radians(:lat)) "
                    "* cos(radians(lat)) * power(sin(radians(lon - :lon) / 2), 2)))")
    return sa.text(
        f"WITH d AS (SELECT provider_id, {distance} AS miles FROM location WHERE searchable) "
        "SELECT (SELECT count(DISTINCT provider_id) FROM d WHERE miles <= :radius), "
        "(SELECT count(*) FROM (SELECT provider_id FROM d WHERE miles <= :radius "
        f"ORDER BY miles LIMIT {PAGE}) AS nearest)"
    )


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MI * math.asin(math.sqrt(a))


def run(url: str, n: int, queries: int, naive_queries: int, rebuild: bool) -> dict:
    app = make_app(url)
    prepare(app, n, rebuild)
    points = query_points(queries)
    client = app.test_client()
    with app.app_context():
        rows = db.session.execute(sa.select(Location.provider_id, Location.lat, Location.lon, Location.x,
                                            Location.y, Location.z).where(Location.searchable.is_(True))).all()
        dialect = db.engine.dialect.name
    owners = np.array([r[0] for r in rows])
    coords = np.array([(r[1], r[2]) for r in rows])
    tree = cKDTree(np.array([(r[3], r[4], r[5]) for r in rows]))

    def chord(miles: float) -> float:
        return 2 * math.sin(min(math.pi, miles / EARTH_RADIUS_MI) / 2)

    # The physical limit: count providers and take the nearest 20, all in memory.
    kd_ms, exact_totals = [], []
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        u = (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))
        t0 = time.perf_counter()
        idx = tree.query_ball_point(u, chord(RADIUS_MI), return_sorted=False)
        if idx:
            d = np.linalg.norm(tree.data[idx] - u, axis=1)
            nearest = np.argsort(d)[:PAGE]
            _ = len(set(owners[idx])), owners[np.array(idx)[nearest]]
        kd_ms.append((time.perf_counter() - t0) * 1000)
        # Ground truth for the check (not timed): exact geodesic distances for every possible candidate.
        wide = tree.query_ball_point(u, chord(RADIUS_MI / (1 - SPHERE_MARGIN)))
        exact_totals.append(len({int(owners[i]) for i in wide
                                 if geodesic((lat, lon), tuple(coords[i])).miles <= RADIUS_MI}))

    # The site: the JSON API through the Flask test client.
    for lat, lon in points[:5]:  # warm caches and the geocoder's ZIP index
        client.get(f"/api/v1/providers?lat={lat:.5f}&lon={lon:.5f}&radius_mi=25")
    api_ms, api_cpu_ms, mismatches = [], [], 0
    load_before = os.getloadavg()[0]
    for (lat, lon), exact in zip(points, exact_totals, strict=True):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(f"/api/v1/providers?lat={lat:.5f}&lon={lon:.5f}&radius_mi=25")
        api_ms.append((time.perf_counter() - t0) * 1000)
        # CPU time of this process: on SQLite, all of the work, whatever else the machine is doing.
        api_cpu_ms.append((time.process_time() - c0) * 1000)
        body = response.get_json()
        if response.status_code != 200 or body["in_clinic_total"] != exact:
            mismatches += 1
    load_after = os.getloadavg()[0]

    # The naive baseline over the first naive_queries points.
    naive_ms = []
    with app.app_context():
        conn = db.session.connection()
        if dialect == "sqlite":
            conn.connection.dbapi_connection.create_function("geodist", 4, _haversine, deterministic=True)
        stmt = naive_statement(dialect)
        for lat, lon in points[:naive_queries]:
            t0 = time.perf_counter()
            conn.execute(stmt, {"lat": lat, "lon": lon, "radius": RADIUS_MI}).one()
            naive_ms.append((time.perf_counter() - t0) * 1000)
        db.session.rollback()
        db.engine.dispose()

    result = {
        "n": n, "p50": percentile(api_ms, 50), "p95": percentile(api_ms, 95), "max": max(api_ms),
        "naive_p95": percentile(naive_ms, 95), "kd_p95": percentile(kd_ms, 95), "kd_p50": percentile(kd_ms, 50),
        "mean_total": statistics.mean(exact_totals), "max_total": max(exact_totals),
        "mismatches": mismatches, "queries": len(points), "naive_queries": len(naive_ms), "dialect": dialect,
        "cpu_p50": percentile(api_cpu_ms, 50), "cpu_p95": percentile(api_cpu_ms, 95),
        "load": (load_before + load_after) / 2, "cores": os.cpu_count(),
    }
    result["speedup"] = result["naive_p95"] / result["p95"]
    return result


def explain(url: str, lat: float, lon: float) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement one search at (lat, lon) sends, as the API sends them."""
    app = make_app(url)
    client = app.test_client()
    path = f"/api/v1/providers?lat={lat:.5f}&lon={lon:.5f}&radius_mi=25"
    client.get(path)  # warm: the plan below is a warm search's
    sent: list[tuple[str, object]] = []
    with app.app_context():
        def remember(_conn, _cursor, statement, parameters, _context, _many):
            sent.append((statement, parameters))

        sa.event.listen(db.engine, "before_cursor_execute", remember)
        client.get(path)
        sa.event.remove(db.engine, "before_cursor_execute", remember)
        out = [f"{len(sent)} statement(s) for GET {path}"]
        with db.engine.connect() as conn:
            for statement, parameters in sent:
                prefix = "EXPLAIN (ANALYZE, BUFFERS) " if conn.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
                out.append("\n".join(" | ".join(str(v) for v in row) for row in rows))
        db.engine.dispose()
    return "\n\n".join(out)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (a local server we started)
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def coldstart(url: str, warm_up: bool, starts: int, searches: int) -> tuple[list[float], list[float]]:
    """First-search times of `starts` fresh servers, and every later search's time."""
    points = query_points(starts + searches, seed=11)
    firsts, later = [], []
    for i in range(starts):
        port = _free_port()
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-only-not-a-secret", RATELIMIT_SINGLE_PROCESS="1",
                   PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", SESSION_COOKIE_SECURE="0")
        config = str(ROOT / "gunicorn.conf.py") if warm_up else os.devnull
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
                                   "1", "-c", config, "wsgi:app"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:  # the readiness check a load balancer makes before it sends traffic
                try:
                    _get_ms(f"{base}/healthz")
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("the server did not become ready") from None
                    time.sleep(0.02)
            lat, lon = points[i]
            firsts.append(_get_ms(f"{base}/api/v1/providers?lat={lat:.5f}&lon={lon:.5f}&radius_mi=25"))
            for lat, lon in points[starts:]:
                later.append(_get_ms(f"{base}/api/v1/providers?lat={lat:.5f}&lon={lon:.5f}&radius_mi=25"))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return firsts, later


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated directory sizes")
    parser.add_argument("--queries", type=int, default=200, help="searches per size")
    parser.add_argument("--naive-queries", type=int, default=50,
                        help="points the naive baseline is timed on (it is slow by design)")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL (its tables are replaced); default: SQLite files in bench/results/")
    parser.add_argument("--rebuild", action="store_true", help="rebuild directories even when one of size N exists")
    parser.add_argument("--build-only", action="store_true", help="build the directories, time nothing")
    parser.add_argument("--coldstart", action="store_true",
                        help="time the first search of fresh gunicorn servers (directory of the last size)")
    parser.add_argument("--starts", type=int, default=3, help="fresh servers per variant for --coldstart")
    parser.add_argument("--explain", metavar="LAT,LON", default=None,
                        help="print the query plans of one search at LAT,LON on the directory of the last size")
    args = parser.parse_args(argv)
    DATA_DIR.mkdir(exist_ok=True)
    if args.explain:
        n = [int(s) for s in args.sizes.split(",") if s.strip()][-1]
        url = database_for(args.database_url, n)
        prepare(make_app(url), n, args.rebuild)
        lat, lon = (float(v) for v in args.explain.split(","))
        print(explain(url, lat, lon))
        return 0
    if args.coldstart:
        n = [int(s) for s in args.sizes.split(",") if s.strip()][-1]
        url = database_for(args.database_url, n)
        prepare(make_app(url), n, args.rebuild)
        for name, warm_up in (("coldstart", True), ("coldstart_without_warmup", False)):
            firsts, later = coldstart(url, warm_up, args.starts, args.queries)
            print(f"{name} first_search_ms={max(firsts):.1f} warm_p50_ms={percentile(later, 50):.1f}", flush=True)
            print(f"  N={n} on {sa.engine.make_url(url).get_backend_name()}: first searches of {len(firsts)} fresh "
                  f"servers {', '.join(f'{v:.0f}' for v in firsts)} ms (the line shows the worst); "
                  f"{len(later)} later searches p95 {percentile(later, 95):.1f} ms", flush=True)
        return 0
    failed = False
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        url = database_for(args.database_url, n)
        print(f"N={n:,} on {sa.engine.make_url(url).get_backend_name()}: preparing", flush=True)
        if args.build_only:
            prepare(make_app(url), n, args.rebuild)
            continue
        r = run(url, n, args.queries, min(args.naive_queries, args.queries), args.rebuild)
        print(f"search N={n} p50_ms={r['p50']:.1f} p95_ms={r['p95']:.1f} naive_p95_ms={r['naive_p95']:.1f} "
              f"kdtree_p95_ms={r['kd_p95']:.2f} speedup={r['speedup']:.0f}x", flush=True)
        print(f"  {r['dialect']}: {r['queries']} searches (naive baseline on {r['naive_queries']}), max "
              f"{r['max']:.1f} ms; clinics within 25 mi: mean {r['mean_total']:.0f}, max {r['max_total']}; "
              f"kd-tree p50 {r['kd_p50']:.2f} ms; totals differing from the exact geodesic count: "
              f"{r['mismatches']}", flush=True)
        print(f"  this process's CPU per search: p50 {r['cpu_p50']:.1f} ms, p95 {r['cpu_p95']:.1f} ms; "
              f"load average {r['load']:.1f} on {r['cores']} cores while timing", flush=True)
        failed |= r["mismatches"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
