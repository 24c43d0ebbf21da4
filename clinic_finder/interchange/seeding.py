"""Loading seed files (the fictional demo directory) with every row checked before anything is written.

A seed file is JSON: {"format": "clinic_finder-seed/1", "providers": [...]}; seed_data/README.md documents
the fields. Dates are given relative to the day of loading ("verified_days_ago": 40) so the demo stays
realistic whenever it is loaded. A bad row refuses the whole load, naming the file, row and reason.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import zipcodes

from clinic_finder.extensions import db
from clinic_finder.geo.states import is_state
from clinic_finder.licensing import status as licensing
from clinic_finder.licensing.npi import npi_problem
from clinic_finder.models import (
    ChecklistSource,
    Clinician,
    Condition,
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

SEED_FORMAT = "clinic_finder-seed/1"
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


class _Row:
    """Collects the problems of one row so each message names file, row and field."""

    def __init__(self, file: str, index: int, data: Any, problems: list[str]):
        self.file, self.index, self.data, self.problems = file, index, data, problems
        self.label = f"{file}: provider {index}"
        if isinstance(data, dict) and data.get("slug"):
            self.label += f" ({data['slug']})"

    def fail(self, where: str, reason: str) -> None:
        self.problems.append(f"{self.label}: {where}: {reason}")

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
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: cannot be read: {exc}")
            continue
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name}: line {exc.lineno}: not valid JSON: {exc.msg}")
            continue
        if not isinstance(doc, dict) or doc.get("format") != SEED_FORMAT:
            problems.append(f"{path.name}: not a seed file (expected \"format\": \"{SEED_FORMAT}\")")
            continue
        providers = doc.get("providers")
        if not isinstance(providers, list):
            problems.append(f"{path.name}: \"providers\" must be a list")
            continue
        rows.extend((path.name, i, p) for i, p in enumerate(providers, start=1))
    if problems:
        raise SeedError(problems)
    return rows


def validate_rows(rows: list[tuple[str, int, dict]]) -> None:
    problems: list[str] = []
    seen_slugs: dict[str, str] = {}
    seen_licenses: dict[tuple, str] = {}
    for file, index, data in rows:
        row = _Row(file, index, data, problems)
        if not isinstance(data, dict):
            row.fail("row", "must be an object")
            continue
        _validate_provider(row, data, seen_slugs, seen_licenses)
    if problems:
        raise SeedError(problems)


def _validate_provider(row: _Row, data: dict, seen_slugs: dict, seen_licenses: dict) -> None:
    slug = row.required(data, "slug", "")
    row.required(data, "name", "")
    if slug:
        if not SLUG_PATTERN.match(slug):
            row.fail("slug", "use lowercase letters, digits and single hyphens")
        elif slug in seen_slugs:
            row.fail("slug", f"duplicate of {seen_slugs[slug]}")
        else:
            seen_slugs[slug] = row.label
    modes = data.get("modes") or []
    if not modes:
        row.fail("modes", "missing required field (in_clinic and/or at_home)")
    parsed_modes = {row.enum(Mode, m, "modes") for m in modes}
    for r in data.get("routes") or []:
        row.enum(Route, r, "routes")
    for c in data.get("conditions") or []:
        row.enum(Condition, c, "conditions")
    if data.get("listing_status") is not None:
        row.enum(ListingStatus, data["listing_status"], "listing_status")
    pmin, pmax = data.get("price_min_usd"), data.get("price_max_usd")
    for key, value in (("price_min_usd", pmin), ("price_max_usd", pmax)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            row.fail(key, f"must be a whole number of dollars, 0 or more, got {value!r}")
    if isinstance(pmin, int) and isinstance(pmax, int) and pmin > pmax:
        row.fail("price_min_usd", f"{pmin} is more than price_max_usd {pmax}")

    locations = data.get("locations") or []
    if Mode.IN_CLINIC in parsed_modes and not locations:
        row.fail("locations", "an in-clinic provider needs at least one location")
    for i, loc in enumerate(locations, start=1):
        where = f"locations[{i}]."
        if not isinstance(loc, dict):
            row.fail(where, "must be an object")
            continue
        for key in ("address_line1", "city"):
            row.required(loc, key, where)
        state = row.required(loc, "state", where)
        if state and not is_state(state):
            row.fail(f"{where}state", f"'{state}' is not a US state or DC")
        zip_code = row.required(loc, "zip_code", where)
        if zip_code:
            if not (isinstance(zip_code, str) and re.fullmatch(r"\d{5}", zip_code)) or not zipcodes.is_real(zip_code):
                row.fail(f"{where}zip_code", f"'{zip_code}' is not a real US ZIP code")
            elif state and zipcodes.matching(zip_code)[0]["state"] != state:
                row.fail(f"{where}zip_code", f"'{zip_code}' is not in {state}")
        for key, lo, hi in (("lat", -90, 90), ("lon", -180, 180)):
            value = loc.get(key)
            if value is not None and (not isinstance(value, (int, float)) or not lo <= value <= hi):
                row.fail(f"{where}{key}", f"must be a number between {lo} and {hi}")
    states = data.get("states_served") or []
    if Mode.AT_HOME in parsed_modes and not states:
        row.fail("states_served", "an at-home provider needs at least one state it may treat patients in")
    for s in states:
        if not is_state(s):
            row.fail("states_served", f"'{s}' is not a US state or DC")

    for ci, clin in enumerate(data.get("clinicians") or [], start=1):
        where = f"clinicians[{ci}]."
        row.required(clin, "full_name", where)
        cred = row.required(clin, "credential", where)
        if cred:
            row.enum(Credential, cred, f"{where}credential")
        npi = clin.get("npi")
        if npi is not None:
            problem = npi_problem(str(npi))
            if problem:
                row.fail(f"{where}npi", f"invalid NPI '{npi}': {problem}")
        for li, lic in enumerate(clin.get("licenses") or [], start=1):
            lw = f"{where}licenses[{li}]."
            number = row.required(lic, "license_number", lw)
            lstate = row.required(lic, "state", lw)
            lcred = lic.get("credential", cred)
            if number and not DEMO_LICENSE_PATTERN.match(number):
                row.fail(f"{lw}license_number", f"'{number}' does not use the reserved demo pattern DEMO-ST-000000")
            if lstate and not is_state(lstate):
                row.fail(f"{lw}state", f"'{lstate}' is not a US state or DC")
            if lic.get("status") is not None:
                row.enum(LicenseStatus, lic["status"], f"{lw}status")
            if lic.get("verification_source") is not None:
                row.enum(VerificationSource, lic["verification_source"], f"{lw}verification_source")
            issued, expires = lic.get("issued_days_ago"), lic.get("expires_in_days")
            if issued is not None and expires is not None and -issued > expires:
                row.fail(f"{lw}expires_in_days", "expiry is before the issue date")
            key = (lstate, number, lcred)
            if number and key in seen_licenses:
                row.fail(f"{lw}license_number", f"duplicate of {seen_licenses[key]}")
            elif number:
                seen_licenses[key] = row.label

    seen_keys = set()
    for ki, item in enumerate(data.get("checklist") or [], start=1):
        where = f"checklist[{ki}]."
        key = row.required(item, "key", where)
        if key and key not in vetting.BY_KEY:
            row.fail(f"{where}key", f"unknown checklist key '{key}'")
        elif key in seen_keys:
            row.fail(f"{where}key", f"'{key}' appears twice")
        seen_keys.add(key)
        source = row.required(item, "source", where)
        if source:
            row.enum(ChecklistSource, source, f"{where}source")

    for ri, rev in enumerate(data.get("reviews") or [], start=1):
        where = f"reviews[{ri}]."
        for key in ("overall_rating", "experience_rating", "professionalism_rating", "customer_service_rating"):
            value = row.required(rev, key, where, kind=int)
            if value is not None and not 1 <= value <= 5:
                row.fail(f"{where}{key}", f"must be from 1 to 5, got {value}")
        text = row.required(rev, "text", where)
        if text and not 50 <= len(text) <= 5000:
            row.fail(f"{where}text", f"must be 50 to 5,000 characters, got {len(text)}")
        row.required(rev, "contact_email", where)
        if rev.get("status") is not None:
            row.enum(ModerationStatus, rev["status"], f"{where}status")


def load_rows(rows: list[tuple[str, int, dict]], *, demo: bool, now: datetime | None = None) -> SeedResult:
    """Insert providers whose slug is not yet present, all in the caller's transaction."""
    now = now or datetime.now(UTC)
    result = SeedResult()
    existing = set(db.session.scalars(sa.select(Provider.slug)))
    for _file, _index, data in rows:
        if data["slug"] in existing:
            result.skipped += 1
            continue
        db.session.add(_build_provider(data, demo=demo, now=now))
        existing.add(data["slug"])
        result.added += 1
    db.session.flush()
    return result


