"""Import benchmark: our CSV and the NPPES file through the one import engine, each beside csv.reader alone.

    python bench/import_bench.py                       # import N=100000, nppes rows=1000000 (as in `make bench`)
    python bench/import_bench.py --csv-rows 10000 --nppes-rows 100000

Prints, for a fresh SQLite database each:
  zip_index rss_mb=… build_secs=…       (the geocoder's ZIP index every import validates against, alone)
  import N=… secs=… rows_per_s=… csv_only_rows_per_s=… peak_rss_mb=…
  nppes rows=… selected=… secs=… rows_per_s=… csv_only_rows_per_s=… peak_rss_mb=…
csv_only_rows_per_s is merely reading the same file with csv.reader, in the same run: the floor any import pays.
Each measurement runs in its own process, so peak_rss_mb (the process's high-water mark) is the import's alone;
cpu_secs (after the line) is the CPU time the import used, which a busy machine does not inflate as it does secs.
Generated files are kept in bench/results/ and reused.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RESULTS = Path(__file__).resolve().parent / "results"


def our_csv(path: Path, rows: int) -> Path:
    """N fictional providers in our CSV export's columns, publishable, at real ZIP codes."""
    from clinic_finder.geo.zip_data import read_zip_codes
    from clinic_finder.interchange.csv_format import COLUMNS

    if path.exists():
        return path
    zips = [(z.zip_code, z.city, z.state) for z in read_zip_codes()
            if z.kind == "STANDARD" and z.state not in {"PR", "GU", "VI", "AS", "MP"}]
    rng = random.Random(15)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for n in range(1, rows + 1):
            zip_code, city, state = rng.choice(zips)
            writer.writerow({
                "slug": f"bench-clinic-{n}", "name": f"Bench Clinic {n} (fictional)", "modes": "in_clinic",
                "routes": "iv;im", "conditions": "depression;anxiety", "price_min_usd": 400, "price_max_usd": 700,
                "free_consultation": "yes", "insurance_accepted": "no", "superbill_offered": "yes",
                "phone": "", "email": f"hello@bench-{n}.example", "website": f"https://bench-{n}.example",
                "address_line1": f"{rng.randrange(1, 9999)} Main St", "address_line2": "", "city": city,
                "state": state, "zip_code": zip_code, "lat": "", "lon": "", "accepting_new_patients": "yes",
                "states_served": "", "description": "A fictional clinic made for the import benchmark.",
            })
    tmp.rename(path)
    return path


def nppes(path: Path, rows: int) -> Path:
    from bench.nppes_file import Spec, write

    if not path.exists():
        write(path.with_suffix(".tmp"), Spec(rows=rows, selected_share=0.02)).rename(path)
    return path


def csv_only(path: Path) -> float:
    """Rows per second of csv.reader alone over the file (what reading costs before any work)."""
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        count = sum(1 for _ in csv.reader(handle)) - 1
    return count / (time.perf_counter() - started)


def zip_index() -> dict:
    """What building the geocoder's ZIP index adds to a process that has imported the app (called in a child)."""
    import clinic_finder.geo.geocoding as geocoding

    def rss_mb() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2 ** 20

    before, started = rss_mb(), time.perf_counter()
    geocoding.us_data()
    return {"rss_mb": rss_mb() - before, "build_secs": time.perf_counter() - started}


def measure(kind: str, path: Path) -> dict:
    """Run one import into a fresh SQLite database, in this process (called in a child process)."""
    from clinic_finder import create_app
    from clinic_finder.config import TestConfig
    from clinic_finder.extensions import db

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    with tempfile.TemporaryDirectory() as folder:
        class BenchConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/bench.db"

        app = create_app(BenchConfig)
        with app.app_context():
            db.create_all()
            if kind == "csv":
                from clinic_finder.interchange.importing import import_file

                counts, _ = import_file(path, "csv")
            else:
                from clinic_finder.interchange import nppes as nppes_import
                from clinic_finder.interchange.engine import run_import

                columns, rows = nppes_import.read_rows(path)
                handler = nppes_import.NppesImport(columns, nppes_import.source_label(path))
                counts = run_import(rows, handler, label=path.name)
            db.engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"read": counts.read, "selected": counts.selected, "added": counts.added, "refused": counts.refused,
            "secs": counts.seconds, "cpu_secs": usage.ru_utime + usage.ru_stime - cpu_before,
            "peak_rss_mb": usage.ru_maxrss / 1024}


def in_child(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure", kind, str(path)], check=True, capture_output=True,
                         text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv-rows", type=int, default=100_000)
    parser.add_argument("--nppes-rows", type=int, default=1_000_000)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind = args.measure[0]
        print(json.dumps(zip_index() if kind == "zip_index" else measure(kind, Path(args.measure[1]))))
        return
    RESULTS.mkdir(exist_ok=True)
    ok = True
    got = in_child("zip_index", Path())
    print(f"zip_index rss_mb={got['rss_mb']:.0f} build_secs={got['build_secs']:.2f}", flush=True)
    if args.csv_rows:
        path = our_csv(RESULTS / f"import-{args.csv_rows}.csv", args.csv_rows)
        baseline = csv_only(path)
        got = in_child("csv", path)
        rate = got["read"] / got["secs"]
        print(f"import N={got['read']} secs={got['secs']:.1f} rows_per_s={rate:,.0f} "
              f"csv_only_rows_per_s={baseline:,.0f} peak_rss_mb={got['peak_rss_mb']:.0f}"
              f"  (added={got['added']} refused={got['refused']}, cpu_secs={got['cpu_secs']:.1f})", flush=True)
        ok &= got["refused"] == 0 and got["added"] == args.csv_rows
    if args.nppes_rows:
        path = nppes(RESULTS / f"npidata_pfile_20050523-20261109-{args.nppes_rows}.csv", args.nppes_rows)
        baseline = csv_only(path)
        got = in_child("nppes", path)
        rate = got["read"] / got["secs"]
        print(f"nppes rows={got['read']} selected={got['selected']} secs={got['secs']:.1f} rows_per_s={rate:,.0f} "
              f"csv_only_rows_per_s={baseline:,.0f} peak_rss_mb={got['peak_rss_mb']:.0f}"
              f"  (added={got['added']} refused={got['refused']}, cpu_secs={got['cpu_secs']:.1f}, "
              f"{rate / baseline:.2f} of csv.reader's speed)",
              flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
