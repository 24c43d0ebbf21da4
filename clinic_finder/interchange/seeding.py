"""Loading seed files (the fictional demo directory) with every row checked before anything is written.

A seed file is JSON: {"format": "clinic_finder-seed/1", "providers": [...]}; seed_data/README.md documents
the fields. Dates are given relative to the day of loading ("verified_days_ago": 40) so the demo stays
realistic whenever it is loaded. A bad row refuses the whole load, naming the file, row and reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.inputs.problems import InvalidInput

# SEED_FORMAT is imported from here by the seed's callers; the file's shape is read in one place.
from clinic_finder.interchange.json_reading import SEED_FORMAT, seed_providers  # noqa: F401
from clinic_finder.licensing import status as licensing
from clinic_finder.listings.record import Level, validate_provider
from clinic_finder.models import (
    ChecklistSource,
    Clinician,
    Credential,
    License,
    LicenseStatus,
    ListingStatus,
    Location,
    Mode,
    ModerationStatus,
    Provider,
    Review,
    Route,
    ServiceState,
    VerificationSource,
)
from clinic_finder.reviews import ratings
from clinic_finder.vetting import checklist as vetting

# Demo license numbers use a reserved pattern no licensing board issues, so they cannot be mistaken for real ones.
DEMO_LICENSE_PATTERN = re.compile(r"^DEMO-[A-Z]{2}-\d{6}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class SeedError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class SeedResult:
    added: int = 0
    skipped: int = 0
    files: list[str] = field(default_factory=list)
    # Rows loaded as pending review rather than published, each with what it lacks.
    held: list[str] = field(default_factory=list)


class _Row:
    """Collects the problems of one row as "field: reason"; callers name the file and row around them."""

    def __init__(self, file: str, index: int, data: Any):
        self.file, self.index, self.data = file, index, data
        self.problems: list[str] = []
        self.label = f"{file}: provider {index}"
        if isinstance(data, dict) and data.get("slug"):
            self.label += f" ({data['slug']})"

    def fail(self, where: str, reason: str) -> None:
        self.problems.append(f"{where}: {reason}")

    def required(self, obj: dict, key: str, where: str, kind=str):
        if key not in obj or obj[key] in (None, ""):
            self.fail(f"{where}{key}", "missing required field")
            return None
        value = obj[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(f"{where}{key}", f"must be a whole number, got {value!r}")
            return None
        if kind is str and not isinstance(value, str):
            self.fail(f"{where}{key}", f"must be text, got {value!r}")
            return None
        return value

    def enum(self, enum_cls, value, where: str):
        try:
            return enum_cls.parse(value)
        except (ValueError, TypeError) as exc:
            self.fail(where, str(exc))
            return None


def read_seed_files(paths: list[Path]) -> list[tuple[str, int, dict]]:
    problems: list[str] = []
    rows: list[tuple[str, int, dict]] = []
    for path in paths:
        try:
            rows.extend((path.name, i, p) for i, p in seed_providers(path))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: cannot be read: {exc}")
        except ValueError as exc:
            problems.append(f"{path.name}: {exc}")
    if problems:
        raise SeedError(problems)
    return rows


def validate_rows(rows: list[tuple[str, int, dict]], *, demo: bool = True) -> list[dict]:
    """Every row checked (check_row); the rows come back normalized, or SeedError lists every problem with file
    and row."""
    problems: list[str] = []
    seen_slugs: dict[str, str] = {}
    seen_licenses: dict[tuple, str] = {}
    records: list[dict] = []
    for file, index, data in rows:
        row = _Row(file, index, data)
        record = check_row(row, seen_slugs, seen_licenses, demo=demo)
        problems.extend(f"{row.label}: {p}" for p in row.problems)
        if record is not None and not row.problems:
            records.append(record)
    if problems:
        raise SeedError(problems)
    return records


def check_row(row: _Row, seen_slugs: dict, seen_licenses: dict, *, demo: bool) -> dict | None:
    """One row checked by the one provider-record validator, plus what only a file has (slugs, reviews, and in the
    demo seed the reserved license numbers); the normalized record, or None with row.problems saying why."""
    data = row.data
    if not isinstance(data, dict):
        row.fail("row", "must be an object")
        return None
    _check_slug(row, data, seen_slugs)
    record = _checked_record(row, data)
    _check_license_numbers(row, data, seen_licenses, demo=demo)
    _check_reviews(row, data)
    return record


def checked_row(file: str, index: int, data: Any, seen_slugs: dict, seen_licenses: dict) -> tuple[dict | None,
                                                                                                  list[str]]:
    """check_row for an import (not the demo seed): (record, problems as "field: reason")."""
    row = _Row(file, index, data)
    record = check_row(row, seen_slugs, seen_licenses, demo=False)
    return (None if row.problems else record), row.problems


def _check_slug(row: _Row, data: dict, seen_slugs: dict) -> None:
    slug = row.required(data, "slug", "")
    if not slug:
        return
    if not SLUG_PATTERN.match(slug):
        row.fail("slug", "use lowercase letters, digits and single hyphens")
    elif slug in seen_slugs:
        row.fail("slug", f"duplicate of {seen_slugs[slug]}")
    else:
        seen_slugs[slug] = row.label


def _checked_record(row: _Row, data: dict) -> dict | None:
    """The row as the validator returns it, with the seed-only keys (slug, dates, reviews) kept.

    A row to be published must be publishable; one that is only a valid draft is loaded as pending review, and
    the result says why (an import rarely knows everything a patient needs; it is not refused for that).
    """
    status = data.get("listing_status") or ListingStatus.PUBLISHED.value
    try:
        status = ListingStatus.parse(status).value
    except ValueError as exc:
        row.fail("listing_status", str(exc))
        return None
    held = None
    try:
        record = validate_provider(data, Level.PUBLISHABLE if status == ListingStatus.PUBLISHED.value
                                   else Level.DRAFT)
    except InvalidInput as err:
        if status != ListingStatus.PUBLISHED.value:
            return _fail_all(row, err)
        held = err
        try:
            record = validate_provider(data, Level.DRAFT)
        except InvalidInput as draft_err:
            return _fail_all(row, draft_err)
        status = ListingStatus.PENDING.value
    return {**data, **record, "listing_status": status, "held_because": held and [
        f"{row.label}: {p.field}: {p.message}" for p in held.problems]}


def _fail_all(row: _Row, err: InvalidInput) -> None:
    for problem in err.problems:
        row.fail(problem.field, problem.message)


def _licenses(data: dict):
    """(where, license) for each license object of the row's clinicians (what the validator reports otherwise)."""
    clinicians = data.get("clinicians")
    for ci, clin in enumerate(clinicians if isinstance(clinicians, list) else [], start=1):
        licenses = clin.get("licenses") if isinstance(clin, dict) else None
        for li, lic in enumerate(licenses if isinstance(licenses, list) else [], start=1):
            if isinstance(lic, dict):
                yield f"clinicians[{ci}].licenses[{li}].", lic, clin.get("credential")


