"""A roster as boards really publish it: BOM, CRLF, quoted newlines, Windows-1252, odd rows, a cut-off download.
Each odd row is refused with its reason (in the report), the rest load; only a file that cannot be a roster at all
is refused whole, and then nothing changes."""
from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.licensing.roster_columns import RosterFileRefused, map_header
from clinic_finder.licensing.roster_file import MAX_LINE_BYTES, RosterReader
from clinic_finder.models import AuditEvent, License, LicenseStatus

from .conftest import EXPIRY, HEADER, add_tx_license, row


def _rows(data: bytes, encoding="utf-8"):
    reader = RosterReader(io.BytesIO(data), encoding)
    return reader.header, list(reader)


def _report(tmp_path) -> list[dict]:
    with (tmp_path / "refused.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _verified(lic) -> bool:
    return db.session.get(License, lic.id).status == LicenseStatus.VERIFIED


def test_bom_crlf_and_quoted_newlines_are_read_as_the_board_meant(tx_license, write_roster, run_roster):
    data = ("\ufeff" + HEADER + "\r\n" + f'DEMO-TX-000101,"SMITH,\r\nJANE",Active,{EXPIRY.isoformat()},\r\n'
            + 'A2,"LEE, ANN",Active,2027-01-01,\r\n').encode()
    header, rows = _rows(data)
    assert header[0] == "License Number"
    assert [(r.line, r.cells[1], r.problem) for r in rows] == [(2, "SMITH,\r\nJANE", None), (4, "LEE, ANN", None)]
    result = run_roster(write_roster(data))
    assert result.exit_code == 0, result.output
    assert _verified(tx_license)


def test_a_windows_1252_row_is_refused_with_a_hint_and_reads_with_the_right_encoding(
        tx_license, write_roster, run_roster, tmp_path):
    data = (HEADER + "\n" + row() + "\n" + row("A777", "NÚÑEZ, JOSÉ") + "\n").encode("cp1252")
    path = write_roster(data)
    result = run_roster(path)
    assert "refused=1 " in result.output and _verified(tx_license)
    [refused] = _report(tmp_path)
    assert refused["row"] == "3"
    assert refused["reason"].startswith("line 3 is not valid utf-8 (byte 0xDA at position 8)")
    assert "--encoding cp1252" in refused["reason"]
    assert "refused=0 " in run_roster(path, "--encoding", "cp1252").output


def test_utf16_and_unknown_encodings_are_refused_whole(tx_license, write_roster, run_roster):
    result = run_roster(write_roster((HEADER + "\n" + row() + "\n").encode("utf-16")))
    assert result.exit_code == 1
    assert "Refused: nothing was imported" in result.output and "UTF-16" in result.output
    assert run_roster(write_roster([HEADER, row()]), "--encoding", "klingon").exit_code == 2
    assert not _verified(tx_license)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_missing_and_extra_columns_refuse_only_their_row(tx_license, write_roster, run_roster, tmp_path):
    result = run_roster(write_roster([HEADER, "A1,\"DOE, J\",Active", row(), "A2,LEE,Active,2027-01-01,,surprise",
                                      "A3,KIM,Active,2027-01-01,,"]))
    assert result.exit_code == 0 and _verified(tx_license)
    assert [(r["row"], r["reason"]) for r in _report(tmp_path)] == [
        ("2", "3 values where the header has 5 columns"),
        ("4", "6 values where the header has 5 columns (an unquoted comma inside a value?)"),
    ]  # a trailing empty value (line 5) is not a problem


def test_a_truncated_last_line_is_refused_and_the_rest_loads(tx_license, write_roster, run_roster, tmp_path):
    cut_in_quotes = (HEADER + "\n" + row() + "\n" + 'A9,"LEE, AN').encode()
    run_roster(write_roster(cut_in_quotes))
    assert _verified(tx_license)
    assert _report(tmp_path)[0]["reason"] == "the last line is cut off inside a quoted value: the file looks truncated"
    cut_short = (HEADER + "\n" + row() + "\n" + "A9,LEE").encode()
    run_roster(write_roster(cut_short, name="short.csv"))
    assert _report(tmp_path)[0]["reason"] == "2 values where the header has 5 columns: the last line looks truncated"


def test_a_cut_off_row_that_is_ours_is_not_also_reported_not_found(tx_license, write_roster, run_roster):
    result = run_roster(write_roster((HEADER + "\n" + 'DEMO-TX-000101,"SMITH, JA').encode()))
    assert "refused=1 " in result.output and "not found: 0" in result.output


def test_a_last_line_without_newline_is_fine_when_complete(tx_license, write_roster, run_roster):
    result = run_roster(write_roster((HEADER + "\n" + row()).encode()))
    assert "refused=0 " in result.output and _verified(tx_license)


def test_an_overlong_line_and_nul_bytes_refuse_their_row_only(tx_license, write_roster, run_roster, tmp_path):
    data = (HEADER + "\n").encode() + b"A1," + b"x" * (MAX_LINE_BYTES + 10) + b"\n" + b"A2,\x00LEE,Active,,\n" \
        + (row() + "\n").encode()
    run_roster(write_roster(data))
    assert _verified(tx_license)
    assert [r["reason"] for r in _report(tmp_path)] == [
        "line 2 is longer than 64 KB, so it was not read",
        "line 3 holds NUL bytes (a binary file, or one saved as UTF-16?)",
    ]


def test_hostile_values_are_refused_with_reasons_and_the_report_never_runs_formulas(
        tx_license, write_roster, run_roster, tmp_path):
    run_roster(write_roster([
        HEADER,
        '=HYPERLINK("http://x"),"SMITH, JANE",Active,2027-01-01,',
        ',"SMITH, JANE",Active,2027-01-01,',
        'DEMO-TX-000101,"SMITH, JANE",Sort of active?,2027-01-01,',
    ]))
    report = _report(tmp_path)
    assert report[0]["License Number"] == "'=HYPERLINK(\"http://x\")"
    assert report[0]["reason"].startswith("license number '=HYPERLINK(\"HTTP://X\")': A license number has only")
    assert report[1]["reason"] == "no license number"
    assert report[2]["reason"] == ("the status 'Sort of active?' is not one we know (the command's --help lists "
                                   "the statuses it reads)")


def test_bad_dates_and_unknown_states_in_rows_are_refused(tx_license, write_roster, run_roster, tmp_path):
    add_tx_license(tx_license.clinician.provider, "Ann Lee", "DEMO-TX-000102")
    result = run_roster(write_roster([
        "State,License Number,Name,Status,Expiration Date",
        'ZZ,DEMO-TX-000101,"SMITH, JANE",Active,2027-01-01',
        'CA,DEMO-TX-000101,"SMITH, JANE",Active,2027-01-01',
        'TX,DEMO-TX-000101,"SMITH, JANE",Active,31/12/2027',
        'TX,DEMO-TX-000102,"LEE, ANN",Active,12/31/99999',
    ]))
    reasons = [r["reason"] for r in _report(tmp_path)]
    assert reasons[0] == "the state 'ZZ' is not a US state (or DC) code"
    assert reasons[1].startswith("The expiry date '31/12/2027' is not a date we can read")
    assert reasons[2].startswith("The expiry date '12/31/99999' is not a date we can read")
    assert "for other states: 1" in result.output and "not found: 0" in result.output


@pytest.mark.parametrize("header, needed", [
    ("Number,Status,Expires", "name"),
    ("LICENSE_NO,Full Name,Expires", "status"),
    ("Lic #,Last Name,First Name,Status", "expiry"),
])
def test_a_header_without_a_needed_column_refuses_the_file_naming_it(header, needed):
    with pytest.raises(RosterFileRefused, match=f"the header lacks a column for: {needed}"):
        map_header(next(csv.reader([header])))


def test_columns_are_read_by_name_in_any_order_with_common_spellings(tx_license, write_roster, run_roster):
    path = write_roster(["ACTION,EXP. DATE,LIC_STATUS,Lic Type,First Name,Last Name,LICENSE #,County",
                         f"None,{EXPIRY.strftime('%m/%d/%Y')},ACTIVE,Physician,Jane,Smith,DEMO-TX-000101,Travis"])
    result = run_roster(path)
    assert "verified 1," in result.output, result.output


def test_a_column_read_twice_or_an_empty_file_refuses_the_whole_file(write_roster, run_roster, tx_license):
    doubled = run_roster(write_roster(["License Number,Name,Status,Expires,Expiration Date", row()]))
    assert doubled.exit_code == 1
    assert "two columns both read as the expiry: 'Expires' and 'Expiration Date'" in doubled.output
    assert "the file is empty" in run_roster(write_roster(b"", name="empty.csv")).output
    assert "header row" in run_roster(write_roster(b"\n\n" + (row() + "\n").encode(), name="blank.csv")).output
    assert not _verified(tx_license)


def test_reading_streams_with_memory_that_does_not_grow_with_the_file(tmp_path):
    import tracemalloc

    def peak(rows: int) -> int:
        path = tmp_path / f"{rows}.csv"
        with path.open("w", encoding="utf-8") as out:
            out.write(HEADER + "\n")
            for n in range(rows):
                out.write(f'DEMO-TX-{n:06d},"FICTIONAL, PERSON {n}",Active,2027-01-01,None\n')
        tracemalloc.start()
        with path.open("rb") as handle:
            count = sum(1 for _ in RosterReader(handle))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == rows
        return top

    small, large = peak(2_000), peak(100_000)
    assert large < small * 1.5 + 64 * 1024, (small, large)
