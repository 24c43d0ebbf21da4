"""DATABASE_READ_URL against a real streaming replica: a PostgreSQL primary and a hot standby made with
pg_basebackup, both in a temporary folder on local ports, run as the postgres user.

With replay paused on the standby, a change on the primary shows who reads where: anonymous GETs still see the old
value (the replica), a visitor with a session cookie sees the new one (the primary). Skipped without PostgreSQL's
server binaries (PG_BIN, default /usr/lib/postgresql/15/bin).
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.local_servers import free_port

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

pytestmark = [
    pytest.mark.slow, pytest.mark.postgres,
    pytest.mark.skipif(not (PG_BIN / "pg_basebackup").exists(), reason=f"no PostgreSQL server binaries in {PG_BIN}"),
    # It makes its own two servers, so it runs once: in the suite's PostgreSQL pass.
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                       reason="runs in the PostgreSQL pass of the suite (TEST_DATABASE_URL)"),
]


def _as_postgres(*command: str, folder: Path) -> None:
    prefix = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        prefix = ["runuser", "-u", "postgres", "--"]
        owner = pwd.getpwnam("postgres")
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, owner.pw_uid, owner.pw_gid)
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def primary_and_replica():
    folder = Path(tempfile.mkdtemp(prefix="cf-replica-"))
    folder.chmod(0o755)
    primary, standby = folder / "primary", folder / "standby"
    ports = free_port(), free_port()
    options = f"-c listen_addresses=127.0.0.1 -c fsync=off -c unix_socket_directories={folder}"
    started = []
    try:
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", folder=folder)
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(folder / "primary.log"), "-w",
                     "-o", f"-p {ports[0]} {options}", "start", folder=folder)
        started.append(primary)
        _as_postgres(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres",
                     "-D", str(standby), "-R", "-X", "stream", folder=folder)
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(standby), "-l", str(folder / "standby.log"), "-w",
                     "-o", f"-p {ports[1]} {options}", "start", folder=folder)
        started.append(standby)
        yield tuple(f"postgresql://postgres@127.0.0.1:{port}/postgres" for port in ports)
    finally:
        for data in reversed(started):
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop", folder=folder)
        shutil.rmtree(folder, ignore_errors=True)


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def _wait_for(engine: sa.Engine, sql: str, expected, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            try:
                if conn.execute(sa.text(sql)).scalar() == expected:
                    return
            except sa.exc.ProgrammingError:  # the table has not reached the standby yet
                pass
        time.sleep(0.1)
    raise AssertionError(f"the standby never answered {expected!r} to {sql}")


def test_anonymous_reads_go_to_the_replica_and_a_session_reads_the_primary(primary_and_replica):
    from clinic_finder import create_app
    from clinic_finder.extensions import db
    from clinic_finder.serving.read_replica import REPLICA

    from ..factories import make_provider

    primary_url, replica_url = primary_and_replica
    app = create_app({"SQLALCHEMY_DATABASE_URI": primary_url, "DATABASE_READ_URL": replica_url, "TESTING": True,
                      "SECRET_KEY": "replica-test", "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                      "PUBLIC_BASE_URL": "http://localhost", "SESSION_COOKIE_SECURE": False})
    primary, replica = _engine(primary_url), _engine(replica_url)
    try:
        with app.app_context():
            db.create_all(bind_key=None)
            provider_id = make_provider("Replicated Clinic").id
            db.session.remove()
        _wait_for(replica, f"SELECT name FROM provider WHERE id = {provider_id}", "Replicated Clinic")

        with replica.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("SELECT pg_wal_replay_pause()"))
        with primary.begin() as conn:
            conn.execute(sa.text("UPDATE provider SET name = 'Renamed Clinic' WHERE id = :id"), {"id": provider_id})

        client = app.test_client()
        anonymous = client.get(f"/providers/{provider_id}")
        assert anonymous.status_code == 200
        assert b"Replicated Clinic" in anonymous.data and b"Renamed Clinic" not in anonymous.data

        with_session = app.test_client()
        with_session.set_cookie("session", "anything")  # any session cookie: the visitor may have just changed
        fresh = with_session.get(f"/providers/{provider_id}")
        assert b"Renamed Clinic" in fresh.data
        assert fresh.headers["Cache-Control"] == "private, no-cache"

        with replica.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("SELECT pg_wal_replay_resume()"))
        _wait_for(replica, f"SELECT name FROM provider WHERE id = {provider_id}", "Renamed Clinic")
        assert b"Renamed Clinic" in client.get(f"/providers/{provider_id}").data
    finally:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        # The replica's bind key gave the one shared SQLAlchemy object a metadata of its own; the other apps of
        # this test session have no such bind, and their create_all()/drop_all() would look for one.
        db.metadatas.pop(REPLICA, None)
        primary.dispose()
        replica.dispose()
