"""The one import engine: every way data comes in (`import csv|json|nppes|roster|archive`) streams through it.

    counts = run_import(rows, handle_row, dry_run=False, report_path=Path("x.refused.csv"), label="x.csv")

- `rows` is any iterable of (row number, row): the reader yields one row at a time, so memory stays flat however
  big the file. A reader that finds a row it cannot even parse yields (number, RowRefused(reason)) in its place.
- `handle_row(number, row) -> Outcome` decides what the row does (ADDED, UPDATED, UNCHANGED, FLAGGED, or SKIPPED
  when the import's filter does not select it). It raises RowRefused(reason, key) for a row it will not load, and
  must do so *before* it writes anything for that row (rows are not wrapped in savepoints: too slow at millions).
- Every `batch_size` rows that did something (selected or refused; at the latest every IDLE_BATCH_ROWS rows read)
  the session is flushed and emptied (committed too, unless the import is all-or-nothing or a dry run), so handlers
  keep ids between rows, never ORM objects. A handler with an `end_batch()` method has it
  called first (and before the end), to write what it gathered for the batch in bulk.
- `all_or_nothing=True` (our own CSV and JSON files): one transaction, committed only when no row was refused.
  Otherwise (NPPES, rosters: a national file always holds odd rows) refused rows are left out and the rest load.
- `dry_run=True` does everything, counts everything, then rolls the whole transaction back.
- A handler with an `after_last_row()` method has it called once the file is read: it yields the Outcome of each
  thing the file did not name but that the import acts on (a license a roster leaves out). These count as selected,
  not as read.
- Each refused row goes, with its number, key and reasons (a line each), to the report file (CSV, written only when
  a row is refused) and the first few to `counts.problems` for the command to print. With `report_columns` (the
  file's header), the report also repeats the refused row's own values (RowRefused.cells) under them.
- `progress` shows a live line on standard error: rows read, rows per second, and how far through the file.

Who an import may believe is decided here too, once: `ImportPolicy` (claims, or a named admin's primary-source
evidence) and `as_claim()`.
"""
from __future__ import annotations

import copy
import csv
import enum
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import click

from clinic_finder.extensions import db
from clinic_finder.interchange import import_footprint
from clinic_finder.interchange.spreadsheet_cells import neutralize
from clinic_finder.models import Role, User
from clinic_finder.vetting.checklist import DERIVED_KEYS

PROBLEMS_SHOWN = 20
# Rows read without a batch's worth selected or refused before the batch is written anyway.
IDLE_BATCH_ROWS = 50_000


class RowRefused(Exception):
    """A row the import will not load, with the reason (or reasons: one per field) an operator can act on."""

    def __init__(self, reasons: str | list[str], key: str = "", cells: Sequence[str] = ()):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        self.reason, self.key, self.cells = "; ".join(self.reasons), key, cells
        super().__init__(self.reason)


class Outcome(enum.Enum):
    SKIPPED = "skipped"  # read, but not selected by the import's filter
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FLAGGED = "flagged"  # something we hold was marked for an admin (a deactivated NPI, a difference to review)


@dataclass
class ImportCounts:
    read: int = 0
    selected: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    refused: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    committed: bool = False
    report_path: Path | None = None
    problems: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        if outcome is not Outcome.SKIPPED:
            self.selected += 1
            setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        return (f"read={self.read} selected={self.selected} added={self.added} updated={self.updated} "
                f"unchanged={self.unchanged} flagged={self.flagged} refused={self.refused}")


class _RefusedReport:
    """The refused rows as CSV (row, key, reason[, the row's own values]), opened on the first refusal so a clean
    run leaves no file."""

    def __init__(self, path: Path | None, columns: Sequence[str] | None = None):
        self.path, self.columns, self._handle, self._writer = path, list(columns or ()), None, None

    def add(self, number: int, key: str, reason: str, cells: Sequence[str] = ()) -> None:
        if self.path is None:
            return
        if self._writer is None:
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["row", "key", "reason", *self.columns])
        # Keys, reasons and values quote the file: a spreadsheet opening the report must not run them.
        own = [neutralize(cell) for cell in cells] if self.columns else []
        self._writer.writerow([number, neutralize(key or ""), neutralize(reason), *own])

    def close(self) -> Path | None:
        if self._handle is None:
            return None
        self._handle.close()
        return self.path


