"""Report a problem with a listing; the report goes to the admins' queue and changes nothing by itself."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for

from clinic_finder.extensions import limiter
from clinic_finder.inputs.web import reads_query
from clinic_finder.listings import problem_reports, profiles
from clinic_finder.public import bp
from clinic_finder.public.report_forms import ProblemReportForm


def _report_limit() -> str:
    return current_app.config.get("PROBLEM_REPORT_RATE_LIMIT") or "10 per hour"


@bp.route("/providers/<id:provider_id>/report", methods=["GET", "POST"])
@reads_query()
@limiter.limit(_report_limit, methods=["POST"])
def report_problem(provider_id: int):
    profile = profiles.load_profile(provider_id)
    if profile is None:
        abort(404)
    provider = profile.provider
    form = ProblemReportForm()
    if form.validate_on_submit():
        data = problem_reports.ReportInput(form.category.data, form.note.data, form.reporter_email.data)
        try:
            problem_reports.create_report(provider, data)
        except problem_reports.InvalidReport as exc:
            form.add_errors(exc.errors)
        else:
            flash("Thank you. Our team will check your report; the listing stays as it is until they have.",
                  "success")
            return redirect(url_for("public.provider_profile", provider_id=provider.id))
    status = 422 if form.is_submitted() else 200
    return render_template("public/report_problem.html", form=form, provider=provider), status
