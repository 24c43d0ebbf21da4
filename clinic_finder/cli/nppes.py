"""`flask import nppes FILE [--taxonomy CODE]… [--state ST]…`: candidates for the "to review" queue from CMS's
NPI file, and flags on listings whose NPI NPPES lists as deactivated (interchange/nppes.py); given CMS's practice
location file instead, more clinics for those candidates (interchange/nppes_locations.py)."""
from __future__ import annotations

from pathlib import Path

import click

from clinic_finder.cli.imports import DRY_RUN, FILE, REPORT, import_group, run_and_report
from clinic_finder.interchange import nppes, nppes_locations
from clinic_finder.interchange.engine import Progress, run_import

_DEFAULTS = ", ".join(f"{code} ({label})" for code, label in nppes.DEFAULT_TAXONOMIES.items())


@import_group.command("nppes")
@FILE
@click.option("--taxonomy", "taxonomies", multiple=True, metavar="CODE",
              help=f"Select rows with this taxonomy in any of the 15 slots (repeatable). Default: {_DEFAULTS}.")
@click.option("--state", "states", multiple=True, metavar="ST",
              help="Only practices in this state (repeatable; default: every state).")
@DRY_RUN
@REPORT
def import_nppes(file: Path, taxonomies: tuple[str, ...], states: tuple[str, ...], dry_run: bool,
                 report_path: Path | None) -> None:
    """CMS's NPPES NPI file (npidata_pfile_….csv). Odd rows are refused one by one; the rest load as unpublished
    candidates for review. A deactivated NPI we hold is flagged on its listing.

    Given CMS's practice location file (pl_pfile_….csv) instead, each candidate still to review gets its secondary
    practice locations; run it after the month's NPI file."""
    from clinic_finder.geo.states import STATES

    unknown = [s for s in states if s.strip().upper() not in STATES]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: not a US state or DC (two letters, e.g. NY)",
                                 param_hint="--state")
    bad = [t for t in taxonomies if not (len(t.strip()) == 10 and t.strip().isalnum())]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: a taxonomy code has 10 letters and digits, e.g. 2084P0800X",
                                 param_hint="--taxonomy")

    locations = nppes_locations.is_practice_location_file(file)
    if locations and (taxonomies or states):
        raise click.UsageError("--taxonomy and --state select rows of the NPI file; the practice location file "
                               "only adds clinics to the candidates that file selected")

    def run(report: Path | None, progress: Progress):
        position = [0, 1]
        if locations:
            columns, rows = nppes.read_rows(file, position, nppes_locations.columns_of)
            progress.position = lambda: position[0] / max(position[1], 1)
            handler = nppes_locations.PracticeLocationImport(columns, nppes.source_label(file))
            return run_import(rows, handler, dry_run=dry_run, report_path=report, label=file.name,
                              progress=progress)
        columns, rows = nppes.read_rows(file, position)
        progress.position = lambda: position[0] / max(position[1], 1)
        handler = nppes.NppesImport(columns, nppes.source_label(file), taxonomies or None, states or None)
        return run_import(rows, handler, dry_run=dry_run, report_path=report, label=file.name, progress=progress)

    run_and_report(file, dry_run, report_path, run, all_or_nothing=False)
