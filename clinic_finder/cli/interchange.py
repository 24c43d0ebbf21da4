"""`flask export --format hsds|fhir|csv`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask

from clinic_finder.interchange import csv_format, fhir, hsds
from clinic_finder.interchange.records import count_published, published_providers


def register(app: Flask) -> None:
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
