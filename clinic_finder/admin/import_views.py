"""The queues imports feed: candidates to review, NPIs NPPES lists as deactivated, differences found on re-import."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from clinic_finder.admin import bp
from clinic_finder.admin.access import admin_required
from clinic_finder.inputs.numbers import record_id
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.web import page_arg, page_or_first, reads_query
from clinic_finder.interchange import review_queue
from clinic_finder.listings.approval import DecisionError
from clinic_finder.listings.validation import LABELS


class CandidateForm(FlaskForm):
    page = HiddenField()


class MergeForm(FlaskForm):
    target = StringField("Merge into listing number", render_kw={"inputmode": "numeric", "size": 8})
    page = HiddenField()


class ResolveForm(FlaskForm):
    note = TextAreaField("What was done", render_kw={"rows": 2, "maxlength": review_queue.NOTE_MAX})
    page = HiddenField()


def _page(loader):
    page = loader(page_arg(), current_app.config["PER_PAGE_DEFAULT"])
    if page.past_the_end:
        abort(404)
    return page


def _back(endpoint: str, form) -> str:
    return url_for(endpoint, page=page_or_first(form.page.data))


def _actor():
    return current_user._get_current_object()


@bp.route("/imports/to-review")
@reads_query("page")
@admin_required
def import_candidates():
    page = _page(review_queue.candidates)
    return render_template("admin/imports/candidates.html", page=page,
                           form=CandidateForm(page=page.page, formdata=None),
                           merge_form=MergeForm(page=page.page, formdata=None))


@bp.route("/imports/to-review/<id:origin_id>/publish", methods=["POST"])
@admin_required
def import_candidate_publish(origin_id: int):
    origin = review_queue.get_candidate(origin_id) or abort(404)
    form = CandidateForm()
    if not form.validate_on_submit():
        abort(400, description="The form had expired. Please try again.")
    try:
        provider = review_queue.publish_candidate(origin, _actor(), ip_address=request.remote_addr)
    except DecisionError as exc:
        flash(str(exc), "error")
    else:
        flash(f"{provider.name} is published.", "success")
    return redirect(_back("admin.import_candidates", form))


@bp.route("/imports/to-review/<id:origin_id>/merge", methods=["POST"])
@admin_required
def import_candidate_merge(origin_id: int):
    origin = review_queue.get_candidate(origin_id) or abort(404)
    form = MergeForm()
    if not form.validate_on_submit():
        abort(400, description="The form had expired. Please try again.")
    try:
        target_id = record_id(form.target.data, "target", "listing number")
        if target_id is None:
            raise DecisionError("Please give the number of the listing to merge into (it is in its address).")
        target = review_queue.merge_candidate(origin, target_id, _actor(), ip_address=request.remote_addr)
    except InvalidInput as exc:
        flash(" ".join(exc.errors.values()), "error")
    except DecisionError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Merged into {target.name} (#{target.id}).", "success")
    return redirect(_back("admin.import_candidates", form))


@bp.route("/imports/deactivated-npis")
@reads_query("page")
@admin_required
def npi_deactivations():
    page = _page(review_queue.open_deactivations)
    return render_template("admin/imports/deactivations.html", page=page,
                           form=ResolveForm(page=page.page, formdata=None))


@bp.route("/imports/deactivated-npis/<id:flag_id>/resolve", methods=["POST"])
@admin_required
def npi_deactivation_resolve(flag_id: int):
    flag = review_queue.get_deactivation(flag_id) or abort(404)
    form = ResolveForm()
    if not form.validate_on_submit():
        abort(400, description="The form had expired. Please try again.")
    try:
        review_queue.resolve_deactivation(flag, form.note.data, _actor(), ip_address=request.remote_addr)
    except DecisionError as exc:
        flash(str(exc), "error")
    else:
        flash(f"The flag on NPI {flag.npi} is resolved.", "success")
    return redirect(_back("admin.npi_deactivations", form))


@bp.route("/imports/differences")
@reads_query("page")
@admin_required
def import_differences():
    page = _page(review_queue.open_differences)
    return render_template("admin/imports/differences.html", page=page, labels=LABELS,
                           form=CandidateForm(page=page.page, formdata=None))


@bp.route("/imports/differences/<id:difference_id>/decide", methods=["POST"])
@admin_required
def import_difference_decide(difference_id: int):
    difference = review_queue.get_difference(difference_id) or abort(404)
    form = CandidateForm()
    if not form.validate_on_submit():
        abort(400, description="The form had expired. Please try again.")
    decision = request.form.get("decision", "")
    if decision not in ("accept", "dismiss"):
        abort(400, description="Choose to take the file's value or keep ours.")
    try:
        review_queue.decide_difference(difference, decision == "accept", _actor(), ip_address=request.remote_addr)
    except DecisionError as exc:
        flash(str(exc), "error")
    else:
        flash("The file's value was taken." if decision == "accept" else "Our value was kept.", "success")
    return redirect(_back("admin.import_differences", form))
