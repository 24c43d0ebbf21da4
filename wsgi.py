"""Production entry point: gunicorn wsgi:app"""
from clinic_finder import create_app
from clinic_finder.config import check_served_for_production

app = create_app()
check_served_for_production(app)
