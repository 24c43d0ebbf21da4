"""Recording an admin's check of a license: outcome, source, dates, evidence, and what it changes.

A check is refused whole when any part is wrong (nothing is written, no file is kept). The clinician's NPI is
checked locally with its check digit before anything else, so a typo is caught before anyone searches a
registry for it. A recorded outcome updates the provider's "licenses verified" checklist item and its date, the
NPI item when the NPI registry was the source, and the provider's license status; the audit trail gets the
before and after.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from clinic_finder.extensions import db
from clinic_finder.inputs.text import has_control_characters
from clinic_finder.licensing import evidence_files, roster_mismatches
from clinic_finder.licensing import status as licensing
from clinic_finder.licensing.npi import npi_problem
from clinic_finder.models import ChecklistSource, License, LicenseStatus, Provider, User, VerificationSource
from clinic_finder.staff import audit
from clinic_finder.vetting import checklist as vetting

OUTCOMES = (LicenseStatus.VERIFIED, LicenseStatus.REJECTED, LicenseStatus.REVOKED)
SOURCES = (VerificationSource.STATE_BOARD, VerificationSource.NPI_REGISTRY, VerificationSource.DOCUMENT)
NOTE_MAX_CHARS = 2000
# Boards print letters, digits and a few separators (e.g. "MD.123456", "RN-1234/5", "A 12345"); nothing else.
LICENSE_NUMBER = re.compile(r"^[A-Z0-9](?:[A-Z0-9./ -]{0,38}[A-Z0-9])?$")

AUDITED_FIELDS = ["status", "license_number", "verification_source", "checked_on", "issued_on", "expires_on",
                  "evidence_note", "evidence_file"]


class VerificationRefused(ValueError):
    """A check that breaks a rule; field names the form field the message belongs beside."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Upload:
    stream: BinaryIO
    filename: str
    content_type: str | None


@dataclass(frozen=True)
class VerificationInput:
    outcome: LicenseStatus
    source: VerificationSource
    checked_on: date
    license_number: str
    issued_on: date | None
    expires_on: date | None
    evidence_note: str
    npi: str | None = None
    evidence: Upload | None = None


def normalize_license_number(raw: str) -> str:
    return " ".join(raw.split()).upper()


def license_number_problem(number: str) -> str | None:
    if not number:
        return "Please enter the license number as the board shows it."
    if not LICENSE_NUMBER.match(number):
        return ("A license number has only letters, digits, and the separators . - / or a space "
                "(at most 40 characters); please copy it again from the board's page.")
    return None


def check_verification(lic: License, data: VerificationInput, today: date) -> None:
    """Raise VerificationRefused for the first rule the input breaks, in the order an admin would fix them."""
    npi = (data.npi or "").strip()
    if npi:
        problem = npi_problem(npi)
        if problem:
            raise VerificationRefused("npi", problem)
    elif data.source == VerificationSource.NPI_REGISTRY:
        raise VerificationRefused("npi", "The NPI registry was the source, so please enter the clinician's NPI.")
    if data.outcome not in OUTCOMES:
        raise VerificationRefused("outcome", "Please choose verified, rejected or revoked.")
    if data.source not in SOURCES:
        raise VerificationRefused("source", "Please choose where you checked the license.")
    problem = license_number_problem(data.license_number)
    if problem:
        raise VerificationRefused("license_number", problem)
    if data.checked_on > today:
        raise VerificationRefused("checked_on", "The date checked cannot be in the future.")
    if data.issued_on and data.issued_on > today:
        raise VerificationRefused("issued_on", "The issue date cannot be in the future.")
    if data.expires_on and data.issued_on and data.expires_on < data.issued_on:
        raise VerificationRefused("expires_on", "The expiry date cannot be before the issue date.")
    if data.outcome == LicenseStatus.VERIFIED:
        if data.expires_on is None:
            raise VerificationRefused("expires_on", "A verified license needs the expiry date the board shows.")
        if data.expires_on < today:
            raise VerificationRefused("expires_on", "This expiry date has passed, so the license cannot be "
                                                    "marked verified; record it as rejected, or check the date.")
    note = data.evidence_note.strip()
    if len(note) < 10:
        raise VerificationRefused("evidence_note", "Please describe the evidence (at least 10 characters): what "
                                                   "the board's page showed and where.")
    if len(note) > NOTE_MAX_CHARS:
        raise VerificationRefused("evidence_note", f"Please keep the note under {NOTE_MAX_CHARS} characters.")
    if has_control_characters(note, allow_line_breaks=True):
        raise VerificationRefused("evidence_note", "Please remove the invisible control characters from the note.")
    duplicate = db.session.scalar(
        db.select(License.id).where(License.id != lic.id, License.state == lic.state,
                                    License.credential == lic.credential, License.license_number == data.license_number)
    )
    if duplicate is not None:
        raise VerificationRefused("license_number", f"License #{duplicate} already has this number in this state.")


