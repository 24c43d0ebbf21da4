"""Generate a fictional license-board roster, and the fictional providers it is about, to try `flask import roster`.

    python scripts/generate_roster.py --state TX --extra-rows 100000 --out-dir build/roster

writes two files into --out-dir:
- fictional-<st>-providers.json: the demo directory's providers licensed in that state, as a seed-format file to
  load with `flask --app clinic_finder import json FILE` into a database without the demo (an import is not demo
  data, so the roster can match it; demo listings never are);
- fictional-<st>-roster.csv: a roster in a board's layout listing those licenses (most agree; every tenth is left
  out, and the others in each ten have a different expiry date, an expired status, a different name, a probation
  or a consent order), plus --extra-rows fictional licensees who are not in our directory, and a few odd rows a
  real roster holds (an unreadable date, an unknown status, a Windows-1252 name, a column too many, one too few,
  and a last line cut off mid-value).

Everything is fictional: names are invented, license numbers use the reserved pattern DEMO-ST-000000.
Deterministic: the same arguments write the same files on the same day (expiry dates count from today).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seed_data" / "demo_providers.json"
HEADER = ["License Number", "Licensee Name", "License Status", "Expiration Date", "Disciplinary Action",
          "Action Date", "License Type"]
GIVEN = ["Avery", "Jordan", "Riley", "Casey", "Morgan", "Quinn", "Rowan", "Sage", "Emerson", "Finley"]
FAMILY = ["Ashdown", "Brightwater", "Copperfield", "Dunmore", "Elderberry", "Foxglove", "Greywood", "Hollins"]
EXTRA_FIRST_NUMBER = 100_000  # fictional licensees get DEMO-ST-100000 upwards, above the demo's numbers


def _board_name(full_name: str) -> str:
    parts = full_name.split()
    return f"{parts[-1].upper()}, {' '.join(parts[:-1]).upper()}"


def _our_rows(providers: list[dict], state: str, today: date) -> list[list[str]]:
    rows = []
    licenses = [(clinician, lic) for p in providers for clinician in p["clinicians"] for lic in clinician["licenses"]
                if lic["state"] == state]
    for i, (clinician, lic) in enumerate(licenses):
        expires = today + timedelta(days=lic["expires_in_days"])
        status = {"revoked": "Revoked"}.get(lic["status"], "Active" if expires >= today else "Expired")
        row = [lic["license_number"], _board_name(clinician["full_name"]), status, expires.strftime("%m/%d/%Y"),
               "None", "", lic["credential"]]
        kind = i % 10
        if kind == 0:
            continue  # not on the roster
        if kind == 1:
            row[3] = (expires + timedelta(days=365)).strftime("%m/%d/%Y")
        elif kind == 2:
            row[2] = "Expired"
        elif kind == 3:
            row[1] = "GREYWOOD, MORGAN"
        elif kind == 4:
            row[2], row[4], row[5] = "Active - Probation", "Probation", (today - timedelta(days=200)).isoformat()
        elif kind == 5:
            row[4], row[5] = "Consent Order", (today - timedelta(days=90)).strftime("%d-%b-%Y").upper()
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state", default="TX")
    parser.add_argument("--extra-rows", type=int, default=100_000)
    parser.add_argument("--out-dir", type=Path, default=Path("build/roster"))
    args = parser.parse_args()
    state, today = args.state.upper(), date.today()
    if args.extra_rows > 999_999 - EXTRA_FIRST_NUMBER:
        parser.error(f"--extra-rows: at most {999_999 - EXTRA_FIRST_NUMBER:,} (six-digit demo numbers)")
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    providers = [p for p in seed["providers"]
                 if any(lic["state"] == state for c in p["clinicians"] for lic in c["licenses"])]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"fictional-{state.lower()}"
    (args.out_dir / f"{stem}-providers.json").write_text(json.dumps(
        {"format": seed["format"], "fictional": True,
         "note": "Fictional: the demo providers licensed in " + state + ", by scripts/generate_roster.py.",
         "providers": providers}, indent=1), encoding="utf-8")

    ours = _our_rows(providers, state, today)
    with (args.out_dir / f"{stem}-roster.csv").open("wb") as out:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\r\n")  # boards' exports come from Windows
        writer.writerow(HEADER)
        step = max(1, args.extra_rows // max(1, len(ours)))
        for n in range(args.extra_rows):
            if n % step == 0 and ours:
                writer.writerow(ours.pop())
            expires = today + timedelta(days=30 + n % 900)
            writer.writerow([f"DEMO-{state}-{EXTRA_FIRST_NUMBER + n:06d}",
                             f"{FAMILY[n % len(FAMILY)].upper()}, {GIVEN[n % len(GIVEN)].upper()}",
                             "Active" if n % 7 else "Inactive", expires.strftime("%m/%d/%Y"), "None", "", "MD"])
        writer.writerows(ours)
        writer.writerow([f"DEMO-{state}-099990", "ODD, ROW", "Active", "31/12/2027", "None", "", "MD"])
        writer.writerow([f"DEMO-{state}-099991", "ODD, ROW", "Sort of active", "12/31/2027", "None", "", "MD"])
        writer.writerow([f"DEMO-{state}-099992", "ODD, ROW", "Active", "12/31/2027", "None", "", "MD", "surplus"])
        writer.writerow([f"DEMO-{state}-099993", "ODD, ROW", "Active"])
        text.flush()
        out.write(f"DEMO-{state}-099994,\"N\xdaÑEZ, JOS\xc9\",Active,12/31/2027,None,,MD\r\n".encode("cp1252"))
        out.write(f'DEMO-{state}-099995,"CUT, OF'.encode())
    print(f"wrote {args.out_dir / (stem + '-providers.json')} ({len(providers)} providers) and "
          f"{args.out_dir / (stem + '-roster.csv')} ({args.extra_rows:,} licensees not in our directory)")


if __name__ == "__main__":
    main()
