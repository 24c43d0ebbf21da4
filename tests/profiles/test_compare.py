"""Comparison: 2–4 providers side by side; every kind of bad input explained, never a 500."""
from __future__ import annotations

import pytest

from clinic_finder.listings import comparison
from clinic_finder.models import LicenseStatus, ListingStatus

from .conftest import fill_checklist


@pytest.mark.parametrize(("raw", "expected"), [
    (["3,7"], [3, 7]),
    (["3", "7", "9"], [3, 7, 9]),
    ([" 3 , 7 ,"], [3, 7]),
    (["4,2,9,1"], [4, 2, 9, 1]),
])
def test_parse_ids_accepts_commas_and_repeats_in_order(raw, expected):
    assert comparison.parse_ids(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ([], "Choose 2 to 4 providers"),
    ([""], "Choose 2 to 4 providers"),
    (["5"], "at least two providers"),
    (["1,2,3,4,5"], "You chose 5 providers; a comparison shows at most 4"),
    (["1,2,1"], "Provider 1 is listed more than once"),
    (["1,abc"], "“abc” is not a provider number"),
    (["1,-2"], "“-2” is not a provider number"),
    (["1,²"], "“²” is not a provider number"),
])
def test_parse_ids_explains_each_problem(raw, message):
    with pytest.raises(comparison.ComparisonError, match=message):
        comparison.parse_ids(raw)


def test_compare_page_shows_providers_side_by_side_with_differences_marked(client, make_provider, add_license,
                                                                             add_review):
    a = fill_checklist(make_provider("Alpha Infusions", price_min_usd=450, price_max_usd=650))
    b = make_provider("Beta Ketamine Care", price_min_usd=900, price_max_usd=900, free_consultation=True)
    add_license(a)
    add_license(b, LicenseStatus.EXPIRED)
    add_review(b, 3)
    response = client.get(f"/compare?ids={b.id},{a.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index("Beta Ketamine Care") < html.index("Alpha Infusions")  # the order asked for
    assert "$450–$650" in html and "$900" in html
    assert "above the typical $400–$800" in html
    assert "Expired" in html and "Verified" in html
    # Issue 14: Alpha has no reviews, so its review summary is a gap, never a verified check.
    assert "17 of 18 checks verified" in html and "0 of 18 checks verified" in html
    assert "3.0 / 5" in html and "No reviews yet" in html
    assert 'class="differs"' in html
    assert 'class="same"' in html  # e.g. both treat depression in a clinic


def test_only_differences_hides_rows_that_are_the_same(client, make_provider):
    a = make_provider("Alpha", price_min_usd=450, price_max_usd=650)
    b = make_provider("Beta", price_min_usd=900, price_max_usd=900)
    html = client.get(f"/compare?ids={a.id},{b.id}&show=differences").get_data(as_text=True)
    assert "Price per session" in html
    assert "Conditions treated" not in html
    assert 'class="same"' not in html


def test_checkbox_style_repeated_ids_work(client, make_provider):
    a, b, c = (make_provider() for _ in range(3))
    response = client.get(f"/compare?ids={a.id}&ids={b.id}&ids={c.id}")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('href="/providers/') >= 3


def test_at_home_and_clinic_checks_say_does_not_apply(client, make_provider):
    clinic = make_provider("Clinic Only")
    home = make_provider("Home Only", in_clinic=False, at_home=True, states_served=("NY",), routes=("oral",))
    html = client.get(f"/compare?ids={clinic.id},{home.id}").get_data(as_text=True)
    assert "Does not apply" in html
    assert "Remote monitoring during sessions" in html
    assert "ACLS-trained staff on site" in html


@pytest.mark.parametrize(("query", "message"), [
    ("", "Choose 2 to 4 providers"),
    ("?ids=1", "at least two providers"),
    ("?ids=1,2,3,4,5", "at most 4"),
    ("?ids=1,1", "listed more than once"),
    ("?ids=1,x", "is not a provider number"),
    ("?ids=1,99999999999999999999", "is not a provider number"),
])
def test_bad_compare_requests_explain_what_is_wrong(client, make_provider, query, message):
    make_provider()
    response = client.get("/compare" + query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_unknown_and_unpublished_providers_are_named(client, make_provider):
    a = make_provider()
    hidden = make_provider(listing_status=ListingStatus.PENDING)
    response = client.get(f"/compare?ids={a.id},{hidden.id},424242")
    assert response.status_code == 400
    assert f"We could not find providers {hidden.id}, 424242" in response.get_data(as_text=True)


def test_compare_query_count_does_not_grow_with_providers(client, make_provider, count_queries):
    providers = [fill_checklist(make_provider()) for _ in range(4)]
    with count_queries() as two:
        assert client.get(f"/compare?ids={providers[0].id},{providers[1].id}").status_code == 200
    with count_queries() as four:
        assert client.get("/compare?ids=" + ",".join(str(p.id) for p in providers)).status_code == 200
    assert len(two) == len(four)


def test_provider_list_lets_a_patient_tick_providers_to_compare(client, make_provider):
    a, b = make_provider("Alpha"), make_provider("Beta")
    html = client.get("/providers").get_data(as_text=True)
    assert 'action="/compare"' in html
    assert f'name="ids" value="{a.id}"' in html and f'name="ids" value="{b.id}"' in html


def test_a_provider_can_be_removed_from_a_comparison_of_three(client, make_provider):
    a, b, c = (make_provider() for _ in range(3))
    html = client.get(f"/compare?ids={a.id},{b.id},{c.id}").get_data(as_text=True)
    assert f'href="/compare?ids={a.id},{c.id}"' in html
    html = client.get(f"/compare?ids={a.id},{b.id}").get_data(as_text=True)
    assert "from the comparison" not in html  # two is the minimum


def test_hostile_provider_numbers_are_a_polite_400(client):
    for ids in ("9" * 5000 + ",2", "99999999999,2", "%C2%B2,3", "-1,2"):
        response = client.get(f"/compare?ids={ids}")
        assert response.status_code == 400, ids
        assert "not a provider number" in response.get_data(as_text=True)
