"""find_providers: geodesic radius cut, both lists, filters, sorting and paging without repeats or gaps."""
from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from geopy.distance import geodesic

from clinic_finder.extensions import db
from clinic_finder.models import ChecklistSource, LicenseStatus, ListingStatus, Location, Mode
from clinic_finder.search import query as search
from clinic_finder.search.query import PageOutOfRange, SearchFilters, SearchQuery, Sort, find_providers
from clinic_finder.vetting.checklist import set_check

from .conftest import point_at


def _names(result) -> list[str]:
    return [m.provider.name for m in result.matches]


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 180, 270])
def test_the_radius_cut_is_geodesic_in_every_direction(clinic_at, new_york, bearing):
    clinic_at(24.9, bearing, "Inside")
    clinic_at(25.1, bearing, "Outside")
    result = find_providers(SearchQuery(new_york, radius_mi=25))
    assert _names(result) == ["Inside"]
    assert result.total == result.in_clinic_total == 1
    assert result.matches[0].distance_mi == pytest.approx(24.9, abs=1e-6)


def test_distances_are_wgs84_geodesic_not_spherical(clinic_at, new_york):
    p = clinic_at(100, 0, "North")
    [match] = find_providers(SearchQuery(new_york, radius_mi=150)).matches
    loc = p.locations[0]
    assert match.distance_mi == pytest.approx(geodesic((new_york.lat, new_york.lon), (loc.lat, loc.lon)).miles)
    assert match.distance_mi == pytest.approx(100, abs=1e-6)


def test_a_provider_with_several_clinics_is_listed_once_at_its_nearest(make_provider, new_york):
    p = make_provider("Two Sites", lat=point_at(new_york, 10)[0], lon=point_at(new_york, 10)[1])
    lat, lon = point_at(new_york, 3, 90)
    extra = Location(address_line1="2 Side St", city="New York", state="NY", zip_code="10001")
    extra.set_coordinates(lat, lon, "test")
    p.locations.append(extra)
    db.session.commit()
    result = find_providers(SearchQuery(new_york, radius_mi=25))
    assert result.total == 1
    assert result.matches[0].distance_mi == pytest.approx(3, abs=1e-6)
    assert result.matches[0].location.id == extra.id


def test_a_second_clinic_only_in_the_uncertain_ring_is_checked_exactly(make_provider, new_york):
    # Nearest clinic at 24.95 mi (inside the ring where sphere and ellipsoid may disagree), another far away.
    lat, lon = point_at(new_york, 24.95, 0)
    p = make_provider("Ring", lat=lat, lon=lon)
    far = Location(address_line1="9 Far Rd", city="Albany", state="NY", zip_code="12207")
    far.set_coordinates(42.65, -73.75, "test")
    p.locations.append(far)
    db.session.commit()
    result = find_providers(SearchQuery(new_york, radius_mi=25))
    assert result.total == 1 and result.matches[0].distance_mi == pytest.approx(24.95, abs=1e-6)
    assert find_providers(SearchQuery(new_york, radius_mi=24.9)).total == 0


def test_unpublished_suspended_and_ungeocoded_clinics_are_not_found(make_provider, clinic_at, new_york):
    clinic_at(2, name="Pending", listing_status=ListingStatus.PENDING)
    shown = clinic_at(3, name="Shown")
    make_provider("No coordinates", lat=None, lon=None)
    assert _names(find_providers(SearchQuery(new_york))) == ["Shown"]
    shown.listing_status = ListingStatus.SUSPENDED
    db.session.commit()
    assert find_providers(SearchQuery(new_york)).total == 0
    shown.listing_status = ListingStatus.PUBLISHED
    db.session.commit()
    assert find_providers(SearchQuery(new_york)).total == 1


