"""Entry point from a checkout: gunicorn wsgi:app. An installed wheel has no wsgi.py; there, use the factory:
gunicorn --preload 'clinic_finder.serving.warm:create_served_app()' (README, "Deploying")."""
from clinic_finder.serving.warm import create_served_app

app = create_served_app()  # with --preload, warmed once before the workers fork
