"""The wheel as a new site gets it: build it, install it into a throwaway virtualenv, then from an empty folder
migrate, seed, serve under gunicorn and smoke-test, with nothing from the checkout in sight.

`pytest tests/packaging/test_wheel.py -s` prints each step and its output.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    # The installed copy gets its own SQLite database whatever TEST_DATABASE_URL says, so a PostgreSQL pass would
    # repeat the SQLite pass's run of this test (.ci/run makes both); half a minute saved there.
    pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="runs in the SQLite pass (own database)"),
]

ROOT = Path(__file__).resolve().parents[2]


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run(args: list, *, cwd: Path, env: dict, expect_ok: bool = True) -> subprocess.CompletedProcess:
    print("$ " + " ".join(str(a) for a in args), flush=True)
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    output = (proc.stdout + proc.stderr).strip()
    lines = output.splitlines()
    print("\n".join(lines if len(lines) <= 30 else [*lines[:10], f"… ({len(lines) - 20} lines)", *lines[-10:]]))
    if expect_ok:
        assert proc.returncode == 0, f"exit status {proc.returncode}:\n{output}"
    assert "Traceback" not in output, output
    return proc


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local URL)
        return response.status, response.read().decode()


def repository_files(folder: str) -> set[str]:
    return {
        f"clinic_finder/{path.relative_to(ROOT).as_posix()}"
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_installed_wheel_migrates_seeds_and_serves(tmp_path):
    base_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8"}

    step("build the sdist and, from it, the wheel (no build isolation: offline, with the test extras' setuptools)")
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ROOT], cwd=ROOT, env=base_env)
    (wheel,) = dist.glob("clinic_finder-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packed = set(archive.namelist())
    missing = (repository_files("migrations") | repository_files("seed_data")) - packed
    assert not missing, f"not in the wheel: {sorted(missing)}"
    print(f"{wheel.name}: {len(packed)} files, including every file of migrations/ and seed_data/")

    step("install the wheel into a throwaway virtualenv")
    site_env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(site_env)
    python = site_env / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel],
        cwd=tmp_path, env=base_env)
    # Only after installing, so pip saw an empty environment: the dependencies come from the test environment
    # (already installed, no network), appended after the virtualenv's own site-packages. A path in a .pth file
    # does not run that folder's own .pth files, so the checkout's editable install stays out of sight.
    purelib = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                           text=True).strip())
    reused = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "test_dependencies.pth").write_text("\n".join(sorted(reused)) + "\n")

    folder = tmp_path / "empty-folder"
    folder.mkdir()
    proc = run([python, "-c", "import clinic_finder, clinic_finder.resources as r; "
                              "print(clinic_finder.__file__); print(r.migrations_folder()); print(r.seed_data_folder())"],
               cwd=folder, env=base_env)
    package_file, migrations, seed_data = proc.stdout.split()
    for path in (package_file, migrations, seed_data):
        assert Path(path).is_relative_to(purelib), f"{path} is not the installed wheel's"

    step("with no configuration at all, flask --help lists the commands")
    proc = run([python, "-m", "flask", "--app", "clinic_finder", "--help"], cwd=folder, env=base_env)
    assert "seed-demo" in proc.stdout and "licenses" in proc.stdout and "db" in proc.stdout

    env = {**base_env, "SECRET_KEY": "wheel-test-secret", "DATABASE_URL": f"sqlite:///{folder / 'clinic_finder.db'}"}
    step("migrate")
    run([python, "-m", "flask", "--app", "clinic_finder", "db", "upgrade"], cwd=folder, env=env)
    step("seed the demo data")
    proc = run([python, "-m", "flask", "--app", "clinic_finder", "seed-demo"], cwd=folder, env=env)
    assert "Loaded " in proc.stdout and " demo provider(s)" in proc.stdout

    step("serve under gunicorn")
    port = free_port()
    log = folder / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [python, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "clinic_finder:create_app()"],
            cwd=folder, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    print(f"$ gunicorn --bind 127.0.0.1:{port} --workers 2 'clinic_finder:create_app()'")
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
                assert time.monotonic() < deadline, f"gunicorn did not answer in 30 s:\n{log.read_text()}"
                time.sleep(0.2)

        step("smoke test")
        print(f"GET /healthz -> {status} {body.strip()[:80]}")
        assert status == 200

        status, body = get(f"{base}/")
        print(f"GET / -> {status}, {len(body)} bytes, demo banner: {'Demo data.' in body}")
        assert status == 200 and "Demo data." in body and "fictional" in body

        status, body = get(f"{base}/api/v1/providers?near=10001")
        found = json.loads(body)
        print(f"GET /api/v1/providers?near=10001 -> {status}, total {found['total']}, "
              f"first: {found['results'][0]['name'] if found['results'] else None}")
        assert status == 200 and found["total"] > 0 and found["results"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        print("gunicorn log:\n" + log.read_text().strip())
    assert "Traceback" not in log.read_text()
