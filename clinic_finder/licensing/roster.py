"""Checking our licenses against a license board's roster: what one roster row means for the license it names.

A roster is primary-source evidence: a row that agrees with a license we hold (number, name, an active status,
the same expiry date) verifies it, with the evidence "roster <file>, dated <date>". A row that disagrees is a
mismatch for an admin, with its reasons; a license we show as current that the roster does not list is one too.
Disciplinary actions the roster lists are recorded on the license, but only when the name agrees: an action must
never land on the wrong person because a number was mistyped.

This module decides (decide_row, not_found); roster_apply.py writes the decisions and roster_import.py runs them
through the import engine. Deciding reads nothing but
the RosterIndex loaded once at the start, so a dry run decides exactly what a real run would.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from clinic_finder.extensions import db
from clinic_finder.inputs.dates import file_date
from clinic_finder.inputs.places import state_code
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.licensing import roster_columns
from clinic_finder.licensing.board_words import BoardAction, Standing, actions_in_cell, actions_in_status, standing_of
from clinic_finder.licensing.person_names import same_person
from clinic_finder.licensing.roster_file import RawRow
from clinic_finder.licensing.status import status_on
from clinic_finder.licensing.verification import license_number_problem, normalize_license_number
from clinic_finder.models import Clinician, Credential, License, LicenseStatus, MismatchKind, Provider
from clinic_finder.models.board_findings import SOURCE_MAX_CHARS

_NOT_KEY = re.compile(r"[^A-Z0-9]")
# Our statuses that already say a license is not current: a roster that leaves it out agrees with us.
_NOT_CURRENT = (LicenseStatus.EXPIRED, LicenseStatus.REVOKED, LicenseStatus.REJECTED)
# How boards name the kinds of license we hold, for the optional license type column.
_LICENSE_TYPES: dict[str, Credential] = {
    "md": Credential.MD, "m d": Credential.MD, "physician": Credential.MD, "medical doctor": Credential.MD,
    "physician and surgeon": Credential.MD, "do": Credential.DO, "d o": Credential.DO,
    "osteopathic physician": Credential.DO, "np": Credential.NP, "aprn": Credential.NP, "arnp": Credential.NP,
    "nurse practitioner": Credential.NP, "advanced practice registered nurse": Credential.NP,
    "pa": Credential.PA, "pa c": Credential.PA, "physician assistant": Credential.PA, "crna": Credential.CRNA,
    "certified registered nurse anesthetist": Credential.CRNA, "rn": Credential.RN, "registered nurse": Credential.RN,
    "lcsw": Credential.LCSW, "lpc": Credential.LPC, "psyd": Credential.PSYD, "psychologist": Credential.PHD,
    "phd": Credential.PHD,
}


def license_key(number: str) -> str:
    """Boards and providers differ in separators ("MD-12345", "MD 12345", "MD12345"), never in the characters."""
    return _NOT_KEY.sub("", number.upper())


@dataclass(frozen=True)
class RosterSource:
    file_name: str
    dated: date
    state: str
    credentials: frozenset[Credential] = frozenset()  # the kinds of license the roster covers; empty: every kind

    @property
    def evidence(self) -> str:
        tail = f", dated {self.dated.isoformat()}"
        name = self.file_name[: SOURCE_MAX_CHARS - len("roster ") - len(tail)]
        return f"roster {name}{tail}"


@dataclass(frozen=True)
class OurLicense:
    """What deciding needs to know about one of our licenses, read once at the start of a run."""

    id: int
    credential: Credential
    number: str
    clinician_name: str
    status: LicenseStatus  # as patients are shown it today
    expires_on: date | None
    checked_on: date | None
    evidence_note: str | None
    recorded_actions: frozenset[tuple[str, str, date | None]]  # (kind, wording, date) already on file


class RosterIndex:
    """Our licenses in the roster's state, by license key. Its size is our directory's, not the file's."""

    def __init__(self, licenses: list[OurLicense]):
        self.by_key: dict[str, list[OurLicense]] = {}
        for lic in licenses:
            self.by_key.setdefault(license_key(lic.number), []).append(lic)

    @classmethod
    def load(cls, source: RosterSource, today: date) -> RosterIndex:
        # Demo listings are never matched by an import: their numbers are fictional, whatever a file says.
        stmt = (sa.select(License).join(License.clinician).join(Clinician.provider)
                .where(License.state == source.state, Provider.is_demo.is_(False))
                .options(joinedload(License.clinician), selectinload(License.disciplinary_actions))
                .order_by(License.id))  # the same order on every database, so a run's report is too
        if source.credentials:
            stmt = stmt.where(License.credential.in_(source.credentials))
        return cls([OurLicense(
            lic.id, lic.credential, lic.license_number, lic.clinician.full_name, status_on(lic, today),
            lic.expires_on, lic.checked_on, lic.evidence_note,
            frozenset((a.kind.value, a.board_wording, a.action_on) for a in lic.disciplinary_actions),
        ) for lic in db.session.scalars(stmt)])

    def candidates(self, number: str) -> list[OurLicense]:
        return self.by_key.get(license_key(number), []) if number else []

    def __iter__(self) -> Iterator[OurLicense]:
        for licenses in self.by_key.values():
            yield from licenses


