"""Demo data: loads every file once, is idempotent, and refuses bad rows whole."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from clinic_finder.geo.states import STATES
from clinic_finder.interchange.seeding import DEMO_LICENSE_PATTERN, SEED_FORMAT
from clinic_finder.models import License, LicenseStatus, ListingStatus, Location, ModerationStatus, Provider, Review

SEED = Path(__file__).resolve().parent.parent / "seed_data"


def _provider(**overrides):
    row = {
        "slug": "fictional-clinic",
        "name": "Fictional Clinic",
        "modes": ["in_clinic"],
        "routes": ["iv"],
        "conditions": ["depression"],
        "price_min_usd": 400,
        "price_max_usd": 600,
        "locations": [{"address_line1": "1 Main St", "city": "Austin", "state": "TX", "zip_code": "78701",
                       "lat": 30.27, "lon": -97.74}],
        "clinicians": [{"full_name": "Demo Person", "credential": "MD", "npi": "1234567893",
                        "licenses": [{"state": "TX", "license_number": "DEMO-TX-000001", "status": "verified"}]}],
    }
    row.update(overrides)
    return row


def _write(folder: Path, providers, name="seed.json"):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps({"format": SEED_FORMAT, "providers": providers}))
    return folder


@pytest.mark.slow
def test_demo_seed_loads_once_and_a_second_run_adds_nothing(runner, db):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    count = db.session.scalar(sa.select(sa.func.count(Provider.id)))
    assert count >= 300
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "Loaded 0 demo provider(s)" in second.output
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == count

    # Realistic spread and coverage, as the foundation issue asks.
    states = set(db.session.scalars(sa.select(Location.state)))
    assert states == set(STATES)
    assert set(db.session.scalars(sa.select(License.status))) == set(LicenseStatus)
    assert set(db.session.scalars(sa.select(Review.status))) == set(ModerationStatus)
    assert db.session.scalar(sa.select(sa.func.count()).where(Provider.offers_at_home)) > 10
    assert all(DEMO_LICENSE_PATTERN.match(n) for n in db.session.scalars(sa.select(License.license_number)))
    assert db.session.scalar(sa.select(sa.func.count()).where(~Provider.is_demo)) == 0
    published = db.session.scalar(
        sa.select(sa.func.count()).where(Provider.listing_status == ListingStatus.PUBLISHED))
    assert published > 250


@pytest.mark.parametrize(
    "overrides, reason",
    [
        # The reasons are the one provider-record validator's, the same words the listing form shows.
        ({"name": None}, "provider 1 (fictional-clinic): name: Please enter the practice's name."),
        ({"locations": [{"address_line1": "1 Main", "city": "X", "state": "TX", "zip_code": "00000"}]},
         "locations[1].zip_code: We could not find the ZIP code 00000. Please check it."),
        ({"clinicians": [{"full_name": "A", "credential": "MD", "npi": "1234567890"}]},
         "clinicians[1].npi: The last digit of this NPI does not match its check digit"),
        ({"price_min_usd": 900, "price_max_usd": 500},
         "price_max_usd: The highest price ($500) is below the lowest ($900). Please check both."),
        ({"phone": "(212) 555-01"}, "phone: This does not look like a valid phone number."),
        ({"clinicians": [{"full_name": "A", "credential": "MD",
                          "licenses": [{"state": "TX", "license_number": "TX-12345"}]}]},
         "does not use the reserved demo pattern"),
    ],
)
def test_bad_seed_rows_are_refused_with_file_row_and_reason(runner, db, tmp_path, overrides, reason):
    folder = _write(tmp_path / "seed", [_provider(**overrides)])
    result = runner.invoke(args=["seed-demo", "--folder", str(folder)])
    assert result.exit_code == 1
    assert "seed.json: provider 1" in result.output
    assert reason in result.output
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_duplicate_rows_refuse_the_whole_file(runner, db, tmp_path):
    good = _provider(slug="good-one")
    dup = _provider(slug="good-one", clinicians=[])
    folder = _write(tmp_path / "seed", [good, dup])
    result = runner.invoke(args=["seed-demo", "--folder", str(folder)])
    assert result.exit_code == 1
    assert "provider 2 (good-one): slug: duplicate of seed.json: provider 1" in result.output
    # Nothing half-imported: the valid first row is not stored either.
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_a_valid_file_loads_with_its_license_status(runner, db, tmp_path):
    folder = _write(tmp_path / "seed", [_provider()])
    result = runner.invoke(args=["seed-demo", "--folder", str(folder)])
    assert result.exit_code == 0, result.output
    provider = db.session.scalar(sa.select(Provider))
    assert provider.license_status == LicenseStatus.VERIFIED
    assert provider.locations[0].x is not None


def test_unreadable_json_names_the_line(runner, db, tmp_path):
    folder = tmp_path / "seed"
    folder.mkdir()
    (folder / "broken.json").write_text('{"format": "clinic_finder-seed/1",\n "providers": [,]}')
    result = runner.invoke(args=["seed-demo", "--folder", str(folder)])
    assert result.exit_code == 1
    assert "broken.json: line 2: not valid JSON" in result.output


def test_demo_phone_numbers_are_fictional_yet_pass_the_listing_rules():
    """555-01XX is reserved for fiction; a real area code of the provider's state lets an admin save a demo listing."""
    import re

    from clinic_finder.inputs.contact import phone_for_display, phone_number

    providers = json.loads((SEED / "demo_providers.json").read_text())["providers"]
    phones = [p["phone"] for p in providers if p.get("phone")]
    assert len(phones) == len(providers)
    for number in phones:
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", number), number
        assert phone_for_display(phone_number(number)) == number


def test_seed_demo_remove_takes_out_the_demo_and_keeps_real_listings(runner, db, make_provider):
    from clinic_finder.models import Provider

    real_id = make_provider("Real Clinic").id
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).where(Provider.is_demo.is_(True))) > 0
    result = runner.invoke(args=["seed-demo", "--remove"])
    assert result.exit_code == 0 and "Removed" in result.output
    assert db.session.scalars(sa.select(Provider.id)).all() == [real_id]
    assert "Removed 0 demo provider(s)" in runner.invoke(args=["seed-demo", "--remove"]).output
