"""The archive: a whole directory in one file, to move it to another database (SQLite to PostgreSQL) unchanged.

Every table of the models (archive_tables) with every row as it is stored (ids, password hashes, audit trail,
reviews in every state, queues), and the license evidence files. Trusted, because only an admin can make one;
so it is loaded as it is, around the import engine, and only into an empty database at the same schema revision.

The file is JSON Lines (gzip-compressed when its name ends in .gz): a header that says what it is and that it is
sensitive, then each table (a line naming its columns and row count, a line per row), each evidence file, and a
last line with the SHA-256 of everything before it. A truncated, edited or foreign file is refused whole with the
reason before anything is written. The checksum catches accidents, not forgery: keep archives where only admins
can read them. No timestamp goes in, so archiving the same directory twice gives the same file.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.interchange import archive_tables
from clinic_finder.licensing import evidence_files
from clinic_finder.models import License

FORMAT = "clinic_finder-archive/1"
NOTICE = ("SENSITIVE: a whole clinic_finder directory, including staff password hashes, reviewers' and patients' "
          "contact details and the audit trail. Keep it like a database backup, only where admins can read it, "
          "and delete it once it has been loaded.")
GZIP_MAGIC = b"\x1f\x8b"
FIRST_LINE_MAX = 64 * 1024
# An evidence file is at most a few MB; as base64 on one line, a third more.
LINE_MAX = 64 * 1024 * 1024


class ArchiveRefused(Exception):
    """The archive cannot be loaded; the message says why, and nothing was written."""


@dataclass
class ArchiveSummary:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class _Writer:
    """Lines out, hashed as they go."""

    def __init__(self, out: BinaryIO):
        self.out, self.digest = out, hashlib.sha256()

    def line(self, value) -> None:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        self.digest.update(data)
        self.out.write(data)


def _evidence_names(connection: sa.Connection) -> list[str]:
    return list(connection.execute(sa.select(License.evidence_file).where(License.evidence_file.is_not(None))
                                   .distinct().order_by(License.evidence_file)).scalars())


def write_archive(out: BinaryIO, evidence_dir: Path) -> ArchiveSummary:
    """The whole directory as it stands, in one read transaction (a consistent copy while the site runs)."""
    summary = ArchiveSummary()
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":  # one snapshot for every table, not one per statement
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            _write_everything(connection, _Writer(out), evidence_dir, summary)
    return summary


def _write_everything(connection: sa.Connection, writer: _Writer, evidence_dir: Path, summary: ArchiveSummary) -> None:
    writer.line({"format": FORMAT, "notice": NOTICE,
                 "schema_revision": archive_tables.schema_revision(connection),
                 "tables": [t.name for t in archive_tables.tables()]})
    for table in archive_tables.tables():
        count = archive_tables.count_rows(connection, table)
        writer.line({"table": table.name, "columns": [c.name for c in table.c], "rows": count})
        written = 0
        for row in archive_tables.rows_of(connection, table):
            writer.line(row)
            written += 1
        if written != count:  # cannot happen inside one transaction; guards a driver that ignores it
            raise ArchiveRefused(f"table {table.name} changed while it was archived; try again")
        summary.rows[table.name] = count
    for name in _evidence_names(connection):
        path = evidence_dir / name
        if not evidence_files.is_stored_name(name) or not path.is_file():
            summary.missing_files.append(name)
            continue
        data = path.read_bytes()
        writer.line({"evidence_file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        writer.line(base64.b64encode(data).decode())
        summary.files += 1
    writer.line({"end": FORMAT, "sha256": writer.digest.hexdigest()})


def write_archive_file(path: Path, evidence_dir: Path) -> ArchiveSummary:
    """Written readable by its owner only (it holds password hashes), gzip-compressed when named *.gz."""
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
        if path.suffix.lower() == ".gz":
            # No file name or time in the gzip header, so the same directory gives the same bytes.
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
                return write_archive(out, evidence_dir)
        return write_archive(raw, evidence_dir)


# Reading ------------------------------------------------------------------------------------------------------


def _open(path: Path) -> BinaryIO:
    with path.open("rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else path.open("rb")


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line with its newline); a damaged compression or an endless line is refused."""
    try:
        with _open(path) as handle:
            number = 0
            while True:
                number += 1
                raw = handle.readline(FIRST_LINE_MAX if number == 1 else LINE_MAX)
                if not raw:
                    return
                if not raw.endswith(b"\n"):
                    if len(raw) >= (FIRST_LINE_MAX if number == 1 else LINE_MAX):
                        raise ArchiveRefused(_not_ours() if number == 1 else f"line {number} is too long")
                    raise ArchiveRefused(_cut_short(f"its last line ({number}) is incomplete"))
                yield number, raw
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ArchiveRefused(_cut_short(f"its compression is damaged ({exc})")) from None


