"""Production entry point: gunicorn wsgi:app"""
from clinic_finder import create_app

app = create_app()