def _days_ago(now: datetime, days: int | None) -> datetime | None:
    return None if days is None else now - timedelta(days=days)


def _build_provider(data: dict, *, demo: bool, now: datetime) -> Provider:
    today = now.date()
    modes = set(data["modes"])
    p = Provider(
        slug=data["slug"],
        name=data["name"],
        description=data.get("description", ""),
        website=data.get("website"),
        phone=data.get("phone"),
        email=data.get("email"),
        offers_in_clinic="in_clinic" in modes,
        offers_at_home="at_home" in modes,
        price_min_usd=data.get("price_min_usd"),
        price_max_usd=data.get("price_max_usd"),
        package_pricing_note=data.get("package_pricing_note"),
        insurance_accepted=bool(data.get("insurance_accepted", False)),
        insurance_note=data.get("insurance_note"),
        superbill_offered=bool(data.get("superbill_offered", False)),
        free_consultation=bool(data.get("free_consultation", False)),
        session_length_minutes=data.get("session_length_minutes"),
        listing_status=ListingStatus(data.get("listing_status", "published")),
        is_demo=demo,
        created_at=_days_ago(now, data.get("created_days_ago")) or now,
    )
    p.routes = data.get("routes") or []
    p.conditions = data.get("conditions") or []
    for loc in data.get("locations") or []:
        location = Location(
            label=loc.get("label"),
            address_line1=loc["address_line1"],
            address_line2=loc.get("address_line2"),
            city=loc["city"],
            state=loc["state"],
            zip_code=loc["zip_code"],
            accepting_new_patients=loc.get("accepting_new_patients", True),
        )
        if loc.get("lat") is not None and loc.get("lon") is not None:
            location.set_coordinates(loc["lat"], loc["lon"], source="seed")
        p.locations.append(location)
    p.service_states = [ServiceState(state=s) for s in sorted(set(data.get("states_served") or []))]
    for clin in data.get("clinicians") or []:
        clinician = Clinician(
            full_name=clin["full_name"],
            credential=Credential(clin["credential"]),
            title=clin.get("title"),
            is_medical_director=bool(clin.get("is_medical_director")),
            specialty=clin.get("specialty"),
            board_certification=clin.get("board_certification"),
            npi=clin.get("npi"),
        )
        for lic in clin.get("licenses") or []:
            status = LicenseStatus(lic.get("status", "unverified"))
            verified_days = lic.get("verified_days_ago")
            clinician.licenses.append(
                License(
                    credential=Credential(lic.get("credential", clin["credential"])),
                    state=lic["state"],
                    license_number=lic["license_number"],
                    dea_registration_on_file=bool(lic.get("dea_registration_on_file")),
                    status=status,
                    issued_on=today - timedelta(days=lic["issued_days_ago"]) if "issued_days_ago" in lic else None,
                    expires_on=today + timedelta(days=lic["expires_in_days"]) if "expires_in_days" in lic else None,
                    verification_source=VerificationSource(lic["verification_source"]) if lic.get("verification_source") else None,
                    checked_on=(now - timedelta(days=verified_days)).date() if verified_days is not None else None,
                    verified_at=_days_ago(now, verified_days),
                    evidence_note=lic.get("evidence_note"),
                )
            )
        p.clinicians.append(clinician)
    for item in data.get("checklist") or []:
        vetting.set_check(
            p,
            item["key"],
            None if item.get("value") is None else str(item["value"]),
            ChecklistSource(item["source"]),
            verified_at=_days_ago(now, item.get("verified_days_ago")),
            note=item.get("note"),
        )
    for rev in data.get("reviews") or []:
        created = _days_ago(now, rev.get("created_days_ago")) or now
        month_back = rev.get("treatment_months_ago")
        treatment_month = None
        if month_back is not None:
            first = today.replace(day=1)
            for _ in range(month_back):
                first = (first - timedelta(days=1)).replace(day=1)
            treatment_month = first
        status = ModerationStatus(rev.get("status", "pending"))
        p.reviews.append(
            Review(
                overall_rating=rev["overall_rating"],
                experience_rating=rev["experience_rating"],
                professionalism_rating=rev["professionalism_rating"],
                customer_service_rating=rev["customer_service_rating"],
                safety_rating=rev.get("safety_rating"),
                value_rating=rev.get("value_rating"),
                text=rev["text"],
                display_name=rev.get("display_name") or "Anonymous patient",
                contact_email=rev["contact_email"],
                route=Route(rev["route"]) if rev.get("route") else None,
                mode=Mode(rev["mode"]) if rev.get("mode") else None,
                treatment_month=treatment_month,
                status=status,
                moderation_reason=rev.get("moderation_reason"),
                moderated_at=created + timedelta(days=1) if status != ModerationStatus.PENDING else None,
                email_confirmed_at=created + timedelta(hours=2) if rev.get("email_confirmed") else None,
                created_at=created,
            )
        )
    licensing.refresh_license_status(p)
    return p


def seed_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def store_rows(rows: list[tuple[str, int, dict]], *, demo: bool) -> SeedResult:
    """Validate every row, then load them all in one transaction (all or nothing)."""
    validate_rows(rows)
    try:
        result = load_rows(rows, demo=demo)
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
