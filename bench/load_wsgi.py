"""The app as bench/ and tests/serving/test_two_servers.py serve it with gunicorn --preload: production settings
from the environment, warmed before the fork, plus a Redis key prefix of the run's own (LOAD_LIMIT_PREFIX), so a
run's raised limits count apart from anything else on Redis. BENCH_COMPRESS=0 switches response compression off,
for bench/page_weight.py's "before"."""
import os

from clinic_finder import create_app
from clinic_finder.config import check_served_for_production
from clinic_finder.serving.warm import warm_up

app = create_app({"RATELIMIT_KEY_PREFIX": os.environ.get("LOAD_LIMIT_PREFIX", "cf-bench-load"),
                  "COMPRESS_REGISTER": os.environ.get("BENCH_COMPRESS", "1") != "0"})
check_served_for_production(app)
warm_up(app)
