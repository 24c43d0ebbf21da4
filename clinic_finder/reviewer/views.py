"""Review pages: the form, its confirmation link, reports against published reviews, the guidelines.

Each view parses the form, calls one domain function and renders; the rules live in review_submission,
review_moderation and review_abuse.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded

from clinic_finder.extensions import limiter
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.web import reads_query
from clinic_finder.reviewer import bp
from clinic_finder.reviewer.forms import ConfirmForm, ReportForm, ResendForm, ReviewForm
from clinic_finder.reviews import abuse as review_abuse
from clinic_finder.reviews import moderation as review_moderation
from clinic_finder.reviews import submission as review_submission
from clinic_finder.security import public_url


def _review_limit() -> str:
    return current_app.config.get("REVIEW_RATE_LIMIT") or "10 per hour"


def _report_limit() -> str:
    return current_app.config.get("REVIEW_REPORT_RATE_LIMIT") or "10 per hour"


def _resend_limit() -> str:
    return current_app.config.get("REVIEW_RESEND_RATE_LIMIT") or "5 per hour"


def _confirm_url(token: str) -> str:
    return public_url("reviews.confirm", token=token)


def _timing() -> review_abuse.FormTiming:
    return review_abuse.FormTiming(current_app.secret_key)


def _fingerprint() -> str | None:
    return review_abuse.fingerprint(current_app.secret_key, request.remote_addr)


@bp.route("/providers/<id:provider_id>/reviews/new", methods=["GET", "POST"])
@reads_query()
@limiter.limit(_review_limit, methods=["POST"])
def new_review(provider_id: int):
    provider = review_submission.provider_for_review(provider_id)
    if provider is None:
        abort(404)
    form = ReviewForm()
    problem = None
    if form.is_submitted() and review_abuse.honeypot_filled(form.website.data):
        # Look like success so the script learns nothing; nothing is stored.
        current_app.logger.info("reviews: honeypot filled for provider #%s", provider_id)
        return redirect(url_for("reviews.review_submitted", provider_id=provider_id))
    if form.validate_on_submit():
        problem = _timing().problem(form.form_token.data, provider_id, current_app.config["REVIEW_MIN_SECONDS"])
        if problem is None:
            try:
                review_submission.submit_review(
                    provider_id, form.to_input(),
                    confirm_url=_confirm_url,
                    fingerprint=_fingerprint(),
                )
            except InvalidInput as exc:
                if exc.field == "provider":
                    abort(404)
                getattr(form, exc.field).errors.append(exc.message)
            else:
                return redirect(url_for("reviews.review_submitted", provider_id=provider_id))
    form.form_token.data = _timing().token(provider_id)
    return render_template("reviews/new.html", provider=provider, form=form, problem=problem)


@bp.route("/providers/<id:provider_id>/reviews/submitted")
@reads_query()
def review_submitted(provider_id: int):
    provider = review_submission.provider_for_review(provider_id)
    if provider is None:
        abort(404)
    return render_template("reviews/submitted.html", provider=provider)


@bp.route("/reviews/confirm/<token>", methods=["GET", "POST"])
@reads_query()
def confirm(token: str):
    max_age = current_app.config.get("REVIEW_CONFIRM_MAX_AGE_DAYS", 14)
    review = review_moderation.review_for_confirmation(token, max_age)
    if review is None:
        return render_template("reviews/confirm_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        review_moderation.confirm_email(review)
        return render_template("reviews/confirmed.html", review=review)
    return render_template("reviews/confirm.html", review=review, form=form)


@bp.route("/reviews/confirm/resend", methods=["GET", "POST"])
@reads_query()
@limiter.limit(_resend_limit, methods=["POST"])
def resend_confirmation():
    form = ResendForm()
    if form.validate_on_submit():
        review_submission.resend_confirmations(form.email.data, _confirm_url)
        # The same answer whether or not the address wrote a review: the page must not reveal it.
        return render_template("reviews/resend_sent.html", email=form.email.data)
    status = 422 if form.errors else 200
    return render_template("reviews/resend.html", form=form), status


@bp.route("/reviews/<id:review_id>/report", methods=["GET", "POST"])
@reads_query()
@limiter.limit(_report_limit, methods=["POST"])
def report_review(review_id: int):
    review = review_moderation.published_review(review_id)
    if review is None:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        review_moderation.report(review, form.reason_text(), _fingerprint(),
                                 threshold=current_app.config.get("REVIEW_REPORT_THRESHOLD", 3))
        flash("Thank you. A moderator will look at this review.", "success")
        return redirect(url_for("public.provider_profile", provider_id=review.provider_id) + "#reviews")
    return render_template("reviews/report.html", review=review, form=form)


@bp.route("/reviews/guidelines")
@reads_query()
def guidelines():
    return render_template("reviews/guidelines.html")


@bp.errorhandler(RateLimitExceeded)
def rate_limited(error: RateLimitExceeded):
    return render_template("reviews/rate_limited.html", error=error), 429
