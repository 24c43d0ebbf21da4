"""The import engine's contract, with a handler of its own (the roster import plugs in the same way)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder.interchange.engine import Outcome, RowRefused, as_claim, run_import
from clinic_finder.models import Provider


def _handler(db):
    def handle(number, row):
        if row == "bad":
            raise RowRefused(["first reason", "second reason"], key=f"k{number}")
        if row == "skip":
            return Outcome.SKIPPED
        db.session.add(Provider(slug=f"p-{number}", name=row, offers_in_clinic=True))
        return Outcome.ADDED
    return handle


def _providers(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Provider.id)))


def test_counts_and_a_report_line_per_reason(db, tmp_path):
    report = tmp_path / "r.csv"
    rows = [(1, "A"), (2, "skip"), (3, "bad"), (4, RowRefused("unreadable line")), (5, "B")]
    counts = run_import(rows, _handler(db), report_path=report, label="f.csv", batch_size=2)
    assert (counts.read, counts.selected, counts.added, counts.refused) == (5, 2, 2, 2)
    assert counts.problems == ["f.csv: row 3 (k3): first reason", "f.csv: row 3 (k3): second reason",
                               "f.csv: row 4: unreadable line"]
    assert report.read_text().splitlines() == ["row,key,reason", "3,k3,first reason", "3,k3,second reason",
                                               "4,,unreadable line"]
    assert _providers(db) == 2


def test_a_batch_is_rows_that_did_something_not_rows_read(db, monkeypatch):
    """A national file selects one row in fifty: a batch (a commit) per rows read would be one per few candidates."""
    from clinic_finder.interchange import engine

    class Handler:
        def __init__(self):
            self.batches = []  # rows selected so far when each batch was written

        def __call__(self, number, row):
            return _handler(db)(number, row)

        def end_batch(self):
            self.batches.append(sum(1 for _ in db.session.new))

    monkeypatch.setattr(engine, "IDLE_BATCH_ROWS", 600)
    handler = Handler()
    rows = [(n, "A" if n % 50 == 0 else "skip") for n in range(1, 1001)]  # 20 selected in 1,000 read
    counts = run_import(rows, handler, batch_size=10)
    assert counts.read == 1000 and counts.added == 20
    # Written after the 10th and the 20th selected row (rows 500, 1000), and once more at the end.
    assert handler.batches == [10, 10, 0]
    assert _providers(db) == 20
    handler = Handler()
    quiet = [(n, "skip") for n in range(1, 1401)]
    run_import(quiet, handler, batch_size=10)
    assert len(handler.batches) == 3  # a long stretch of skipped rows still ends a batch now and then (600, 1200)


def test_all_or_nothing_keeps_nothing_when_a_row_is_refused(db):
    counts = run_import([(1, "A"), (2, "B"), (3, "bad")], _handler(db), all_or_nothing=True, batch_size=1)
    assert counts.added == 2 and counts.refused == 1 and not counts.committed
    assert _providers(db) == 0


def test_dry_run_keeps_nothing_and_writes_no_report_without_refusals(db, tmp_path):
    counts = run_import([(1, "A")], _handler(db), dry_run=True, report_path=tmp_path / "r.csv")
    assert counts.added == 1 and counts.report_path is None and _providers(db) == 0
    assert not (tmp_path / "r.csv").exists()


def test_a_file_never_verifies(db):
    record = {"checklist": [{"key": "acls_staff_on_site", "value": "yes", "source": "admin_verified",
                             "verified_days_ago": 3, "verified_by": "someone"},
                            {"key": "licenses_verified", "value": "yes", "source": "admin_verified"}],
              "clinicians": [{"licenses": [{"status": "verified", "verification_source": "state_board",
                                            "verified_days_ago": 1}]}],
              "reviews": [{"text": "x"}]}
    claim = as_claim(record, "roster.csv")
    assert claim["checklist"] == [{"key": "acls_staff_on_site", "value": "yes", "source": "self_reported",
                                   "note": "as stated in roster.csv"}]
    lic = claim["clinicians"][0]["licenses"][0]
    assert lic == {"status": "unverified", "evidence_note": "Status “verified” as stated in roster.csv; not "
                                                            "checked by our team."}
    assert "reviews" not in claim and record["clinicians"][0]["licenses"][0]["status"] == "verified"


def test_the_refused_row_report_never_runs_a_formula(db, tmp_path):
    """A refused row's key and reason quote the file's own values; the report is made inert the way every CSV we
    write is (spreadsheet_cells), so opening it in a spreadsheet runs nothing."""
    report = tmp_path / "r.csv"

    def handle(number, row):
        raise RowRefused(['=HYPERLINK("https://evil.example/x","Open record") is not a ZIP code'],
                         key="@SUM(1+1)")

    run_import([(1, "x")], handle, report_path=report, label="f.csv")
    assert report.read_text().splitlines()[1] == (
        "1,'@SUM(1+1),\"'=HYPERLINK(\"\"https://evil.example/x\"\",\"\"Open record\"\") is not a ZIP code\"")


def test_what_a_handler_finds_after_the_last_row_counts_as_selected_not_read(db):
    handle = _handler(db)
    handle.after_last_row = lambda: iter([Outcome.FLAGGED, Outcome.FLAGGED])
    counts = run_import([(1, "A"), (2, "skip")], handle)
    assert (counts.read, counts.selected, counts.added, counts.flagged) == (2, 3, 1, 2)


def test_the_report_repeats_a_refused_rows_own_values_under_the_files_header(db, tmp_path):
    report = tmp_path / "r.csv"

    def handle(number, row):
        raise RowRefused("no status", key=row[0], cells=row)

    run_import([(2, ["A1", "=1+1"])], handle, report_path=report, report_columns=["Number", "Status"])
    assert report.read_text().splitlines() == ["row,key,reason,Number,Status", "2,A1,no status,A1,'=1+1"]


def test_only_a_named_active_admin_makes_an_import_primary_source_evidence(db, make_user):
    from clinic_finder.interchange.engine import ImportPolicy, NotAVerifier
    from clinic_finder.models import Role

    claim = ImportPolicy.claims("npidata_pfile.csv")
    assert not claim.verifies
    with pytest.raises(NotAVerifier, match="it verifies nothing"):
        claim.verifier()
    moderator, gone = make_user("mod@example.org", role=Role.MODERATOR), make_user("gone@example.org")
    gone.active = False
    for who in (None, moderator, gone):
        with pytest.raises(NotAVerifier, match="an active admin"):
            ImportPolicy.primary_source("roster tx.csv, dated 2026-12-01", who)
    admin = make_user("admin@example.org")
    roster = ImportPolicy.primary_source("roster tx.csv, dated 2026-12-01", admin)
    assert roster.verifies and roster.verifier().id == admin.id


def test_one_command_group_holds_every_format_with_the_engines_options(runner):
    listed = runner.invoke(args=["import", "--help"]).output
    for fmt in ("csv", "json", "nppes", "roster", "archive"):
        assert f"  {fmt} " in listed, fmt
    for fmt in ("csv", "json", "nppes", "roster"):
        text = runner.invoke(args=["import", fmt, "--help"]).output
        assert "--dry-run" in text and "--report" in text, fmt
