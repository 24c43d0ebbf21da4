"""Where a page's CPU goes: render one page type many times in-process (production settings, the load run's
database) and print the CPU milliseconds per request and cProfile's heaviest functions.

    python bench/profile_page.py results            # /search?q=<ZIP> at the load plan's ZIP codes
    python bench/profile_page.py profile --requests 300 --top 40
    python bench/profile_page.py api --database-url postgresql://postgres@127.0.0.1:5432/cf_bench_load
    python bench/profile_page.py results --phases   # CPU ms per request in the search, the rendering, the hooks …
    PROFILE_RATELIMIT=1 PROFILE_RATELIMIT_URI=redis://127.0.0.1:6379/15 python bench/profile_page.py healthz
                                                    # with the rate limiter on, as a served app has it

The database is the one bench/load.py builds (bench/results/load-100000.sqlite unless --database-url); run
`python bench/load.py --databases sqlite --classes sync --no-nginx` once first, or pass another database.
"""
from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_directory import sqlite_url, write_plan  # noqa: E402


def paths(page: str, plan: dict, count: int, rng: random.Random) -> list[str]:
    makers = {
        "results": lambda: f"/search?q={rng.choice(plan['zips'])}",
        "profile": lambda: f"/providers/{rng.choice(plan['profile_ids'])}",
        "api": lambda: "/api/v1/providers?lat={}&lon={}".format(*rng.choice(plan["points"])),
        "healthz": lambda: "/healthz",
    }
    return [makers[page]() for _ in range(count)]


# What --phases times, where the views look each one up: (module, attribute, label). Nested phases (the demo check
# inside the rendering) are counted in both.
PHASES = (
    ("clinic_finder.search.request", "parse_search", "search_parse"),
    ("clinic_finder.search.request", "locate", "search_locate"),
    ("clinic_finder.search.request", "find", "search"),
    ("clinic_finder.listings.profiles", "load_profile", "load_profile"),
    ("clinic_finder.reviews.display", "panel_for", "reviews_panel"),
    ("clinic_finder.api.serializers", "search_json", "serialize"),
    ("clinic_finder.api.views", "jsonify", "json_encode"),
    ("clinic_finder.public.search_views", "render_template", "render"),
    ("clinic_finder.public.provider_views", "render_template", "render"),
)


def time_phases(app) -> dict[str, float]:
    """Wrap each phase in a CPU-time accumulator; the returned dict fills in as requests run."""
    spent: dict[str, float] = {}

    def timed(function, label):
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - started
        return wrapper

    for module_name, attribute, label in PHASES:
        module = importlib.import_module(module_name)
        setattr(module, attribute, timed(getattr(module, attribute), label))
    globals_ = app.jinja_env.globals
    globals_["demo_data_loaded"] = timed(globals_["demo_data_loaded"], "demo_check")
    app.process_response = timed(app.process_response, "after_request_hooks")
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", choices=["results", "profile", "api", "healthz"])
    parser.add_argument("--database-url", default=sqlite_url(100_000))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime, ncalls …")
    parser.add_argument("--no-profile", action="store_true", help="only time it (cProfile adds its own cost)")
    parser.add_argument("--cpu-clock", action="store_true",
                        help="cProfile counts CPU time, not wall time: on PostgreSQL, time spent waiting for the "
                             "server then drops out of the figures")
    parser.add_argument("--phases", action="store_true",
                        help="no cProfile: CPU ms per request in each phase (search, rendering, hooks …)")
    args = parser.parse_args(argv)

    from clinic_finder import create_app
    from clinic_finder.serving.warm import warm_up

    with tempfile.NamedTemporaryFile(suffix=".json") as plan_file:
        plan = write_plan(args.database_url, Path(plan_file.name))
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench-profile-not-secret",
                      "RATELIMIT_ENABLED": os.environ.get("PROFILE_RATELIMIT") == "1", "RATELIMIT_STORAGE_URI": os.environ.get("PROFILE_RATELIMIT_URI", "memory://"), "SESSION_COOKIE_SECURE": False,
                      "PUBLIC_BASE_URL": "http://localhost"})
    warm_up(app)
    spent = time_phases(app) if args.phases else {}
    client = app.test_client()
    headers = {"Accept-Encoding": "br, gzip"}
    rng = random.Random(3)
    for path in paths(args.page, plan, 20, rng):  # warm the database's and the process's caches
        assert client.get(path, headers=headers).status_code == 200, path
    todo = paths(args.page, plan, args.requests, rng)
    spent.clear()
    profiler = None if args.no_profile or args.phases else cProfile.Profile(time.process_time if args.cpu_clock else time.perf_counter)
    started = time.process_time()
    if profiler:
        profiler.enable()
    for path in todo:
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            print(f"{path}: {response.status_code}")
    if profiler:
        profiler.disable()
    cpu_ms = 1000 * (time.process_time() - started) / len(todo)
    print(f"profile page={args.page} requests={len(todo)} cpu_ms_per_req={cpu_ms:.2f}"
          + ("" if profiler is None else " (under cProfile)"))
    if args.phases:
        print(f"phases page={args.page} " + " ".join(f"{label}={1000 * seconds / len(todo):.2f}"
                                                    for label, seconds in spent.items()))
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
