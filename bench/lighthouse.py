"""Lighthouse scores (accessibility, best practices, SEO) for the home, results, profile and guide pages, on a phone
and a desktop, against a throwaway copy of the fictional directory served on a free local port.

    python bench/lighthouse.py                 # demo mode off, so SEO is measured as a real directory would be
    python bench/lighthouse.py --demo          # with the demo flag on (every page noindex: SEO cannot pass)

Needs Node.js and Chromium (CHROME_PATH, default /usr/bin/chromium); runs `npx --yes lighthouse@12.8.2` unless
LIGHTHOUSE names another command. Prints a Markdown table; exits 1 when a score is under --minimum (95). Not part
of `make test`: eight Lighthouse runs take a few minutes.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import sqlalchemy as sa
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinic_finder import create_app  # noqa: E402
from clinic_finder.config import TestConfig  # noqa: E402
from clinic_finder.extensions import db  # noqa: E402
from clinic_finder.interchange.seeding import seed_from_folder  # noqa: E402
from clinic_finder.models import Location, Provider, Review  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "seed_data"
CATEGORIES = ("accessibility", "best-practices", "seo")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pages() -> dict[str, str]:
    profile = db.session.execute(sa.select(Review.provider_id).group_by(Review.provider_id)
                                 .order_by(sa.func.count().desc()).limit(1)).scalar_one()
    busy_zip = db.session.execute(sa.select(Location.zip_code).join(Provider).group_by(Location.zip_code)
                                  .order_by(sa.func.count().desc()).limit(1)).scalar_one()
    return {"home": "/", "results": f"/search?q={busy_zip}", "profile": f"/providers/{profile}", "guide": "/guide"}


def _lighthouse(command: list[str], url: str, desktop: bool, out: Path) -> dict[str, int]:
    args = [*command, url, "--quiet", "--output=json", f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox"]
    if desktop:
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    report = json.loads(out.read_text())
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", action="store_true", help="load the directory as demo data (noindex everywhere)")
    parser.add_argument("--minimum", type=int, default=95)
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    options = parser.parse_args()
    command = shlex.split(os.environ.get("LIGHTHOUSE", "npx --yes lighthouse@12.8.2"))
    port = _free_port()

    with tempfile.TemporaryDirectory() as scratch:
        class ServedConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{scratch}/lighthouse.db"
            PUBLIC_BASE_URL = f"http://127.0.0.1:{port}"
            TESTING = False

        app = create_app(ServedConfig)
        with app.app_context():
            db.create_all()
            seed_from_folder(SEED, demo=options.demo)
            pages = _pages()
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        reports = options.reports or Path(scratch)
        reports.mkdir(parents=True, exist_ok=True)
        rows, lowest = [], 100
        try:
            for name, path in pages.items():
                for desktop in (False, True):
                    form = "desktop" if desktop else "mobile"
                    scores = _lighthouse(command, f"http://127.0.0.1:{port}{path}", desktop,
                                         reports / f"{name}-{form}.json")
                    lowest = min(lowest, *scores.values())
                    rows.append(f"| {name} | {form} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
                    print(rows[-1], file=sys.stderr)
        finally:
            server.shutdown()
    print(f"Lighthouse {'with' if options.demo else 'without'} the demo flag (SEO counts only without it)\n")
    print("| page | form factor | accessibility | best practices | SEO |\n|---|---|---|---|---|")
    print("\n".join(rows))
    return 0 if lowest >= options.minimum else 1


if __name__ == "__main__":
    sys.exit(main())
