"""`flask seed-demo`: load the fictional demo directory from seed_data/ (idempotent)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from clinic_finder.cli.imports import echo_held
from clinic_finder.interchange.seeding import SeedError, remove_demo, seed_from_folder
from clinic_finder.resources import seed_data_folder


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option(
        "--folder",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Folder of seed files (default: the demo data shipped with the app, seed_data/ in a checkout).",
    )
    @click.option("--remove", is_flag=True,
                  help="Take all demo data out instead (before a directory goes live); real listings stay.")
    def seed_demo(folder: Path | None, remove: bool) -> None:
        """Load the fictional demo providers. A second run adds nothing. --remove takes them all out."""
        if remove:
            click.echo(f"Removed {remove_demo()} demo provider(s) and everything attached to them.")
            return
        folder = folder or seed_data_folder()
        try:
            result = seed_from_folder(folder, demo=True)
        except SeedError as err:
            click.echo(f"Refused: nothing was loaded. {len(err.problems)} problem(s):", err=True)
            for problem in err.problems[:200]:
                click.echo(f"  - {problem}", err=True)
            raise SystemExit(1) from None
        click.echo(
            f"Loaded {result.added} demo provider(s) from {', '.join(result.files)}; "
            f"{result.skipped} already present."
        )
        echo_held(result.held)
