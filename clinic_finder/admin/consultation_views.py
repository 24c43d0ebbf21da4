"""Consultation requests for admins: newest first, with a status each admin change of which is audited."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from clinic_finder.admin import bp
from clinic_finder.admin.access import admin_required
from clinic_finder.guide import consultations as consultation_requests  # the view below is named consultations
from clinic_finder.inputs.contact import phone_for_display
from clinic_finder.inputs.forms import choices
from clinic_finder.inputs.web import page_arg, page_or_first, reads_query
from clinic_finder.models import RequestStatus


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=choices(RequestStatus.choices()))
    page = HiddenField()


def _status_arg() -> RequestStatus | None:
    raw = request.args.get("status", "")
    if not raw:
        return None
    try:
        return RequestStatus.parse(raw)
    except ValueError:
        abort(404)


@bp.route("/consultations")
@reads_query("status", "page")
@admin_required
def consultations():
    status = _status_arg()
    page = consultation_requests.list_requests(page_arg(), current_app.config["PER_PAGE_DEFAULT"], status)
    if page.past_the_end:
        abort(404)
    rows = [(item, StatusForm(status=item.status.value, page=page.page, formdata=None),
             consultation_requests.answers_summary(item.assessment_answers)) for item in page.items]
    return render_template("admin/consultations/list.html", page=page, rows=rows, status=status,
                           statuses=list(RequestStatus), display_phone=phone_for_display,
                           contact_times=dict(consultation_requests.CONTACT_TIMES))


@bp.route("/consultations/<id:request_id>/status", methods=["POST"])
@admin_required
def consultation_status(request_id: int):
    item = consultation_requests.get_request(request_id)
    if item is None:
        abort(404)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400, description="Please choose one of the listed statuses.")
    changed = consultation_requests.set_status(item, RequestStatus(form.status.data),
                                               current_user._get_current_object(), ip_address=request.remote_addr)
    if changed:
        flash(f"Request #{item.id} is now {item.status.label.lower()}.", "success")
    page = page_or_first(form.page.data)
    return redirect(url_for("admin.consultations", page=page))
