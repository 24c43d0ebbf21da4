"""The review moderation queue: pending and reported reviews, privacy flags, approve or reject one by one or in
bulk. Every action is written to the audit trail by review_moderation."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from clinic_finder.admin import bp
from clinic_finder.admin.access import moderator_required
from clinic_finder.admin.review_forms import BulkModerateForm, ModerateForm
from clinic_finder.inputs.web import page_arg, page_or_first, reads_query
from clinic_finder.reviews import moderation as review_moderation
from clinic_finder.reviews import privacy as review_privacy


def _back(form_page: str | None):
    page = page_or_first(form_page)
    return redirect(url_for("admin.review_queue", page=page))


@bp.route("/reviews")
@reads_query("page")
@moderator_required
def review_queue():
    page = review_moderation.queue(page_arg(), current_app.config["PER_PAGE_DEFAULT"])
    if page.past_the_end:
        abort(404)
    rows = [(review, review_privacy.split_flags(review.flags), ModerateForm(page=page.page, formdata=None))
            for review in page.items]
    return render_template("admin/reviews/queue.html", page=page, rows=rows,
                           counts=review_moderation.queue_counts(),
                           bulk_form=BulkModerateForm(page=page.page, formdata=None),
                           threshold=current_app.config.get("REVIEW_REPORT_THRESHOLD", 3))


@bp.route("/reviews/<id:review_id>/moderate", methods=["POST"])
@moderator_required
def review_moderate(review_id: int):
    form = ModerateForm()
    if not form.validate_on_submit():
        abort(400, description="This form expired. Please reload the queue and try again.")
    if not (form.approve.data or form.reject.data):
        # Only a pressed button decides: a post without one (a replayed or hand-made form) changes nothing.
        abort(400, description="Choose Approve or Reject for this review.")
    action = "reject" if form.reject.data else "approve"
    return _moderate([review_id], action, form.reason.data or "", form.page.data)


@bp.route("/reviews/bulk", methods=["POST"])
@moderator_required
def review_bulk():
    form = BulkModerateForm()
    if not form.validate_on_submit():
        abort(400, description="This form expired. Please reload the queue and try again.")
    return _moderate(form.ids(), form.action.data, form.reason.data or "", form.page.data)


def _moderate(ids: list[int], action: str, reason: str, page: str | None):
    if len(ids) == 1 and review_moderation.get_review(ids[0]) is None:
        abort(404)
    try:
        done = review_moderation.moderate(ids, action, current_user._get_current_object(), reason,
                                          ip_address=request.remote_addr)
    except review_moderation.ModerationError as exc:
        flash(str(exc), "error")
    else:
        verb = "approved" if action == "approve" else "rejected"
        flash(f"{done} review{'s' if done != 1 else ''} {verb}.", "success")
    return _back(page)