def test_search_flags_follow_the_provider_and_its_locations(make_provider, new_york):
    p = make_provider("Flags")
    [loc] = p.locations
    assert loc.searchable and loc.is_only_location
    second = Location(address_line1="3 Other Ave", city="New York", state="NY", zip_code="10001")
    second.set_coordinates(40.75, -73.99, "test")
    p.locations.append(second)
    db.session.commit()
    assert not loc.is_only_location and not second.is_only_location and second.searchable
    p.locations.remove(second)
    db.session.commit()
    assert loc.is_only_location
    p.offers_in_clinic, p.offers_at_home = False, True
    db.session.commit()
    assert not loc.searchable


def test_the_at_home_listed_flag_follows_the_provider(make_provider, new_york):
    from clinic_finder.models import ServiceState

    def listed(p):
        return {s.state: s.listed for s in p.service_states}

    p = make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY", "NJ"))
    assert listed(p) == {"NY": True, "NJ": True}
    assert find_providers(SearchQuery(new_york)).at_home_total == 1
    p.listing_status = ListingStatus.SUSPENDED
    db.session.commit()
    assert listed(p) == {"NY": False, "NJ": False}
    assert find_providers(SearchQuery(new_york)).at_home_total == 0
    p.listing_status = ListingStatus.PUBLISHED
    p.service_states.append(ServiceState(state="CT"))
    db.session.commit()
    assert listed(p) == {"NY": True, "NJ": True, "CT": True}
    p.offers_in_clinic, p.offers_at_home = True, False
    db.session.commit()
    assert not any(listed(p).values())
    assert find_providers(SearchQuery(new_york)).at_home_total == 0
    # A row made with a bare provider_id is kept true to its provider too.
    other = make_provider("Tele two", in_clinic=False, at_home=True)
    db.session.add(ServiceState(provider_id=other.id, state="NY"))
    db.session.commit()
    db.session.refresh(other)
    assert listed(other) == {"NY": True}


def test_refresh_all_search_flags_repairs_bulk_changes(make_provider, new_york):
    from clinic_finder.models import ServiceState
    from clinic_finder.models.provider import refresh_all_search_flags

    p = make_provider("Bulk")
    tele = make_provider("Bulk Tele", in_clinic=False, at_home=True, states_served=("NY",))
    db.session.execute(sa.update(Location).values(searchable=False, is_only_location=False))
    db.session.execute(sa.update(ServiceState).values(listed=False))
    db.session.commit()
    assert find_providers(SearchQuery(new_york)).total == 0
    refresh_all_search_flags(db.session)
    db.session.commit()
    db.session.refresh(p.locations[0])
    assert p.locations[0].searchable and p.locations[0].is_only_location
    db.session.refresh(tele.service_states[0])
    assert tele.service_states[0].listed
    result = find_providers(SearchQuery(new_york))
    assert result.in_clinic_total == 1 and result.at_home_total == 1


def test_at_home_providers_are_matched_by_state_whatever_the_distance(make_provider, clinic_at, new_york):
    clinic_at(5, name="Clinic")
    make_provider("Tele NY", in_clinic=False, at_home=True, states_served=("NY", "NJ"))
    make_provider("Tele CA", in_clinic=False, at_home=True, states_served=("CA",))
    make_provider("Tele NY pending", in_clinic=False, at_home=True, states_served=("NY",),
                  listing_status=ListingStatus.PENDING)
    result = find_providers(SearchQuery(new_york))
    assert [(m.provider.name, m.mode, m.distance_mi) for m in result.matches] == [
        ("Clinic", Mode.IN_CLINIC, pytest.approx(5)), ("Tele NY", Mode.AT_HOME, None)]
    assert (result.in_clinic_total, result.at_home_total) == (1, 1)
    assert _names(find_providers(SearchQuery(new_york, filters=SearchFilters(mode=Mode.AT_HOME)))) == ["Tele NY"]
    assert _names(find_providers(SearchQuery(new_york, filters=SearchFilters(mode=Mode.IN_CLINIC)))) == ["Clinic"]


