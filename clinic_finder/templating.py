"""Template globals and filters: the demo banner, the page's canonical address, labels for enums, and the wording of
counts, states, dates and money (clinic_finder.wording, shared with the JSON `display` fields)."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import Flask, current_app, request
from werkzeug.routing import BuildError

from clinic_finder import wording
from clinic_finder.extensions import db
from clinic_finder.geo.states import STATES, state_name
from clinic_finder.models import Provider
from clinic_finder.security.hosts import public_url


def demo_data_loaded() -> bool:
    """True while any demo provider is in the database: one step down the is_demo index per page.

    Asked as "the largest is_demo" rather than EXISTS(… WHERE is_demo): SQLite's planner, whose statistics say the
    column has one value in a directory without demo data, scanned every provider for the EXISTS (26 ms a page at
    100,000 providers, half a results page's CPU); the ordered form reads one index entry on SQLite and PostgreSQL.
    """
    try:
        return bool(db.session.scalar(sa.select(Provider.is_demo).order_by(Provider.is_demo.desc()).limit(1)))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False


def canonical_url() -> str | None:
    """The page's address on PUBLIC_BASE_URL (never the Host header the request came with), keeping only the query
    parameters the view declares it reads (@reads_query), so tracking or junk parameters do not make new pages."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    declared = getattr(view, "query_parameters", ())
    query = {name: request.args.getlist(name) for name in sorted(declared) if any(request.args.getlist(name))}
    try:
        return public_url(request.endpoint, **(request.view_args or {}), **query)
    except BuildError:
        return None


def humanize_days_ago(moment: datetime | date | None) -> str:
    return wording.days_ago(moment)


long_date = wording.long_date
usd = wording.usd


def init_templating(app: Flask) -> None:
    from clinic_finder.admin.navigation import admin_menu
    from clinic_finder.public.structured_data import profile_json_ld

    app.jinja_env.globals.update(demo_data_loaded=demo_data_loaded, STATES=STATES, admin_menu=admin_menu,
                                 canonical_url=canonical_url, public_url=public_url,
                                 profile_json_ld=profile_json_ld)
    app.jinja_env.filters.update(
        days_ago=humanize_days_ago, long_date=long_date, usd=usd, usd_range=wording.usd_range,
        state_name=state_name, state_in_sentence=wording.state_in_sentence, number=wording.number,
        quantity=wording.quantity, plural=wording.plural,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
