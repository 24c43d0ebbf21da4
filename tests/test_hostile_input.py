"""Hostile input to every GET route and every public form: huge, negative and non-ASCII numbers, NUL bytes,
malformed dates, 100 KB strings. Nothing may answer 5xx.

The views declare the query parameters their parsers read (`reads_query`, or the search request's names), so
this test knows what to send each route, and fails when a new route declares nothing.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from clinic_finder.extensions import db

HOSTILE_VALUES = [
    "9" * 400, "-" + "9" * 30, "1e309", "-1", "0", "NaN", "inf", "-0", "2147483648", "99999999999999999999",
    "²", "١٢٣", "１２", "\x00", "a\x00b", "\u202e", "9999-12-31", "0000-00-00", "2026-02-30", "x" * 100_000,
    "<script>alert(1)</script>", "' OR 1=1 --", "%", "..", "/", "", " ", "true", "any", "10001",
]
HOSTILE = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=40))
# What a hostile path segment may be for an <id:…> or <token> part of a URL.
HOSTILE_SEGMENTS = ["0", "9" * 400, "²", "-1", "%00", "x" * 3000, "1.5", "2147483648"]
GET_EXAMPLES = 400
FORM_EXAMPLES = 120


def _get_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"),
                  key=lambda r: r.rule)


def _declared(app, rule) -> tuple[str, ...] | None:
    return getattr(app.view_functions[rule.endpoint], "query_parameters", None)


def test_every_get_route_declares_the_query_parameters_it_reads(app):
    undeclared = [r.rule for r in _get_rules(app) if _declared(app, r) is None]
    assert undeclared == [], f"declare the query parameters of: {undeclared}"


@pytest.fixture
def records(make_provider, add_license, add_review, make_user, login_as):
    provider = make_provider("Hostile Input Clinic", free_consultation=True)
    license_ = add_license(provider)
    review = add_review(provider)
    admin = make_user()
    db.session.commit()
    login_as(admin)
    return {"provider_id": provider.id, "license_id": license_.id, "review_id": review.id,
            "user_id": admin.id, "token": "not-a-token"}


def _path(rule, records, data) -> str:
    def fill(match):
        name = match.group(2)
        if data.draw(st.booleans(), label=f"hostile {name}"):
            return quote(data.draw(st.sampled_from(HOSTILE_SEGMENTS)), safe="")
        return str(records.get(name, 1))

    return re.sub(r"<(?:(\w+):)?(\w+)>", fill, rule.rule)


@settings(max_examples=GET_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
@given(data=st.data())
def test_no_get_route_answers_5xx_to_hostile_query_parameters(app, client, records, data):
    rule = data.draw(st.sampled_from(_get_rules(app)), label="route")
    names = _declared(app, rule) or ()
    query = [(name, data.draw(HOSTILE, label=name)) for name in names if data.draw(st.booleans())]
    if names and data.draw(st.booleans()):
        name = data.draw(st.sampled_from(names))
        query += [(name, data.draw(HOSTILE)), (name, data.draw(HOSTILE))]  # the same parameter twice
    url = _path(rule, records, data) + ("?" + urlencode(query) if query else "")
    response = client.get(url)
    assert response.status_code < 500, (url[:300], response.status_code)


def _public_forms(app):
    """Public pages with a POST form (the staff forms are covered by their own tests and the access walk)."""
    return sorted((r for r in app.url_map.iter_rules()
                   if "POST" in r.methods and "GET" in r.methods and not r.rule.startswith(("/admin", "/api"))),
                  key=lambda r: r.rule)


@settings(max_examples=FORM_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])
@given(data=st.data())
def test_no_public_form_answers_5xx_to_hostile_fields(app, client, records, data):
    rule = data.draw(st.sampled_from(_public_forms(app)), label="form")
    url = rule.rule.replace("<id:provider_id>", str(records["provider_id"])) \
        .replace("<id:review_id>", str(records["review_id"]))
    page = client.get(url)
    assert page.status_code < 500
    fields = re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', page.get_data(as_text=True))
    names = sorted(set(fields) - {"csrf_token"})
    form = MultiDict([(name, data.draw(HOSTILE, label=name)) for name in names if data.draw(st.booleans())])
    response = client.post(url, data=form)
    assert response.status_code < 500, (url, [(k, v[:40]) for k, v in form.items(multi=True)],
                                        response.status_code)
