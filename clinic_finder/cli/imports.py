"""`flask import csv|json|nppes|roster|archive FILE`: every way data comes in, as one command group.

Each subcommand reads its format and hands the rows to the one engine (interchange/engine.py), so they all stream,
take --dry-run and --report, show a progress line with rows per second, and end with the same counts. Other
modules add their own subcommands to `import_group` (the roster and archive formats).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from clinic_finder.interchange.engine import ImportCounts, Progress

import_group = AppGroup("import", help="Bring providers in from a file (see each format's --help).")

FILE = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
DRY_RUN = click.option("--dry-run", is_flag=True, help="Read, check and count everything, then write nothing.")


def _report_folder(ctx, param, value: Path | None) -> Path | None:
    # Checked before reading: a report is opened at the first refused row, by when a per-row import has
    # committed batches, so a missing folder found then would leave a half-run import without its report.
    if value is not None and not value.parent.is_dir():
        raise click.BadParameter(f"the folder {value.parent} does not exist")
    return value


REPORT = click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                      callback=_report_folder,
                      help="CSV of refused rows (row, key, reason); default FILE.refused.csv beside FILE, "
                           "written only when a row is refused.")


def echo_held(held: list[str], count: int | None = None) -> None:
    """Rows loaded as pending review because they lack what a patient needs before a listing goes live."""
    if held:
        click.echo(f"Held as pending review, not published ({count if count is not None else len(held)} listing(s); "
                   "what they lack):")
        for problem in held[:200]:
            click.echo(f"  - {problem}")


def default_report(file: Path) -> Path:
    return file.with_name(f"{file.name}.refused.csv")


def run_and_report(file: Path, dry_run: bool, report_path: Path | None,
                   run: Callable[[Path | None, Progress], ImportCounts], *, all_or_nothing: bool) -> ImportCounts:
    """Run an import with a progress line, print its counts and refused rows; exit 1 when the file was refused
    whole (a whole-file problem, or any bad row of an all-or-nothing format)."""
    report_path = report_path or default_report(file)
    try:
        counts = run(report_path, Progress(f"Importing {file.name}"))
    except UnicodeDecodeError as exc:
        click.echo(f"Refused: nothing was imported. {file.name} is not UTF-8 text (byte {exc.object[exc.start]:#04x} "
                   f"at byte {exc.start:,} of a block); save it as UTF-8 and import it again.", err=True)
        raise SystemExit(1) from None
    except (ValueError, OSError) as exc:
        click.echo(f"Refused: nothing was imported. {file.name}: {exc}", err=True)
        raise SystemExit(1) from None
    refused_whole = all_or_nothing and counts.refused
    if refused_whole:
        click.echo(f"Refused: nothing was imported. {counts.refused} row(s) refused:", err=True)
    elif counts.dry_run:
        click.echo("Dry run: nothing was written.")
    for problem in counts.problems:
        click.echo(f"  - {problem}", err=bool(refused_whole))
    if counts.report_path is not None:
        click.echo(f"All {counts.refused} refused row(s) with their reasons: {counts.report_path}",
                   err=bool(refused_whole))
    click.echo(f"{counts.summary()} ({counts.seconds:.1f} s, {counts.rows_per_second:,.0f} rows/s)",
               err=bool(refused_whole))
    if refused_whole:
        raise SystemExit(1)
    return counts


def _own_format(file: Path, fmt: str, dry_run: bool, report_path: Path | None) -> None:
    from clinic_finder.interchange.importing import import_file

    holder = {}

    def run(report: Path | None, progress: Progress) -> ImportCounts:
        counts, holder["handler"] = import_file(file, fmt, dry_run=dry_run, report_path=report, progress=progress)
        return counts

    run_and_report(file, dry_run, report_path, run, all_or_nothing=True)
    handler = holder["handler"]
    echo_held(handler.pending, handler.pending_count)


@import_group.command("csv")
@FILE
@DRY_RUN
@REPORT
def import_csv(file: Path, dry_run: bool, report_path: Path | None) -> None:
    """Providers in our CSV export's columns. All or nothing: one bad row refuses the file."""
    _own_format(file, "csv", dry_run, report_path)


@import_group.command("json")
@FILE
@DRY_RUN
@REPORT
def import_json(file: Path, dry_run: bool, report_path: Path | None) -> None:
    """Providers in the seed JSON format (seed_data/README.md). All or nothing."""
    _own_format(file, "json", dry_run, report_path)


def register(app: Flask) -> None:
    from clinic_finder.cli import nppes, roster  # noqa: F401  (add `import nppes` and `import roster` to the group)

    app.cli.add_command(import_group)
