"""Template globals and filters: the demo banner, the page's canonical address, labels for enums, and the wording of
counts, states, dates, distances and money (clinic_finder.wording, shared with the JSON `display` fields); URLs built
once for a page's many records, and `{% memo %}` for markup rendered once per process."""
from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from datetime import date, datetime

import sqlalchemy as sa
from flask import Flask, current_app, request, url_for
from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup
from werkzeug.routing import BuildError

from clinic_finder import wording
from clinic_finder.extensions import db
from clinic_finder.geo.states import STATES, state_name
from clinic_finder.models import Provider
from clinic_finder.security.hosts import public_url

# Built once (building it cost as much as running it), on the table rather than the mapped class: a plain column
# read skips the ORM's result machinery, half of what the session spent on it.
_IS_DEMO = Provider.__table__.c.is_demo
_LARGEST_IS_DEMO = sa.select(_IS_DEMO).order_by(_IS_DEMO.desc()).limit(1)


def demo_data_loaded() -> bool:
    """True while any demo provider is in the database: one step down the is_demo index, at most once per
    DEMO_BANNER_RECHECK_SECONDS in each process (base.html asks on every page).

    Asked as "the largest is_demo" rather than EXISTS(… WHERE is_demo): SQLite's planner, whose statistics say the
    column has one value in a directory without demo data, scanned every provider for the EXISTS (26 ms a page at
    100,000 providers, half a results page's CPU); the ordered form reads one index entry on SQLite and PostgreSQL.
    Remembered for a few seconds because even that read was a statement of every page: 0.06–0.09 ms of a page on
    SQLite, 0.19–0.37 ms on PostgreSQL, where it is a round trip (bench/LOAD.md).
    """
    recheck = current_app.config["DEMO_BANNER_RECHECK_SECONDS"]
    known = current_app.extensions.setdefault("demo_banner", {})
    now = time.monotonic()
    if recheck > 0 and known.get("until", 0.0) > now:
        return known["loaded"]
    try:
        loaded = bool(db.session.scalar(_LARGEST_IS_DEMO))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False  # not remembered: the next page asks again
    known.update(loaded=loaded, until=now + recheck)
    return loaded


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


def id_urls(endpoint: str, key: str, build: Callable[..., str] = url_for) -> Callable[[int], str]:
    """The URLs of many records of one endpoint on a page, as a function of the id: the URL is built once and the id
    put in its place, since a URL build costs more than the rest of a result card's markup (20 to 40 a page)."""
    sample = build(endpoint, **{key: 0})
    if sample.endswith("/0"):
        prefix = sample[:-1]
        return lambda record_id: f"{prefix}{int(record_id)}"
    return lambda record_id: build(endpoint, **{key: record_id})


class MemoExtension(Extension):
    """`{% memo "name", key %}…{% endmemo %}`: the block is rendered once per process for each key and then reused.

    Only for markup that is a pure function of its key (a form's filters from their values and errors): nothing a
    record, the clock or the visitor changes may be inside unless it is in the key. Kept per process, for at most
    MEMO_SIZE keys (then it starts again); off while templates reload (debugging), so edits show at once.
    """

    tags = {"memo"}
    MEMO_SIZE = 512

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(memo_fragments={})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        args = [parser.parse_expression()]
        parser.stream.expect("comma")
        args.append(parser.parse_expression())
        body = parser.parse_statements(("name:endmemo",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_fragment", args), [], [], body).set_lineno(lineno)

    def _fragment(self, name: str, key: Hashable, caller) -> Markup:
        env = self.environment
        if env.auto_reload:  # debugging (or TEMPLATES_AUTO_RELOAD): an edited template must show at once
            return caller()
        fragments: dict = env.memo_fragments
        found = fragments.get((name, key))
        if found is None:
            if len(fragments) >= self.MEMO_SIZE:
                fragments.clear()  # rare (free-text keys); single dict operations need no lock under gthread
            found = fragments[(name, key)] = caller()
        return found


def humanize_days_ago(moment: datetime | date | None) -> str:
    return wording.days_ago(moment)


long_date = wording.long_date
usd = wording.usd


def init_templating(app: Flask) -> None:
    from clinic_finder.admin.navigation import admin_menu
    from clinic_finder.public.structured_data import profile_json_ld

    app.jinja_env.add_extension(MemoExtension)
    app.jinja_env.globals.update(demo_data_loaded=demo_data_loaded, STATES=STATES, admin_menu=admin_menu,
                                 canonical_url=canonical_url, public_url=public_url,
                                 profile_json_ld=profile_json_ld, id_urls=id_urls)
    app.jinja_env.filters.update(
        days_ago=humanize_days_ago, long_date=long_date, usd=usd,
        price_per_session=wording.price_per_session,
        state_name=state_name, state_in_sentence=wording.state_in_sentence, number=wording.number,
        quantity=wording.quantity, plural=wording.plural, miles=wording.miles,
        radius_miles=wording.radius_miles,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
