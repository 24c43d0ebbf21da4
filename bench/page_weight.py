"""Cold page weight: what Chromium transfers for one public page with an empty cache (HTML, stylesheets, scripts,
images, the map), summed over every response (headers and encoded bodies, as Playwright's request.sizes() reports
them). Serves the fictional demo directory with gunicorn, once without and once with response compression.

    python bench/page_weight.py                    # prints `weight page=… compressed=no|yes kb=… requests=…`
    CHROMIUM_PATH=/usr/bin/chromium python bench/page_weight.py --pages /,/guide

`stylesheets=` counts the page's render-blocking stylesheets: one per audience (serving/stylesheets.py), plus
Leaflet's where a map is shown.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import local_servers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAGES = ["/search?q=10001", "/", "/providers/1", "/guide", "/about/data", "/assessment", "/providers"]
BUDGET_KB = {"/search?q=10001": 150}  # the results page carries the map; every other public page: 50 KB
OTHER_BUDGET_KB = 50


def serve_demo(workdir: Path, compressed: bool) -> local_servers.Server:
    url = f"sqlite:///{workdir / 'demo.sqlite'}"
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_DEBUG")}
    env.update({"DATABASE_URL": url, "SECRET_KEY": "bench-weight-not-secret", "RATELIMIT_SINGLE_PROCESS": "1",
                "SESSION_COOKIE_SECURE": "0", "BENCH_COMPRESS": "1" if compressed else "0",
                "PYTHONPATH": str(ROOT)})
    if not (workdir / "demo.sqlite").exists():
        for command in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([sys.executable, "-m", "flask", "--app", "clinic_finder", *command], cwd=ROOT, env=env,
                           check=True, capture_output=True, timeout=300)
    return local_servers.start_gunicorn(env, workers=1, app="bench.load_wsgi:app")


def measure(base_url: str, pages: list[str]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for path in pages:
            context = browser.new_context()  # a new profile: nothing cached
            page = context.new_page()
            requests: list = []
            page.on("requestfinished", lambda request, seen=requests: seen.append(request))
            page.goto(base_url + path, wait_until="networkidle")
            total, css = 0, []
            for request in requests:
                sizes = request.sizes()
                total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                if request.resource_type == "stylesheet":
                    css.append(request.url)
            found[path] = {"bytes": total, "requests": len(requests), "stylesheets": css}
            context.close()
        browser.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    over = []
    with tempfile.TemporaryDirectory(prefix="cf-weight-") as tmp:
        for compressed in (False, True):
            server = serve_demo(Path(tmp), compressed)
            try:
                weights = measure(server.url, pages)
            finally:
                server.stop()
            for path, w in weights.items():
                kb = w["bytes"] / 1024
                print(f"weight page={path} compressed={'yes' if compressed else 'no'} kb={kb:.1f} "
                      f"requests={w['requests']} stylesheets={len(w['stylesheets'])}", flush=True)
                if compressed:
                    if kb > BUDGET_KB.get(path, OTHER_BUDGET_KB):
                        over.append(f"{path}: {kb:.1f} KB > {BUDGET_KB.get(path, OTHER_BUDGET_KB)} KB")
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
