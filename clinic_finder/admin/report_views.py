"""Problem reports and facts due for a re-check: the admin queues that keep profiles true."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField

from clinic_finder.admin import bp
from clinic_finder.admin.access import admin_required
from clinic_finder.inputs.forms import choices
from clinic_finder.inputs.web import page_arg, page_or_first, reads_query
from clinic_finder.listings import (
    problem_reports as problem_reports_domain,  # the queue view below is named problem_reports
)
from clinic_finder.models import ChecklistSource, RequestStatus
from clinic_finder.vetting import freshness


class CloseReportForm(FlaskForm):
    status = SelectField("Outcome", choices=choices([(RequestStatus.RESOLVED.value, "Resolved: the listing is fixed"),
                                                     (RequestStatus.DISMISSED.value, "Dismissed: nothing wrong")]))
    resolution_note = TextAreaField("Note (needed to dismiss)",
                                    render_kw={"rows": 2, "maxlength": problem_reports_domain.RESOLUTION_MAX})
    page = HiddenField()


class ConfirmCheckForm(FlaskForm):
    page = HiddenField()


def _status_arg() -> RequestStatus:
    try:
        return RequestStatus.parse(request.args.get("status", RequestStatus.OPEN.value))
    except ValueError:
        abort(404)


def _back(endpoint: str, form) -> str:
    page = page_or_first(form.page.data)
    return url_for(endpoint, page=page)


@bp.route("/problem-reports")
@reads_query("status", "page")
@admin_required
def problem_reports():
    status = _status_arg()
    page = problem_reports_domain.list_reports(page_arg(), current_app.config["PER_PAGE_DEFAULT"], status)
    if page.past_the_end:
        abort(404)
    rows = [(r, CloseReportForm(page=page.page, formdata=None)) for r in page.items]
    return render_template("admin/reports/queue.html", page=page, rows=rows, status=status,
                           statuses=list(RequestStatus))


@bp.route("/problem-reports/<id:report_id>/close", methods=["POST"])
@admin_required
def problem_report_close(report_id: int):
    report = problem_reports_domain.get_report(report_id)
    if report is None:
        abort(404)
    form = CloseReportForm()
    if not form.validate_on_submit():
        abort(400, description="Please choose resolved or dismissed.")
    try:
        problem_reports_domain.close_report(report, RequestStatus(form.status.data), form.resolution_note.data,
                                     current_user._get_current_object(), ip_address=request.remote_addr)
    except problem_reports_domain.InvalidReport as exc:
        flash(" ".join(exc.errors.values()), "error")
    else:
        flash(f"Report #{report.id} {report.status.label.lower()}.", "success")
    return redirect(_back("admin.problem_reports", form))


@bp.route("/recheck")
@reads_query("page")
@admin_required
def recheck_due():
    page = freshness.due_for_recheck(page_arg(), current_app.config["PER_PAGE_DEFAULT"])
    if page.past_the_end:
        abort(404)
    return render_template("admin/reports/recheck.html", page=page, form=ConfirmCheckForm(page=page.page,
                                                                                           formdata=None))


@bp.route("/recheck/checks/<id:item_id>/confirm", methods=["POST"])
@admin_required
def recheck_confirm(item_id: int):
    item = freshness.get_due_check(item_id)
    if item is None or item.source != ChecklistSource.ADMIN_VERIFIED:
        abort(404)
    form = ConfirmCheckForm()
    if not form.validate_on_submit():
        abort(400, description="The form had expired. Please try again.")
    freshness.reverify_check(item, current_user._get_current_object(), ip_address=request.remote_addr)
    flash("Confirmed again today; the fact shows as verified today.", "success")
    return redirect(_back("admin.recheck_due", form))
