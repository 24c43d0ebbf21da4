"""CPU per request of this checkout against an earlier commit, in-process and in turns: the finest comparison this
machine allows (its speed drifts within minutes, so through gunicorn a few percent are lost in the noise).

    python bench/pairs.py --base 55674ff api
    python bench/pairs.py --base df120c2 profile --turns 14 --requests 150 \\
        --database-url postgresql://postgres@127.0.0.1:5432/cf_bench_load

Each code runs in its own Python process (the earlier commit from a temporary git worktree), builds the production
app on the load run's database (bench/load.py builds it) and answers blocks of requests through `app.wsgi_app`
(no HTTP server, no test client). The two take turns, one block each, the order flipping every turn; each prints
the CPU ms per request of its block. At the end: each code's median, and the median of the per-turn ratios
this/base, the figure to quote.

    python bench/pairs.py --base df120c2 api --instructions 200

With --instructions N, each code instead runs under valgrind's callgrind (Debian's `valgrind`) twice, once
answering only the warm-up requests and once N more, and the difference over N is its instructions per request:
a count the machine's drifting speed does not move (on a noisy day CPU time swings 2x within seconds, and a 5 %
change is lost in it). It prints `instructions page=… base_per_req=… this_per_req=… ratio=…`.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("results", "profile", "api", "healthz")


def _worker(tree: str, url: str, paths_file: str) -> None:
    """Serve blocks of the given paths in order: read a count on stdin, answer the block's CPU ms per request."""
    sys.path.insert(0, tree)  # this tree's clinic_finder, and nothing of bench/
    from clinic_finder import create_app
    from clinic_finder.serving.warm import warm_up

    todo = iter(json.loads(Path(paths_file).read_text()))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-pairs-not-secret",
                      "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                      "PUBLIC_BASE_URL": "http://localhost"})
    warm_up(app)
    statuses: list[str] = []

    def one() -> None:
        path, _, query = next(todo).partition("?")
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "localhost",
                   "SERVER_PORT": "80", "HTTP_HOST": "localhost", "SERVER_PROTOCOL": "HTTP/1.1",
                   "HTTP_ACCEPT_ENCODING": "br, gzip", "REMOTE_ADDR": "127.0.0.1", "wsgi.version": (1, 0),
                   "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
                   "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False}
        body = app.wsgi_app(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(body)
        getattr(body, "close", lambda: None)()

    for _ in range(100):  # warm the caches, and check the page answers
        one()
    if not all(status.startswith("200") for status in statuses):
        raise SystemExit(f"a page did not answer 200: {sorted(set(statuses))}")
    print("ready", flush=True)
    for line in sys.stdin:
        count = int(line)
        started = time.process_time()
        for _ in range(count):
            one()
        print(f"{1000 * (time.process_time() - started) / count:.4f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", choices=PAGES)
    parser.add_argument("--base", required=True, help="the earlier commit")
    parser.add_argument("--database-url", default=None, help="default: bench/load.py's SQLite database")
    parser.add_argument("--turns", type=int, default=12)
    parser.add_argument("--requests", type=int, default=150, help="requests per block")
    parser.add_argument("--instructions", type=int, default=0, metavar="N",
                        help="count instructions per request under callgrind over N requests instead of timing")
    parser.add_argument("--worker", nargs=3, metavar=("TREE", "URL", "PATHS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(*args.worker)
        return 0

    sys.path.insert(0, str(ROOT))
    from bench.load_directory import ensure_directory, sqlite_url, write_plan
    from bench.profile_page import paths

    url = args.database_url or sqlite_url(100_000)
    ensure_directory(url, 100_000)
    with tempfile.TemporaryDirectory(prefix="cf-pairs-") as tmp:
        base_tree, todo = Path(tmp) / "base", Path(tmp) / "paths.json"
        # The same requests for both, in the same order, made as profile_page.py makes them.
        plan = write_plan(url, Path(tmp) / "plan.json")
        todo.write_text(json.dumps(paths(args.page, plan, 100 + max(args.turns * args.requests, args.instructions),
                                              random.Random(7))))
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(base_tree), args.base],
                       check=True)
        workers = {}
        try:
            if args.instructions:
                return _count_instructions(args, url, todo, {"base": base_tree, "this": ROOT})
            for name, tree in (("base", base_tree), ("this", ROOT)):
                workers[name] = subprocess.Popen(
                    [sys.executable, __file__, args.page, "--base", args.base, "--worker", str(tree), url, str(todo)],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                if workers[name].stdout.readline().strip() != "ready":
                    raise SystemExit(f"the {name} code did not start")
            figures: dict[str, list[float]] = {"base": [], "this": []}
            for turn in range(args.turns):
                for name in (("base", "this") if turn % 2 == 0 else ("this", "base")):
                    worker = workers[name]
                    worker.stdin.write(f"{args.requests}\n")
                    worker.stdin.flush()
                    figures[name].append(float(worker.stdout.readline()))
                print(f"pairs turn={turn} base={figures['base'][-1]:.3f} this={figures['this'][-1]:.3f}", flush=True)
        finally:
            for worker in workers.values():
                if worker.stdin:
                    worker.stdin.close()
                worker.wait(timeout=60)
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)], check=False)
    ratios = [this / base for this, base in zip(figures["this"], figures["base"], strict=True)]
    print(f"pairs page={args.page} base={args.base} turns={args.turns} requests={args.requests} "
          f"base_ms={statistics.median(figures['base']):.3f} this_ms={statistics.median(figures['this']):.3f} "
          f"ratio={statistics.median(ratios):.3f}", flush=True)
    return 0


def _instructions(args, tree: Path, url: str, todo: Path, requests: int) -> int:
    """Instructions callgrind counts for the worker's start, warm-up and `requests` requests."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
               args.page, "--base", args.base, "--worker", str(tree), url, str(todo)]
    # The same hash seed for both runs of a code: dict and set orders, and so the work, repeat exactly.
    done = subprocess.run(command, input=f"{requests}\n" if requests else "", capture_output=True, text=True,
                          env=dict(os.environ, PYTHONHASHSEED="0"), check=True)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def _count_instructions(args, url: str, todo: Path, trees: dict[str, Path]) -> int:
    # The four runs at once (callgrind is about 50 times slower than the code it counts; the counts do not care).
    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = {(name, requests): pool.submit(_instructions, args, tree, url, todo, requests)
                  for name, tree in trees.items() for requests in (0, args.instructions)}
        per_request = {name: (counts[(name, args.instructions)].result() - counts[(name, 0)].result())
                       / args.instructions for name in trees}
    for name, figure in per_request.items():
        print(f"instructions code={name} per_req={figure:,.0f}", flush=True)
    print(f"instructions page={args.page} base={args.base} requests={args.instructions} "
          f"base_per_req={per_request['base']:.0f} this_per_req={per_request['this']:.0f} "
          f"ratio={per_request['this'] / per_request['base']:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
