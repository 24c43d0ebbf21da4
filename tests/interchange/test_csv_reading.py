"""Reading our CSV cell by cell: only a quote our export added comes off, wherever the cell is in the row."""
from __future__ import annotations

import csv

from clinic_finder.interchange import csv_format
from clinic_finder.interchange.spreadsheet_cells import neutralize


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_quoted_cells_anywhere_in_a_row_are_restored_and_others_kept_as_written(tmp_path):
    header = ["slug", "name", "modes", "", "description", "email", "address_line1", "city", "state", "zip_code"]
    rows = [
        ["plain", "Plain Clinic", "in_clinic", "ignored", "Line one\n'quoted after a newline", "a@b.example",
         "1 Main St", "New York", "NY", "10001"],
        ["formulas", neutralize("=HYPERLINK(1)"), "in_clinic", "", neutralize("'kept"), neutralize("@x"),
         neutralize("-1 Main St"), "New York", "NY", "10001"],
        ["typed", "'typed by hand", "in_clinic", "", "", "", "1 Main St", "New York", "NY", "10001"],
    ]
    read = dict((data["slug"], data) for _, data in csv_format.read_csv(_write(tmp_path / "l.csv", header, rows)))
    assert read["plain"]["description"] == "Line one\n'quoted after a newline"
    assert "" not in read["plain"]  # a column without a name is not read
    assert (read["formulas"]["name"], read["formulas"]["description"], read["formulas"]["email"],
            read["formulas"]["locations"][0]["address_line1"]) == ("=HYPERLINK(1)", "'kept", "@x", "-1 Main St")
    assert read["typed"]["name"] == "'typed by hand"  # not a quote our export adds: it stays