class Verdict(enum.Enum):
    VERIFY = "verify"  # agrees in every respect: becomes verified with the roster as evidence
    CONFIRMED = "confirmed"  # agrees, and we already hold exactly this (verified from this roster, or not current)
    STALE = "stale"  # one of ours that a newer check already covers: the roster is older than it
    MISMATCH = "mismatch"
    REFUSED = "refused"  # the row cannot be read or matched; its reason goes to the report
    NOT_OURS = "not_ours"  # a license that is not in our directory: most of any roster
    OTHER_STATE = "other_state"


@dataclass(frozen=True)
class Mismatch:
    kind: MismatchKind
    detail: str


@dataclass(frozen=True)
class RowOutcome:
    line: int | None  # None for a license the roster does not list
    verdict: Verdict
    license_id: int | None = None
    expires_on: date | None = None  # the roster's, for VERIFY
    mismatches: tuple[Mismatch, ...] = ()
    actions: tuple[BoardAction, ...] = ()  # disciplinary actions to record (not yet on file)
    reason: str | None = None  # why a row was refused


@dataclass
class RunState:
    """What a run remembers between rows: which of our licenses it has met, on which line (bounded like the index)."""

    seen: dict[int, int] = field(default_factory=dict)


def decide_row(row: RawRow, positions: dict[str, int], index: RosterIndex, source: RosterSource,
               state: RunState, today: date) -> RowOutcome:
    """What one roster row means. Pure apart from noting the licenses it names in `state`.

    Most rows are not ours, so only the number (and state) of a row is read before we know it is."""
    number = normalize_license_number(roster_columns.value(row.cells, positions, "license_number"))
    candidates = index.candidates(number)
    if row.problem:
        for lic in candidates:  # unreadable, but present: not a license the roster leaves out
            state.seen.setdefault(lic.id, row.line)
        return _refused(row, row.problem)
    row_state = roster_columns.value(row.cells, positions, "state")
    if row_state:
        try:
            row_state = state_code(row_state)
        except InvalidInput:
            return _refused(row, f"the state '{row_state[:20]}' is not a US state (or DC) code")
        if row_state != source.state:
            return RowOutcome(row.line, Verdict.OTHER_STATE)
    if not number:
        return _refused(row, "no license number")
    problem = license_number_problem(number)
    if problem:
        return _refused(row, f"license number '{number[:60]}': {problem}")
    if not candidates:
        return RowOutcome(row.line, Verdict.NOT_OURS)
    cells = roster_columns.values(row.cells, positions)
    candidates = _narrow_by_type(candidates, cells.get("license_type", ""))
    if not candidates:
        return RowOutcome(row.line, Verdict.NOT_OURS)
    if len(candidates) > 1:
        for lic in candidates:  # on the roster, just not told apart: not "not found"
            state.seen.setdefault(lic.id, row.line)
        kinds = ", ".join(sorted({lic.credential.value for lic in candidates}))
        return _refused(row, f"{number} is on file for more than one kind of license in {source.state} ({kinds}); "
                             "add a license type column, or run with --credential")
    lic = candidates[0]
    first_line = state.seen.setdefault(lic.id, row.line)
    if first_line != row.line:
        return RowOutcome(row.line, Verdict.MISMATCH, lic.id, mismatches=(Mismatch(
            MismatchKind.LISTED_TWICE, f"the roster lists {number} on lines {first_line} and {row.line}; "
                                       "check which entry is current"),))
    return _decide_match(row, cells, lic, source, today)


