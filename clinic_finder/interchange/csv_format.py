"""CSV: one row per provider, flat columns a spreadsheet user can read. Lists are ';'-separated.

Reviewer contact details are never exported; neither is anything an import could not verify.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from clinic_finder.models import Provider
from clinic_finder.vetting.trust import summary_of

COLUMNS = [
    "slug", "name", "modes", "routes", "conditions", "price_min_usd", "price_max_usd", "free_consultation",
    "insurance_accepted", "superbill_offered", "phone", "email", "website", "address_line1", "address_line2",
    "city", "state", "zip_code", "lat", "lon", "accepting_new_patients", "states_served", "license_status",
    "rating_average", "rating_count", "checks_verified", "checks_total", "description",
]
LIST_SEP = ";"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def provider_row(p: Provider) -> dict[str, str]:
    loc = p.locations[0] if p.locations else None
    summary = summary_of(p)  # the one trust summary, as it stands today
    return {
        "slug": p.slug,
        "name": p.name,
        "modes": LIST_SEP.join(m.value for m in p.modes),
        "routes": LIST_SEP.join(r.value for r in p.routes),
        "conditions": LIST_SEP.join(c.value for c in p.conditions),
        "price_min_usd": "" if p.price_min_usd is None else str(p.price_min_usd),
        "price_max_usd": "" if p.price_max_usd is None else str(p.price_max_usd),
        "free_consultation": _yes(p.free_consultation),
        "insurance_accepted": _yes(p.insurance_accepted),
        "superbill_offered": _yes(p.superbill_offered),
        "phone": p.phone or "",
        "email": p.email or "",
        "website": p.website or "",
        "address_line1": loc.address_line1 if loc else "",
        "address_line2": (loc.address_line2 or "") if loc else "",
        "city": loc.city if loc else "",
        "state": loc.state if loc else "",
        "zip_code": loc.zip_code if loc else "",
        "lat": "" if not loc or loc.lat is None else f"{loc.lat:.6f}",
        "lon": "" if not loc or loc.lon is None else f"{loc.lon:.6f}",
        "accepting_new_patients": _yes(loc.accepting_new_patients) if loc else "",
        "states_served": LIST_SEP.join(p.states_served),
        "license_status": summary.license_status.value,
        "rating_average": "" if summary.rating_average is None else f"{summary.rating_average:.2f}",
        "rating_count": str(summary.rating_count),
        "checks_verified": str(summary.checks_verified),
        "checks_total": str(summary.checks_total),
        "description": p.description or "",
    }


def write_csv(providers: Iterable[Provider], out: io.TextIOBase) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for p in providers:
        writer.writerow(provider_row(p))
        n += 1
    return n


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(LIST_SEP) if v.strip()]


def _int_or_text(value: str):
    value = (value or "").strip()
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return value  # left as text so validation names the field


def _float_or_text(value: str):
    value = (value or "").strip()
    if value == "":
        return None
    try:
        return float(value)
    except ValueError:
        return value


def read_csv(path: Path) -> Iterator[tuple[int, dict]]:
    """Stream a CSV file as (row number, seed-format provider dict), one row in memory at a time.

    Raises ValueError for a problem of the whole file (an unreadable encoding, a header without the needed columns);
    a row's own problems are left to the validator, which names the row.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from enumerate(rows_from_csv(handle), start=1)


def rows_from_csv(lines: Iterable[str]) -> Iterator[dict]:
    """CSV rows turned into seed-format provider dicts (validated afterwards by the listing record validator)."""
    reader = csv.DictReader(lines)
    missing = {"slug", "name", "modes"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"the header lacks the column(s): {', '.join(sorted(missing))}")
    for row in reader:
        data = {
            "slug": (row.get("slug") or "").strip(),
            "name": (row.get("name") or "").strip(),
            "modes": _split(row.get("modes", "")),
            "routes": _split(row.get("routes", "")),
            "conditions": _split(row.get("conditions", "")),
            "price_min_usd": _int_or_text(row.get("price_min_usd", "")),
            "price_max_usd": _int_or_text(row.get("price_max_usd", "")),
            "free_consultation": (row.get("free_consultation") or "").strip().lower() == "yes",
            "insurance_accepted": (row.get("insurance_accepted") or "").strip().lower() == "yes",
            "superbill_offered": (row.get("superbill_offered") or "").strip().lower() == "yes",
            "phone": (row.get("phone") or "").strip() or None,
            "email": (row.get("email") or "").strip() or None,
            "website": (row.get("website") or "").strip() or None,
            "description": row.get("description") or "",
            "states_served": _split(row.get("states_served", "")),
            "locations": [],
        }
        if (row.get("address_line1") or "").strip():
            data["locations"].append({
                "address_line1": row["address_line1"].strip(),
                "address_line2": (row.get("address_line2") or "").strip() or None,
                "city": (row.get("city") or "").strip(),
                "state": (row.get("state") or "").strip().upper(),
                "zip_code": (row.get("zip_code") or "").strip(),
                "lat": _float_or_text(row.get("lat", "")),
                "lon": _float_or_text(row.get("lon", "")),
                "accepting_new_patients": (row.get("accepting_new_patients") or "yes").strip().lower() != "no",
            })
        yield data
