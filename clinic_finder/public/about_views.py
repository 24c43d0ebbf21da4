"""How we check (/about/data): the methodology, with live figures from the database."""
from __future__ import annotations

from flask import current_app, render_template

from clinic_finder.inputs.web import reads_query
from clinic_finder.models import ChecklistSource, VerificationSource
from clinic_finder.public import bp
from clinic_finder.vetting import methodology


@bp.route("/about/data")
@reads_query()
def about_data():
    return render_template("public/about_data.html", figures=methodology.live_figures(),
                           sources=list(ChecklistSource),
                           verification_sources=[s for s in VerificationSource if s != VerificationSource.DEMO],
                           confirm_days=current_app.config["REVIEW_CONFIRM_MAX_AGE_DAYS"])
