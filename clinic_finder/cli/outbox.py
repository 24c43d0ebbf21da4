"""`flask outbox send`: deliver the messages waiting in the outbox (safe to run from cron)."""
from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask, current_app

from clinic_finder.extensions import db
from clinic_finder.mail import outbox
from clinic_finder.models import JobRun


def register(app: Flask) -> None:
    @app.cli.group("outbox")
    def outbox_group() -> None:
        """The mail outbox."""

    @outbox_group.command("send")
    @click.option("--max-attempts", type=click.IntRange(1, 100), default=outbox.MAX_ATTEMPTS, show_default=True,
                  help="Give up on a message after this many failed attempts (across runs).")
    @click.option("--limit", type=click.IntRange(1), default=None, help="Deliver at most this many messages.")
    def send(max_attempts: int, limit: int | None) -> None:
        """Deliver unsent messages with the MAIL_BACKEND backend; failures are retried on the next run."""
        try:
            backend = outbox.backend_from_config(current_app.config)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        run = JobRun(name="outbox send")
        db.session.add(run)
        db.session.commit()
        report = outbox.deliver_pending(backend, max_attempts=max_attempts, limit=limit)
        run.finished_at = datetime.now(UTC)
        run.summary = f"{backend.name}: {report.summary}"
        db.session.commit()
        click.echo(f"Outbox ({backend.name}): {report.summary}.")
        if report.failed or report.gave_up:
            raise SystemExit(1)
