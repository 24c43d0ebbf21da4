"""`flask import archive FILE` and `flask export --format archive --output FILE`: a whole directory, moved."""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app

from clinic_finder.cli.imports import FILE, import_group
from clinic_finder.interchange import archive
from clinic_finder.licensing.evidence_files import folder_for


def _evidence_dir() -> Path:
    return folder_for(current_app.config, current_app.instance_path)


def export_archive(output: Path | None) -> None:
    if output is None:
        raise click.UsageError("An archive is written to a file: give --output FILE (FILE.gz to compress it).")
    if output.is_dir():
        raise click.UsageError(f"{output} is a folder; give a file name for the archive.")
    started = time.perf_counter()
    try:
        summary = archive.write_archive_file(output, _evidence_dir())
    except OSError as exc:
        raise click.ClickException(f"Cannot write {output}: {exc.strerror or exc}.") from None
    click.echo(f"Wrote {summary.total_rows} row(s) of {len(summary.rows)} table(s) and {summary.files} evidence "
               f"file(s) to {output} in {time.perf_counter() - started:.1f} s.", err=True)
    for name in summary.missing_files:
        click.echo(f"  - evidence file {name} is named by a license but missing from {_evidence_dir()}", err=True)
    click.echo(f"{archive.NOTICE} (The file is readable by you only.)", err=True)


@import_group.command("archive")
@FILE
def import_archive(file: Path) -> None:
    """A whole directory made by `export --format archive`, into an empty database at the same schema
    revision (run `db upgrade` first). Checked whole before anything is written."""
    started = time.perf_counter()
    try:
        summary = archive.load_archive(file, _evidence_dir())
    except archive.ArchiveRefused as exc:
        click.echo(f"Refused: nothing was imported. {exc}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Imported {summary.total_rows} row(s) of {len(summary.rows)} table(s) and {summary.files} evidence "
               f"file(s) from {file} in {time.perf_counter() - started:.1f} s.")
    click.echo("Delete the archive file once you no longer need it: it holds staff password hashes and contact "
               "details.")


def register(app: Flask) -> None:
    """The command joins `import_group`, which clinic_finder.cli.imports registers."""