def _check_license_numbers(row: _Row, data: dict, seen_licenses: dict, *, demo: bool) -> None:
    """Demo files may only carry the reserved demo pattern, so a fictional license cannot pass for a real one.
    (An import's license numbers are claims: they arrive unverified, and a board's roster checks them.)"""
    for where, lic, credential in _licenses(data):
        number = lic.get("license_number")
        if not isinstance(number, str) or not number:
            continue
        if demo and not DEMO_LICENSE_PATTERN.match(number):
            row.fail(f"{where}license_number", f"'{number}' does not use the reserved demo pattern DEMO-ST-000000")
        key = (lic.get("state"), number, lic.get("credential", credential))
        if key in seen_licenses:
            row.fail(f"{where}license_number", f"duplicate of {seen_licenses[key]}")
        else:
            seen_licenses[key] = row.label


_REVIEW_RATINGS = ("overall_rating", "experience_rating", "professionalism_rating", "customer_service_rating")


def _check_reviews(row: _Row, data: dict) -> None:
    """Demo reviews (an import drops them: reviews only come through the moderated review form)."""
    for ri, rev in enumerate(data.get("reviews") or [], start=1):
        where = f"reviews[{ri}]."
        if not isinstance(rev, dict):
            row.fail(f"reviews[{ri}]", "must be an object")
            continue
        for key in _REVIEW_RATINGS:
            value = row.required(rev, key, where, kind=int)
            if value is not None and not 1 <= value <= 5:
                row.fail(f"{where}{key}", f"must be from 1 to 5, got {value}")
        text = row.required(rev, "text", where)
        if text and not 50 <= len(text) <= 5000:
            row.fail(f"{where}text", f"must be 50 to 5,000 characters, got {len(text)}")
        row.required(rev, "contact_email", where)
        if rev.get("status") is not None:
            row.enum(ModerationStatus, rev["status"], f"{where}status")


def load_rows(records: list[dict], *, demo: bool, now: datetime | None = None) -> SeedResult:
    """Insert providers whose slug is not yet present, all in the caller's transaction."""
    now = now or datetime.now(UTC)
    result = SeedResult()
    existing = set(db.session.scalars(sa.select(Provider.slug)))
    for record in records:
        if record["slug"] in existing:
            result.skipped += 1
            continue
        db.session.add(build_provider(record, demo=demo, now=now))
        existing.add(record["slug"])
        result.added += 1
        result.held.extend(record.get("held_because") or [])
    db.session.flush()
    return result


def moment_days_before(now: datetime, days: int | None) -> datetime | None:
    return None if days is None else now - timedelta(days=days)


