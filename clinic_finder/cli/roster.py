"""`flask import roster FILE --state ST --as ADMIN_EMAIL`: check our licenses against a license board's roster.

Reading (licensing.roster_file), deciding each row (licensing.roster.decide_row) and writing the decision
(licensing.roster_apply) stay three steps, so the loop below can become the generic import engine's later.
"""
from __future__ import annotations

import codecs
import csv
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask

from clinic_finder.cli.imports import FILE, import_group
from clinic_finder.extensions import db
from clinic_finder.inputs import dates
from clinic_finder.inputs.places import state_code
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.interchange.spreadsheet_cells import neutralize
from clinic_finder.licensing import roster_columns
from clinic_finder.licensing.board_words import known_statuses
from clinic_finder.licensing.roster import (
    RosterCounts,
    RosterIndex,
    RosterSource,
    RowOutcome,
    RunState,
    Verdict,
    decide_row,
    not_found,
)
from clinic_finder.licensing.roster_apply import RowNotApplied, apply
from clinic_finder.licensing.roster_columns import RosterFileRefused
from clinic_finder.licensing.roster_file import RawRow, RosterReader
from clinic_finder.models import Credential, Role, User

PROGRESS_EVERY_ROWS = 500

HELP = f"""Check our licenses in one state against a license board's roster (a CSV file).

A roster is primary-source evidence, so it runs in a named admin's name (--as, an active admin account). For each
of our licenses in --state (demo listings excepted): a row that agrees on number, name, an active status and the
expiry date verifies it, with the evidence "roster FILE, dated DATE" and an audit event by that admin; a row that
disagrees (status, expiry date, name, listed twice) goes to the license queue's "Roster mismatches" with its
reason, and so does a license we show as current that the roster does not list. Disciplinary actions the roster
lists (probation, consent order, suspension …) are recorded on the license with their source and date, and shown
on the profile, when the name agrees.

Rows that cannot be read or matched are refused one by one with their reason, written to the report file
(--report; FILE's name with .refused.csv, in the current folder); the rest load. --dry-run decides every row and
prints the same counts, but changes nothing.

Columns are read by name, in any order, with these header spellings (case and punctuation ignored):

{roster_columns.help_table()}

Statuses read (anything else refuses the row): {known_statuses()}.
"""


