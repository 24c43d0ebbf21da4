"""The memoized input widgets render exactly what WTForms' own render, whatever the value, and build an input's
markup once per field and attribute set."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, SearchField, StringField
from wtforms import widgets as wtforms_widgets
from wtforms.validators import InputRequired, Length

from clinic_finder.inputs import widgets


class _Plain(Form):
    q = SearchField("Place", validators=[Length(max=20)], render_kw={"placeholder": "e.g. 10001", "maxlength": 20})
    lat = HiddenField("Latitude")
    radius = StringField("Miles", widget=wtforms_widgets.NumberInput(step="any", min=1), validators=[InputRequired()])


class _Memoized(Form):
    q = SearchField("Place", validators=[Length(max=20)], render_kw={"placeholder": "e.g. 10001", "maxlength": 20},
                    widget=widgets.SearchInput())
    lat = HiddenField("Latitude", widget=widgets.HiddenInput())
    radius = StringField("Miles", widget=widgets.NumberInput(step="any", min=1), validators=[InputRequired()])


VALUES = ["", "10001", 'Austin, "TX" <b>&amp;</b>', "O'Hare", "\u00e9t\u00e9 \u2014 ok", "12.5", "x" * 300]


@pytest.mark.parametrize("value", VALUES)
def test_the_same_markup_as_wtforms_for_any_value(app, value):
    data = MultiDict({"q": value, "lat": value, "radius": value})
    plain, fast = _Plain(data), _Memoized(data)
    for name in ("q", "lat", "radius"):
        for attributes in ({}, {"aria_invalid": "true"}, {"aria_invalid": False}, {"class_": "wide", "value": value}):
            for _ in range(2):  # the first call builds the shape, the second uses it
                assert fast[name](**attributes) == plain[name](**attributes)


def test_a_value_passed_as_true_or_false_is_written_as_wtforms_writes_it(app):
    form, plain = _Memoized(MultiDict({"q": "x"})), _Plain(MultiDict({"q": "x"}))
    assert form.q(value=True) == plain.q(value=True) and form.q(value=False) == plain.q(value=False)


def test_an_input_is_built_once_per_field_and_attribute_set(app, monkeypatch):
    built = []
    render = wtforms_widgets.SearchInput.__call__
    monkeypatch.setattr(wtforms_widgets.SearchInput, "__call__",
                        lambda self, field, **kw: built.append(kw.get("value")) or render(self, field, **kw))
    monkeypatch.setattr(widgets._Memoized, "_shapes", {})
    for value in VALUES:
        _Memoized(MultiDict({"q": value})).q()
        _Memoized(MultiDict({"q": value})).q(aria_invalid="true")
    assert len(built) == 2  # one shape without aria-invalid, one with it; every value after that placed in it


def test_the_search_page_renders_its_inputs_with_the_memoized_widgets(client):
    page = client.get('/search?q=%22%3E%3Cscript%3E').get_data(as_text=True)
    assert 'name="q"' in page and "&#34;&gt;&lt;script&gt;" in page and '"><script>' not in page
