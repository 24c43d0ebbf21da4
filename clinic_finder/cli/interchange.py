"""`flask export --format hsds|fhir|csv|archive`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask

from clinic_finder.interchange import csv_format
from clinic_finder.interchange.exports import FORMATS, write_export
from clinic_finder.interchange.records import count_published, published_providers


def register(app: Flask) -> None:
    @app.cli.command("export")
    @click.option("--format", "fmt", type=click.Choice([*FORMATS, "archive"]), required=True)
    @click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
                  help="File to write (default: standard output). csv: a folder, or a file name ending in .zip; "
                       "archive: the archive file.")
    def export_command(fmt: str, output: Path | None) -> None:
        """Export the published directory as HSDS 3.0 JSON, a FHIR R4 Plan-Net Bundle or CSV; or the whole
        directory as an archive for `import archive` (sensitive: it holds staff password hashes and contact
        details)."""
        if fmt == "archive":
            from clinic_finder.cli.archive import export_archive
            return export_archive(output)
        if fmt == "csv":
            return _export_csv(output)
        if output is not None and output.is_dir():
            raise click.UsageError(f"{output} is a folder; give a file name.")
        total = count_published()
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            with _progress(fmt, total) as providers:
                write_export(fmt, providers, out)
        finally:
            if output:
                out.close()
        if output:
            click.echo(f"Wrote {total} provider(s) to {output}.", err=True)


def _progress(fmt: str, total: int):
    return click.progressbar(published_providers(), length=total, label=f"Exporting {fmt}", file=sys.stderr)


def _export_csv(output: Path | None) -> None:
    if output is None:
        raise click.UsageError("A CSV export is two files (locations.csv and clinicians.csv): give --output with "
                               "a folder, or a file name ending in .zip.")
    if output.suffix.lower() != ".zip" and (output.suffix.lower() == ".csv" or output.exists()
                                            and not output.is_dir()):
        raise click.UsageError(f"{output} is not a folder or a .zip; a CSV export is two files (locations.csv "
                               "and clinicians.csv): give a folder, or a file name ending in .zip.")
    try:
        with _progress("csv", count_published()) as providers:
            written = csv_format.write_csv_files(providers, output)
    except OSError as exc:
        raise click.ClickException(f"Cannot write {output}: {exc.strerror or exc}.") from None
    click.echo(f"Wrote {written} provider(s) to {output} ({csv_format.LOCATIONS_FILE}, "
               f"{csv_format.CLINICIANS_FILE}).", err=True)
