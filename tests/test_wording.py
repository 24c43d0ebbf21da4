"""Wording done once (clinic_finder/wording.py): the template filters and the checklist's display values agree."""
from __future__ import annotations

from datetime import date

from clinic_finder import wording
from clinic_finder.vetting import checklist as vetting


def test_counts_take_the_right_noun_and_thousands_separators():
    assert wording.quantity(1, "year") == "1 year"
    assert wording.quantity(2, "year") == "2 years"
    assert wording.quantity(15000, "treatment") == "15,000 treatments"
    assert wording.quantity(0, "review") == "0 reviews"
    assert wording.quantity(1, "person") == "1 person" and wording.quantity(3, "person") == "3 people"


def test_state_names_read_well_in_a_sentence():
    assert wording.state_in_sentence("DC") == "the District of Columbia"
    assert wording.state_in_sentence("ny") == "New York"


def test_dates_and_money():
    assert wording.long_date(date(2026, 3, 4)) == "March 4, 2026"
    assert wording.usd(15000) == "$15,000" and wording.usd(None) == ""
    assert wording.usd_range(450, 650) == "$450–$650" and wording.usd_range(450, None) == "$450"
    assert wording.days_ago(date(2025, 1, 1), today=date(2026, 1, 1)) == "12 months ago"
    assert wording.days_ago(date(2020, 1, 1), today=date(2026, 1, 1)) == "6 years ago"


def test_checklist_values_use_the_same_wording():
    years, treatments = vetting.BY_KEY["years_offering_ketamine"], vetting.BY_KEY["treatments_given"]
    assert vetting.display_value(years, "1") == "1 year"
    assert vetting.display_value(treatments, "15000") == "15,000 treatments"


def test_the_profile_and_compare_pages_word_counts_once(client, make_provider, add_license):
    from clinic_finder.models import ChecklistSource

    a, b = make_provider(), make_provider()
    vetting.set_check(a, "years_offering_ketamine", "1", ChecklistSource.SELF_REPORTED)
    vetting.set_check(a, "treatments_given", "15000", ChecklistSource.SELF_REPORTED)
    add_license(a, state="DC")
    html = client.get(f"/providers/{a.id}").get_data(as_text=True)
    assert "1 year" in html and "1 years" not in html and "15,000 treatments" in html
    assert "the District of Columbia" in html
    html = client.get(f"/compare?ids={a.id},{b.id}").get_data(as_text=True)
    assert "1 year" in html and "1 years" not in html


def test_distances_and_radii():
    assert wording.miles(0.96) == "1.0 mi" and wording.miles(9.94) == "9.9 mi" and wording.miles(12.4) == "12 mi"
    assert wording.radius_miles(25) == "25 mi" and wording.radius_miles(2.5) == "2.5 mi"
    assert wording.radius_miles(25.0) == "25 mi"


def test_a_providers_prices_are_worded_once_wherever_they_show(client, make_provider, db):
    assert wording.price_per_session(400, 800) == "$400–$800 per session"
    assert wording.price_per_session(400, 400) == wording.price_per_session(400, None) == "$400 per session"
    assert wording.price_per_session(None, 800) == "Price not provided"
    assert wording.price_per_session(None, None, "Not provided") == "Not provided"
    priced = make_provider(price_min_usd=1200, price_max_usd=4500)
    unpriced = make_provider(price_min_usd=None, price_max_usd=None)
    profile = client.get(f"/providers/{priced.id}").get_data(as_text=True)
    assert "$1,200–$4,500 per session" in profile
    assert "Not provided" in client.get(f"/providers/{unpriced.id}").get_data(as_text=True)
    compare = client.get(f"/compare?ids={priced.id},{unpriced.id}").get_data(as_text=True)
    assert "$1,200–$4,500" in compare and "per session" in compare
    hsds = client.get(f"/hsds/services/{priced.uuid}").get_json()
    assert [o["amount_description"] for o in hsds["cost_options"]] == ["$1,200–$4,500 per session"]
