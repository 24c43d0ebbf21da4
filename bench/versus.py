"""CPU per request of this checkout beside an earlier commit's, measured side by side on the same machine, database
and load: the absolute figures of one machine do not carry to another (a busier or slower one moves them all), the
ratio does.

    python bench/versus.py                                   # against aee11db, the code when issue 21 was filed
    python bench/versus.py --base <commit> --rounds 3 --database-url postgresql://postgres@127.0.0.1:5432/cf_bench_load

The earlier commit is checked out in a temporary git worktree and served by its own `wsgi:app`; this checkout by
bench/load_wsgi.py. Both run under gunicorn (4 sync workers, --preload) pinned to one core, with the same
environment as bench/load.py, on the database bench/load.py builds (an earlier schema reads the current one: the
migrations since only add). Rounds alternate the two; each serves a warm-up of the mix (unmeasured: the earlier code
builds its geocoder's indexes on each worker's first search), then /healthz, the results page, a profile and the API
search alone. Per round and code it prints

    versus round=… code=base|this commit=… healthz=… results=… profile=… api=…   (CPU ms per request)

and at the end each page's ratio this/base per round. Exits 1 on any failed request.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import local_servers  # noqa: E402
from bench.load import SERVER_CPU, positive, run_locust, server_env  # noqa: E402
from bench.load_directory import ensure_directory, sqlite_url, write_plan  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ISSUE_21_FILED_AT = "aee11db"  # main when issue 21 was filed, before any of its work
PAGES = ("healthz", "results", "profile", "api")


def _commit(tree: Path, rev: str = "HEAD") -> str:
    return subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", rev], capture_output=True, text=True,
                          check=True).stdout.strip()


def _serve(tree: Path, app: str, url: str):
    return local_servers.start_gunicorn(server_env(url, False), workers=4, worker_class="sync", cpus=SERVER_CPU,
                                        app=app, tree=tree)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=ISSUE_21_FILED_AT, help="the earlier commit (default: %(default)s)")
    parser.add_argument("--database-url", default=None, help="default: bench/load.py's SQLite database")
    parser.add_argument("--n", type=positive, default=100_000)
    parser.add_argument("--rounds", type=positive, default=2)
    parser.add_argument("--seconds", type=positive, default=10, help="each page alone")
    parser.add_argument("--warmup", type=positive, default=20)
    parser.add_argument("--users", type=positive, default=16)
    args = parser.parse_args(argv)

    known = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{args.base}^{{commit}}"],
                           capture_output=True, text=True)
    if known.returncode:
        print(f"versus: {args.base!r} is not a commit of this repository", file=sys.stderr)
        return 2
    url = args.database_url or sqlite_url(args.n)
    ensure_directory(url, args.n)
    failed = 0
    ratios: dict[str, list[float]] = {page: [] for page in PAGES}
    with tempfile.TemporaryDirectory(prefix="cf-versus-") as tmp:
        base_tree = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(base_tree), args.base],
                       check=True)
        try:
            plan, log = Path(tmp) / "plan.json", Path(tmp) / "reviews.log"
            write_plan(url, plan)
            codes = {"base": (base_tree, "wsgi:app"), "this": (ROOT, "bench.load_wsgi:app")}
            for round_ in range(args.rounds):
                figures: dict[str, dict[str, float]] = {}
                for name, (tree, app) in codes.items():
                    server = _serve(tree, app, url)
                    try:
                        run_locust([server], server.url, "results=7,profile=2,api=1", args.warmup, args.users,
                                   plan, log)
                        figures[name] = {}
                        for page in PAGES:
                            result = run_locust([server], server.url, f"{page}=1", args.seconds, args.users, plan,
                                                log)
                            failed += result.failures
                            figures[name][page] = result.cpu_ms_per_req
                    finally:
                        server.stop()
                    print(f"versus round={round_} code={name} commit={_commit(tree)} " + " ".join(
                        f"{page}={figures[name][page]:.2f}" for page in PAGES), flush=True)
                for page in PAGES:
                    ratios[page].append(figures["this"][page] / figures["base"][page])
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)], check=False)
    print("versus ratio this/base " + " ".join(
        f"{page}={','.join(f'{r:.2f}' for r in ratios[page])}" for page in PAGES), flush=True)
    if failed:
        print(f"versus: {failed} failed requests", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
