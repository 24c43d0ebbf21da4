"""A result card (search/cards.py) reads, column by column, what the provider and clinic models hold, and the
models' own derived properties give the same answers on it."""
from __future__ import annotations

from dataclasses import fields

import pytest

from clinic_finder.extensions import db
from clinic_finder.models import Location, Mode, Provider
from clinic_finder.search.cards import LocationCard, ProviderCard
from clinic_finder.search.query import SearchFilters, SearchQuery, Sort, find_providers


# Nearest first is PostgreSQL's one statement (single_statement.py); highest rated first is query.py's plan.
@pytest.mark.parametrize("sort", [Sort.DISTANCE, Sort.RATING])
def test_cards_hold_what_the_models_hold(clinic_at, make_provider, new_york, sort):
    near = clinic_at(3, 40, "Near", at_home=True, states_served=("NY", "NJ"), price_min_usd=450, price_max_usd=700,
                     free_consultation=True, rating_count=3, rating_average=4.5)
    near.locations[0].address_line2 = "Suite 4"
    far = clinic_at(9, 200, "Far", price_min_usd=None)
    far.locations[0].accepting_new_patients = False
    make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY",), price_min_usd=200)
    db.session.commit()
    result = find_providers(SearchQuery(new_york, sort=sort))
    db.session.expunge_all()
    assert [(m.provider.name, m.mode) for m in result.matches] == [
        ("Near", Mode.IN_CLINIC), ("Far", Mode.IN_CLINIC), ("Tele", Mode.AT_HOME)]
    for match in result.matches:
        card, model = match.provider, db.session.get(Provider, match.provider.id)
        assert isinstance(card, ProviderCard)
        assert {f.name: getattr(card, f.name) for f in fields(card)} == {
            f.name: getattr(model, f.name) for f in fields(card)}
        assert card.modes == model.modes
        if match.mode == Mode.IN_CLINIC:
            loc, loc_model = match.location, db.session.get(Location, match.location.id)
            assert isinstance(loc, LocationCard)
            assert {f.name: getattr(loc, f.name) for f in fields(loc)} == {
                f.name: getattr(loc_model, f.name) for f in fields(loc)}
            assert loc.one_line == loc_model.one_line
    assert result.matches[0].location.one_line.count("Suite 4") == 1
    assert result.matches[0].provider.modes == [Mode.IN_CLINIC, Mode.AT_HOME]


def test_filtered_results_read_cards_too(clinic_at, new_york):
    clinic_at(2, 0, "Free", free_consultation=True)
    clinic_at(4, 0, "Paid")
    result = find_providers(SearchQuery(new_york, filters=SearchFilters(free_consultation=True)))
    assert [m.provider.name for m in result.matches] == ["Free"]
    assert result.matches[0].provider.free_consultation is True


@pytest.mark.parametrize("sort", [Sort.DISTANCE, Sort.RATING])
def test_a_cards_lists_are_the_models_and_come_with_the_card(clinic_at, make_provider, new_york, sort,
                                                            count_queries):
    clinic_at(2, 0, "Many", routes=("oral", "iv", "nasal"), conditions=("ptsd", "depression"),
              at_home=True, states_served=("NY", "CT", "NJ"))
    clinic_at(5, 90, "None at all", routes=(), conditions=())
    make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY", "PA"), routes=("im",),
                  conditions=())
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as seen:
        result = find_providers(SearchQuery(new_york, sort=sort))
    assert [m.provider.name for m in result.matches] == ["Many", "None at all", "Tele"]
    for match in result.matches:
        model = db.session.get(Provider, match.provider.id)
        assert (match.routes, match.conditions, match.states_served) == (
            model.routes, model.conditions, sorted(model.states_served))
    assert result.matches[0].routes == ["iv", "nasal", "oral"]
    assert result.matches[1].routes == [] and result.matches[1].conditions == []
    assert result.matches[2].states_served == ["NY", "PA"]
    # The cards' statements carry their routes, conditions and states: no statement reads them on its own.
    reading_lists = [s for s in seen if "provider_route" in s]
    assert reading_lists and all("price_min_usd" in s for s in reading_lists), reading_lists
