"""`import csv|json FILE`: our own files (the CSV export's columns, or a seed-format JSON file) through the engine.

All or nothing: every row is checked by the one provider-record validator and the file loads in one transaction,
or not at all, with each bad row's number and reason. A row whose slug we already hold updates that provider in
place (interchange/updates.py: fields someone here changed are kept and the difference is recorded); a row whose
slug belongs to a demo listing is refused. What the file states is a claim (engine.ImportPolicy), never a verification.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.interchange import bulk
from clinic_finder.interchange.csv_format import read_csv
from clinic_finder.interchange.engine import ImportCounts, ImportPolicy, Outcome, Progress, RowRefused, run_import
from clinic_finder.interchange.json_reading import seed_providers
from clinic_finder.interchange.seeding import build_provider, checked_row
from clinic_finder.interchange.updates import listing_of_record, merge
from clinic_finder.models import ImportOrigin, ImportSource, Provider

HELD_SHOWN = 200


class FileImport:
    """handle_row for our own files: add the provider, or update the one with the same slug."""

    def __init__(self, path: Path, now: datetime | None = None):
        self.now = now or datetime.now(UTC)
        self.file = path.name
        self.source_label = f"{path.name} (imported {self.now.date().isoformat()})"
        self.policy = ImportPolicy.claims(self.source_label)
        self.seen_slugs: dict = {}
        self.seen_licenses: dict = {}
        self.held: dict[str, tuple[int | None, bool]] = {
            slug: (provider_id, is_demo)
            for slug, provider_id, is_demo in db.session.execute(sa.select(Provider.slug, Provider.id, Provider.is_demo))}
        self.pending: list[str] = []  # rows loaded as pending review, with what they lack
        self.pending_count = 0
        self.plain: list[dict] = []  # new listings of this batch, inserted together (interchange/bulk.py)
        self.plain_origins: list[dict] = []

    def end_batch(self) -> None:
        """Called by the engine before each batch is written: insert the batch's new listings in one go."""
        bulk.insert_new(self.plain, self.plain_origins, now=self.now)
        self.plain, self.plain_origins = [], []

    def __call__(self, number: int, data) -> Outcome:
        key = str(data.get("slug") or "") if isinstance(data, dict) else ""
        claim = self.policy.claim(data) if isinstance(data, dict) else data
        record, problems = checked_row(self.file, number, claim, self.seen_slugs, self.seen_licenses)
        if problems:
            raise RowRefused(problems, key)
        provider_id, is_demo = self.held.get(record["slug"], (None, False))
        if is_demo:
            raise RowRefused("this slug belongs to a fictional demo listing, which no import matches or updates "
                             "(`flask seed-demo --remove` takes the demo out)", key)
        if record["slug"] not in self.held:
            return self._add(record)
        provider = db.session.get(Provider, provider_id)
        origin = db.session.scalar(sa.select(ImportOrigin).where(
            ImportOrigin.source == ImportSource.FILE, ImportOrigin.source_key == record["slug"]))
        if origin is None:  # made here, not by an import: every difference is for an admin to decide
            origin = ImportOrigin(provider=provider, source=ImportSource.FILE, source_key=record["slug"],
                                  source_label=self.source_label, baseline={})
            db.session.add(origin)
        origin.source_label, origin.seen_at = self.source_label, self.now
        updated, differences = merge(provider, origin, listing_of_record(record))
        return Outcome.UPDATED if updated else Outcome.FLAGGED if differences else Outcome.UNCHANGED

    def _add(self, record: dict) -> Outcome:
        origin = {"source_key": record["slug"], "source_label": self.source_label,
                  "baseline": listing_of_record(record)}
        if bulk.can_insert(record):
            self.plain.append(record)
            self.plain_origins.append({"source": ImportSource.FILE, **origin})
        else:
            provider = build_provider(record, demo=False, now=self.now)
            db.session.add(provider)
            db.session.add(ImportOrigin(provider=provider, source=ImportSource.FILE, imported_at=self.now,
                                        seen_at=self.now, **origin))
        self.held[record["slug"]] = (None, False)
        if record.get("held_because"):
            self.pending_count += 1
            self.pending.extend(record["held_because"][:max(0, HELD_SHOWN - len(self.pending))])
        return Outcome.ADDED


def rows_of(path: Path, fmt: str):
    """(row number, seed-format dict) from our CSV or JSON file, both streamed; ValueError for a whole-file problem
    (for JSON it may come after some rows: the import is all or nothing, so they are rolled back)."""
    if fmt == "csv":
        return read_csv(path)
    return seed_providers(path)


def import_file(path: Path, fmt: str, *, dry_run: bool = False, report_path: Path | None = None,
                progress: Progress | None = None) -> tuple[ImportCounts, FileImport]:
    """Import one of our files, all or nothing. ValueError (or OSError/UnicodeDecodeError) for a whole-file
    problem, with nothing changed."""
    handler = FileImport(path)
    counts = run_import(rows_of(path, fmt), handler, dry_run=dry_run, report_path=report_path, label=path.name,
                        all_or_nothing=True, progress=progress)
    return counts, handler