def _not_ours() -> str:
    return f"This is not a clinic_finder archive (it does not begin with the {FORMAT} header)."


def _cut_short(why: str) -> str:
    return f"The archive is incomplete: {why}; it was probably cut short while being copied."


def _parse(number: int, raw: bytes):
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ArchiveRefused(_not_ours() if number == 1 else f"line {number} is not valid JSON; the archive was "
                                                             "damaged or edited") from None


@dataclass
class _Contents:
    revision: str | None
    tables: list[tuple[str, list[str], int]]
    files: list[tuple[str, str]]  # (name, sha256)


def verify(path: Path) -> _Contents:
    """Read the whole file once: its header, its structure and its checksum. Refuses with the reason."""
    digest = hashlib.sha256()
    contents: _Contents | None = None
    expect_rows, columns, trailer = 0, 0, None
    expect_file: tuple[str, int, str] | None = None
    for number, raw in _lines(path):
        if trailer is not None:
            raise ArchiveRefused(f"line {number} comes after the archive's last line; the file was edited")
        value = _parse(number, raw)
        if contents is None:
            if not isinstance(value, dict) or value.get("format") != FORMAT:
                raise ArchiveRefused(_not_ours())
            contents = _Contents(value.get("schema_revision"), [], [])
        elif expect_rows:
            if not isinstance(value, list) or len(value) != columns:
                raise ArchiveRefused(f"line {number} is not a row of {contents.tables[-1][0]}; the archive was edited")
            expect_rows -= 1
        elif expect_file is not None:
            _check_file_line(number, value, expect_file)
            contents.files.append((expect_file[0], expect_file[2]))
            expect_file = None
        elif isinstance(value, dict) and "end" in value:
            trailer = value
            continue  # the last line is not part of what it checks
        elif _shaped(value, table=str, columns=list, rows=int):
            contents.tables.append((value["table"], value["columns"], value["rows"]))
            expect_rows, columns = value["rows"], len(value["columns"])
        elif _shaped(value, evidence_file=str, bytes=int, sha256=str):
            expect_file = (value["evidence_file"], value["bytes"], value["sha256"])
        else:
            raise ArchiveRefused(f"line {number} is not part of an archive; the file was edited")
        digest.update(raw)
    if contents is None:
        raise ArchiveRefused("The file is empty.")
    if trailer is None or expect_rows or expect_file is not None:
        raise ArchiveRefused(_cut_short("it ends before its checksum line"))
    if trailer.get("sha256") != digest.hexdigest():
        raise ArchiveRefused("The archive's checksum does not match its contents: it was edited or damaged after "
                             "it was made. Nothing was imported.")
    return contents


def _shaped(value, **fields) -> bool:
    """A dict with exactly these fields of these types (counts not negative)."""
    return isinstance(value, dict) and set(value) == set(fields) and all(
        isinstance(value[k], kind) and not isinstance(value[k], bool) and not (kind is int and value[k] < 0)
        for k, kind in fields.items())


def _check_file_line(number: int, value, expected: tuple[str, int, str]) -> None:
    name, size, sha = expected
    try:
        data = base64.b64decode(value, validate=True)
    except (TypeError, ValueError):
        raise ArchiveRefused(f"line {number}: evidence file {name} is not base64; the archive was edited") from None
    if len(data) != size or hashlib.sha256(data).hexdigest() != sha or not evidence_files.is_stored_name(name):
        raise ArchiveRefused(f"line {number}: evidence file {name} does not match its description")


def _records(path: Path) -> Iterator:
    for number, raw in _lines(path):
        yield number, json.loads(raw)


