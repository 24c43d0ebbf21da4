"""Clinicians who work for a provider and the professional licenses each holds."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_finder.extensions import db
from clinic_finder.models.enums import Credential, LicenseStatus, VerificationSource, enum_column
from clinic_finder.models.types import UTCDateTime, new_uuid, utcnow

if TYPE_CHECKING:
    from clinic_finder.models.board_findings import DisciplinaryAction, RosterMismatch
    from clinic_finder.models.provider import Provider
    from clinic_finder.models.user import User


class Clinician(db.Model):
    __tablename__ = "clinician"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), nullable=True, unique=True, index=True,
                                      default=new_uuid)  # see Provider.uuid
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(160))
    credential: Mapped[Credential] = mapped_column(enum_column(Credential))
    title: Mapped[str | None] = mapped_column(sa.String(120))  # e.g. "Medical director"
    is_medical_director: Mapped[bool] = mapped_column(default=False)
    specialty: Mapped[str | None] = mapped_column(sa.String(120))
    board_certification: Mapped[str | None] = mapped_column(sa.String(200))
    # 10 digits with a Luhn check digit over the "80840" prefix; validated in npi.py before storing.
    npi: Mapped[str | None] = mapped_column(sa.String(10), index=True)

    provider: Mapped[Provider] = relationship(back_populates="clinicians")
    licenses: Mapped[list[License]] = relationship(
        back_populates="clinician", cascade="all, delete-orphan", order_by="License.id"
    )


class License(db.Model):
    __tablename__ = "license"
    __table_args__ = (
        sa.CheckConstraint(
            "expires_on IS NULL OR issued_on IS NULL OR issued_on <= expires_on",
            name="issued_before_expiry",
        ),
        sa.UniqueConstraint("state", "license_number", "credential", name="uq_license_state_number"),
        sa.Index("ix_license_status_expires_on", "status", "expires_on"),
        # Who may prescribe where (licensing/prescribers.prescriber_until_sql), read from this index alone.
        sa.Index("ix_license_clinician_state", "clinician_id", "state", "status", "credential", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("clinician.id", ondelete="CASCADE"), index=True)
    credential: Mapped[Credential] = mapped_column(enum_column(Credential))
    state: Mapped[str] = mapped_column(sa.String(2))
    license_number: Mapped[str] = mapped_column(sa.String(40))
    # A DEA registration is a separate federal record; True means a copy is on file.
    dea_registration_on_file: Mapped[bool] = mapped_column(default=False)
    status: Mapped[LicenseStatus] = mapped_column(enum_column(LicenseStatus), default=LicenseStatus.UNVERIFIED)
    issued_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    verification_source: Mapped[VerificationSource | None] = mapped_column(enum_column(VerificationSource))
    checked_on: Mapped[date | None]
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    evidence_note: Mapped[str | None] = mapped_column(sa.Text)
    # Evidence files live outside the web root (instance/evidence/); only the stored name is kept here.
    evidence_file: Mapped[str | None] = mapped_column(sa.String(200))
    evidence_mime: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clinician: Mapped[Clinician] = relationship(back_populates="licenses")
    verified_by: Mapped[User | None] = relationship()
    disciplinary_actions: Mapped[list[DisciplinaryAction]] = relationship(
        back_populates="license", cascade="all, delete-orphan",
        order_by="(DisciplinaryAction.action_on.desc(), DisciplinaryAction.id)",
    )
    roster_mismatches: Mapped[list[RosterMismatch]] = relationship(
        back_populates="license", cascade="all, delete-orphan", order_by="RosterMismatch.id"
    )
    open_roster_mismatches: Mapped[list[RosterMismatch]] = relationship(
        primaryjoin="and_(RosterMismatch.license_id == License.id, RosterMismatch.resolved_at.is_(None))",
        order_by="RosterMismatch.id", viewonly=True,
    )

    def expires_within(self, days: int, today: date) -> bool:
        return self.expires_on is not None and 0 <= (self.expires_on - today).days <= days
