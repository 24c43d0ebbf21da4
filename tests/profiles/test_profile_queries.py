"""A profile page costs the same number of queries whatever the number of licenses and reviews (no N+1)."""
from __future__ import annotations

from clinic_finder.models import LicenseStatus, Route

from .conftest import fill_checklist


def _profile_queries(client, count_queries, provider) -> int:
    client.get(f"/providers/{provider.id}")  # warm up anything cached once per process
    with count_queries() as queries:
        response = client.get(f"/providers/{provider.id}")
    assert response.status_code == 200
    return len(queries)


def test_profile_query_count_does_not_grow_with_licenses_and_reviews(client, make_provider, add_license,
                                                                      add_review, count_queries):
    small = fill_checklist(make_provider("Small Clinic"))
    add_license(small)
    add_review(small)

    big = fill_checklist(make_provider("Big Clinic"))
    for i in range(25):
        add_license(big, LicenseStatus.VERIFIED if i % 5 else LicenseStatus.PENDING, state="NJ" if i % 2 else "NY")
    for i in range(30):
        add_review(big, 1 + i % 5)

    few = _profile_queries(client, count_queries, small)
    many = _profile_queries(client, count_queries, big)
    assert few == many
    print(f"profile page queries: {few} (1 license, 1 review) vs {many} (25 licenses, 30 reviews)")
    # 9 since issue 21's second round (clinics, routes and licenses joined), with the query for the NPIs NPPES
    # lists as deactivated (issue 15: a flag the profile must show).
    assert many <= 9, f"a profile page took {many} queries"


def test_a_profile_loads_every_clinic_route_and_license_in_five_statements(app, make_provider, add_license, count_queries):
    from clinic_finder.extensions import db
    from clinic_finder.listings.profiles import load_profile
    from clinic_finder.models import License, Location

    provider = make_provider("Three Sites", routes=("iv", "nasal", "im"), conditions=("depression", "ptsd"))
    for street in ("2 Second St", "3 Third St"):
        provider.locations.append(Location(address_line1=street, city="New York", state="NY", zip_code="10001"))
    first = add_license(provider, state="NY")
    add_license(provider, state="NJ")
    first.clinician.licenses.append(License(credential=first.credential, state="CT", license_number="CT-1",
                                            status=LicenseStatus.PENDING))
    db.session.commit()
    expected_locations = [loc.id for loc in provider.locations]
    db.session.expunge_all()
    with count_queries() as queries:
        profile = load_profile(provider.id)
    # The provider with its clinics and routes joined; states, conditions, checklist; clinicians with licenses.
    assert len(queries) == 5, queries
    assert [loc.id for loc in profile.provider.locations] == expected_locations
    assert len(expected_locations) == 3
    assert profile.provider.routes == [Route.IV, Route.IM, Route.NASAL]
    assert len(profile.provider.route_links) == 3
    assert len(profile.provider.conditions) == 2
    assert sorted(row.license.state for row in profile.licenses) == ["CT", "NJ", "NY"]
    assert [len(c.licenses) for c in profile.provider.clinicians] == [2, 1]