class Progress:
    """A one-line progress bar on standard error: rows, rows per second and, when the reader knows it, the share of
    the file read (position() -> 0..1). A terminal gets it redrawn in place; a log gets a line every 10 seconds."""

    WIDTH = 24

    def __init__(self, label: str, position: Callable[[], float] | None = None, stream: TextIO | None = None):
        self.label, self.position = label, position
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.every = 0.25 if self.live else 10.0
        self.started = self.last = time.perf_counter()

    def update(self, counts: ImportCounts, final: bool = False) -> None:
        now = time.perf_counter()
        if not final and now - self.last < self.every:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        share = (1.0 if final else self.position()) if self.position else None
        bar = ""
        if share is not None:
            filled = int(self.WIDTH * min(max(share, 0.0), 1.0))
            bar = f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {share:4.0%} "
        line = (f"{self.label}: {bar}{counts.read:,} rows, {counts.read / elapsed:,.0f} rows/s, "
                f"{counts.selected:,} selected, {counts.refused:,} refused")
        if self.live:
            click.echo("\r" + line, nl=final, file=self.stream)
        else:
            click.echo(line, file=self.stream)


def run_import(rows: Iterable[tuple[int, Any]], handle_row: Callable[[int, Any], Outcome], *,
               dry_run: bool = False, report_path: Path | None = None, label: str = "import",
               all_or_nothing: bool = False, batch_size: int = 1000,
               progress: Progress | None = None, report_columns: Sequence[str] | None = None) -> ImportCounts:
    """Stream rows through handle_row and count what each did; see the module docstring for the contract.

    Raises what the reader raises for a whole-file problem (e.g. ValueError for a bad header), after rolling back
    what this run had not committed yet.
    """
    counts = ImportCounts(dry_run=dry_run)
    report = _RefusedReport(report_path, report_columns)
    one_transaction = all_or_nothing or dry_run
    started = time.perf_counter()
    restore_footprint = import_footprint.lighten_for_import()
    busy_at_batch = read_at_batch = 0
    try:
        for number, row in rows:
            counts.read += 1
            try:
                if isinstance(row, RowRefused):
                    raise row
                outcome = handle_row(number, row)
                if outcome is not Outcome.SKIPPED:  # most rows of a national file: kept to one comparison
                    counts.count(outcome)
            except RowRefused as refused:
                counts.refused += 1
                key = f" ({refused.key})" if refused.key else ""
                for reason in refused.reasons:
                    report.add(number, refused.key, reason, refused.cells)
                    if len(counts.problems) < PROBLEMS_SHOWN:
                        counts.problems.append(f"{label}: row {number}{key}: {reason}")
            if counts.read % batch_size == 0:
                # A batch is batch_size rows that did something (a national file selects one row in fifty: ending
                # batches by rows read cost a commit per twenty candidates), or, for the rest, a long stretch read.
                busy = counts.selected + counts.refused
                if busy - busy_at_batch >= batch_size or counts.read - read_at_batch >= IDLE_BATCH_ROWS:
                    _end_batch(handle_row, commit=not one_transaction)
                    busy_at_batch, read_at_batch = busy, counts.read
                if progress is not None:
                    progress.update(counts)
        after_last_row = getattr(handle_row, "after_last_row", None)
        for outcome in after_last_row() if after_last_row is not None else ():
            counts.count(outcome)
        _end_batch(handle_row, commit=False)
        keep = not dry_run and not (all_or_nothing and counts.refused)
        if keep:
            db.session.commit()
            counts.committed = True
        else:
            db.session.rollback()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        counts.seconds = time.perf_counter() - started
        counts.report_path = report.close()
        db.session.expunge_all()
        restore_footprint()
    if progress is not None:
        progress.update(counts, final=True)
    return counts


def _end_batch(handle_row, commit: bool) -> None:
    """Write the batch and forget its objects, so the session (and memory) does not grow with the file."""
    end_batch = getattr(handle_row, "end_batch", None)
    if end_batch is not None:
        end_batch()
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    db.session.expunge_all()


