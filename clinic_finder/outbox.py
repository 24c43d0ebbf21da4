"""The outbox: messages are written to the database in the same transaction as what caused them, then delivered.

Delivery is "log" by default (kept in the database and written to the app log); MAIL_BACKEND=smtp sends them.
Tests read the outbox table, never a mail server.
"""
from __future__ import annotations

from flask import current_app

from .extensions import db
from .models import OutboxMessage


def queue_message(kind: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox (the caller commits)."""
    message = OutboxMessage(kind=kind, recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    current_app.logger.info("outbox: queued %s message to %s: %s", kind, recipient, subject)
    return message
