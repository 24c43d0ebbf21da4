"""Reading our CSV back (see csv_format): the two files walked side by side, one provider in memory at a time.

The reader only reads: every value the file states goes into the seed-format dict (statuses, sources, dates,
verifiers, the summary columns), and the import decides what to believe. Beyond seed_data/README.md's fields the
dict carries what only a CSV states: "summary" (the summary columns as text), "demo" (yes/no), and on a license
"checked_days_ago" and "verified_by" (a staff email). Problems of the whole file (encoding,
header, a provider's rows that disagree or are scattered) raise ValueError naming the file, row and column.
"""
from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from clinic_finder.interchange.spreadsheet_cells import QUOTE, restore

LIST_SEP = ";"
CLINICIANS = "clinicians.csv"
REQUIRED = ("slug", "name", "modes")
_LOCATION = ("location_label", "address_line1", "address_line2", "city", "state", "zip_code", "lat", "lon",
             "accepting_new_patients")
_PERSON = ("full_name", "credential", "title", "is_medical_director", "specialty", "board_certification", "npi")
_LICENSE = ("license_state", "license_number", "license_credential", "dea_registration_on_file", "license_status",
            "issued_on", "expires_on", "verification_source", "checked_on", "verified_on", "verified_by",
            "evidence_note")
_PROVIDER_TEXT = ("name", "package_pricing_note", "insurance_note", "phone", "email", "website", "description",
                  "listing_status")
_PROVIDER_FLAGS = ("free_consultation", "insurance_accepted", "superbill_offered")
_PROVIDER_NUMBERS = ("price_min_usd", "price_max_usd", "session_length_minutes")
_SUMMARY = ("license_status", "rating_average", "rating_count", "checks_verified", "checks_total")


class _Table:
    """One CSV file as (row number, {column: value}) with formula quotes taken off and errors made ValueError."""

    def __init__(self, name: str, handle: io.TextIOBase, named_by_caller: bool = False):
        self.name = name
        # Messages name the file, unless it is the very file the caller named (which the caller's message names).
        self.where = "" if named_by_caller else f"{name}: "
        self._reader = csv.reader(handle)
        try:
            header = next(self._reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ValueError(self._explain(exc)) from None
        if not header:
            raise ValueError(f"{name}: the file is empty (it needs a header row)")
        self.columns = [restore(c).strip().lstrip("\ufeff") for c in header]
        repeated = sorted({c for c in self.columns if c and self.columns.count(c) > 1})
        if repeated:
            raise ValueError(f"{name}: the header names the column(s) {', '.join(repeated)} more than once")

    def _explain(self, exc: Exception) -> str:
        if isinstance(exc, UnicodeDecodeError):
            # Decoding runs ahead of the CSV parser in blocks, so the line is not known: name the byte instead.
            return (f"{self.where}not UTF-8 text (byte 0x{exc.object[exc.start]:02x} cannot be read as UTF-8); save "
                    "the file as CSV UTF-8 and import it again")
        return f"{self.where}line {self._reader.line_num}: {exc}"

    def require(self, columns) -> None:
        missing = sorted(set(columns) - set(self.columns))
        if missing:
            raise ValueError(f"{self.where}the header lacks the column(s): {', '.join(missing)}")

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        number = 0
        while True:
            try:
                cells = next(self._reader, None)
            except (csv.Error, UnicodeDecodeError) as exc:
                raise ValueError(self._explain(exc)) from None
            if cells is None:
                return
            if not any(c.strip() for c in cells):
                continue  # a blank line, as spreadsheets leave at the end
            number += 1
            if len(cells) > len(self.columns):
                raise ValueError(f"{self.where}row {number} has {len(cells)} cells but the header has "
                                 f"{len(self.columns)} columns")
            # A spreadsheet may drop a row's trailing empty cells: they are empty, not missing.
            cells += [""] * (len(self.columns) - len(cells))
            row = dict(zip(self.columns, cells, strict=True))
            row.pop("", None)  # a column without a name holds nothing we read
            # restore() only changes a cell that begins with its quote; one search of the joined row finds whether
            # any does (asking restore() about every cell was a tenth of the reading).
            if "\n" + QUOTE in "\n" + "\n".join(cells):
                row = {c: restore(v) for c, v in row.items()}
            yield number, row


def _groups(table: _Table, same: tuple[str, ...] = ()) -> Iterator[tuple[int, str, list[tuple[int, dict]]]]:
    """(first row number, slug, rows) for each provider; a provider's rows come together and agree on `same`."""
    seen: set[str] = set()
    current: tuple[int, str, list[tuple[int, dict]]] | None = None
    for number, row in table:
        slug = (row.get("slug") or "").strip()
        if current is not None and slug and slug == current[1]:
            first_number, first = current[2][0]
            for column in same:
                if row.get(column, "") != first.get(column, ""):
                    raise ValueError(f"{table.where}row {number}: provider '{slug}' has {column} "
                                     f"{row.get(column, '')!r} here but {first.get(column, '')!r} on row "
                                     f"{first_number}; a provider's rows must agree on it")
            current[2].append((number, row))
            continue
        if current is not None:
            yield current
        if slug in seen:
            raise ValueError(f"{table.where}row {number}: provider '{slug}' appears again after other providers; "
                             "keep a provider's rows together")
        if slug:
            seen.add(slug)
        current = (number, slug, [(number, row)])
    if current is not None:
        yield current


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(LIST_SEP) if v.strip()]


