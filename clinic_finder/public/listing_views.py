"""Listing submissions: a new listing or a correction, both pending until an admin approves them."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for

from clinic_finder.extensions import limiter
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.web import reads_query
from clinic_finder.listings import profiles
from clinic_finder.listings import submissions as listings
from clinic_finder.public import bp
from clinic_finder.public.listing_forms import CorrectionForm, ListingForm


def _listing_limit() -> str:
    return current_app.config.get("LISTING_SUBMISSION_RATE_LIMIT") or "5 per hour"


def _submit(form: ListingForm, provider=None):
    """Domain validation after the form's own (CSRF); every problem lands beside its field."""
    if not form.validate_on_submit():
        return None
    try:
        return listings.submit(form.listing_data(), form.submitter_data(), provider)
    except InvalidInput as exc:
        form.add_errors(exc.errors)
        return None


@bp.route("/listings/new", methods=["GET", "POST"])
@reads_query()
@limiter.limit(_listing_limit, methods=["POST"])
def new_listing():
    form = ListingForm()
    if not form.is_submitted():
        form.offers_in_clinic.data = True
    if _submit(form) is not None:
        return redirect(url_for("public.listing_received"))
    return render_template("public/listing_form.html", form=form, provider=None), 422 if form.errors else 200


@bp.route("/providers/<id:provider_id>/correction", methods=["GET", "POST"])
@reads_query()
@limiter.limit(_listing_limit, methods=["POST"])
def listing_correction(provider_id: int):
    profile = profiles.load_profile(provider_id)
    if profile is None:
        abort(404)
    provider = profile.provider
    form = CorrectionForm(data=listings.listing_fields(provider))
    if _submit(form, provider) is not None:
        return redirect(url_for("public.listing_received", provider_id=provider.id))
    return render_template("public/listing_form.html", form=form, provider=provider), 422 if form.errors else 200


@bp.route("/listings/received")
@reads_query()
def listing_received():
    return render_template("public/listing_received.html")
