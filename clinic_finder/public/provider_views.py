"""Provider list and profile pages."""
from __future__ import annotations

from flask import abort, current_app, render_template, request

from .. import directory, review_display, vetting
from . import bp


def _page_arg() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(404)
    return int(raw)


@bp.route("/providers")
def provider_list():
    page = directory.list_published(_page_arg(), current_app.config["PER_PAGE_DEFAULT"])
    if page.page > page.pages:
        abort(404)
    return render_template("public/provider_list.html", page=page)


@bp.route("/providers/<int:provider_id>")
def provider_profile(provider_id: int):
    provider = directory.get_published_provider(provider_id)
    if provider is None:
        abort(404)
    checklist = vetting.checklist_for(provider)
    reviews_panel = review_display.panel_for(provider, page=_page_arg())
    return render_template(
        "public/provider_profile.html", provider=provider, checklist=checklist, reviews_panel=reviews_panel
    )
