"""Public reads are cacheable and answer 304; anything personal is not; the validator moves with what is shown."""
from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_finder.models.types import utcnow

PUBLIC_PAGES = ["/", "/search?q=10001", "/api/v1/providers?lat=40.75&lon=-74.0", "/about/data", "/guide",
                "/hsds/services", "/hsds/organizations"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_an_anonymous_read_is_shared_cacheable_cookie_free_and_answers_304(client, make_provider, path):
    make_provider("Cached Clinic")
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert "stale-while-revalidate=" in first.headers["Cache-Control"]
    # No cookie handed out and none looked at: a shared cache may keep one copy for everyone.
    assert "Set-Cookie" not in first.headers
    assert "cookie" not in first.headers.get("Vary", "").lower()
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_validator_moves_with_a_publication_an_edit_a_review_and_the_clock(client, db, make_provider,
                                                                              add_license, add_review):
    provider = make_provider("Changing Clinic")
    lic = add_license(provider, verified_at=utcnow() - timedelta(days=3))
    db.session.commit()
    url = f"/providers/{provider.id}"
    seen = [client.get(url).headers["ETag"]]

    provider.description = "Now with evening appointments."
    db.session.commit()
    seen.append(client.get(url).headers["ETag"])

    add_review(provider, overall=4)
    db.session.commit()
    seen.append(client.get(url).headers["ETag"])

    # "verified 3 days ago" becomes "verified 4 days ago": the same as the calendar moving on a day.
    lic.verified_at -= timedelta(days=1)
    db.session.commit()
    seen.append(client.get(url).headers["ETag"])

    assert len(set(seen)) == 4
    # And an unchanged page keeps its validator.
    assert client.get(url).headers["ETag"] == seen[-1]


def test_a_stale_validator_gets_the_new_page(client, db, make_provider):
    provider = make_provider("Old Name Clinic")
    url = f"/providers/{provider.id}"
    old = client.get(url).headers["ETag"]
    provider.name = "New Name Clinic"
    db.session.commit()
    fresh = client.get(url, headers={"If-None-Match": old})
    assert fresh.status_code == 200 and b"New Name Clinic" in fresh.data


def test_pages_with_a_form_token_or_personal_data_are_never_stored(other_app, client, make_provider, make_user,
                                                                    login_as):
    provider = make_provider()
    form_page = other_app(WTF_CSRF_ENABLED=True).test_client().get(f"/providers/{provider.id}/report")
    assert form_page.headers["Cache-Control"] == "no-store" and "ETag" not in form_page.headers
    login_as(make_user(role="admin"))
    admin_page = client.get("/admin/")
    assert admin_page.headers["Cache-Control"] == "no-store"


def test_a_visitor_with_a_session_cookie_gets_private_answers(client, make_provider, make_user, login_as):
    make_provider()
    login_as(make_user(role="admin"))
    response = client.get("/search?q=10001")
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "cookie" in response.headers["Vary"].lower()


def test_errors_are_not_given_validators(client):
    missing = client.get("/providers/999999")
    assert missing.status_code == 404 and "ETag" not in missing.headers


def test_the_health_check_is_never_kept_by_a_cache_in_front(client):
    # A cache answering for /healthz would report a server healthy after it went down.
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store" and "ETag" not in answer.headers
