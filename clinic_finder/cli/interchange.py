"""`flask import FILE` and `flask export --format hsds|fhir|csv`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask

from clinic_finder.interchange import csv_format, fhir, hsds
from clinic_finder.interchange.importing import import_file
from clinic_finder.interchange.records import count_published, published_providers
from clinic_finder.interchange.seeding import SeedError


def echo_held(held: list[str]) -> None:
    """Rows loaded as pending review because they lack what a patient needs before a listing goes live."""
    if held:
        click.echo(f"Held as pending review, not published ({len(held)} problem(s) to complete):")
        for problem in held[:200]:
            click.echo(f"  - {problem}")


def register(app: Flask) -> None:
    @app.cli.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_command(file: Path) -> None:
        """Import providers from a CSV (export columns) or seed-format JSON file. All or nothing."""
        try:
            result = import_file(file)
        except SeedError as err:
            click.echo(f"Refused: nothing was imported. {len(err.problems)} problem(s):", err=True)
            for problem in err.problems[:200]:
                click.echo(f"  - {problem}", err=True)
            raise SystemExit(1) from None
        click.echo(f"Imported {result.added} provider(s); {result.skipped} already present (unchanged).")
        echo_held(result.held)

    @app.cli.command("export")
    @click.option("--format", "fmt", type=click.Choice(["hsds", "fhir", "csv"]), required=True)
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="File to write (default: standard output).")
    def export_command(fmt: str, output: Path | None) -> None:
        """Export the published directory as HSDS 3.0 JSON, a FHIR R4 Bundle, or CSV."""
        total = count_published()
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            with click.progressbar(published_providers(), length=total, label=f"Exporting {fmt}",
                                   file=sys.stderr) as providers:
                if fmt == "csv":
                    csv_format.write_csv(providers, out)
                elif fmt == "hsds":
                    json.dump(list(hsds.export_services(providers)), out, ensure_ascii=False, indent=1)
                else:
                    json.dump(fhir.export_bundle(providers), out, ensure_ascii=False, indent=1)
        finally:
            if output:
                out.close()
        if output:
            click.echo(f"Wrote {total} provider(s) to {output}.", err=True)