def _check_fits(contents: _Contents, connection: sa.Connection) -> None:
    here = archive_tables.schema_revision(connection)
    if contents.revision != here:
        raise ArchiveRefused(f"The archive was made at schema revision {contents.revision or '(none)'} and this "
                             f"database is at {here or '(none)'}; run `flask --app clinic_finder db upgrade` on the "
                             "older of the two (and archive again if that was the source).")
    expected = [(t.name, [c.name for c in t.c]) for t in archive_tables.tables()]
    given = [(name, columns) for name, columns, _ in contents.tables]
    if given != expected:
        missing = sorted({n for n, _ in expected} - {n for n, _ in given})
        extra = sorted({n for n, _ in given} - {n for n, _ in expected})
        differ = sorted(n for (n, c) in given for (m, d) in expected if n == m and c != d)
        raise ArchiveRefused("The archive's tables do not match this version of the app "
                             f"(missing: {', '.join(missing) or 'none'}; unknown: {', '.join(extra) or 'none'}; "
                             f"other columns: {', '.join(differ) or 'none'}).")
    busy = archive_tables.non_empty_tables(connection)
    if busy:
        raise ArchiveRefused(f"The database is not empty ({', '.join(busy[:5])}{' …' if len(busy) > 5 else ''} "
                             "hold rows): an archive goes only into a new database, after `db upgrade`.")


def _file_conflicts(contents: _Contents, evidence_dir: Path) -> list[str]:
    """Evidence files already in the folder with other bytes (the same bytes are fine: the same machine)."""
    return [name for name, sha in contents.files if (evidence_dir / name).is_file()
            and hashlib.sha256((evidence_dir / name).read_bytes()).hexdigest() != sha]


def load_archive(path: Path, evidence_dir: Path) -> ArchiveSummary:
    """Check the whole file, then load it in one transaction; refuse with ArchiveRefused, writing nothing."""
    contents = verify(path)
    conflicts = _file_conflicts(contents, evidence_dir)
    if conflicts:
        raise ArchiveRefused(f"The evidence folder {evidence_dir} already holds other files named "
                             f"{', '.join(conflicts[:5])}; use an empty evidence folder (EVIDENCE_DIR).")
    summary, written = ArchiveSummary(), []
    try:
        with db.engine.begin() as connection:
            _check_fits(contents, connection)
            _insert_everything(connection, path, evidence_dir, summary, written)
            archive_tables.advance_id_sequences(connection)
    except sa.exc.DBAPIError as exc:
        _discard(evidence_dir, written)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise ArchiveRefused(f"The database refused a row ({reason}); nothing was imported.") from None
    except BaseException:
        _discard(evidence_dir, written)
        raise
    return summary


def _insert_everything(connection, path: Path, evidence_dir: Path, summary: ArchiveSummary,
                       written: list[str]) -> None:
    by_name = {t.name: t for t in archive_tables.tables()}
    table, columns, batch, pending_file = None, [], [], None
    for number, value in _records(path):
        if number == 1 or (isinstance(value, dict) and "end" in value):
            continue
        if table is not None and isinstance(value, list):
            batch.append(value)
            if len(batch) >= archive_tables.BATCH:
                archive_tables.insert_rows(connection, table, columns, batch)
                batch = []
            continue
        if pending_file is not None:
            _write_evidence(evidence_dir, pending_file, base64.b64decode(value), written)
            summary.files += 1
            pending_file = None
            continue
        if table is not None and batch:
            archive_tables.insert_rows(connection, table, columns, batch)
        table, batch = None, []
        if "table" in value:
            table, columns = by_name[value["table"]], value["columns"]
            summary.rows[table.name] = value["rows"]
        elif "evidence_file" in value:
            pending_file = value["evidence_file"]
    if table is not None and batch:
        archive_tables.insert_rows(connection, table, columns, batch)


def _write_evidence(evidence_dir: Path, name: str, data: bytes, written: list[str]) -> None:
    evidence_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = evidence_dir / name
    if target.is_file():
        return  # the same bytes (checked before loading began)
    target.write_bytes(data)
    target.chmod(0o600)
    written.append(name)


def _discard(evidence_dir: Path, names: list[str]) -> None:
    for name in names:
        evidence_files.discard(evidence_dir, name)