# --- who an import may believe --------------------------------------------------------------------------------

class NotAVerifier(PermissionError):
    """Primary-source evidence was to be run in the name of someone who is not an active admin."""


@dataclass(frozen=True)
class ImportPolicy:
    """What an import's statements become, decided once for every format.

    A provider's own files, our CSV and JSON and NPPES are claims (`claims(label)`): nothing in them verifies a
    license or a fact (as_claim). A license board's roster, run by a named admin, is primary-source evidence
    (`primary_source(label, admin)`): what agrees with it is verified, with the label ("roster <file>, dated
    <date>") as the evidence and that admin as the verifier and the actor of the audit events.
    """

    source_label: str
    admin_id: int | None = None  # set only for primary-source evidence

    @classmethod
    def claims(cls, source_label: str) -> ImportPolicy:
        return cls(source_label)

    @classmethod
    def primary_source(cls, source_label: str, admin: User | None) -> ImportPolicy:
        if admin is None or admin.role != Role.ADMIN or not admin.active:
            raise NotAVerifier("primary-source evidence verifies, so it runs in the name of an active admin who "
                               "answers for it")
        return cls(source_label, admin.id)

    @property
    def verifies(self) -> bool:
        return self.admin_id is not None

    def verifier(self) -> User:
        """The admin who answers for what this import verifies (NotAVerifier for a claim: it verifies nothing)."""
        admin = db.session.get(User, self.admin_id) if self.verifies else None
        if admin is None:
            raise NotAVerifier(f"{self.source_label} is a claim, not primary-source evidence: it verifies nothing")
        return admin

    def claim(self, record: dict) -> dict:
        return as_claim(record, self.source_label)


def claimed_by(source_label: str) -> str:
    """The label a stated fact carries: where it was read, never who checked it."""
    return f"as stated in {source_label}"


def as_claim(record: dict, source_label: str) -> dict:
    """A seed-format provider dict as what it is when it comes from a file: claims, not verifications.

    CSV, JSON and NPPES files never verify a license or a fact (only a license board's roster, run by a named admin,
    and our own admins' archives do). So a license arrives unverified, whatever status the file states, with the
    stated status kept in its evidence note; a checklist fact arrives as reported by the provider, labelled with
    the file; verified dates and verifiers are dropped; reviews (which only come through the moderated form) and
    facts derived from reviews or licenses are left out. Returns a copy; the caller's dict is untouched.
    """
    data = _copy_claims(record)
    label = claimed_by(source_label)
    if isinstance(data.get("checklist"), list):
        data["checklist"] = [item for item in data["checklist"] if not (
            isinstance(item, dict) and (item.get("source") == "from_reviews" or item.get("key") in DERIVED_KEYS))]
        for item in data["checklist"]:
            if isinstance(item, dict):
                item.pop("verified_days_ago", None)
                item.pop("verified_by", None)
                item["source"] = "self_reported"
                item["note"] = label
    for clinician in data.get("clinicians") or []:
        for lic in (clinician.get("licenses") or []) if isinstance(clinician, dict) else []:
            if isinstance(lic, dict):
                stated = lic.get("status")
                lic["status"] = "unverified"
                for key in ("verified_days_ago", "verification_source"):
                    lic.pop(key, None)
                lic["evidence_note"] = (f"Status “{stated}” {label}; not checked by our team."
                                        if stated and stated != "unverified" else f"Number {label}.")
    data.pop("reviews", None)
    return data


def _copy_claims(record: dict) -> dict:
    """A copy deep enough for as_claim to edit (the checklist, clinicians and licenses); a full deepcopy of every
    row cost a third of a millisecond a row, most of a big import's budget."""
    data = dict(record)
    if isinstance(data.get("checklist"), list):
        data["checklist"] = [dict(item) if isinstance(item, dict) else item for item in data["checklist"]]
    if isinstance(data.get("clinicians"), list):
        data["clinicians"] = [copy.deepcopy(clinician) for clinician in data["clinicians"]]
    return data
