"""Roster fixtures: an admin to run as, one of our licenses in Texas, and a roster file written from rows."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from clinic_finder.extensions import db
from clinic_finder.models import Clinician, Credential, License, LicenseStatus

from .. import factories

ADMIN = "roster-admin@example.org"
HEADER = "License Number,Name,Status,Expiration Date,Discipline"
EXPIRY = date.today() + timedelta(days=400)


@pytest.fixture
def admin(db):
    return factories.make_user(ADMIN)


@pytest.fixture
def tx_license(db, make_provider):
    """One of our (non-demo) licenses in Texas: Jane Smith, MD, DEMO-TX-000101, unverified, expiring EXPIRY."""
    return add_tx_license(make_provider("Fictional Lone Star Infusions", state="TX", city="Austin", zip_code="78701",
                                        lat=30.27, lon=-97.74))


def add_tx_license(provider, name="Jane Smith", number="DEMO-TX-000101", credential=Credential.MD,
                   status=LicenseStatus.UNVERIFIED, expires_on=EXPIRY) -> License:
    clinician = Clinician(full_name=name, credential=credential)
    provider.clinicians.append(clinician)
    lic = License(credential=credential, state="TX", license_number=number, status=status,
                  issued_on=date(2015, 6, 1), expires_on=expires_on)
    clinician.licenses.append(lic)
    db.session.commit()
    return lic


@pytest.fixture
def write_roster(tmp_path):
    """write_roster(lines or bytes, name=...) -> path of a roster file (lines joined with \\n, ending with one)."""
    def _write(content, name: str = "tx-medical-board.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text("\n".join(content) + "\n", encoding="utf-8")
        return path
    return _write


@pytest.fixture
def run_roster(runner, admin, tmp_path):
    """run_roster(path, *extra args) -> click result; the report goes to tmp_path, the roster is dated today."""
    def _run(path: Path, *extra: str, as_email: str = ADMIN):
        args = ["import", "roster", str(path), "--state", "TX", "--as", as_email,
                "--dated", date.today().isoformat(), "--report", str(tmp_path / "refused.csv"), *extra]
        result = runner.invoke(args=args)
        db.session.expire_all()
        return result
    return _run


def row(number="DEMO-TX-000101", name="SMITH, JANE", status="Active", expiry=None, discipline="") -> str:
    return f'{number},"{name}",{status},{(expiry or EXPIRY).isoformat()},{discipline}'
