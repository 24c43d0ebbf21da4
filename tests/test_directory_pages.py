"""Provider list and profile pages (foundation level)."""
from __future__ import annotations

from clinic_finder.models import LicenseStatus, ListingStatus


def test_provider_list_shows_only_published_listings(client, make_provider):
    make_provider("Published Clinic")
    make_provider("Pending Clinic", listing_status=ListingStatus.PENDING)
    html = client.get("/providers").get_data(as_text=True)
    assert "Published Clinic" in html
    assert "Pending Clinic" not in html


def test_provider_list_empty_state(client):
    assert "No providers are listed yet" in client.get("/providers").get_data(as_text=True)


def test_provider_list_pages_never_repeat_or_skip(client, make_provider):
    names = {make_provider(f"Clinic {i:02d}").name for i in range(45)}
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/providers?page={page}").get_data(as_text=True)
        seen += [n for n in names if f">{n}<" in html]
    assert sorted(seen) == sorted(names)
    assert client.get("/providers?page=4").status_code == 404
    assert client.get("/providers?page=0").status_code == 404
    assert client.get("/providers?page=x").status_code == 404


def test_unpublished_profile_is_not_found(client, make_provider):
    p = make_provider(listing_status=ListingStatus.PENDING)
    assert client.get(f"/providers/{p.id}").status_code == 404


def test_profile_shows_every_applicable_check_and_missing_ones_plainly(client, make_provider):
    p = make_provider("Gap Clinic")
    html = client.get(f"/providers/{p.id}").get_data(as_text=True)
    assert "Years offering ketamine therapy" in html
    assert "Not provided" in html
    assert "0 of 18 checks verified" in html  # in-clinic only: the three at-home checks do not apply


def test_expired_license_is_not_hidden_by_a_verified_one(client, make_provider, add_license):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED)
    add_license(p, LicenseStatus.EXPIRED)
    html = client.get(f"/providers/{p.id}").get_data(as_text=True)
    assert "License: Expired" in html
