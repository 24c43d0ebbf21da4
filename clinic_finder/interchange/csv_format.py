"""CSV that keeps everything: `locations.csv`, one row per clinic location (a provider without one, such as an
at-home practice, has one row with the address columns empty), and `clinicians.csv`, one row per license (a
clinician without one has a row with the license columns empty). Written as a folder or a zip; read back by
column name, in any column order.

Provider columns repeat on each of a provider's location rows; the vetting checklist rides along as
`check.<key>` columns with the fact's source, date, verifier and note. Lists are ';'-separated, dates are
YYYY-MM-DD. Every cell is made formula-safe (spreadsheet_cells). Reviewer contact details are never written.
"""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.interchange import csv_reading
from clinic_finder.interchange.spreadsheet_cells import neutralize
from clinic_finder.models import License, Location, Provider, User
from clinic_finder.vetting.checklist import CHECKLIST, DERIVED_KEYS
from clinic_finder.vetting.trust import summary_of

LOCATIONS_FILE = "locations.csv"
CLINICIANS_FILE = "clinicians.csv"
LIST_SEP = ";"

PROVIDER_COLUMNS = [
    "slug", "name", "listing_status", "modes", "routes", "conditions", "price_min_usd", "price_max_usd",
    "package_pricing_note", "free_consultation", "insurance_accepted", "insurance_note", "superbill_offered",
    "session_length_minutes", "phone", "email", "website", "states_served", "description", "listed_on", "demo",
]
# Worked out from licenses, reviews and the checklist: written for the spreadsheet reader, a claim when read.
SUMMARY_COLUMNS = ["license_status", "rating_average", "rating_count", "checks_verified", "checks_total"]
LOCATION_COLUMNS = [
    "location_label", "address_line1", "address_line2", "city", "state", "zip_code", "lat", "lon",
    "accepting_new_patients",
]
FACT_PARTS = ("source", "verified_on", "verified_by", "note")
FACT_KEYS = [d.key for d in CHECKLIST if d.key not in DERIVED_KEYS]
FACT_COLUMNS = [column for key in FACT_KEYS for column in
                (f"check.{key}", *(f"check.{key}.{part}" for part in FACT_PARTS))]
COLUMNS = PROVIDER_COLUMNS + SUMMARY_COLUMNS + LOCATION_COLUMNS + FACT_COLUMNS

CLINICIAN_COLUMNS = [
    "slug", "clinician", "full_name", "credential", "title", "is_medical_director", "specialty",
    "board_certification", "npi",
    "license_state", "license_number", "license_credential", "dea_registration_on_file", "license_status",
    "issued_on", "expires_on", "verification_source", "checked_on", "verified_on", "verified_by", "evidence_note",
]

# What an import turns into a claim labelled with its file: who verified what, when, and what follows from it
# (and whether a listing is demo data: an import is never the demo). A round trip through an import changes these
# columns and no other (tests/interchange/test_csv_round_trip.py), except a fact that came from reviews, which
# an import leaves out because reviews only come through the moderated form.
CLAIM_COLUMNS = frozenset(
    SUMMARY_COLUMNS + ["demo"]
    + [f"check.{key}.{part}" for key in FACT_KEYS for part in FACT_PARTS]
)
CLAIM_CLINICIAN_COLUMNS = frozenset(
    ["license_status", "verification_source", "checked_on", "verified_on", "verified_by", "evidence_note"]
)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return str(getattr(value, "value", value))


def _provider_cells(p: Provider) -> dict[str, str]:
    summary = summary_of(p)  # the one trust summary, as it stands today
    cells = {
        "slug": p.slug, "name": p.name, "listing_status": p.listing_status,
        "modes": LIST_SEP.join(m.value for m in p.modes),
        "routes": LIST_SEP.join(r.value for r in p.routes),
        "conditions": LIST_SEP.join(c.value for c in p.conditions),
        "states_served": LIST_SEP.join(p.states_served),
        "listed_on": p.created_at, "demo": p.is_demo,
        "license_status": summary.license_status, "rating_count": summary.rating_count,
        "rating_average": None if summary.rating_average is None else f"{summary.rating_average:.2f}",
        "checks_verified": summary.checks_verified, "checks_total": summary.checks_total,
    }
    for column in ("price_min_usd", "price_max_usd", "package_pricing_note", "free_consultation",
                   "insurance_accepted", "insurance_note", "superbill_offered", "session_length_minutes", "phone",
                   "email", "website", "description"):
        cells[column] = getattr(p, column)
    for item in p.checklist_items:
        if item.key in DERIVED_KEYS:
            continue
        cells[f"check.{item.key}"] = item.value
        for part, value in zip(FACT_PARTS, (item.source, item.verified_at, item.verified_by, item.note),
                               strict=True):
            cells[f"check.{item.key}.{part}"] = value
    return {column: _text(value) for column, value in cells.items()}