def test_a_provider_with_both_modes_nearby_is_listed_once_as_a_clinic(clinic_at, new_york):
    clinic_at(5, name="Both", at_home=True, states_served=("NY",))
    clinic_at(40, name="Both far", at_home=True, states_served=("NY",))
    result = find_providers(SearchQuery(new_york, radius_mi=25))
    assert [(m.provider.name, m.mode) for m in result.matches] == [("Both", Mode.IN_CLINIC),
                                                                   ("Both far", Mode.AT_HOME)]
    only_home = find_providers(SearchQuery(new_york, filters=SearchFilters(mode=Mode.AT_HOME)))
    assert sorted(_names(only_home)) == ["Both", "Both far"]


def test_a_place_outside_every_state_has_no_at_home_list(make_provider):
    from clinic_finder.geo.geocoding import Place

    make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY",))
    at_sea = Place(38.0, -60.0, "38.0000, -60.0000", None)
    assert find_providers(SearchQuery(at_sea)).total == 0


def test_each_filter_narrows_the_list(make_provider, clinic_at, add_license, add_review, new_york):
    plain = clinic_at(1, name="Plain", price_min_usd=700, price_max_usd=800)
    best = clinic_at(2, name="Best", routes=("iv", "im"), conditions=("depression", "ocd"), price_min_usd=400,
                     free_consultation=True)
    add_license(best, LicenseStatus.VERIFIED)
    add_license(plain, LicenseStatus.EXPIRED)
    add_review(best, 5)
    add_review(plain, 2)
    set_check(best, "monitored_recovery", "60", ChecklistSource.SELF_REPORTED)
    plain.locations[0].accepting_new_patients = False
    db.session.commit()

    def names(**kw):
        return _names(find_providers(SearchQuery(new_york, filters=SearchFilters(**kw))))

    assert names() == ["Plain", "Best"]
    assert names(condition="ocd") == ["Best"]
    assert names(route="im") == ["Best"]
    assert names(max_price=500) == ["Best"]
    assert names(verified_only=True) == ["Best"]
    assert names(min_rating=4) == ["Best"]
    assert names(free_consultation=True) == ["Best"]
    assert names(accepting_new_patients=True) == ["Best"]
    assert names(monitored_recovery=True) == ["Best"]


def test_sort_by_rating_then_distance_and_by_price(clinic_at, add_review, new_york):
    near = clinic_at(1, name="Near unrated", price_min_usd=None, price_max_usd=None)
    mid = clinic_at(2, name="Mid 4 stars", price_min_usd=600)
    far = clinic_at(3, name="Far 5 stars", price_min_usd=500)
    add_review(mid, 4)
    add_review(far, 5)
    assert near
    assert _names(find_providers(SearchQuery(new_york, sort=Sort.RATING))) == [
        "Far 5 stars", "Mid 4 stars", "Near unrated"]
    assert _names(find_providers(SearchQuery(new_york, sort=Sort.PRICE))) == [
        "Far 5 stars", "Mid 4 stars", "Near unrated"]
    assert _names(find_providers(SearchQuery(new_york, sort=Sort.DISTANCE))) == [
        "Near unrated", "Mid 4 stars", "Far 5 stars"]


def test_a_page_past_the_end_is_refused(clinic_at, new_york):
    clinic_at(3)
    assert find_providers(SearchQuery(new_york, page=1)).total == 1
    with pytest.raises(PageOutOfRange) as err:
        find_providers(SearchQuery(new_york, page=2))
    assert "There is no page 2: these results have 1 page." in str(err.value)
    assert find_providers(SearchQuery(new_york, radius_mi=1, page=1)).total == 0  # page 1 of nothing is fine


def _brute_force(new_york, radius, sort, providers):
    rows = []
    for p in providers:
        if not p.is_published:
            continue
        if p.offers_in_clinic:
            ds = [geodesic((new_york.lat, new_york.lon), (loc.lat, loc.lon)).miles for loc in p.locations]
            if ds and min(ds) <= radius:
                key = {Sort.DISTANCE: (), Sort.RATING: (-(p.rating_average or 0.0), -p.rating_count),
                       Sort.PRICE: (p.price_min_usd if p.price_min_usd is not None else 10**9,)}[sort]
                rows.append((key, min(ds), p.id))
    return [pid for _, _, pid in sorted(rows)]


