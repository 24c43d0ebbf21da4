"""Small builders for test data. Each returns a flushed, persistent object with sensible defaults."""
from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from clinic_finder.extensions import db
from clinic_finder.licensing import status as licensing
from clinic_finder.models import (
    Clinician,
    Credential,
    License,
    LicenseStatus,
    ListingStatus,
    Location,
    ModerationStatus,
    Provider,
    Review,
    Role,
    ServiceState,
    User,
    VerificationSource,
)
from clinic_finder.reviews import ratings

_seq = itertools.count(1)


def now() -> datetime:
    return datetime.now(UTC)


def make_provider(
    name: str | None = None,
    *,
    lat: float | None = 40.7484,
    lon: float | None = -73.9967,
    city: str = "New York",
    state: str = "NY",
    zip_code: str = "10001",
    in_clinic: bool = True,
    at_home: bool = False,
    states_served: tuple[str, ...] = (),
    routes=("iv",),
    conditions=("depression",),
    listing_status: ListingStatus = ListingStatus.PUBLISHED,
    commit: bool = True,
    prescriber: bool = True,
    **fields,
) -> Provider:
    n = next(_seq)
    name = name or f"Test Clinic {n}"
    p = Provider(
        slug=f"test-clinic-{n}",
        name=name,
        offers_in_clinic=in_clinic,
        offers_at_home=at_home,
        listing_status=listing_status,
        price_min_usd=fields.pop("price_min_usd", 450),
        price_max_usd=fields.pop("price_max_usd", 650),
        **fields,
    )
    p.routes = routes
    p.conditions = conditions
    if in_clinic:
        loc = Location(address_line1=f"{n} Main St", city=city, state=state, zip_code=zip_code)
        if lat is not None and lon is not None:
            loc.set_coordinates(lat, lon, source="test")
        p.locations.append(loc)
    p.service_states = [ServiceState(state=s) for s in states_served]
    if at_home and states_served and prescriber:
        # An at-home provider treats a state only through a prescriber licensed there (issue 14); the license is
        # unverified, so it changes no verified count a test checks.
        doctor = Clinician(full_name=f"Test Prescriber {n}", credential=Credential.MD, is_medical_director=True)
        doctor.licenses = [License(credential=Credential.MD, state=s, license_number=_test_license_number(s, n),
                                   status=LicenseStatus.UNVERIFIED, expires_on=date.today() + timedelta(days=400))
                           for s in states_served]
        p.clinicians.append(doctor)
    db.session.add(p)
    db.session.flush()
    if commit:
        db.session.commit()
    return p


def _test_license_number(state: str, n: int) -> str:
    """The reserved fictional pattern, numbered from 900000: the demo seed's numbers (DEMO-ST-000001 up) stay apart
    from a test's, so a test that also loads the demo never meets a duplicate license."""
    return f"DEMO-{state}-{900000 + n % 100000:06d}"


def add_license(
    provider: Provider,
    status: LicenseStatus = LicenseStatus.VERIFIED,
    *,
    state: str = "NY",
    expires_on: date | None = None,
    credential: Credential = Credential.MD,
    npi: str | None = "1234567893",
    verified_at: datetime | None = None,
) -> License:
    n = next(_seq)
    clinician = Clinician(full_name=f"Test Clinician {n}", credential=credential, npi=npi)
    provider.clinicians.append(clinician)
    lic = License(
        credential=credential,
        state=state,
        license_number=_test_license_number(state, n),
        status=status,
        issued_on=date.today() - timedelta(days=3000),
        expires_on=expires_on or date.today() + timedelta(days=400),
        verified_at=(verified_at or now()) if status == LicenseStatus.VERIFIED else None,
        verification_source=VerificationSource.STATE_BOARD if status == LicenseStatus.VERIFIED else None,
    )
    clinician.licenses.append(lic)
    db.session.flush()
    licensing.refresh_license_status(provider)
    db.session.commit()
    return lic


def add_review(
    provider: Provider,
    overall: int = 5,
    *,
    status: ModerationStatus = ModerationStatus.APPROVED,
    confirmed: bool = True,
    text: str = "The team explained each step and monitored my vital signs throughout the session.",
    email: str | None = None,
) -> Review:
    r = Review(
        provider=provider,
        overall_rating=overall,
        experience_rating=overall,
        professionalism_rating=overall,
        customer_service_rating=overall,
        text=text,
        contact_email=email or f"reviewer{next(_seq)}@example.org",
        status=status,
        email_confirmed_at=now() if confirmed else None,
    )
    db.session.add(r)
    db.session.flush()
    ratings.refresh_rating(provider)
    db.session.commit()
    return r


def make_user(email: str = "admin@example.org", role: Role = Role.ADMIN,
              password: str = "correct horse battery staple") -> User:
    user = User(email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
