"""The outbox: messages are written to the database in the same transaction as what caused them, then delivered.

Delivery is "log" by default (kept in the database and written to the app log); MAIL_BACKEND=smtp sends them
through the SMTP_* settings. `flask --app clinic_finder outbox send` delivers what is waiting, counting attempts
so a message that keeps failing is retried on the next run and given up after MAX_ATTEMPTS.
Tests read the outbox table, never a mail server.
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app

from clinic_finder.extensions import db
from clinic_finder.models import OutboxMessage

MAX_ATTEMPTS = 5
LAST_ERROR_MAX_CHARS = 500

log = logging.getLogger(__name__)


def queue_message(kind: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox (the caller commits)."""
    message = OutboxMessage(kind=kind, recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    current_app.logger.info("outbox: queued %s message to %s: %s", kind, recipient, subject)
    return message


class DeliveryBackend(Protocol):
    name: str

    def send(self, message: OutboxMessage) -> None:
        """Deliver one message or raise."""


class LogBackend:
    """Keeps messages in the database and notes each delivery in the app log.

    The body is not logged: it can hold personal details (a consultation request, self-assessment answers)
    that do not belong in log files. Read it from the outbox_message table.
    """

    name = "log"

    def __init__(self, logger: logging.Logger | None = None):
        self.logger = logger or log

    def send(self, message: OutboxMessage) -> None:
        self.logger.info("outbox: delivered #%s (%s) to %s by the log backend: %s",
                         message.id, message.kind, message.recipient, message.subject)


class SmtpBackend:
    """Sends through an SMTP server with smtplib; smtp_class is injectable so tests never open a socket."""

    name = "smtp"

    def __init__(self, host: str, port: int, sender: str, username: str = "", password: str = "",
                 starttls: bool = True, timeout: float = 30, smtp_class: Callable[..., Any] | None = None):
        if not host:
            raise ValueError("MAIL_BACKEND=smtp needs SMTP_HOST")
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls = username, password, starttls
        self.timeout = timeout
        self.smtp_class = smtp_class or smtplib.SMTP

    def build(self, message: OutboxMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = f"<outbox-{message.id}@{self.sender.rpartition('@')[2] or 'clinic-finder'}>"
        email.set_content(message.body)
        return email

    def send(self, message: OutboxMessage) -> None:
        with self.smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(self.build(message))


def backend_from_config(config: Mapping[str, Any], smtp_class: Callable[..., Any] | None = None) -> DeliveryBackend:
    """The backend MAIL_BACKEND names ("log" or "smtp"); ValueError for anything else."""
    name = (config.get("MAIL_BACKEND") or "log").strip().lower()
    if name == "log":
        return LogBackend()
    if name == "smtp":
        extra = {"smtp_class": smtp_class} if smtp_class is not None else {}
        return SmtpBackend(
            host=config.get("SMTP_HOST", ""),
            port=int(config.get("SMTP_PORT") or 587),
            sender=config.get("MAIL_FROM", ""),
            username=config.get("SMTP_USERNAME", ""),
            password=config.get("SMTP_PASSWORD", ""),
            starttls=bool(config.get("SMTP_STARTTLS", True)),
            **extra,
        )
    raise ValueError(f"MAIL_BACKEND must be 'log' or 'smtp', not {name!r}")


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # failed this run, will be retried
    gave_up: int = 0  # failed for the last allowed time this run
    skipped: int = 0  # already at MAX_ATTEMPTS before this run

    @property
    def summary(self) -> str:
        return (f"{self.sent} sent, {self.failed} failed (will retry), {self.gave_up} gave up, "
                f"{self.skipped} skipped after {MAX_ATTEMPTS} attempts")


def pending(max_attempts: int = MAX_ATTEMPTS) -> sa.Select:
    return (
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )


def deliver_pending(backend: DeliveryBackend, max_attempts: int = MAX_ATTEMPTS,
                    limit: int | None = None) -> DeliveryReport:
    """Try each unsent message once; commit after each so a crash never re-sends what already went out."""
    report = DeliveryReport()
    report.skipped = db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= max_attempts)
    ) or 0
    stmt = pending(max_attempts)
    if limit is not None:
        stmt = stmt.limit(limit)
    ids = list(db.session.scalars(stmt.with_only_columns(OutboxMessage.id)))
    for message_id in ids:
        message = db.session.get(OutboxMessage, message_id)
        if message is None or message.sent_at is not None:
            continue
        message.attempts += 1
        try:
            backend.send(message)
        except Exception as exc:  # noqa: BLE001 (any failure is recorded and retried on the next run)
            message.last_error = f"{type(exc).__name__}: {exc}"[:LAST_ERROR_MAX_CHARS]
            if message.attempts >= max_attempts:
                report.gave_up += 1
                log.error("outbox: gave up on #%s to %s after %s attempts: %s",
                          message.id, message.recipient, message.attempts, message.last_error)
            else:
                report.failed += 1
                log.warning("outbox: #%s to %s failed (attempt %s of %s): %s",
                            message.id, message.recipient, message.attempts, max_attempts, message.last_error)
        else:
            message.sent_at = datetime.now(UTC)
            message.last_error = None
            report.sent += 1
        db.session.commit()
    return report
