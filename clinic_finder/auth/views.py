"""Sign-in pages. (Built out by the admin issue: throttling, forms, logout.)"""
from flask import render_template

from . import bp


@bp.route("/login", methods=["GET", "POST"])
def login():
    return render_template("auth/login.html")
