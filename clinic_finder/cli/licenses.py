"""`flask licenses expire`: mark licenses past their expiry date as expired (idempotent, safe from cron)."""
from __future__ import annotations

import click
from flask import Flask

from clinic_finder.licensing import expiry as license_expiry


def register(app: Flask) -> None:
    @app.cli.group("licenses")
    def licenses_group() -> None:
        """Professional licenses."""

    @licenses_group.command("expire")
    def expire() -> None:
        """Mark licenses past their expiry date as expired and lower their providers' license status."""
        run, report = license_expiry.run_job()
        click.echo(f"Licenses: {report.summary}.")