@pytest.mark.parametrize("sort", list(Sort))
def test_pages_never_repeat_or_skip_and_match_a_brute_force_search(make_provider, add_review, new_york, sort):
    rng = random.Random(7)
    providers = []
    for i in range(70):
        # Many at nearly the same distance, several right at the edge of the radius, a few several sites.
        miles = rng.choice([rng.uniform(0, 30), 24.9 + rng.random() * 0.2, 10.0 + rng.random() * 1e-3])
        lat, lon = point_at(new_york, miles, rng.uniform(0, 360))
        p = make_provider(f"P{i:02d}", lat=lat, lon=lon, price_min_usd=rng.choice([None, 400, 500, 600]),
                          listing_status=rng.choice([ListingStatus.PUBLISHED] * 5 + [ListingStatus.PENDING]),
                          commit=False)
        if i % 9 == 0:
            extra = Location(address_line1="Annex", city="New York", state="NY", zip_code="10001")
            extra.set_coordinates(*point_at(new_york, rng.uniform(0, 40), rng.uniform(0, 360)), "test")
            p.locations.append(extra)
        providers.append(p)
    db.session.commit()
    for p in providers[::5]:
        add_review(p, rng.randint(1, 5))
    expected = _brute_force(new_york, 25, sort, providers)
    seen = []
    per_page = 7
    for page in range(1, -(-len(expected) // per_page) + 1):
        result = find_providers(SearchQuery(new_york, radius_mi=25, sort=sort, page=page, per_page=per_page))
        assert result.total == len(expected)
        seen += [m.provider.id for m in result.matches]
    assert seen == expected
    assert search.naive_in_clinic_count(new_york, 25) == len(expected)


def test_the_search_loads_a_page_in_a_fixed_number_of_queries(clinic_at, count_queries, new_york):
    for i in range(30):
        clinic_at(i * 0.5, i * 12)
    with count_queries() as few:
        find_providers(SearchQuery(new_york, per_page=5))
    with count_queries() as many:
        find_providers(SearchQuery(new_york, per_page=25))
    assert len(many) == len(few) <= 12


def test_at_home_search_lists_a_state_only_where_a_prescriber_is_licensed(make_provider, add_license, new_york):
    """Ketamine is legal only when prescribed by a licensed professional: an at-home provider is found in a state
    only while someone on its team may prescribe there (issue 14)."""
    from datetime import date, timedelta

    from clinic_finder.models import Credential

    def at_home_names():
        result = find_providers(SearchQuery(new_york, filters=SearchFilters(mode=Mode.AT_HOME)))
        return sorted(m.provider.name for m in result.matches)

    make_provider("Licensed Tele", in_clinic=False, at_home=True, states_served=("NY",))
    counsellor = make_provider("Counsellor Only", in_clinic=False, at_home=True, states_served=("NY",),
                               prescriber=False)
    add_license(counsellor, LicenseStatus.VERIFIED, credential=Credential.LCSW)  # on the team, never a prescriber
    elsewhere = make_provider("Licensed Elsewhere", in_clinic=False, at_home=True, states_served=("NY",),
                              prescriber=False)
    add_license(elsewhere, LicenseStatus.VERIFIED, state="NJ")
    lapsed = make_provider("Lapsed", in_clinic=False, at_home=True, states_served=("NY",), prescriber=False)
    add_license(lapsed, LicenseStatus.VERIFIED, expires_on=date.today() - timedelta(days=1))
    assert at_home_names() == ["Licensed Tele"]


def test_the_worker_warm_up_answers_its_searches_and_loads_the_geocoder(app, clinic_at, caplog):
    """gunicorn's post_worker_init runs this before a worker takes traffic (issue 20's cold start)."""
    from clinic_finder.geo.geocoding import us_data
    from clinic_finder.search.warmup import warm_up

    clinic_at(1, 0)
    us_data.cache_clear()
    with caplog.at_level("WARNING", logger="clinic_finder.search.warmup"):
        assert warm_up(app) > 0
    assert caplog.records == []  # every warm-up search answered 200
    assert us_data.cache_info().currsize == 1
