"""The app as the load test serves it with gunicorn: production settings from the environment, plus its own
Redis key prefix, so that other test runs clearing the limiter's keys on the shared Redis cannot touch its counts."""
from clinic_finder import create_app

app = create_app({"RATELIMIT_STORAGE_OPTIONS": {"key_prefix": "CF_LOAD_TEST"}})