def _decide_match(row: RawRow, cells: dict[str, str], lic: OurLicense, source: RosterSource,
                  today: date) -> RowOutcome:
    status_text = cells.get("status", "")
    standing = standing_of(status_text)
    if standing is None:
        return _refused(row, f"the status '{status_text[:60]}' is not one we know (the command's --help lists "
                             "the statuses it reads)" if status_text else "no license status")
    try:
        expires_on = file_date(cells.get("expiry"), "expiry", "expiry date")
        action_on = file_date(cells.get("discipline_date"), "discipline_date", "disciplinary action date")
    except InvalidInput as exc:
        return _refused(row, exc.message)
    listed = actions_in_cell(cells.get("discipline", ""), action_on)
    # "Active - Probation" beside "Probation" in the discipline column is one action, not two.
    listed += [a for a in actions_in_status(status_text) if a.kind not in {b.kind for b in listed}]
    actions = tuple(a for a in listed if (a.kind.value, a.wording, a.action_on) not in lic.recorded_actions)

    if not same_person(cells.get("name", ""), lic.clinician_name):
        also = f"; it also lists: {'; '.join(a.wording for a in actions)} (not recorded)" if actions else ""
        return RowOutcome(row.line, Verdict.MISMATCH, lic.id, mismatches=(Mismatch(
            MismatchKind.NAME, f"the roster names '{cells.get('name', '')[:80]}'; we list {lic.clinician_name}"
                               f"{also}"),))
    if lic.checked_on is not None and lic.checked_on > source.dated:
        return RowOutcome(row.line, Verdict.STALE, lic.id, actions=actions)
    mismatches = _disagreements(standing, status_text, expires_on, lic, source, today)
    if mismatches:
        return RowOutcome(row.line, Verdict.MISMATCH, lic.id, mismatches=mismatches, actions=actions)
    if standing is not Standing.ACTIVE or (
            lic.status == LicenseStatus.VERIFIED and lic.evidence_note == source.evidence
            and lic.expires_on == expires_on):
        return RowOutcome(row.line, Verdict.CONFIRMED, lic.id, actions=actions)
    return RowOutcome(row.line, Verdict.VERIFY, lic.id, expires_on=expires_on, actions=actions)


def _disagreements(standing: Standing, status_text: str, expires_on: date | None, lic: OurLicense,
                   source: RosterSource, today: date) -> tuple[Mismatch, ...]:
    shown = lic.status.label.lower()
    if standing is Standing.LAPSED and lic.status == LicenseStatus.EXPIRED:
        return ()
    if standing is Standing.REVOKED and lic.status == LicenseStatus.REVOKED:
        return ()
    if standing is not Standing.ACTIVE or lic.status == LicenseStatus.REVOKED:
        return (Mismatch(MismatchKind.STATUS, f"the roster's status is '{status_text[:60]}'; we show {shown}"),)
    if expires_on is None:
        return (Mismatch(MismatchKind.EXPIRY, "the roster gives no expiry date, so it cannot verify the license"),)
    if expires_on < today:
        return (Mismatch(MismatchKind.EXPIRY, f"the roster's expiry date {expires_on.isoformat()} has passed"),)
    if lic.expires_on is not None and lic.expires_on != expires_on:
        return (Mismatch(MismatchKind.EXPIRY, f"the roster's expiry date is {expires_on.isoformat()}; "
                                              f"we have {lic.expires_on.isoformat()}"),)
    return ()


def _narrow_by_type(candidates: list[OurLicense], license_type: str) -> list[OurLicense]:
    credential = _LICENSE_TYPES.get(roster_columns.header_key(license_type)) if license_type else None
    return [lic for lic in candidates if lic.credential == credential] if credential else candidates


def _refused(row: RawRow, reason: str) -> RowOutcome:
    return RowOutcome(row.line, Verdict.REFUSED, reason=reason)


def not_found(index: RosterIndex, state: RunState, source: RosterSource) -> Iterator[RowOutcome]:
    """Our current licenses the roster does not list (after the whole file was read)."""
    for lic in index:
        if lic.id in state.seen or lic.status in _NOT_CURRENT:
            continue
        if lic.checked_on is not None and lic.checked_on > source.dated:
            continue
        yield RowOutcome(None, Verdict.MISMATCH, lic.id, mismatches=(Mismatch(
            MismatchKind.NOT_FOUND, f"{lic.number} is not on the {source.state} roster"),))
