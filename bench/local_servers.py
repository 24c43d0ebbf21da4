"""App servers (gunicorn) and nginx on local ports, started and stopped by their process ids, for bench/load.py and
tests/serving/test_two_servers.py. nginx runs deploy/nginx/clinic_finder.conf itself, moved onto local ports and a
temporary folder, as an unprivileged user."""
from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "clinic_finder.conf"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime and stime (fields 14 and 15 of proc(5))


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            pass
    return found


def _wait_until_answering(url: str, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace")[-3000:] if process.stderr else ""
            raise RuntimeError(f"{what} exited ({process.returncode}): {err}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (a local URL we built)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer {url} within {seconds:.0f} s")


@dataclass
class Server:
    """A process tree this module started: its CPU time is the master's plus its living children's."""

    port: int
    process: subprocess.Popen
    name: str
    workdir: Path | None = None
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_cpu_ticks(pid) for pid in pids) / CLOCK_TICKS

    def stop(self) -> None:
        if self.process.poll() is None:
            # SIGINT is the quick shutdown of both gunicorn and nginx (SIGTERM makes gunicorn wait out its workers).
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def start_gunicorn(env: dict, *, workers: int = 4, worker_class: str = "sync", threads: int = 4,
                   cpus: str | None = None, app: str = "wsgi:app", port: int | None = None,
                   tree: Path = ROOT) -> Server:
    """gunicorn on 127.0.0.1, optionally pinned to `cpus` (taskset's list form, e.g. "1"), serving `app` from the
    checkout at `tree` (bench/versus.py serves an earlier commit's)."""
    port = port or free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", worker_class,
               "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning", "--preload", app]
    if worker_class == "gthread":
        command[7:7] = ["--threads", str(threads)]
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    process = subprocess.Popen(command, cwd=tree, env={"PYTHONPATH": str(tree), **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    server = Server(port, process, f"gunicorn {worker_class}")
    try:
        _wait_until_answering(f"{server.url}/healthz", process, f"gunicorn on port {port}")
    except RuntimeError:
        server.stop()
        raise
    return server


def nginx_config(listen_port: int, upstream_ports: list[int], workdir: Path) -> str:
    """The repo's nginx config on local ports, with its cache and log under workdir, inside a minimal nginx.conf."""
    site = NGINX_CONF.read_text()
    site, listens = re.subn(r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{listen_port};", site, flags=re.M)
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports)
    site, upstreams = re.subn(r"(upstream clinic_finder \{\n)(?:\s*server [^\n]+\n)+", rf"\g<1>{servers}", site)
    if listens != 1 or upstreams != 1:
        raise RuntimeError(f"{NGINX_CONF} no longer has the one `listen 80;` and upstream this helper rewrites")
    site = site.replace("/var/cache/nginx/", f"{workdir}/cache/").replace("/var/log/nginx/", f"{workdir}/")
    (workdir / "clinic_finder.conf").write_text(site)
    temp = " ".join(f"{kind}_temp_path {workdir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                        "scgi"))
    return (f"worker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log warn;\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  {temp}\n  include {workdir}/clinic_finder.conf;\n}}\n")


def start_nginx(upstream_ports: list[int], cpus: str | None = None) -> Server:
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="cf-nginx-"))
    port = free_port()
    (workdir / "nginx.conf").write_text(nginx_config(port, upstream_ports, workdir))
    (workdir / "cache").mkdir()
    user = {}
    if os.geteuid() == 0:  # never serve as root: the whole nginx runs as nobody, which owns its folder
        nobody = pwd.getpwnam("nobody")
        for path in [workdir, *workdir.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    command = [binary, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", str(workdir / "error.log"),
               "-g", "daemon off;"]
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **user)
    server = Server(port, process, "nginx", workdir)
    try:
        _wait_until_answering(f"{server.url}/healthz", process, f"nginx on port {port}")
    except RuntimeError as err:
        log = (workdir / "error.log").read_text(errors="replace")[-2000:] if (workdir / "error.log").exists() else ""
        server.stop()
        raise RuntimeError(f"{err}\n{log}") from None
    return server


def cache_statuses(nginx: Server) -> dict[str, int]:
    """How nginx answered each request so far, from its access log (HIT, MISS, EXPIRED, BYPASS, UPDATING, -…)."""
    counts: dict[str, int] = {}
    log = nginx.workdir / "clinic_finder.access.log" if nginx.workdir else None
    if log is None or not log.exists():
        return counts
    for line in log.read_text(errors="replace").splitlines():
        found = re.search(r" cache=(\S+) ", line)
        if found:
            counts[found.group(1)] = counts.get(found.group(1), 0) + 1
    return counts
