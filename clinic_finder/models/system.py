"""Bookkeeping the app keeps for itself: the mail outbox, the geocoding cache, scheduled job runs, spent form
nonces."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clinic_finder.extensions import db
from clinic_finder.models.types import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    """A message to send. Written in the same transaction as what caused it, delivered afterwards."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(60), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))


class GeocodeCacheEntry(db.Model):
    """Answers from an online geocoder, so a place is asked for once (and the service's limits respected)."""

    __tablename__ = "geocode_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    geocoder: Mapped[str] = mapped_column(sa.String(40))
    query: Mapped[str] = mapped_column(sa.String(300))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    label: Mapped[str | None] = mapped_column(sa.String(300))
    state: Mapped[str | None] = mapped_column(sa.String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("geocoder", "query", name="uq_geocode_cache_geocoder_query"),)


class JobRun(db.Model):
    """When a scheduled command last ran and what it did (shown on the admin dashboard)."""

    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str | None] = mapped_column(sa.String(500))


class SpentFormToken(db.Model):
    """A one-time form nonce already submitted (security/single_use.py); kept while its form could be valid."""

    __tablename__ = "spent_form_token"

    nonce: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    spent_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