def _admin(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or user.role != Role.ADMIN or not user.active:
        raise click.UsageError(f"--as must name an active admin account, and {email!r} is not one: a roster "
                               "verifies licenses, so it runs in the name of an admin who answers for it")
    return user


def _state(ctx, param, value: str) -> str:
    try:
        return state_code(value, required="Please name the roster's state.")
    except InvalidInput as exc:
        raise click.BadParameter(f"{value!r}: {exc.message}") from None


def _encoding(ctx, param, value: str) -> str:
    try:
        name = codecs.lookup(value).name
    except LookupError:
        raise click.BadParameter(f"{value!r} is not an encoding Python knows (e.g. utf-8, cp1252)") from None
    if name.startswith(("utf-16", "utf-32")):
        raise click.BadParameter(f"{value!r}: save the file as UTF-8 first (rows are read line by line)")
    return name


def _dated(file: Path, given: datetime | None, today: date) -> date:
    dated = given.date() if given else datetime.fromtimestamp(file.stat().st_mtime, UTC).date()
    if dated > today:
        raise click.BadParameter(f"{dated.isoformat()} is in the future", param_hint="--dated")
    if dated < dates.EARLIEST:
        raise click.BadParameter(f"{dated.isoformat()} is before {dates.EARLIEST.year}: a typing slip?",
                                 param_hint="--dated")
    return dated


@import_group.command("roster", help=HELP)
@FILE
@click.option("--state", required=True, callback=_state, help="The state whose board published the roster, e.g. TX.")
@click.option("--as", "admin_email", required=True, metavar="ADMIN_EMAIL", help="The admin the run is recorded for.")
@click.option("--dated", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The date the board published the roster (default: the file's modification date).")
@click.option("--credential", "credentials", multiple=True, metavar="CODE",
              type=click.Choice([c.value for c in Credential], case_sensitive=False),
              help="A kind of license the roster covers (repeatable; e.g. MD and DO for a medical board). Only "
                   "those of our licenses are checked and reported not found; default: every kind.")
@click.option("--encoding", default="utf-8", show_default=True, callback=_encoding, help="The file's text encoding, e.g. cp1252.")
@click.option("--report", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Where to write the refused rows (default: FILE's name with .refused.csv, in this folder).")
@click.option("--dry-run", is_flag=True, help="Decide and count every row, change nothing.")
def import_roster(file: Path, state: str, admin_email: str, dated: datetime | None, credentials: tuple[str, ...],
                  encoding: str, report: Path | None, dry_run: bool) -> None:
    now = datetime.now(UTC)
    actor = _admin(admin_email)
    source = RosterSource(file.name, _dated(file, dated, now.date()), state,
                          frozenset(Credential(_credential(c)) for c in credentials))
    report = report or Path(f"{file.stem}.refused.csv")
    if not report.parent.is_dir():
        raise click.BadParameter(f"the folder {report.parent} does not exist", param_hint="--report")
    try:
        counts, refused = _run(file, encoding, source, actor, now, report, dry_run)
    except RosterFileRefused as exc:
        db.session.rollback()
        click.echo(f"Refused: nothing was changed. {file.name}: {exc}.", err=True)
        raise SystemExit(1) from None
    done = "dry run, nothing was changed" if dry_run else f"run by {actor.email}"
    click.echo(f"Roster {file.name} ({state}, dated {source.dated.isoformat()}), {done}:")
    for line in counts.lines():
        click.echo(f"  {line}")
    if refused:
        click.echo(f"  the refused rows and their reasons are in {report}")


def _credential(value: str) -> str:
    return next(c.value for c in Credential if c.value.lower() == value.lower())


def _run(file: Path, encoding: str, source: RosterSource, actor: User, now: datetime, report: Path,
         dry_run: bool) -> tuple[RosterCounts, int]:
    counts, state = RosterCounts(), RunState()
    with file.open("rb") as handle, _RefusalReport(report) as refusals:
        reader = RosterReader(handle, encoding)
        positions = roster_columns.map_header(reader.header)
        refusals.header = reader.header
        index = RosterIndex.load(source, now.date())
        started, size = time.monotonic(), file.stat().st_size
        with click.progressbar(length=size, label=f"Reading {file.name}", file=sys.stderr,
                               item_show_func=lambda rate: rate) as bar:
            shown = 0
            for row in reader:
                outcome = _settle(decide_row(row, positions, index, source, state, now.date()), source, actor,
                                  now, dry_run)
                counts.add(outcome)
                if outcome.verdict is Verdict.REFUSED:
                    refusals.write(row, outcome.reason)
                if counts.read % PROGRESS_EVERY_ROWS == 0:
                    rate = counts.read / max(time.monotonic() - started, 1e-6)
                    bar.update(reader.bytes_read - shown, f"{counts.read:,} rows, {rate:,.0f} rows/s")
                    shown = reader.bytes_read
            bar.update(size - shown, f"{counts.read:,} rows")
        for outcome in not_found(index, state, source):
            counts.add(_settle(outcome, source, actor, now, dry_run))
    db.session.rollback()  # a dry run's reads leave nothing behind either
    return counts, refusals.written


def _settle(outcome: RowOutcome, source: RosterSource, actor: User, now: datetime, dry_run: bool) -> RowOutcome:
    if dry_run:
        return outcome
    try:
        apply(outcome, source, actor, now)
    except RowNotApplied as exc:
        db.session.rollback()
        return RowOutcome(outcome.line, Verdict.REFUSED, outcome.license_id, reason=str(exc))
    return outcome


class _RefusalReport:
    """The refused rows as CSV: line, reason, then the row's own columns. Created at the first refusal only."""

    def __init__(self, path: Path):
        self.path = path
        self.header: list[str] = []
        self.written = 0
        self._handle = None
        self._writer = None

    def __enter__(self) -> _RefusalReport:
        return self

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            self._handle.close()

    def write(self, row: RawRow, reason: str | None) -> None:
        if self._writer is None:
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["line", "reason", *self.header])
        self._writer.writerow([row.line, neutralize(reason or ""), *(neutralize(cell) for cell in row.cells)])
        self.written += 1


def register(app: Flask) -> None:
    """Nothing to add: the command joined `flask import` when this module was imported."""
