"""The served app starts warm, with what it built before the fork out of the collector's sight."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import gc, json
from clinic_finder.serving.warm import create_served_app
before = gc.get_freeze_count()
app = create_served_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "probe-not-secret",
                         "RATELIMIT_SINGLE_PROCESS": True})
from clinic_finder.geo.geocoding import us_data
from clinic_finder.serving.precompressed import _copies
print(json.dumps({"precompressed": sorted({(endpoint, algorithm) for endpoint, _, algorithm in _copies}),
                  "copies": len(_copies), "before": before, "frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
                  "geocoder_frozen": not any(o is us_data() for o in gc.get_objects())}))
"""


def test_the_served_app_freezes_what_it_built_before_the_fork(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "FLASK_DEBUG")}
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"] == 0
    # The app, its templates and the geocoder's indexes: far more than what is left for the collector to walk.
    assert seen["frozen"] > 50_000
    assert seen["tracked"] < seen["frozen"] / 5
    assert seen["geocoder_frozen"]
    # Static assets and stylesheets, compressed at the highest quality before the fork (serving/precompressed.py).
    assert seen["precompressed"] == [["static", "br"], ["static", "gzip"], ["stylesheet", "br"], ["stylesheet", "gzip"]]
    assert seen["copies"] >= 20
