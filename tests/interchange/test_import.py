"""Imports: CSV round-trips an export; bad rows refuse the whole file; an import is never a verification."""
from __future__ import annotations

import json

import sqlalchemy as sa

from clinic_finder.interchange.seeding import SEED_FORMAT
from clinic_finder.models import ChecklistSource, License, LicenseStatus, Provider, Review

HEADER = "slug,name,modes,routes,conditions,price_min_usd,price_max_usd,address_line1,city,state,zip_code\n"


def test_csv_export_then_import_into_an_empty_directory_round_trips(runner, db, make_provider, tmp_path):
    make_provider("Round Trip Clinic", at_home=True, states_served=("NY",))
    folder = tmp_path / "p"
    assert runner.invoke(args=["export", "--format", "csv", "--output", str(folder)]).exit_code == 0
    out = folder / "locations.csv"  # read with clinicians.csv beside it
    db.session.execute(sa.delete(Provider))
    db.session.commit()
    result = runner.invoke(args=["import", "csv", str(out)])
    assert result.exit_code == 0, result.output
    p = db.session.scalar(sa.select(Provider))
    assert p.name == "Round Trip Clinic" and p.states_served == ["NY"] and p.locations[0].zip_code == "10001"
    assert p.is_demo is False
    # A second import adds nothing.
    assert "read=1 selected=1 added=0 updated=0 unchanged=1 flagged=0 refused=0" in runner.invoke(
        args=["import", "csv", str(out)]).output


def test_bad_csv_rows_refuse_the_whole_file_with_row_and_reason(runner, db, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(HEADER
                 + "good-clinic,Good Clinic,in_clinic,iv,depression,400,600,1 Main St,New York,NY,10001\n"
                 + "bad-zip,Bad Zip,in_clinic,iv,depression,400,600,1 Main St,Nowhere,NY,00000\n"
                 + "bad-price,Bad Price,in_clinic,iv,depression,abc,600,1 Main St,New York,NY,10001\n")
    result = runner.invoke(args=["import", "csv", str(f)])
    assert result.exit_code == 1
    assert ("bad.csv: row 2 (bad-zip): locations[1].zip_code: We could not find the ZIP code 00000. "
            "Please check it.") in result.output
    assert ("bad.csv: row 3 (bad-price): price_min_usd: Please enter the lowest price in whole US dollars"
            in result.output)
    report = (tmp_path / "bad.csv.refused.csv").read_text().splitlines()
    assert report[0] == "row,key,reason" and report[1].startswith("2,bad-zip,locations[1].zip_code:")
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_csv_without_required_columns_is_refused(runner, db, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("name\nFoo\n")
    result = runner.invoke(args=["import", "csv", str(f)])
    assert result.exit_code == 1 and "lacks the column(s): modes, slug" in result.output


def test_json_import_is_not_a_verification(runner, db, tmp_path):
    row = {
        "slug": "claims-everything", "name": "Claims Everything", "modes": ["in_clinic"],
        "locations": [{"address_line1": "1 Main", "city": "Austin", "state": "TX", "zip_code": "78701"}],
        "clinicians": [{"full_name": "A Person", "credential": "MD",
                        "licenses": [{"state": "TX", "license_number": "DEMO-TX-000009", "status": "verified",
                                      "verified_days_ago": 1}]}],
        "checklist": [{"key": "acls_staff_on_site", "value": "yes", "source": "admin_verified",
                       "verified_days_ago": 1}],
        "reviews": [{"overall_rating": 5, "experience_rating": 5, "professionalism_rating": 5,
                     "customer_service_rating": 5, "text": "x" * 60, "contact_email": "a@example.org",
                     "status": "approved", "email_confirmed": True}],
    }
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"format": SEED_FORMAT, "providers": [row]}))
    result = runner.invoke(args=["import", "json", str(f)])
    assert result.exit_code == 0, result.output
    p = db.session.scalar(sa.select(Provider))
    item = p.checklist_items[0]
    assert item.source == ChecklistSource.SELF_REPORTED and item.verified_at is None
    assert db.session.scalar(sa.select(License.status)) == LicenseStatus.UNVERIFIED
    assert p.license_status == LicenseStatus.UNVERIFIED
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


def test_a_json_command_reads_json_whatever_the_file_is_called(runner, db, tmp_path):
    f = tmp_path / "x.xml"
    f.write_text("<x/>")
    result = runner.invoke(args=["import", "json", str(f)])
    assert result.exit_code == 1 and "x.xml: line 1: not valid JSON" in result.output


def test_a_file_that_is_not_utf8_is_refused_whole_and_politely(runner, db, tmp_path):
    f = tmp_path / "latin.csv"
    f.write_bytes(HEADER.encode() + "caf\xe9-clinic,Caf\xe9,in_clinic,iv,depression,400,600,1 Main St,New York,NY,"
                  "10001\n".encode("latin-1"))
    result = runner.invoke(args=["import", "csv", str(f)])
    assert result.exit_code == 1 and "latin.csv: not UTF-8 text (byte 0xe9 cannot be read as UTF-8)" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_dry_run_of_our_csv_writes_nothing(runner, db, tmp_path):
    f = tmp_path / "ok.csv"
    f.write_text(HEADER + "good-clinic,Good Clinic,in_clinic,iv,depression,400,600,1 Main St,New York,NY,10001\n")
    result = runner.invoke(args=["import", "csv", str(f), "--dry-run"])
    assert result.exit_code == 0 and "Dry run: nothing was written." in result.output and "added=1" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0
