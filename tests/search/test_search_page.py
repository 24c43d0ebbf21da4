"""/search: both lists labelled, the query echoed, pages, and a specific message for every kind of bad input."""
from __future__ import annotations

import re

import pytest

from clinic_finder.extensions import db
from clinic_finder.models import Location


def _text(response) -> str:
    html = response.get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace(" .", ".")


def test_results_echo_the_query_and_label_both_lists(client, clinic_at, make_provider):
    for i in range(12):
        clinic_at(1 + i, i * 30, f"Clinic {i:02d}")
    clinic_at(30, name="Too far")
    make_provider("Tele NY", in_clinic=False, at_home=True, states_served=("NY",))
    make_provider("Tele NJ", in_clinic=False, at_home=True, states_served=("NJ",))
    response = client.get("/search?q=10001")
    text = _text(response)
    assert response.status_code == 200
    assert "12 clinics within 25 mi of New York, NY 10001 and 1 at-home provider licensed in New York." in text
    assert "In a clinic, within 25 mi" in text and "At home (telehealth), licensed in New York" in text
    assert text.index("Clinic 00") < text.index("Clinic 11") < text.index("Tele NY")
    assert "Too far" not in text and "Tele NJ" not in text
    assert "1.0 mi away" in text


def test_results_can_be_ticked_for_comparison_without_javascript(client, clinic_at, make_provider):
    a, b = clinic_at(1, name="Alpha"), clinic_at(2, name="Beta")
    home = make_provider("Tele NY", in_clinic=False, at_home=True, states_served=("NY",))
    html = client.get("/search?q=10001").get_data(as_text=True)
    assert re.search(r'<form method="get" action="/compare" id="compare-form"', html)
    for p in (a, b, home):
        assert f'name="ids" value="{p.id}" form="compare-form"' in html
    # The boxes submit as repeated ids, which the compare page reads.
    assert client.get(f"/compare?ids={a.id}&ids={home.id}").status_code == 200


def test_a_single_result_offers_no_comparison(client, clinic_at):
    clinic_at(1, name="Alone")
    html = client.get("/search?q=10001").get_data(as_text=True)
    assert 'id="compare-form"' not in html and 'form="compare-form"' not in html


def test_a_city_and_state_search_with_filters_keeps_the_filters_in_the_form(client, clinic_at):
    clinic_at(2, name="Free", free_consultation=True)
    clinic_at(3, name="Paid")
    html = client.get("/search?q=New+York,+NY&free_consultation=1&radius_mi=10").get_data(as_text=True)
    assert "Free" in html and ">Paid<" not in html
    assert re.search(r'<input[^>]*checked[^>]*name="free_consultation"|<input[^>]*name="free_consultation"[^>]*checked',
                     html)
    assert "1 clinic within 10 mi of New York, NY" in _text_of(html)


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_pages_link_to_each_other_and_keep_the_search(client, clinic_at):
    for i in range(25):
        clinic_at(0.5 + i * 0.5, i * 14, f"C{i:02d}")
    page1 = client.get("/search?q=10001&route=iv").get_data(as_text=True)
    assert "Page 1 of 2" in page1
    next_href = re.search(r'<a rel="next" href="([^"]+)"', page1).group(1).replace("&amp;", "&")
    assert "q=10001" in next_href and "route=iv" in next_href and "page=2" in next_href
    page2 = client.get(next_href).get_data(as_text=True)
    first = set(re.findall(r">(C\d\d)<", page1))
    second = set(re.findall(r">(C\d\d)<", page2))
    assert len(first) == 20 and len(second) == 5 and not first & second
    assert '<ol class="results" start="21">' in page2


def test_at_home_providers_past_the_first_page_are_pointed_to(client, clinic_at, make_provider):
    for i in range(20):
        clinic_at(1 + i * 0.2, name=f"C{i:02d}")
    make_provider("Tele NY", in_clinic=False, at_home=True, states_served=("NY",))
    text = _text(client.get("/search?q=10001"))
    assert "1 at-home provider follow the clinics, from page 2" in text
    assert "Tele NY" in _text(client.get("/search?q=10001&page=2"))


