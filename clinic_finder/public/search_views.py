"""The search results page: the form, both lists (clinics by distance, at-home by state) and a map."""
from __future__ import annotations

from flask import current_app, render_template, request

from clinic_finder.inputs.web import reads_query
from clinic_finder.public import bp
from clinic_finder.public.search_forms import SearchForm
from clinic_finder.search import request as search_request


def _render(form: SearchForm, status: int = 200, **context):
    context.setdefault("result", None)
    context.setdefault("choices", None)
    context.setdefault("problem", None)
    return render_template("public/search/results.html", form=form,
                           tile_url=current_app.config.get("MAP_TILE_URL", ""),
                           tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", ""),
                           **context), status


def _render_problems(form: SearchForm, err: search_request.InvalidSearch, started: bool):
    problems = list(err.problems)
    if not started:
        # Arriving from a link with only filters (the guide's "verified licenses only"): ask for a place, calmly.
        problems = [p for p in problems if p.code != "missing_location"]
    first = problems[0] if problems else None
    if first is not None and first.code == "ambiguous_location":
        return _render(form, choices=first.choices)
    if first is not None and first.code == "geocoder_unavailable":
        return _render(form, first.status, problem=first.message)
    form.show_problems(problems)
    last_page = first.pages if first is not None else None
    return _render(form, 422 if started else 200, started=started, last_page=last_page)


@bp.route("/search")
@reads_query("q", *search_request.PARAMETERS)
def search():
    form = SearchForm(request.args)
    started = any(name in request.args for name in ("q", "lat", "lon"))
    try:
        form.request = search_request.parse_search(request.args, form=True)
        result = search_request.find(form.request, search_request.locate(form.request))
    except search_request.InvalidSearch as err:
        return _render_problems(form, err, started)
    return _render(form, result=result)
