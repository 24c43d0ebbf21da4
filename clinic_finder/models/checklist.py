"""One vetting-checklist fact about a provider, with where it came from and when it was last confirmed."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_finder.extensions import db
from clinic_finder.models.enums import ChecklistSource, enum_column
from clinic_finder.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from clinic_finder.models.provider import Provider


class ChecklistItem(db.Model):
    """Keys and their meaning are defined in vetting.CHECKLIST; the value is stored as text."""

    __tablename__ = "checklist_item"
    __table_args__ = (sa.UniqueConstraint("provider_id", "key", name="uq_checklist_item_provider_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(60))
    value: Mapped[str | None] = mapped_column(sa.String(500))
    source: Mapped[ChecklistSource] = mapped_column(enum_column(ChecklistSource))
    # Only a real verification moves this date: imports, seeds and unchanged saves never do.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who confirmed a verified fact: a staff member's email for checks made here, or the verifier a seed or import
    # names. A verified fact without a date and a verifier is a contradiction (`flask data check`).
    verified_by: Mapped[str | None] = mapped_column(sa.String(254))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider] = relationship(back_populates="checklist_items")
