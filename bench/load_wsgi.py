"""The app as bench/ and tests/serving/test_two_servers.py serve it with gunicorn --preload: the production app
(warmed before the fork), plus a Redis key prefix of the run's own (LOAD_LIMIT_PREFIX), so a run's raised limits
count apart from anything else on Redis. BENCH_COMPRESS=0 switches response compression off, for
bench/page_weight.py's "before"."""
import os

from clinic_finder.serving.warm import create_served_app

app = create_served_app({"RATELIMIT_KEY_PREFIX": os.environ.get("LOAD_LIMIT_PREFIX", "cf-bench-load"),
                         "COMPRESS_REGISTER": os.environ.get("BENCH_COMPRESS", "1") != "0"})
