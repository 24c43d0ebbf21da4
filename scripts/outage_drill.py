"""Database outage drill: a steady stream of searches (and review-free writes: consultation requests) against a
running server while the database is stopped and started again, printing what visitors and /healthz saw.

    python scripts/outage_drill.py --base http://127.0.0.1:8123 --provider 3 \\
        --stop-cmd "pg_ctl -D DATA stop -m fast" --start-cmd "pg_ctl -D DATA start" --down-seconds 10

Run it against a throwaway database: it stops that server. Prints one line a second (answers by status), what
/healthz said while the database was down, and whether the server recovered without a restart.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ZIPS = ["10001", "73301", "60601", "94103", "98101", "33101", "02108", "30301", "80202", "85001"]


def _headers(message) -> dict:
    """The headers, with every Set-Cookie folded into the one Cookie header a browser would send back."""
    out = dict(message)
    out["Cookie"] = "; ".join(c.split(";", 1)[0] for c in message.get_all("Set-Cookie") or ())
    return out


def fetch(url: str, timeout: float = 5.0) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (a local drill)
            return response.status, response.read(), _headers(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), _headers(err.headers)
    except OSError:
        return 0, b"", {}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--stop-cmd", required=True)
    parser.add_argument("--start-cmd", required=True)
    parser.add_argument("--down-seconds", type=float, default=10.0)
    parser.add_argument("--before", type=float, default=5.0)
    parser.add_argument("--after", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--provider", type=int, help="a provider offering free consultations: one thread also "
                        "sends consultation requests, and the addresses of the accepted ones are printed")
    parser.add_argument("--accepted-file", default="", help="write the accepted requests' addresses here")
    args = parser.parse_args()

    seconds = collections.defaultdict(collections.Counter)
    samples: dict[int, tuple[bytes, dict]] = {}
    stop = threading.Event()
    start = time.monotonic()

    def searcher() -> None:
        while not stop.is_set():
            status, body, headers = fetch(f"{args.base}/search?q={random.choice(ZIPS)}")
            second = int(time.monotonic() - start)
            seconds[second][status] += 1
            if status >= 500 and status not in samples:
                samples[status] = (body[:400], {k: v for k, v in headers.items() if k in ("Retry-After",)})

    accepted: list[str] = []
    refused = collections.Counter()

    def requester() -> None:
        url = f"{args.base}/providers/{args.provider}/consultation"
        n = 0
        while not stop.is_set():
            status, body, headers = fetch(url)
            if status != 200:
                refused[f"form {status}"] += 1
                time.sleep(0.2)
                continue
            tokens = dict(re.findall(r'name="(csrf_token|form_once)"[^>]*value="([^"]*)"', body.decode()))
            n += 1
            email = f"drill{n}@example.org"
            data = urllib.parse.urlencode({**tokens, "name": "Drill Patient", "email": email, "phone": "",
                                           "preferred_contact_time": "any", "message": "", "consent": "y"}).encode()
            request = urllib.request.Request(url, data=data, headers={"Cookie": headers["Cookie"]})
            try:
                with urllib.request.build_opener(_NoRedirect()).open(request, timeout=5) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as err:
                status = err.code
            except OSError:
                status = 0
            if status == 302:
                accepted.append(email)
            else:
                refused[f"post {status}"] += 1

    workers = [threading.Thread(target=searcher, daemon=True) for _ in range(args.threads)]
    if args.provider:
        workers.append(threading.Thread(target=requester, daemon=True))
    for w in workers:
        w.start()
    time.sleep(args.before)
    print(f"t={time.monotonic() - start:.1f}s stopping the database: {args.stop_cmd}")
    subprocess.run(args.stop_cmd, shell=True, check=True)  # noqa: S602 (the operator's own command)
    time.sleep(1.0)
    health = fetch(f"{args.base}/healthz")
    time.sleep(max(0.0, args.down_seconds - 1.0))
    print(f"t={time.monotonic() - start:.1f}s starting the database: {args.start_cmd}")
    subprocess.run(args.start_cmd, shell=True, check=True)  # noqa: S602
    time.sleep(args.after)
    stop.set()
    for w in workers:
        w.join()
    after = fetch(f"{args.base}/healthz")

    for second in sorted(seconds):
        print(f"second {second:3d}: " + ", ".join(f"{code or 'no answer'}×{n}" for code, n in sorted(seconds[second].items())))
    print(f"/healthz while down: {health[0]} {health[1].decode(errors='replace')}")
    print(f"/healthz after:      {after[0]} {after[1].decode(errors='replace')}")
    for status, (body, headers) in samples.items():
        text = body.decode(errors="replace")
        title = text.split("<title>")[1].split("</title>")[0] if "<title>" in text else text[:120]
        print(f"first {status} answer: headers {json.dumps(headers)}, page title {title!r}")
    if args.provider:
        print(f"consultation requests accepted: {len(accepted)}; refused: {dict(refused)}")
        if args.accepted_file:
            with open(args.accepted_file, "w") as out:
                out.write("\n".join(accepted) + "\n")
    last = seconds[max(seconds)]
    print("recovered without a restart:", "yes" if last.get(200, 0) and not any(c >= 500 for c in last) else "no")


if __name__ == "__main__":
    main()
