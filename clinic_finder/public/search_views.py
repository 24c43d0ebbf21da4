"""The search results page: the form, both lists (clinics by distance, at-home by state) and a map."""
from __future__ import annotations

from flask import current_app, render_template, request

from clinic_finder.geo import geocoding
from clinic_finder.public import bp
from clinic_finder.public.search_forms import SearchForm
from clinic_finder.search import query as search_domain


def _render(form: SearchForm, status: int = 200, **context):
    context.setdefault("result", None)
    context.setdefault("choices", None)
    context.setdefault("problem", None)
    return render_template("public/search/results.html", form=form,
                           tile_url=current_app.config.get("MAP_TILE_URL", ""),
                           tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", ""),
                           **context), status


@bp.route("/search")
def search():
    form = SearchForm(request.args)
    if not any(name in request.args for name in ("q", "lat", "lon")):
        # Arriving from a link with only filters (the guide's "verified licenses only"): ask for a place.
        form.validate()
        return _render(form, started=False)
    if not form.validate():
        return _render(form, 422)
    if not form.has_location:
        form.q.errors.append("Please enter a ZIP code, a city and state (like Austin, TX), or an address.")
        return _render(form, 422)
    q = (form.q.data or "").strip()
    try:
        place = geocoding.resolve_place(q) if q else geocoding.place_for_point(form.lat.data, form.lon.data)
    except geocoding.PlaceNotFound:
        form.q.errors.append(f"We could not find “{q}”. Check the spelling, or try a ZIP code or a city and "
                             "state like “Austin, TX”.")
        return _render(form, 422)
    except geocoding.AmbiguousPlace as err:
        return _render(form, choices=err.choices)
    except geocoding.GeocoderUnavailable:
        return _render(form, 503, problem="Our address lookup is not answering right now. A ZIP code or a city "
                                          "and state still works.")
    query = search_domain.SearchQuery(
        place=place,
        radius_mi=form.radius_mi.data or search_domain.RADIUS_DEFAULT_MI,
        filters=form.filters(),
        sort=search_domain.Sort(form.sort.data),
        page=form.page.data or 1,
        per_page=current_app.config.get("PER_PAGE_DEFAULT", search_domain.PER_PAGE_DEFAULT),
    )
    try:
        result = search_domain.find_providers(query)
    except search_domain.PageOutOfRange as err:
        form.page.errors.append(str(err))
        return _render(form, 422, last_page=err.pages)
    return _render(form, result=result)