def _number(value: str | None, kind=int):
    """A number when the cell is one; otherwise the text, so the validator names the field."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        return value


def _or_none(value: str | None) -> str | None:
    return value if value not in (None, "") else None


class _Dates:
    """Seed files give dates as days from today; a CSV gives calendar dates (strictly YYYY-MM-DD)."""

    def __init__(self, where: str):
        self.where = where
        self.today = datetime.now(UTC).date()

    def _date(self, row_number: int, column: str, value: str | None) -> date | None:
        value = (value or "").strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()
        except ValueError:
            raise ValueError(f"{self.where}row {row_number}: {column}: {value!r} is not a date; "
                             "write it as YYYY-MM-DD") from None

    def days_ago(self, row_number: int, column: str, value: str | None) -> int | None:
        day = self._date(row_number, column, value)
        return None if day is None else (self.today - day).days

    def days_until(self, row_number: int, column: str, value: str | None) -> int | None:
        day = self._date(row_number, column, value)
        return None if day is None else (day - self.today).days


class _FactColumns(NamedTuple):
    """The columns of one checklist fact, named once per file rather than once per row."""

    key: str
    value: str
    parts: tuple[str, ...]  # source, verified_on, verified_by, note

    @classmethod
    def of(cls, key: str) -> _FactColumns:
        return cls(key, f"check.{key}", tuple(f"check.{key}.{part}"
                                              for part in ("source", "verified_on", "verified_by", "note")))


def _provider(number: int, row: dict, facts: list[_FactColumns], dates: _Dates) -> dict:
    data: dict = {"slug": (row.get("slug") or "").strip()}
    data.update({c: _or_none(row.get(c)) for c in _PROVIDER_TEXT if c in row})
    data["name"] = row.get("name") or ""
    data["description"] = row.get("description") or ""
    data.update({c: row[c] for c in _PROVIDER_FLAGS if c in row})
    data.update({c: _number(row.get(c)) for c in _PROVIDER_NUMBERS if c in row})
    for column in ("modes", "routes", "conditions", "states_served"):
        data[column] = _split(row.get(column))
    if not data.get("listing_status"):
        data.pop("listing_status", None)
    if "listed_on" in row:
        data["created_days_ago"] = dates.days_ago(number, "listed_on", row["listed_on"])
    if "demo" in row:
        data["demo"] = (row["demo"] or "").strip().lower() == "yes"
    summary = {c: _or_none(row.get(c)) for c in _SUMMARY if c in row}
    if any(summary.values()):
        data["summary"] = summary
    data["checklist"] = [fact for columns in facts if (fact := _fact(number, row, columns, dates))]
    return data


def _fact(number: int, row: dict, columns: _FactColumns, dates: _Dates) -> dict | None:
    value = row.get(columns.value, "")
    source, verified_on, verified_by, note = (row.get(c, "") for c in columns.parts)
    if not (value or source or verified_on or verified_by or note):
        return None
    return {"key": columns.key, "value": _or_none(value), "source": _or_none(source),
            "verified_days_ago": dates.days_ago(number, columns.parts[1], verified_on),
            "verified_by": _or_none(verified_by), "note": _or_none(note)}


def _location(row: dict) -> dict | None:
    if not any((row.get(c) or "").strip() for c in ("address_line1", "address_line2", "city", "state", "zip_code")):
        return None
    loc = {"label": _or_none(row.get("location_label")), "address_line1": row.get("address_line1") or "",
           "address_line2": _or_none(row.get("address_line2")), "city": row.get("city") or "",
           "state": (row.get("state") or "").strip(), "zip_code": (row.get("zip_code") or "").strip(),
           "lat": _number(row.get("lat"), float), "lon": _number(row.get("lon"), float)}
    if (row.get("accepting_new_patients") or "").strip():
        loc["accepting_new_patients"] = row["accepting_new_patients"]
    return loc


def _clinicians(rows: list[tuple[int, dict]], dates: _Dates) -> list[dict]:
    people: dict[str, dict] = {}
    for number, row in rows:
        key = (row.get("clinician") or "").strip() or "|".join(row.get(c, "") for c in ("full_name", "npi"))
        person = people.get(key)
        if person is None:
            person = people[key] = {c: _or_none(row.get(c)) for c in _PERSON}
            person["is_medical_director"] = (row.get("is_medical_director") or "").strip().lower() == "yes"
            person["licenses"], person["_row"] = [], (number, row)
        else:
            first_number, first = person["_row"]
            for column in _PERSON:
                if row.get(column, "") != first.get(column, ""):
                    raise ValueError(f"{CLINICIANS}: row {number}: clinician {key} has {column} "
                                     f"{row.get(column, '')!r} here but {first.get(column, '')!r} on row "
                                     f"{first_number}; a clinician's rows must agree on it")
        if any((row.get(c) or "").strip() for c in _LICENSE):
            person["licenses"].append(_license(number, row, dates))
    for person in people.values():
        del person["_row"]
    return list(people.values())


def _license(number: int, row: dict, dates: _Dates) -> dict:
    lic = {"state": (row.get("license_state") or "").strip(), "license_number": row.get("license_number") or "",
           "credential": _or_none(row.get("license_credential")),
           "dea_registration_on_file": (row.get("dea_registration_on_file") or "").strip().lower() == "yes",
           "status": _or_none(row.get("license_status")),
           "verification_source": _or_none(row.get("verification_source")),
           "issued_days_ago": dates.days_ago(number, "issued_on", row.get("issued_on")),
           "expires_in_days": dates.days_until(number, "expires_on", row.get("expires_on")),
           "checked_days_ago": dates.days_ago(number, "checked_on", row.get("checked_on")),
           "verified_days_ago": dates.days_ago(number, "verified_on", row.get("verified_on")),
           "verified_by": _or_none(row.get("verified_by")), "evidence_note": _or_none(row.get("evidence_note"))}
    if lic["verified_days_ago"] is None:
        lic["verified_days_ago"] = lic["checked_days_ago"]
    return lic


@contextlib.contextmanager
def _open_tables(path: Path, locations_name: str, clinicians_name: str):
    """(locations table, clinicians table or None) from a folder, a zip, or a CSV file."""
    with contextlib.ExitStack() as stack:
        def text(binary, name, named_by_caller=False):
            handle = stack.enter_context(io.TextIOWrapper(binary, encoding="utf-8-sig", newline=""))
            return _Table(name, handle, named_by_caller)

        if path.is_dir():
            files = [path / locations_name, path / clinicians_name]
            for f in files:
                if not f.is_file():
                    raise ValueError(f"the folder has no {f.name}")
            yield tuple(text(stack.enter_context(f.open("rb")), f.name) for f in files)
        elif zipfile.is_zipfile(path):
            archive = stack.enter_context(zipfile.ZipFile(path))
            names = set(archive.namelist())
            for name in (locations_name, clinicians_name):
                if name not in names:
                    raise ValueError(f"the zip has no {name}")
            yield tuple(text(stack.enter_context(archive.open(n)), n) for n in (locations_name, clinicians_name))
        else:
            beside = path.with_name(clinicians_name)
            second = None
            if path.name == locations_name and beside.is_file():
                second = text(stack.enter_context(beside.open("rb")), beside.name)
            yield text(stack.enter_context(path.open("rb")), path.name, True), second


def read_files(path: Path, locations_name: str, clinicians_name: str) -> Iterator[tuple[int, dict]]:
    with _open_tables(path, locations_name, clinicians_name) as (places, team):
        places.require(REQUIRED)
        if team is not None:
            team.require(("slug", "full_name", "credential"))
        facts = [_FactColumns.of(key) for key in dict.fromkeys(
            c.split(".")[1] for c in places.columns if c.startswith("check.") and c.count(".") >= 1 and c.split(".")[1])]
        provider_columns = [c for c in places.columns if c not in _LOCATION]
        dates = _Dates(places.where)
        team_dates = _Dates(team.where if team else "")
        pending = iter(_groups(team)) if team is not None else iter(())
        waiting = next(pending, None)
        for number, slug, rows in _groups(places, tuple(provider_columns)):
            data = _provider(number, rows[0][1], facts, dates)
            data["locations"] = [loc for _, row in rows if (loc := _location(row))]
            data["clinicians"] = []
            if waiting is not None and slug and waiting[1] == slug:
                data["clinicians"] = _clinicians(waiting[2], team_dates)
                waiting = next(pending, None)
            yield number, data
        if waiting is not None:
            raise ValueError(f"{clinicians_name}: row {waiting[0]}: provider '{waiting[1]}' is not in "
                             f"{locations_name} at this place; list the providers in the same order in both files "
                             "(as exported), and only providers that are in both")