def build_provider(record: dict, *, demo: bool, now: datetime) -> Provider:
    """A provider from a validated record (every value already checked and normalized)."""
    modes = set(record["modes"])
    p = Provider(
        slug=record["slug"],
        name=record["name"],
        description=record["description"] or "",
        offers_in_clinic=Mode.IN_CLINIC.value in modes,
        offers_at_home=Mode.AT_HOME.value in modes,
        listing_status=ListingStatus(record["listing_status"]),
        is_demo=demo,
        created_at=moment_days_before(now, record.get("created_days_ago")) or now,
        **{column: record[column] for column in _PROVIDER_COLUMNS},
    )
    p.routes = record["routes"]
    p.conditions = record["conditions"]
    p.locations = [_build_location(loc) for loc in record["locations"]]
    p.service_states = [ServiceState(state=s) for s in record["states_served"]]
    p.clinicians = [_build_clinician(clin, now) for clin in record["clinicians"]]
    for item in record["checklist"]:
        vetting.set_check(p, item["key"], item["value"], ChecklistSource(item["source"]),
                          verified_at=moment_days_before(now, item["verified_days_ago"]), note=item["note"],
                          verified_by=item["verified_by"])
    p.reviews = [_build_review(rev, now) for rev in record.get("reviews") or []]
    licensing.refresh_license_status(p)
    return p


_PROVIDER_COLUMNS = ("website", "phone", "email", "price_min_usd", "price_max_usd", "package_pricing_note",
                     "insurance_accepted", "insurance_note", "superbill_offered", "free_consultation",
                     "session_length_minutes")
_LOCATION_COLUMNS = ("label", "address_line1", "address_line2", "city", "state", "zip_code", "accepting_new_patients")


def _build_location(loc: dict) -> Location:
    location = Location(**{column: loc[column] for column in _LOCATION_COLUMNS})
    if loc["lat"] is not None and loc["lon"] is not None:
        location.set_coordinates(loc["lat"], loc["lon"], source="seed")
    return location


def _build_clinician(clin: dict, now: datetime) -> Clinician:
    clinician = Clinician(
        full_name=clin["full_name"],
        credential=Credential(clin["credential"]),
        title=clin["title"],
        is_medical_director=clin["is_medical_director"],
        specialty=clin["specialty"],
        board_certification=clin["board_certification"],
        npi=clin["npi"],
    )
    clinician.licenses = [_build_license(lic, now) for lic in clin["licenses"]]
    return clinician


def _days_from(today: date, days: int | None) -> date | None:
    return None if days is None else today + timedelta(days=days)


def _build_license(lic: dict, now: datetime) -> License:
    verified_days = lic["verified_days_ago"]
    source = lic["verification_source"]
    return License(
        credential=Credential(lic["credential"]),
        state=lic["state"],
        license_number=lic["license_number"],
        dea_registration_on_file=lic["dea_registration_on_file"],
        status=LicenseStatus(lic["status"]),
        issued_on=_days_from(now.date(), None if lic["issued_days_ago"] is None else -lic["issued_days_ago"]),
        expires_on=_days_from(now.date(), lic["expires_in_days"]),
        verification_source=VerificationSource(source) if source else None,
        checked_on=_days_from(now.date(), None if verified_days is None else -verified_days),
        verified_at=moment_days_before(now, verified_days),
        evidence_note=lic["evidence_note"],
    )


def _treatment_month(today: date, months_back: int | None) -> date | None:
    if months_back is None:
        return None
    first = today.replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def _build_review(rev: dict, now: datetime) -> Review:
    created = moment_days_before(now, rev.get("created_days_ago")) or now
    status = ModerationStatus(rev.get("status", "pending"))
    return Review(
        **{key: rev[key] for key in _REVIEW_RATINGS},
        safety_rating=rev.get("safety_rating"),
        value_rating=rev.get("value_rating"),
        text=rev["text"],
        display_name=rev.get("display_name") or "Anonymous patient",
        contact_email=rev["contact_email"],
        route=Route(rev["route"]) if rev.get("route") else None,
        mode=Mode(rev["mode"]) if rev.get("mode") else None,
        treatment_month=_treatment_month(now.date(), rev.get("treatment_months_ago")),
        status=status,
        moderation_reason=rev.get("moderation_reason"),
        moderated_at=created + timedelta(days=1) if status != ModerationStatus.PENDING else None,
        email_confirmed_at=created + timedelta(hours=2) if rev.get("email_confirmed") else None,
        created_at=created,
    )


def seed_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def store_rows(rows: list[tuple[str, int, dict]], *, demo: bool) -> SeedResult:
    """Validate every row, then load them all in one transaction (all or nothing)."""
    records = validate_rows(rows, demo=demo)
    try:
        result = load_rows(records, demo=demo)
        for provider in db.session.scalars(
            sa.select(Provider).where(Provider.slug.in_([r[2]["slug"] for r in rows]))
        ):
            ratings.refresh_rating(provider)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    result.files = sorted({r[0] for r in rows})
    return result


def seed_from_folder(folder: Path, *, demo: bool = True) -> SeedResult:
    paths = seed_paths(folder)
    if not paths:
        raise SeedError([f"{folder}: no seed files (*.json) found"])
    return store_rows(read_seed_files(paths), demo=demo)


def remove_demo() -> int:
    """Delete every fictional demo listing, with everything hanging off it (the database cascades: locations,
    clinicians and licenses, reviews, requests about it). The audit trail keeps its record of them. Returns how
    many listings went."""
    count = db.session.scalar(sa.select(sa.func.count()).where(Provider.is_demo.is_(True))) or 0
    db.session.execute(sa.delete(Provider).where(Provider.is_demo.is_(True)))
    db.session.commit()
    return count
