"""`flask data check`: the directory's contradictions, one per line; `flask data refresh-summaries`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from clinic_finder.vetting import contradictions


def register(app: Flask) -> None:
    data = AppGroup("data", help="Check the directory's data for contradictions.")

    @data.command("check")
    def check() -> None:
        """List every contradiction with provider id and reason; exit 1 when there is any."""
        found = contradictions.find_all()
        for item in found:
            click.echo(item.line)
        if found:
            providers = len({c.provider_id for c in found})
            click.echo(f"{len(found)} contradiction{'s' if len(found) != 1 else ''} in {providers} "
                       f"provider{'s' if providers != 1 else ''}.", err=True)
            raise SystemExit(1)
        click.echo("No contradictions found.")

    @data.command("refresh-summaries")
    def refresh() -> None:
        """Recompute every provider's stored trust summary (once after upgrading to migration 0010)."""
        changed = contradictions.refresh_summaries()
        click.echo(f"{changed} provider summar{'ies' if changed != 1 else 'y'} recomputed.")

    app.cli.add_command(data)
