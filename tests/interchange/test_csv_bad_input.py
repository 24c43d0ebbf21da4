"""Our CSV read back from files people edited (issue 17): columns by name in any order, formulas typed into any
column kept as inert text, and whole-file problems refused with the file, row and reason."""
from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from clinic_finder.interchange import csv_format
from clinic_finder.models import Provider

SHUFFLED = "zip_code,state,city,address_line2,address_line1,conditions,routes,modes,name,slug\n"


def _read(path):
    return list(csv_format.read_csv(path))


def _folder(tmp_path, locations: str, clinicians: str = "slug,full_name,credential\n"):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "locations.csv").write_text(locations, encoding="utf-8")
    (folder / "clinicians.csv").write_text(clinicians, encoding="utf-8")
    return folder


def test_columns_in_another_order_with_a_formula_are_read_by_name_and_written_inert(runner, db, tmp_path):
    f = tmp_path / "hand.csv"
    f.write_text(SHUFFLED + '10001,NY,New York,"=1+2",1 Main St,depression,iv,in_clinic,Hand Made,hand-made\n')
    [(number, data)] = _read(f)
    assert (number, data["name"], data["locations"][0]["address_line2"]) == (1, "Hand Made", "=1+2")
    result = runner.invoke(args=["import", "csv", str(f)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(Provider.name)) == "Hand Made"
    out = tmp_path / "out"
    assert runner.invoke(args=["export", "--format", "csv", "--output", str(out)]).exit_code == 0
    [row] = csv.DictReader(io.StringIO((out / "locations.csv").read_text()))
    assert row["address_line2"] == "'=1+2"


def test_a_row_cut_short_by_a_spreadsheet_reads_its_missing_cells_as_empty(tmp_path):
    f = tmp_path / "short.csv"
    f.write_text("slug,name,modes,phone,email\nshort-row,Short Row,at_home\n")
    [(_, data)] = _read(f)
    assert data["phone"] is None and data["email"] is None


@pytest.mark.parametrize(("locations", "clinicians", "reason"), [
    ("slug,name,modes\na,A,at_home\nb,B,at_home\na,A,at_home\n", None,
     "row 3: provider 'a' appears again after other providers; keep a provider's rows together"),
    ("slug,name,modes,city\na,A,in_clinic,X\na,Other,in_clinic,Y\n", None,
     "row 2: provider 'a' has name 'Other' here but 'A' on row 1; a provider's rows must agree"),
    ("slug,name,modes\na,A,at_home\nb,B,at_home\n", "slug,full_name,credential\nb,Bo,MD\na,Al,MD\n",
     "clinicians.csv: row 2: provider 'a' is not in locations.csv at this place"),
    ("slug,name,modes\na,A,at_home\n", "slug,full_name,credential\nzzz,Bo,MD\n",
     "clinicians.csv: row 1: provider 'zzz' is not in locations.csv"),
    ("slug,name,modes\na,A,at_home\n",
     "slug,clinician,full_name,credential,license_state,license_number,expires_on\na,1,Al,MD,NY,DEMO-NY-000001,"
     "31/12/2027\n",
     "clinicians.csv: row 1: expires_on: '31/12/2027' is not a date; write it as YYYY-MM-DD"),
    ("slug,name,name,modes\na,A,A,at_home\n", None, "the header names the column(s) name more than once"),
    ("slug,name\na,A\n", None, "the header lacks the column(s): modes"),
    ("slug,name,modes\na,A,at_home,extra\n", None, "row 1 has 4 cells but the header has 3 columns"),
    ("", None, "the file is empty"),
])
def test_whole_file_problems_are_refused_with_file_row_and_reason(tmp_path, locations, clinicians, reason):
    # A lone file is named by the import's own message; the reader names the other file and the row.
    path = _folder(tmp_path, locations, clinicians) if clinicians else tmp_path / "locations.csv"
    if not clinicians:
        path.write_text(locations)
    with pytest.raises(ValueError) as err:
        _read(path)
    assert reason in str(err.value)


def test_a_file_that_is_not_utf8_is_refused_with_the_reason(runner, db, tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes("slug,name,modes\ncafe,Café Clinic,at_home\n".encode("latin-1"))
    result = runner.invoke(args=["import", "csv", str(f)])
    assert result.exit_code == 1
    assert "latin1.csv: not UTF-8 text (byte 0xe9 cannot be read as UTF-8); save the file as CSV UTF-8" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_a_folder_or_zip_without_the_clinicians_file_is_refused(tmp_path):
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / "locations.csv").write_text("slug,name,modes\n")
    with pytest.raises(ValueError, match="the folder has no clinicians.csv"):
        _read(folder)


def test_a_csv_export_names_a_folder_or_a_zip(runner, db, tmp_path):
    for args in (["--output", str(tmp_path / "one.csv")], []):
        result = runner.invoke(args=["export", "--format", "csv", *args])
        assert result.exit_code == 2
        assert "a CSV export is two files" in result.output.replace("A CSV", "a CSV")
