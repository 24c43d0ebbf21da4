"""/about/data: the methodology page, with live figures computed by vetting.methodology."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from clinic_finder.extensions import db
from clinic_finder.models import LicenseStatus, ModerationStatus
from clinic_finder.vetting import methodology


def test_live_figures_count_published_listings_and_recent_moderation(make_provider, add_license, add_review):
    p = make_provider()
    add_license(p, LicenseStatus.VERIFIED, verified_at=datetime.now(UTC) - timedelta(days=10))
    add_license(p, LicenseStatus.VERIFIED, state="NJ", expires_on=date.today() + timedelta(days=30),
                verified_at=datetime.now(UTC) - timedelta(days=30))
    add_license(p, LicenseStatus.UNVERIFIED, state="CT")
    r = add_review(p, 5)
    r.moderated_at = datetime.now(UTC) - timedelta(days=2)
    rejected = add_review(p, 1, status=ModerationStatus.REJECTED)
    rejected.moderated_at = datetime.now(UTC) - timedelta(days=100)  # outside the 90 days
    db.session.commit()
    f = methodology.live_figures()
    assert (f.providers_listed, f.licenses_on_file, f.licenses_verified) == (1, 3, 2)
    assert round(f.share_of_licenses_verified, 2) == 0.67
    assert f.median_verification_age_days == 20
    assert (f.reviews_published, f.reviews_rejected) == (1, 0)


def test_the_page_explains_each_badge_with_live_figures_and_is_linked_from_the_footer(client, make_provider):
    make_provider()
    html = client.get("/about/data").get_data(as_text=True)
    for words in ("Reported by the provider", "Verified by our team", "From patient reviews", "Confirmed email",
                  "How licenses are verified and re-checked", "How reviews are moderated"):
        assert words in html
    assert '<dd id="figure-providers">1</dd>' in html
    assert 'href="/about/data"' in client.get("/").get_data(as_text=True)


def test_the_guide_carries_the_fdas_caution_with_its_source(client):
    html = client.get("/guide").get_data(as_text=True)
    assert "FDA warns patients of risks associated with" in html and "October 2023" in html
