"""What imports leave for admins: where a provider came from (and what the file last said), the differences a
re-import found in fields someone had changed, and NPIs that NPPES lists as deactivated."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_finder.extensions import db
from clinic_finder.models.enums import ImportSource, RequestStatus, enum_column
from clinic_finder.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from clinic_finder.models.license import Clinician
    from clinic_finder.models.provider import Provider


class ImportOrigin(db.Model):
    """A provider an import made or updates: its key in that source (an NPI, our slug) and the values the source
    gave last time (the baseline), so the next run can tell a field the source changed from one an admin changed."""

    __tablename__ = "import_origin"
    __table_args__ = (sa.UniqueConstraint("source", "source_key", name="uq_import_origin_source_key"),
                      sa.Index("ix_import_origin_to_review", "to_review", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    source: Mapped[ImportSource] = mapped_column(enum_column(ImportSource))
    source_key: Mapped[str] = mapped_column(sa.String(160))
    # e.g. "NPPES file of 2026-11-09"; the label every claim from it carries.
    source_label: Mapped[str] = mapped_column(sa.String(200))
    baseline: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Extra facts for the admin deciding on a candidate (taxonomies, entity type); never shown to patients.
    details: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # A candidate for an admin (an NPPES row is never a listing by itself): in the "to review" queue until
    # completed and published, or merged into a listing we hold.
    to_review: Mapped[bool] = mapped_column(default=False)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider] = relationship()


class ImportDifference(db.Model):
    """A field a re-import would have changed but did not, because someone here had changed it since the last
    import: kept for an admin to accept or dismiss."""

    __tablename__ = "import_difference"
    __table_args__ = (sa.Index("ix_import_difference_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(sa.String(60))
    current_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    incoming_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    source_label: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    provider: Mapped[Provider] = relationship()


class NpiDeactivation(db.Model):
    """NPPES lists this NPI, held by the provider itself or one of its clinicians, as deactivated. Shown on the
    profile while open; an admin resolves it (clinician removed, listing suspended), or a later NPPES file that
    shows the NPI reactivated closes it (reactivated_on, reactivation_source). Closed flags are kept, never deleted.
    """

    __tablename__ = "npi_deactivation"
    __table_args__ = (sa.UniqueConstraint("npi", "provider_id", "deactivated_on", name="uq_npi_deactivation"),
                      sa.Index("ix_npi_deactivation_status", "status", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    npi: Mapped[str] = mapped_column(sa.String(10), index=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    clinician_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clinician.id", ondelete="CASCADE"))
    deactivated_on: Mapped[date]
    source_label: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    resolution_note: Mapped[str | None] = mapped_column(sa.String(500))
    # Set when NPPES itself closed the flag: the reactivation date it gives, and the file that said so.
    reactivated_on: Mapped[date | None]
    reactivation_source: Mapped[str | None] = mapped_column(sa.String(200))

    provider: Mapped[Provider] = relationship()
    clinician: Mapped[Clinician | None] = relationship()
