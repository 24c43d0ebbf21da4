"""The CSV keeps everything (issue 17): one row per location, a clinicians file, formula-safe cells, and an
export → import → export round trip that changes only what an import turns into a claim."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa

from clinic_finder.interchange import csv_format
from clinic_finder.interchange.spreadsheet_cells import FORMULA_TRIGGERS, neutralize, restore
from clinic_finder.models import ChecklistSource, LicenseStatus, Location, Provider
from clinic_finder.vetting import checklist as vetting

from ..factories import now

EVIL_NAME = '=HYPERLINK("https://evil.example/x","Open record")'


def _rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _export(runner, out):
    result = runner.invoke(args=["export", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def differing_cells(before, after) -> list[tuple[str, int, str, str, str]]:
    """(file, row, column, before, after) for every cell that changed; both files must keep their row count."""
    out = []
    for name in (csv_format.LOCATIONS_FILE, csv_format.CLINICIANS_FILE):
        a, b = _rows(before / name), _rows(after / name)
        assert len(a) == len(b), name
        assert list(a[0]) == list(b[0]) if a else True
        out += [(name, i, c, ra[c], rb[c]) for i, (ra, rb) in enumerate(zip(a, b, strict=True), 1)
                for c in ra if ra[c] != rb[c]]
    return out


def beyond_the_labels(before, after) -> list[tuple]:
    """Changed cells that are not claim labels (nor a fact from reviews, which an import leaves out)."""
    sources = {(i, c): row[f"{c}.source"] for i, row in enumerate(_rows(before / csv_format.LOCATIONS_FILE), 1)
               for c in row if c.startswith("check.") and c.count(".") == 1}
    allowed = {csv_format.LOCATIONS_FILE: csv_format.CLAIM_COLUMNS,
               csv_format.CLINICIANS_FILE: csv_format.CLAIM_CLINICIAN_COLUMNS}
    return [d for d in differing_cells(before, after) if d[2] not in allowed[d[0]]
            and not (d[0] == csv_format.LOCATIONS_FILE and sources.get((d[1], d[2])) == "from_reviews")]


@pytest.mark.parametrize("value", ["=1+1", "+1 212 555 0100", "-x", "@SUM(A1)", "\tindent", "\rcr", "'quoted",
                                   "''twice", "=", "-", "+"])
def test_a_cell_a_spreadsheet_would_run_is_quoted_and_restored_exactly(value):
    cell = neutralize(value)
    assert cell == "'" + value
    assert restore(cell) == value


@pytest.mark.parametrize("value", ["-73.99", "+5", "-1e5", "42", "-.5", "plain", "", "a=b", "O'Brien"])
def test_plain_numbers_and_ordinary_text_are_written_as_they_are(value):
    assert neutralize(value) == value and restore(value) == value


def test_a_quote_typed_by_hand_is_kept(tmp_path):
    assert restore("'hello") == "'hello"  # we never write it, so it is the value itself


@pytest.fixture
def directory(db, make_provider, add_license):
    clinic = make_provider(EVIL_NAME, phone="(212) 555-0100", description="'Quoted' care, - calm -",
                           lat=40.7484, lon=-73.9967)
    clinic.locations.append(Location(label="@Uptown", address_line1="2 Broadway", city="New York", state="NY",
                                     zip_code="10004", accepting_new_patients=False))
    clinic.locations[1].set_coordinates(40.7033, -74.0170, "test")
    vetting.set_check(clinic, "acls_staff_on_site", "yes", ChecklistSource.ADMIN_VERIFIED,
                      verified_at=now() - timedelta(days=3), verified_by="admin@example.org", note="=called them")
    vetting.set_check(clinic, "years_offering_ketamine", "6", ChecklistSource.SELF_REPORTED)
    db.session.commit()
    add_license(clinic)
    add_license(clinic, LicenseStatus.REVOKED, state="NJ")
    make_provider("Home Care Only", in_clinic=False, at_home=True, states_served=("NY", "NJ"))
    return clinic


def test_one_row_per_location_and_one_per_license(runner, directory, tmp_path):
    out = _export(runner, tmp_path / "x")
    places = _rows(out / "locations.csv")  # as a spreadsheet reads them: formulas quoted
    assert [(r["name"], r["zip_code"]) for r in places] == [
        ("'" + EVIL_NAME, "10001"), ("'" + EVIL_NAME, "10004"), ("Home Care Only", "")]
    assert places[1]["location_label"] == "'@Uptown" and places[1]["accepting_new_patients"] == "no"
    assert places[0]["check.acls_staff_on_site.verified_by"] == "admin@example.org"
    assert places[0]["lon"] == "-73.9967"  # a number stays a number
    team = _rows(out / "clinicians.csv")
    assert [r["license_status"] for r in team if r["slug"] == directory.slug] == ["verified", "revoked"]


def test_a_formula_name_is_inert_in_the_file_and_comes_back_exactly(runner, db, directory, tmp_path):
    out = _export(runner, tmp_path / "x")
    cells = [c for name in ("locations.csv", "clinicians.csv")
             for row in csv.reader(io.StringIO((out / name).read_text())) for c in row]
    live = [c for c in cells if c.startswith(FORMULA_TRIGGERS) and not re.fullmatch(r"-?[\d.]+", c)]
    assert live == []
    assert {"'" + EVIL_NAME, "'@Uptown", "'=called them", "''Quoted' care, - calm -"} <= set(cells)
    db.session.execute(sa.delete(Provider))
    db.session.commit()
    result = runner.invoke(args=["import", "csv", str(out / "locations.csv")])
    assert result.exit_code == 0, result.output
    p = db.session.scalar(sa.select(Provider).where(Provider.slug == directory.slug))
    assert p.name == EVIL_NAME and p.description == "'Quoted' care, - calm -"
    assert [loc.label for loc in p.locations] == [None, "@Uptown"]


def test_export_import_export_changes_only_the_labels(runner, db, directory, tmp_path):
    before = _export(runner, tmp_path / "before")
    db.session.execute(sa.delete(Provider))
    db.session.commit()
    result = runner.invoke(args=["import", "csv", str(before / "locations.csv")])
    assert result.exit_code == 0, result.output
    after = _export(runner, tmp_path / "after")
    changed = differing_cells(before, after)
    assert beyond_the_labels(before, after) == []
    # The labels did change: the import believed none of the verifications.
    assert {c[2] for c in changed} >= {"license_status", "verification_source", "check.acls_staff_on_site.source"}


def test_a_zip_reads_the_same_as_a_folder(runner, directory, tmp_path):
    folder, packed = _export(runner, tmp_path / "x"), _export(runner, tmp_path / "x.zip")
    with zipfile.ZipFile(packed) as z:
        assert sorted(z.namelist()) == ["clinicians.csv", "locations.csv"]
    from_zip = list(csv_format.read_csv(packed))
    assert from_zip == list(csv_format.read_csv(folder))
    clinic = from_zip[0][1]
    assert len(clinic["locations"]) == 2 and len(clinic["clinicians"]) == 2
    assert [lic["status"] for c in clinic["clinicians"] for lic in c["licenses"]] == ["verified", "revoked"]
    assert clinic["summary"]["license_status"] == "revoked"
    # Exporting twice gives the same bytes (fixed zip timestamps).
    assert packed.read_bytes() == _export(runner, tmp_path / "y.zip").read_bytes()


@pytest.mark.slow
def test_the_demo_directory_round_trips_through_csv(runner, db, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    before = _export(runner, tmp_path / "before")
    db.session.execute(sa.delete(Provider))
    db.session.commit()
    result = runner.invoke(args=["import", "csv", str(before / "locations.csv")])
    assert result.exit_code == 0, result.output
    after = _export(runner, tmp_path / "after")
    changed = differing_cells(before, after)
    assert beyond_the_labels(before, after) == []
    rows = {name: len(_rows(before / name)) for name in ("locations.csv", "clinicians.csv")}
    lines = {name: len({(d[1]) for d in changed if d[0] == name}) for name in rows}
    print(f"CSV round trip: {rows} rows; rows with a changed label: {lines}; other changes: 0")
