"""gunicorn settings read from a checkout (`gunicorn wsgi:app` finds this file in the working directory).

Each worker answers a few searches before it takes traffic (clinic_finder/search/warmup.py), so the first visitor
of a new or restarted worker does not wait for indexes and compiled statements. An installed wheel has no checkout:
`gunicorn -c python:clinic_finder.search.warmup 'clinic_finder:create_app()'` loads the same hook.
"""
from clinic_finder.search.warmup import post_worker_init  # noqa: F401 (a gunicorn hook, found by its name)
