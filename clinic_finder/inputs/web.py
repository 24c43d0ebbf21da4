"""The kit at the edge of the web layer: the URL converter for record ids, and page arguments of HTML lists."""
from __future__ import annotations

from flask import abort, request
from werkzeug.routing import BaseConverter, ValidationError

from clinic_finder.inputs.numbers import DB_ID_MAX, page_number
from clinic_finder.inputs.problems import InvalidInput


class RecordIdConverter(BaseConverter):
    """`<id:provider_id>`: 1 to DB_ID_MAX in ASCII digits. Anything else matches no route, so it is a 404 —
    never an integer the database cannot hold."""

    regex = r"[1-9][0-9]{0,9}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > DB_ID_MAX:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def page_arg(name: str = "page") -> int:
    """The page of an HTML list from the query string; a page that cannot exist is a 404."""
    try:
        return page_number(request.args.get(name))
    except InvalidInput:
        abort(404)


def page_or_first(raw: str | None) -> int:
    """A page number sent back by a form (to return to the same page), or the first page."""
    try:
        return page_number(raw)
    except InvalidInput:
        return 1


def reads_query(*names: str):
    """Declare the query-string parameters a GET view reads (its parser's names), so the hostile-input test can
    send each of them hostile values and check that every route is covered. Place it right under the route
    decorator; it changes nothing about the view."""

    def declare(view):
        view.query_parameters = tuple(names)
        return view

    return declare
