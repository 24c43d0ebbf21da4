"""`flask import roster FILE --state ST --as ADMIN_EMAIL`: check our licenses against a license board's roster.

Reading (licensing.roster_file) and the checks of the command line live here; deciding and writing each row
(licensing.roster_import) run through the one import engine, like every other format.
"""
from __future__ import annotations

import codecs
from datetime import UTC, date, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask

from clinic_finder.cli.imports import DRY_RUN, FILE, REPORT, import_group, run_and_report
from clinic_finder.extensions import db
from clinic_finder.inputs import dates
from clinic_finder.inputs.places import state_code
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.interchange.engine import ImportCounts, ImportPolicy, NotAVerifier, Progress, run_import
from clinic_finder.licensing import roster_columns
from clinic_finder.licensing.board_words import known_statuses
from clinic_finder.licensing.roster import RosterIndex, RosterSource
from clinic_finder.licensing.roster_file import RosterReader
from clinic_finder.licensing.roster_import import RosterImport
from clinic_finder.models import Credential, User

HELP = f"""Check our licenses in one state against a license board's roster (a CSV file).

A roster is primary-source evidence, so it runs in a named admin's name (--as, an active admin account). For each
of our licenses in --state (demo listings excepted): a row that agrees on number, name, an active status and the
expiry date verifies it, with the evidence "roster FILE, dated DATE" and an audit event by that admin; a row that
disagrees (status, expiry date, name, listed twice) goes to the license queue's "Roster mismatches" with its
reason, and so does a license we show as current that the roster does not list. Disciplinary actions the roster
lists (probation, consent order, suspension …) are recorded on the license with their source and date, and shown
on the profile, when the name agrees.

It runs through the same import engine as every format: a progress line with rows per second, the counts at the
end (read, selected, added, updated = verified, unchanged, flagged = mismatched, refused) and the roster's own
breakdown. Rows that cannot be read or matched are refused one by one with their reason, written with their values
to the report file (--report; default FILE.refused.csv beside FILE); the rest load. --dry-run decides and writes
every row, prints the same counts, then rolls everything back.

Columns are read by name, in any order, with these header spellings (case and punctuation ignored):

{roster_columns.help_table()}

Statuses read (anything else refuses the row): {known_statuses()}.
"""


def _policy(email: str, source: RosterSource) -> ImportPolicy:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    try:
        return ImportPolicy.primary_source(source.evidence, user)
    except NotAVerifier as exc:
        raise click.UsageError(f"--as must name an active admin account, and {email!r} is not one: {exc}") from None


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
@DRY_RUN
@REPORT
def import_roster(file: Path, state: str, admin_email: str, dated: datetime | None, credentials: tuple[str, ...],
                  encoding: str, dry_run: bool, report_path: Path | None) -> None:
    now = datetime.now(UTC)
    source = RosterSource(file.name, _dated(file, dated, now.date()), state,
                          frozenset(Credential(_credential(c)) for c in credentials))
    policy = _policy(admin_email, source)
    run_by = admin_email.strip().lower()
    handlers: list[RosterImport] = []

    def run(report: Path | None, progress: Progress) -> ImportCounts:
        size = max(file.stat().st_size, 1)
        with file.open("rb") as handle:
            reader = RosterReader(handle, encoding)
            positions = roster_columns.map_header(reader.header)
            handlers.append(RosterImport(positions, RosterIndex.load(source, now.date()), source, policy, now))
            progress.position = lambda: reader.bytes_read / size
            return run_import(((row.line, row) for row in reader), handlers[0], dry_run=dry_run, report_path=report,
                              label=file.name, progress=progress, report_columns=reader.header)

    counts = run_and_report(file, dry_run, report_path, run, all_or_nothing=False)
    click.echo(f"Roster {file.name} ({state}, dated {source.dated.isoformat()}), run by {run_by}:")
    for line in handlers[0].breakdown.lines(counts):
        click.echo(f"  {line}")


def _credential(value: str) -> str:
    return next(c.value for c in Credential if c.value.lower() == value.lower())


def register(app: Flask) -> None:
    """Nothing to add: the command joined `flask import` when this module was imported."""
