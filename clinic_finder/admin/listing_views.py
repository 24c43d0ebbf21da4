"""Listing submissions for admins: each with its diff, decided one by one or in bulk, every decision audited."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, TextAreaField

from clinic_finder.admin import bp
from clinic_finder.admin.access import admin_required
from clinic_finder.extensions import db
from clinic_finder.inputs.forms import choices
from clinic_finder.inputs.numbers import record_ids
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.web import page_arg, page_or_first, reads_query
from clinic_finder.listings import approval as listing_approval
from clinic_finder.listings import submissions as listings
from clinic_finder.listings.directory import profile_options
from clinic_finder.models import ListingStatus, ModerationStatus, Provider
from clinic_finder.public.listing_forms import ListingForm
from clinic_finder.security import public_url
from clinic_finder.vetting import contradictions
from clinic_finder.vetting.trust import summary_of


class DecisionForm(FlaskForm):
    reason = TextAreaField("Reason (needed to reject; sent to nobody, kept in the audit trail)",
                           render_kw={"rows": 2, "maxlength": listing_approval.REASON_MAX})
    page = HiddenField()


class AdminListingForm(ListingForm):
    """The public listing form plus what only staff decide; no submitter fields are needed."""

    listing_status = SelectField("Listing status", choices=choices(ListingStatus.choices()))


class BulkDecisionForm(FlaskForm):
    ids = SelectMultipleField("Submissions", validate_choice=False)
    reason = TextAreaField("Reason for the selected (needed to reject)",
                           render_kw={"rows": 2, "maxlength": listing_approval.REASON_MAX})


def _status_arg() -> ModerationStatus:
    raw = request.args.get("status", ModerationStatus.PENDING.value)
    try:
        return ModerationStatus.parse(raw)
    except ValueError:
        abort(404)


def _decision_arg() -> str:
    decision = request.form.get("decision", "")
    if decision not in ("approve", "reject"):
        abort(400, description="Choose approve or reject.")
    return decision


@bp.route("/listings")
@reads_query("status", "page")
@admin_required
def listing_submissions():
    status = _status_arg()
    page = listings.list_submissions(page_arg(), current_app.config["PER_PAGE_DEFAULT"], status)
    if page.page > page.pages:
        abort(404)
    rows = [(s, listing_approval.diff(s), DecisionForm(page=page.page, formdata=None)) for s in page.items]
    return render_template("admin/listings/queue.html", page=page, rows=rows, status=status,
                           statuses=list(ModerationStatus), bulk_form=BulkDecisionForm(formdata=None))


def _profile_url(provider_id: int) -> str:
    return public_url("public.provider_profile", provider_id=provider_id)


@bp.route("/listings/<id:submission_id>/decide", methods=["POST"])
@admin_required
def listing_decide(submission_id: int):
    submission = listings.get_submission(submission_id)
    if submission is None:
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400, description="The form had expired. Please try again.")
    decision = _decision_arg()
    actor = current_user._get_current_object()
    try:
        if decision == "approve":
            provider = listing_approval.approve(submission, actor, ip_address=request.remote_addr,
                                                profile_url=_profile_url)
            flash(f"Submission #{submission.id} approved: {provider.name} is published.", "success")
        else:
            listing_approval.reject(submission, actor, form.reason.data, ip_address=request.remote_addr)
            flash(f"Submission #{submission.id} rejected.", "success")
    except listing_approval.DecisionError as exc:
        flash(str(exc), "error")
    return redirect(url_for("admin.listing_submissions", page=page_or_first(form.page.data)))


@bp.route("/listings/bulk", methods=["POST"])
@admin_required
def listing_bulk():
    form = BulkDecisionForm()
    if not form.validate_on_submit():
        abort(400, description="Please tick the submissions to decide.")
    decision = _decision_arg()
    chosen = [s for s in (listings.get_submission(i) for i in record_ids(form.ids.data)) if s is not None]
    if not chosen:
        flash("Please tick at least one submission.", "error")
        return redirect(url_for("admin.listing_submissions"))
    try:
        result = listing_approval.decide_many(chosen, decision, current_user._get_current_object(),
                                              form.reason.data or "", ip_address=request.remote_addr,
                                              profile_url=_profile_url)
    except listing_approval.DecisionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.listing_submissions"))
    verb = "approved" if decision == "approve" else "rejected"
    if result.done:
        flash(f"{len(result.done)} submission{'s' if len(result.done) != 1 else ''} {verb}: "
              + ", ".join(f"#{i}" for i in result.done) + ".", "success")
    for submission_id, message in result.failed:
        flash(f"#{submission_id} not {verb}: {message}", "error")
    return redirect(url_for("admin.listing_submissions"))


@bp.route("/providers/<id:provider_id>/edit", methods=["GET", "POST"])
@reads_query()
@admin_required
def listing_edit(provider_id: int):
    """Edit a listing directly (any status), under the same field rules as a public submission."""
    provider = db.session.get(Provider, provider_id, options=profile_options())  # the <id:> route bounds the id
    if provider is None:
        abort(404)
    form = AdminListingForm(data={**listings.listing_fields(provider),
                                  "listing_status": provider.listing_status.value})
    if form.validate_on_submit():
        try:
            changed = listing_approval.edit_listing(provider, form.listing_data(),
                                                    ListingStatus(form.listing_status.data),
                                                    current_user._get_current_object(), ip_address=request.remote_addr)
        except InvalidInput as exc:
            form.add_errors(exc.errors)
        else:
            flash("Listing saved." if changed else "Nothing changed, so nothing was saved.", "success")
            return redirect(url_for("admin.listing_edit", provider_id=provider.id))
    status = 422 if form.errors else 200
    return render_template("admin/listings/edit.html", form=form, provider=provider, trust=summary_of(provider),
                           problems=list(contradictions.for_provider(provider, datetime.now(UTC)))), status
