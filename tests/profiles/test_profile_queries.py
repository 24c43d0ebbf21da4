"""A profile page costs the same number of queries whatever the number of licenses and reviews (no N+1)."""
from __future__ import annotations

from clinic_finder.models import LicenseStatus

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
    # 13 since issue 15: one query for the NPIs NPPES lists as deactivated (a flag the profile must show).
    assert many <= 13, f"a profile page took {many} queries"
