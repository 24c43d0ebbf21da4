"""Entry point from a checkout: gunicorn wsgi:app. An installed wheel has no wsgi.py; there, use the factory:
gunicorn 'clinic_finder:create_app()' (README, "Deploying")."""
from clinic_finder import create_app
from clinic_finder.config import check_served_for_production

app = create_app()
check_served_for_production(app)
