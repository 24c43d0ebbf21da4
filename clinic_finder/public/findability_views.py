"""robots.txt, the sitemap and /favicon.ico: what search engines and browsers ask for at fixed addresses."""
from __future__ import annotations

from flask import Response, abort, redirect, render_template, url_for

from clinic_finder.inputs.web import reads_query
from clinic_finder.listings import sitemap
from clinic_finder.public import bp
from clinic_finder.security import public_url
from clinic_finder.templating import demo_data_loaded

# Pages every visitor may reach without a search; profiles are listed from the database.
STATIC_PAGES = ("public.home", "public.guide", "public.assessment", "public.about_data", "public.privacy",
                "public.provider_list", "reviews.guidelines")


@bp.route("/robots.txt")
@reads_query()
def robots_txt():
    if demo_data_loaded():
        # Fictional clinics must never reach a search engine: nothing is crawled while demo data is loaded.
        body = "# Demo data is loaded: this directory is fictional and must not be indexed.\nUser-agent: *\nDisallow: /\n"
    else:
        # A search for one place ("/search?q=Austin, TX") is a page people look for; its filtered, sorted and
        # paged variants (two parameters or more) are endless near-copies, kept out of the crawl.
        body = ("User-agent: *\nDisallow: /admin/\nDisallow: /auth/\nDisallow: /api/\nDisallow: /search?*&\n"
                "Disallow: /compare\n" f"Sitemap: {public_url('public.sitemap_xml')}\n")
    return Response(body, mimetype="text/plain")


@bp.route("/sitemap.xml")
@reads_query()
def sitemap_xml():
    parts = sitemap.part_count()
    if parts > 1:
        return _xml("public/sitemap_index.xml", parts=[public_url("public.sitemap_part", part=n)
                                                         for n in range(1, parts + 1)])
    return _sitemap(1)


@bp.route("/sitemaps/<id:part>.xml")
@reads_query()
def sitemap_part(part: int):
    if part > sitemap.part_count():
        abort(404)
    return _sitemap(part)


@bp.route("/favicon.ico")
@reads_query()
def favicon():
    return redirect(url_for("static", filename="favicon.svg"), code=301)


def _sitemap(part: int):
    pages = [public_url(endpoint) for endpoint in STATIC_PAGES] if part == 1 else []
    profiles = [(public_url("public.provider_profile", provider_id=pid), modified)
                for pid, modified in sitemap.profiles_in_part(part)]
    return _xml("public/sitemap.xml", pages=pages, profiles=profiles)


def _xml(template: str, **context):
    return Response(render_template(template, **context), mimetype="application/xml")
