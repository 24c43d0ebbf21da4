"""Served for production (wsgi.py under gunicorn), the per-process memory rate-limit store is refused at start-up
unless a setting says one worker on one host; `make run` and the tests need nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_finder.config import check_served_for_production

ROOT = Path(__file__).resolve().parents[1]


class _App:
    def __init__(self, **config):
        self.config = config


def test_the_memory_store_is_refused_naming_the_setting():
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        check_served_for_production(_App(RATELIMIT_STORAGE_URI="memory://"))


@pytest.mark.parametrize("config", [
    {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"},
    {"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_SINGLE_PROCESS": True},
])
def test_a_shared_store_or_a_declared_single_process_starts(config):
    check_served_for_production(_App(**config))


def _import_wsgi(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("RATELIMIT_", "TEST_DATABASE"))}
    environment.update({"SECRET_KEY": "x" * 32, "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
                        "PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)


def test_wsgi_refuses_to_start_on_the_memory_store(tmp_path):
    refused = _import_wsgi(tmp_path)
    assert refused.returncode != 0 and "RATELIMIT_STORAGE_URI" in refused.stderr
    assert _import_wsgi(tmp_path, RATELIMIT_SINGLE_PROCESS="1").returncode == 0