def test_an_empty_result_says_so_and_offers_a_wider_search(client):
    text = _text(client.get("/search?q=59001&radius_mi=5"))  # rural Montana, nobody listed
    assert "0 clinics within 5 mi of" in text
    assert "No clinic within 5 mi of" in text and "Search a wider area" in text
    assert "No at-home provider licensed in Montana matches this search." in text


def test_an_ambiguous_place_offers_links_to_each_choice(client):
    response = client.get("/search?q=Portland&mode=in_clinic")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Which “Portland” do you mean?" in html
    assert 'href="/search?q=Portland,+ME&amp;mode=in_clinic"' in html


def test_a_filter_only_link_asks_for_a_place_without_an_error(client):
    response = client.get("/search?verified_only=1")
    assert response.status_code == 200
    text = _text(response)
    assert "Enter a ZIP code, a city and state" in text and "Please check your search" not in text


def test_searching_from_a_shared_location(client, clinic_at):
    clinic_at(1, name="Nearby")
    text = _text(client.get("/search?lat=40.7484&lon=-73.9967&q="))
    assert "1 clinic within 25 mi of 40.7484, -73.9967 (near New York, NY" in text


@pytest.mark.parametrize("query, message", [
    ("q=", "Please enter a ZIP code, a city and state (like Austin, TX), or an address."),
    ("q=%20%20", "Please enter a ZIP code, a city and state"),
    ("q=Xyzzyville,+ZZ", "We could not find “Xyzzyville, ZZ”. Check the spelling, or try a ZIP code"),
    ("q=10001&radius_mi=0", "Please choose a distance from 1 to 500 miles."),
    ("q=10001&radius_mi=501", "Please choose a distance from 1 to 500 miles."),
    ("q=10001&radius_mi=NaN", "Please enter a distance in miles."),
    ("q=10001&radius_mi=abc", "Please enter a distance in miles."),
    ("q=10001&radius_mi=-inf", "Please enter a distance in miles."),
    ("lat=95&lon=0", "Latitude must be between -90 and 90."),
    ("lat=40&lon=-190", "Longitude must be between -180 and 180."),
    ("lat=nan&lon=1", "Please enter a latitude between -90 and 90."),
    ("lat=40", "Your location arrived incomplete; please search by place instead."),
    ("q=10001&mode=drive", "Please choose in a clinic, at home, or either."),
    ("q=10001&route=smoked", "Please choose how it is given from the list."),
    ("q=10001&condition=flu", "Please choose a condition from the list."),
    ("q=10001&sort=random", "Please choose nearest, highest rated or lowest price."),
    ("q=10001&max_price=cheap", "Please enter a price in whole dollars."),
    ("q=10001&max_price=-5", "Please enter a price from $0 to $100,000."),
    ("q=10001&min_rating=9", "Please enter a rating from 1 to 5."),
    ("q=10001&page=0", "Page numbers start at 1."),
    ("q=10001&page=two", "Please enter a page number."),
    ("q=10001&page=3", "There is no page 3: these results have 1 page."),
    ("q=" + "1" * 201, "Please shorten the place to 200 characters or fewer."),
    ("q=New%20York%00", "Please use plain text: remove the control characters from the place."),
])
def test_each_bad_input_gets_a_specific_message(client, query, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == 422
    text = _text(response)
    assert "Please check your search" in text
    assert message in text


def test_a_search_page_loads_in_a_fixed_number_of_queries(client, clinic_at, count_queries):
    for i in range(3):
        clinic_at(i + 1)
    with count_queries() as few:
        client.get("/search?q=10001")
    for i in range(15):
        p = clinic_at(i + 5)
        extra = Location(address_line1="Annex", city="New York", state="NY", zip_code="10001")
        extra.set_coordinates(40.7, -74.0, "test")
        p.locations.append(extra)
    db.session.commit()
    with count_queries() as many:
        client.get("/search?q=10001")
    assert len(many) == len(few)


@pytest.mark.parametrize("query, message", [
    ("q=10001&page=" + "9" * 400, "Please choose a page from 1 to 1,000,000."),
    ("q=10001&page=%C2%B2", "Please enter a page number."),
    ("q=10001&max_price=" + "9" * 309, "Please enter a price from $0 to $100,000."),
    ("q=10001&per_page=1e9", "Please enter how many results to show on a page, as a whole number."),
    ("q=10001&per_page=500", "Please show from 1 to 100 results on a page."),
    ("q=10001&radius_mi=NaN", "Please enter a distance in miles."),
    ("q=10001&radius_mi=" + "9" * 400, "Please enter a distance in miles."),
    ("q=10001&verified_only=maybe", "Please give verified_only as true or false (1 or 0)."),
])
def test_hostile_numbers_get_a_message_not_a_500(client, query, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == 422
    text = _text(response)
    assert "Please check your search" in text and message in text


def test_a_page_past_the_end_links_to_the_last_page(client, clinic_at):
    clinic_at(1)
    html = client.get("/search?q=10001&page=3").get_data(as_text=True)
    assert "There is no page 3: these results have 1 page." in html
    assert 'href="/search?q=10001&amp;page=1"' in html


def test_a_typed_place_replaces_the_point_the_form_kept(client, clinic_at):
    clinic_at(1, name="Manhattan")
    # Without JavaScript the hidden lat/lon of an earlier "use my location" come back with a newly typed place.
    text = _text(client.get("/search?q=10001&lat=34.05&lon=-118.24"))
    assert "1 clinic within 25 mi of New York, NY 10001" in text


def test_checkbox_filters_read_the_same_spellings_as_the_api(client, clinic_at):
    clinic_at(1, name="Free", free_consultation=True)
    clinic_at(2, name="Paid")
    for spelling in ("1", "y", "on", "True"):
        text = _text(client.get(f"/search?q=10001&free_consultation={spelling}"))
        assert "Free" in text and "Paid" not in text
    text = _text(client.get("/search?q=10001&free_consultation=False"))
    assert "Free" in text and "Paid" in text


def test_the_geocoder_being_down_is_a_503_with_a_message(client, monkeypatch):
    from clinic_finder.geo import geocoding
    from clinic_finder.search import request as search_request

    def down(_text):
        raise geocoding.GeocoderUnavailable("down")

    monkeypatch.setattr(search_request, "resolve_place", down)
    response = client.get("/search?q=350+5th+Ave,+New+York")
    assert response.status_code == 503
    assert "Our address lookup is not answering right now." in _text(response)


def test_results_per_page_are_kept_in_the_page_links(client, clinic_at):
    for i in range(3):
        clinic_at(1 + i, name=f"C{i}")
    html = client.get("/search?q=10001&per_page=2").get_data(as_text=True)
    assert "Page 1 of 2" in _text_of(html)
    assert re.search(r'<a rel="next" href="[^"]*per_page=2', html)


def test_the_filters_panel_shows_each_searchs_own_values_and_problems(client, clinic_at):
    # The panel is rendered once per process for each state of the filters ({% memo %} in results.html).
    clinic_at(1, name="Near")

    def panel(query):
        html = client.get(f"/search?q=10001{query}").get_data(as_text=True)
        return html[html.index('<details class="filters"'):html.index("</details>")]

    plain = panel("")
    filtered = panel("&max_price=700&free_consultation=1&sort=price")
    wrong = panel("&max_price=lots")
    assert ' open' not in plain.split(">")[0] and 'value="700"' not in plain
    assert ' open' in filtered.split(">")[0] and 'value="700"' in filtered
    assert re.search(r'<option selected value="price">|<option value="price" selected', filtered)
    assert re.search(r'name="free_consultation"[^>]*checked|checked[^>]*name="free_consultation"', filtered)
    assert "Please enter a price in whole dollars." in wrong and 'aria-invalid="true"' in wrong
    # Asked again, each comes back as it was, not as the last one rendered.
    assert panel("") == plain and panel("&max_price=700&free_consultation=1&sort=price") == filtered
