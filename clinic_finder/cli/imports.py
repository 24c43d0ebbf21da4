"""`flask import csv|json|nppes|roster|archive FILE`: every way data comes in, as one command group."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from clinic_finder.interchange.importing import import_file
from clinic_finder.interchange.seeding import SeedError

import_group = AppGroup("import", help="Bring providers in from a file (see each format's --help).")

FILE = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


def echo_held(held: list[str]) -> None:
    """Rows loaded as pending review because they lack what a patient needs before a listing goes live."""
    if held:
        click.echo(f"Held as pending review, not published ({len(held)} problem(s) to complete):")
        for problem in held[:200]:
            click.echo(f"  - {problem}")


def _import_own_format(file: Path) -> None:
    try:
        result = import_file(file)
    except SeedError as err:
        click.echo(f"Refused: nothing was imported. {len(err.problems)} problem(s):", err=True)
        for problem in err.problems[:200]:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Imported {result.added} provider(s); {result.skipped} already present (unchanged).")
    echo_held(result.held)


@import_group.command("csv")
@FILE
def import_csv(file: Path) -> None:
    """Providers in our CSV export's columns. All or nothing: one bad row refuses the file."""
    _import_own_format(file)


@import_group.command("json")
@FILE
def import_json(file: Path) -> None:
    """Providers in the seed JSON format (seed_data/README.md). All or nothing."""
    _import_own_format(file)


def register(app: Flask) -> None:
    app.cli.add_command(import_group)
