"""`flask export --format hsds|fhir|csv`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask

from clinic_finder.interchange.exports import FORMATS, write_export
from clinic_finder.interchange.records import count_published, published_providers


def register(app: Flask) -> None:
    @app.cli.command("export")
    @click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True)
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="File to write (default: standard output).")
    def export_command(fmt: str, output: Path | None) -> None:
        """Export the published directory as HSDS 3.0 JSON, a FHIR R4 Plan-Net Bundle, or CSV."""
        total = count_published()
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            with click.progressbar(published_providers(), length=total, label=f"Exporting {fmt}",
                                   file=sys.stderr) as providers:
                write_export(fmt, providers, out)
        finally:
            if output:
                out.close()
        if output:
            click.echo(f"Wrote {total} provider(s) to {output}.", err=True)
