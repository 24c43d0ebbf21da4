"""`flask privacy purge`: delete contact details past their retention period (idempotent, safe from cron)."""
from __future__ import annotations

import click
from flask import Flask

from clinic_finder.privacy import retention


def register(app: Flask) -> None:
    @app.cli.group("privacy")
    def privacy_group() -> None:
        """Personal data retention."""

    @privacy_group.command("purge")
    @click.option("--dry-run", is_flag=True, help="Count what would be deleted; change nothing.")
    def purge(dry_run: bool) -> None:
        """Delete reviewer email addresses and handled consultation requests' contact details past retention."""
        report = retention.purge(dry_run=dry_run)
        click.echo(f"Privacy purge: {report.summary}.")
