"""The archive (issue 17): a whole directory into an empty database and back out as the same file; a truncated,
edited or foreign file, a busy database or another schema is refused whole with the reason."""
from __future__ import annotations

import gzip
import hashlib
import json

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.interchange import archive
from clinic_finder.models import License, ModerationStatus, Review, User

from .whole_directory import EVIDENCE, PASSWORD, app_for, fill_every_table, table_counts


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(folder))
    return folder


@pytest.fixture
def archived(runner, db, evidence_dir, tmp_path):
    fill_every_table(evidence_dir)
    out = tmp_path / "directory.archive"
    result = runner.invoke(args=["export", "--format", "archive", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "SENSITIVE" in result.output
    return out


@pytest.fixture
def target(tmp_path):
    """A second, empty database, made the way the test database is (create_all)."""
    made = app_for("sqlite:///" + str(tmp_path / "target.db"), tmp_path / "target-evidence")
    with made.app_context():
        db.create_all()
    yield made
    with made.app_context():
        db.engine.dispose()


def _run(app, *args):
    # A command runs in the app whose context is current, so the target's is pushed over the test database's.
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _import(app, path):
    return _run(app, "import", "archive", str(path))


def _lines(path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _resigned(lines: list[bytes]) -> bytes:
    """Lines with a fresh checksum: what another program or version would write."""
    body = b"".join(lines[:-1])
    end = json.dumps({"end": archive.FORMAT, "sha256": hashlib.sha256(body).hexdigest()}).encode() + b"\n"
    return body + end


def test_a_directory_goes_into_an_empty_database_and_comes_back_as_the_same_file(archived, target, tmp_path):
    before = table_counts()
    result = _import(target, archived)
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.archive"
    assert _run(target, "export", "--format", "archive", "--output", str(again)).exit_code == 0
    assert again.read_bytes() == archived.read_bytes()
    with target.app_context():
        assert table_counts() == before and min(before.values()) >= 1  # every table travelled, none empty
        assert db.session.scalar(sa.select(User).where(User.email == "admin@example.org")).check_password(PASSWORD)
        assert set(db.session.scalars(sa.select(Review.status))) == set(ModerationStatus)
        evidence = db.session.scalar(sa.select(License.evidence_file).where(License.evidence_file.is_not(None)))
    assert (tmp_path / "target-evidence" / evidence).read_bytes() == EVIDENCE
    # Staff sign in on the new database with the password they had.
    response = target.test_client().post("/auth/login", data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 302 and "/admin" in response.headers["Location"]


def test_the_archive_says_it_is_sensitive_and_only_its_owner_can_read_it(archived):
    header = json.loads(_lines(archived)[0])
    assert header["format"] == archive.FORMAT and header["notice"].startswith("SENSITIVE")
    assert header["tables"] == [t.name for t in db.metadata.sorted_tables if t.name != "search_cell"]  # derived
    assert archived.stat().st_mode & 0o777 == 0o600


def test_a_compressed_archive_is_the_same_every_time_and_loads(runner, archived, target, tmp_path):
    packed = [tmp_path / "a.archive.gz", tmp_path / "b.archive.gz"]
    for path in packed:
        assert runner.invoke(args=["export", "--format", "archive", "--output", str(path)]).exit_code == 0
    assert packed[0].read_bytes() == packed[1].read_bytes()
    assert gzip.decompress(packed[0].read_bytes()) == archived.read_bytes()
    assert _import(target, packed[0]).exit_code == 0


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda data: data[: len(data) // 2], "The archive is incomplete: its last line"),
    (lambda data: b"".join(data.splitlines(keepends=True)[:-1]), "The archive is incomplete: it ends before its "
                                                                 "checksum line"),
    (lambda data: data.replace(b"Archive Clinic", b"Archive Clinik", 1), "The archive's checksum does not match"),
    (lambda data: data.replace(b'"admin"', b'"admim"', 1), "The archive's checksum does not match"),
    (lambda data: data + b'{"table":"user"}\n', "comes after the archive's last line"),
    (lambda data: data.replace(b',"rows":', b',"rows":-', 1), "line 2 is not part of an archive"),
    (lambda data: b"slug,name,modes\nx,X,at_home\n", "This is not a clinic_finder archive"),
    (lambda data: b"\x89PNG\r\n\x1a\n" + b"\0" * 100_000, "This is not a clinic_finder archive"),
    (lambda data: gzip.compress(b"hello\n"), "This is not a clinic_finder archive"),
    (lambda data: gzip.compress(data)[:-40], "The archive is incomplete: its compression is damaged"),
    (lambda data: b"", "The file is empty."),
])
def test_a_damaged_or_foreign_archive_is_refused_whole_with_the_reason(archived, target, tmp_path, damage, reason):
    bad = tmp_path / "bad.archive"
    bad.write_bytes(damage(archived.read_bytes()))
    result = _import(target, bad)
    assert result.exit_code == 1
    assert "Refused: nothing was imported." in result.output and reason in result.output, result.output
    with target.app_context():
        assert set(table_counts().values()) == {0}
    assert not (tmp_path / "target-evidence").exists()


def test_an_archive_is_refused_into_a_database_that_is_not_empty(archived, runner):
    result = runner.invoke(args=["import", "archive", str(archived)])
    assert result.exit_code == 1
    assert "The database is not empty (geocode_cache, job_run, outbox_message, provider, spent_form_token … hold " \
           "rows)" in result.output


def test_another_schema_revision_or_another_set_of_tables_is_refused(archived, target, tmp_path):
    lines = _lines(archived)
    header = json.loads(lines[0])
    other = tmp_path / "other.archive"
    other.write_bytes(_resigned([json.dumps({**header, "schema_revision": "0099_future"}).encode() + b"\n",
                                 *lines[1:]]))
    result = _import(target, other)
    assert result.exit_code == 1 and "made at schema revision 0099_future and this database is at (none)" in \
        result.output
    renamed = [line.replace(b'{"table":"job_run"', b'{"table":"job_runs"', 1) for line in lines]
    other.write_bytes(_resigned(renamed))
    result = _import(target, other)
    assert result.exit_code == 1
    assert "tables do not match this version of the app (missing: job_run; unknown: job_runs" in result.output


def test_an_evidence_file_of_the_same_name_with_other_bytes_is_not_overwritten(archived, target, tmp_path):
    name = next(json.loads(line)["evidence_file"] for line in _lines(archived) if line.startswith(b'{"evidence_file"'))
    folder = tmp_path / "target-evidence"
    folder.mkdir()
    (folder / name).write_bytes(b"%PDF-other")
    result = _import(target, archived)
    assert result.exit_code == 1 and f"already holds other files named {name}" in result.output
    assert (folder / name).read_bytes() == b"%PDF-other"


def test_an_archive_needs_a_file_to_write(runner, db, tmp_path):
    result = runner.invoke(args=["export", "--format", "archive"])
    assert result.exit_code == 2 and "give --output FILE" in result.output
