"""search/request.py: one parser for the page and the API — every problem at once, and links from the request."""
from __future__ import annotations

from dataclasses import replace

import pytest
from werkzeug.datastructures import MultiDict

from clinic_finder.models import Mode, Route
from clinic_finder.search.query import Sort
from clinic_finder.search.request import InvalidSearch, parse_search


def test_every_problem_is_reported_at_once_in_parameter_order():
    with pytest.raises(InvalidSearch) as caught:
        parse_search(MultiDict({"near": "10001", "radius_mi": "far", "route": "smoked", "page": "0"}))
    assert [(p.field, p.code, p.status) for p in caught.value.problems] == [
        ("route", "invalid_choice", 422), ("radius_mi", "invalid_number", 400), ("page", "out_of_range", 422)]


def test_the_page_form_names_the_place_q_and_a_typed_place_wins():
    request = parse_search(MultiDict({"q": " Austin, TX ", "lat": "40", "lon": "-73", "mode": "in_clinic"}),
                           form=True)
    assert (request.place_text, request.point, request.filters.mode) == ("Austin, TX", None, Mode.IN_CLINIC)
    with pytest.raises(InvalidSearch) as caught:
        parse_search(MultiDict({"near": "Austin, TX", "lat": "40", "lon": "-73"}))
    assert caught.value.problems[0].code == "conflicting_location"


def test_url_args_leave_defaults_out_and_keep_the_rest():
    args = MultiDict({"q": "10001", "radius_mi": "10.0", "route": "iv", "sort": "price", "verified_only": "yes",
                      "per_page": "50", "page": "3", "mode": "any"})
    request = parse_search(args, form=True)
    assert (request.filters.route, request.sort, request.page) == (Route.IV, Sort.PRICE, 3)
    assert request.url_args(page=None) == {"q": "10001", "radius_mi": "10", "route": "iv", "sort": "price",
                                           "verified_only": 1, "per_page": 50, "page": None}
    # The links parse back to the same search (on its first page).
    again = parse_search(MultiDict({k: str(v) for k, v in request.url_args().items()}), form=True)
    assert again == replace(request, page=1)


def test_a_search_from_a_point_links_by_its_coordinates():
    request = parse_search(MultiDict({"lat": "40.748400", "lon": "-73.9967", "q": ""}), form=True)
    assert request.url_args() == {"lat": "40.7484", "lon": "-73.9967"}
