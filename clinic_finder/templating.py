"""Template globals and filters: the demo banner, labels for enums, dates a patient can read."""
from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import Flask

from clinic_finder.extensions import db
from clinic_finder.geo.states import STATES, state_name
from clinic_finder.models import Provider


def demo_data_loaded() -> bool:
    """True while any demo provider is in the database (one indexed EXISTS per page)."""
    try:
        return bool(db.session.scalar(sa.select(sa.exists().where(Provider.is_demo.is_(True)))))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False


def humanize_days_ago(moment: datetime | date | None) -> str:
    if moment is None:
        return "never"
    today = datetime.now(UTC).date()
    day = moment.date() if isinstance(moment, datetime) else moment
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def long_date(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    return f"{moment:%B} {moment.day}, {moment.year}"


def usd(amount: int | None) -> str:
    return "" if amount is None else f"${amount:,}"


def init_templating(app: Flask) -> None:
    from clinic_finder.admin.navigation import admin_menu

    app.jinja_env.globals.update(demo_data_loaded=demo_data_loaded, STATES=STATES, admin_menu=admin_menu)
    app.jinja_env.filters.update(
        days_ago=humanize_days_ago, long_date=long_date, usd=usd, state_name=state_name
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
