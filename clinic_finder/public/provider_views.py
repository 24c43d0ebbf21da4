"""Provider list and profile pages."""
from __future__ import annotations

from flask import abort, current_app, render_template

from clinic_finder.geo import static_map
from clinic_finder.inputs.web import page_arg, reads_query
from clinic_finder.interchange.review_queue import deactivations_on_profile
from clinic_finder.listings import directory, profiles
from clinic_finder.public import bp
from clinic_finder.reviews import display as review_display

# A few maps are enough to place a provider; every address is listed in text above them.
MAX_MAPS = 3


@bp.route("/providers")
@reads_query("page")
def provider_list():
    page = directory.list_published(page_arg(), current_app.config["PER_PAGE_DEFAULT"])
    if page.past_the_end:
        abort(404)
    return render_template("public/provider_list.html", page=page)


@bp.route("/providers/<id:provider_id>")
@reads_query("page")
def provider_profile(provider_id: int):
    profile = profiles.load_profile(provider_id)
    if profile is None:
        abort(404)
    tile_url = current_app.config.get("MAP_TILE_URL", "")
    maps = [(loc, static_map.static_map(loc.lat, loc.lon, tile_url), static_map.openstreetmap_url(loc.lat, loc.lon))
            for loc in profile.map_locations[:MAX_MAPS]]
    reviews_panel = review_display.panel_for(profile.provider, page=page_arg())
    return render_template(
        "public/provider_profile.html", profile=profile, provider=profile.provider, checklist=profile.checklist,
        maps=maps, map_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", ""), reviews_panel=reviews_panel,
        npi_flags=deactivations_on_profile(provider_id),
    )
