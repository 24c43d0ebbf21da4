"""What a licensing board's roster said about one of our licenses: disciplinary actions it lists, and the ways it
disagreed with what we hold (each kept until an admin or a later roster settles it)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_finder.extensions import db
from clinic_finder.models.enums import DisciplineKind, MismatchKind, enum_column
from clinic_finder.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from clinic_finder.models.license import License
    from clinic_finder.models.user import User

SOURCE_MAX_CHARS = 300


class DisciplinaryAction(db.Model):
    """A board action on a license (probation, consent order, suspension …) as a board's roster lists it."""

    __tablename__ = "disciplinary_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    license_id: Mapped[int] = mapped_column(sa.ForeignKey("license.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DisciplineKind] = mapped_column(enum_column(DisciplineKind))
    # The board's own words, shown beside our kind: a paraphrase could overstate or understate an action.
    board_wording: Mapped[str] = mapped_column(sa.String(200))
    action_on: Mapped[date | None]  # the board's date for the action, when the roster gives one
    source: Mapped[str] = mapped_column(sa.String(SOURCE_MAX_CHARS))  # e.g. "roster tx-md.csv, dated 2026-12-01"
    source_dated: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    license: Mapped[License] = relationship(back_populates="disciplinary_actions")
    recorded_by: Mapped[User | None] = relationship()


class RosterMismatch(db.Model):
    """One way a board roster disagreed with a license we hold; open until resolved_at is set."""

    __tablename__ = "roster_mismatch"
    __table_args__ = (sa.Index("ix_roster_mismatch_open", "license_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    license_id: Mapped[int] = mapped_column(sa.ForeignKey("license.id", ondelete="CASCADE"))
    kind: Mapped[MismatchKind] = mapped_column(enum_column(MismatchKind))
    detail: Mapped[str] = mapped_column(sa.String(500))  # what the roster said against what we hold
    source: Mapped[str] = mapped_column(sa.String(SOURCE_MAX_CHARS))
    source_dated: Mapped[date]
    found_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(sa.String(SOURCE_MAX_CHARS))

    license: Mapped[License] = relationship(back_populates="roster_mismatches")
