"""Problem reports from the public ("wrong phone", "closed", "license concern" …) and how staff close them.

A report changes nothing on the profile by itself: staff check it and then correct the listing, suspend it, or
dismiss the report. Every decision is written to the audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from clinic_finder.extensions import db
from clinic_finder.inputs.contact import email_address
from clinic_finder.inputs.pagination import Page, paginate
from clinic_finder.inputs.problems import InvalidInput, ProblemCollector
from clinic_finder.inputs.text import plain_text
from clinic_finder.models import ProblemCategory, ProblemReport, Provider, RequestStatus, User
from clinic_finder.staff import audit

NOTE_MAX = 1000
RESOLUTION_MAX = 500
# Categories where the report means nothing without a few words from the person.
NOTE_REQUIRED = {ProblemCategory.OTHER, ProblemCategory.LICENSE_CONCERN}


class InvalidReport(InvalidInput):
    """A problem report that cannot be accepted or closed; .errors is {field: message}."""


@dataclass(frozen=True)
class ReportInput:
    category: str
    note: str | None
    reporter_email: str | None


def create_report(provider: Provider, data: ReportInput) -> ProblemReport:
    found = ProblemCollector()
    try:
        category = ProblemCategory(data.category)
    except ValueError:
        category = None
        found.add("category", "Please choose what is wrong.")
    note = found.take(plain_text, data.note, "note", "note", NOTE_MAX, multiline=True, required=(
        "Please describe the problem in a few words, so our team can check it." if category in NOTE_REQUIRED
        else None))
    email = found.take(email_address, data.reporter_email, "reporter_email")
    if found.problems:
        raise InvalidReport.of(found.problems)
    report = ProblemReport(provider_id=provider.id, category=category, note=note, reporter_email=email,
                           status=RequestStatus.OPEN)
    db.session.add(report)
    db.session.commit()
    return report


def open_count() -> int:
    """For the admin dashboard."""
    return db.session.scalar(
        sa.select(sa.func.count(ProblemReport.id)).where(ProblemReport.status == RequestStatus.OPEN)
    ) or 0


def list_reports(page: int, per_page: int, status: RequestStatus = RequestStatus.OPEN) -> Page:
    order = (ProblemReport.created_at.asc(), ProblemReport.id.asc()) if status == RequestStatus.OPEN \
        else (ProblemReport.resolved_at.desc(), ProblemReport.id.desc())
    return paginate(sa.select(ProblemReport).where(ProblemReport.status == status).order_by(*order), page, per_page,
                    options=(joinedload(ProblemReport.provider),))


def get_report(report_id: int) -> ProblemReport | None:
    return db.session.get(ProblemReport, report_id)


def close_report(report: ProblemReport, status: RequestStatus, resolution_note: str | None, actor: User,
                 ip_address: str | None = None) -> None:
    """Resolve (the problem was real and is fixed) or dismiss (it was not) an open report."""
    if status not in (RequestStatus.RESOLVED, RequestStatus.DISMISSED):
        raise InvalidReport("status", "Choose resolved or dismissed.")
    if report.status != RequestStatus.OPEN:
        raise InvalidReport("status", f"Report #{report.id} was already {report.status.label.lower()}.")
    try:
        note = plain_text(resolution_note, "resolution_note", "note", RESOLUTION_MAX, multiline=True,
                          required="Please say why the report is dismissed." if status == RequestStatus.DISMISSED
                          else None)
    except InvalidInput as exc:
        raise InvalidReport.of(exc.problems) from None
    before = audit.snapshot(report, ["status", "resolution_note"])
    report.status = status
    report.resolution_note = note
    report.resolved_at = datetime.now(UTC)
    report.resolved_by_id = actor.id
    audit.record(actor, f"problem_report.{status.value}", "problem_report", report.id, before=before,
                 after=audit.snapshot(report, ["status", "resolution_note"]), ip_address=ip_address)
    db.session.commit()