def record_verification(lic: License, data: VerificationInput, actor: User, evidence_folder: Path | None = None,
                        max_evidence_bytes: int = 0, ip_address: str | None = None,
                        now: datetime | None = None, commit: bool = True) -> License:
    """Apply an admin's check to a license and everything that depends on it, or raise VerificationRefused.

    The folder and size limit matter only with an evidence file (a board roster's evidence is its name and date).
    Any roster mismatch still open on the license is settled by this outcome. commit=False leaves the transaction
    (and undoing it) to the caller: the import engine commits a roster's rows in batches, or rolls a dry run back.
    """
    now = now or datetime.now(UTC)
    data = replace(data, license_number=normalize_license_number(data.license_number))
    check_verification(lic, data, now.date())
    upload = None
    if data.evidence is not None:
        try:
            upload = evidence_files.check(data.evidence.stream, data.evidence.filename, data.evidence.content_type,
                                          max_evidence_bytes)
        except evidence_files.EvidenceRefused as exc:
            raise VerificationRefused("evidence", str(exc)) from None

    before = audit.snapshot(lic, AUDITED_FIELDS)
    clinician = lic.clinician
    before["npi"] = clinician.npi
    stored = evidence_files.store(evidence_folder, *upload) if upload else None
    try:
        lic.status = data.outcome
        lic.verification_source = data.source
        lic.checked_on = data.checked_on
        lic.license_number = data.license_number
        lic.issued_on = data.issued_on
        lic.expires_on = data.expires_on
        lic.evidence_note = data.evidence_note.strip()
        lic.verified_at = now
        lic.verified_by_id = actor.id
        if stored:
            lic.evidence_file, lic.evidence_mime = stored.name, stored.mime
        roster_mismatches.resolve_open(lic, actor, now, f"recorded as {data.outcome.value} by {actor.email}")
        if data.npi and data.npi.strip() != clinician.npi:
            clinician.npi = data.npi.strip()
        provider = clinician.provider
        licensing.refresh_license_status(provider)
        _update_checklist(provider, lic, data, now, actor)
        after = audit.snapshot(lic, AUDITED_FIELDS)
        after["npi"] = clinician.npi
        audit.record(actor, "license.verify", "license", lic.id, before=before, after=after, ip_address=ip_address)
        if commit:
            db.session.commit()
    except Exception:
        if commit:
            db.session.rollback()
        if stored:
            evidence_files.discard(evidence_folder, stored.name)
        raise
    return lic


def licenses_summary(provider: Provider, today: date | None = None) -> str | None:
    """The checklist's words for a provider's licenses, e.g. "2 of 3 licenses verified; 1 revoked" (derived)."""
    return licensing.licenses_fact(provider, today or datetime.now(UTC).date()).text


def _update_checklist(provider: Provider, lic: License, data: VerificationInput, now: datetime,
                      actor: User) -> None:
    # "Licenses on file and verified" is derived from the license rows (vetting.checklist), never stored.
    npi = lic.clinician.npi
    if data.source == VerificationSource.NPI_REGISTRY and data.outcome == LicenseStatus.VERIFIED and npi:
        value = f"{npi} (fictional)" if provider.is_demo else npi
        vetting.set_check(provider, "npi", value, ChecklistSource.ADMIN_VERIFIED, verified_at=now,
                          verified_by=actor.email)