def _location_cells(loc: Location | None) -> dict[str, str]:
    if loc is None:
        return {}
    return {column: _text(getattr(loc, column.removeprefix("location_"))) for column in LOCATION_COLUMNS}


def location_rows(p: Provider) -> Iterator[dict[str, str]]:
    provider = _provider_cells(p)
    for loc in p.locations or [None]:
        yield {**provider, **_location_cells(loc)}


def _license_cells(lic: License | None, staff: dict[int, str]) -> dict[str, str]:
    if lic is None:
        return {}
    return {column: _text(value) for column, value in {
        "license_state": lic.state, "license_number": lic.license_number, "license_credential": lic.credential,
        "dea_registration_on_file": lic.dea_registration_on_file, "license_status": lic.status,
        "issued_on": lic.issued_on, "expires_on": lic.expires_on, "verification_source": lic.verification_source,
        "checked_on": lic.checked_on, "verified_on": lic.verified_at,
        "verified_by": staff.get(lic.verified_by_id), "evidence_note": lic.evidence_note,
    }.items()}


def clinician_rows(p: Provider, staff: dict[int, str]) -> Iterator[dict[str, str]]:
    for number, clin in enumerate(p.clinicians, start=1):
        person = {column: _text(getattr(clin, column)) for column in CLINICIAN_COLUMNS[2:9]}
        for lic in clin.licenses or [None]:
            yield {"slug": p.slug, "clinician": str(number), **person, **_license_cells(lic, staff)}


def _safe_writer(out: io.TextIOBase, columns: list[str]) -> csv.DictWriter:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    return writer


def write_csv(providers: Iterable[Provider], locations_out: io.TextIOBase, clinicians_out: io.TextIOBase) -> int:
    """Both files, streamed provider by provider; returns the number of providers written."""
    staff = {user_id: email for user_id, email in db.session.execute(sa.select(User.id, User.email))}
    places = _safe_writer(locations_out, COLUMNS)
    team = _safe_writer(clinicians_out, CLINICIAN_COLUMNS)
    n = 0
    for p in providers:
        for row in location_rows(p):
            places.writerow({k: neutralize(v) for k, v in row.items()})
        for row in clinician_rows(p, staff):
            team.writerow({k: neutralize(v) for k, v in row.items()})
        n += 1
    return n


# A fixed timestamp in the zip, so exporting the same directory twice gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_csv_files(providers: Iterable[Provider], output: Path) -> int:
    """`output` ending in .zip: a zip holding the two files; otherwise a folder (created if needed)."""
    if output.suffix.lower() == ".zip":
        with output.open("wb") as out:
            return write_csv_zip(providers, out)
    output.mkdir(parents=True, exist_ok=True)
    with (output / LOCATIONS_FILE).open("w", encoding="utf-8", newline="") as places, \
            (output / CLINICIANS_FILE).open("w", encoding="utf-8", newline="") as team:
        return write_csv(providers, places, team)


def write_csv_zip(providers: Iterable[Provider], out: BinaryIO) -> int:
    """The two files in a zip written to `out` (a file, or a buffer for a download)."""
    # A zip takes one member at a time: the clinicians wait in a temporary file (in memory while small).
    with tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8", newline="") as team, \
            zipfile.ZipFile(out, "w") as archive:
        with archive.open(_member(LOCATIONS_FILE), "w") as raw, \
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as places:
            n = write_csv(providers, places, team)
        team.seek(0)
        with archive.open(_member(CLINICIANS_FILE), "w") as raw, \
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as copy:
            shutil.copyfileobj(team, copy)
    return n


def _member(name: str) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name, _ZIP_TIME)
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


def read_csv(path: Path) -> Iterator[tuple[int, dict]]:
    """Stream our CSV as (row number in locations.csv of the provider's first row, seed-format provider dict).

    `path` is a folder or zip holding locations.csv and clinicians.csv, or a locations.csv with its
    clinicians.csv beside it, or a single CSV with the location columns only (a hand-made file). Raises
    ValueError for a problem of the whole file (an unreadable encoding, a missing column, a provider's rows that
    disagree); a row's own problems are left to the validator, which names the row.
    """
    yield from csv_reading.read_files(path, LOCATIONS_FILE, CLINICIANS_FILE)
