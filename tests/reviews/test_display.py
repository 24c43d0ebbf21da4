"""The reviews panel on a profile: distribution, per-criterion averages, newest reviews with pagination; only
approved reviews are shown and only approved, confirmed ones count."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from clinic_finder.extensions import db
from clinic_finder.models import Mode, ModerationStatus, Route
from clinic_finder.reviews import display as review_display
from clinic_finder.reviews import ratings


def _review(add_review, provider, overall, minutes_ago=0, **fields):
    review = add_review(provider, overall, status=fields.pop("status", ModerationStatus.APPROVED),
                        confirmed=fields.pop("confirmed", True),
                        text=fields.pop("text", f"Review rated {overall} written {minutes_ago} minutes ago, "
                                                "with enough detail to be useful to others."))
    for key, value in fields.items():
        setattr(review, key, value)
    review.created_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    db.session.commit()
    return review


def test_summary_counts_only_approved_and_confirmed_reviews(make_provider, add_review):
    provider = make_provider()
    _review(add_review, provider, 5, safety_rating=4)
    _review(add_review, provider, 4, value_rating=2, customer_service_rating=2)
    _review(add_review, provider, 1, confirmed=False)  # shown, not counted
    _review(add_review, provider, 1, status=ModerationStatus.PENDING)
    _review(add_review, provider, 1, status=ModerationStatus.REJECTED)
    summary = ratings.rating_summary(provider.id)
    assert (summary.count, summary.published, summary.average) == (2, 3, 4.5)
    assert summary.distribution == {5: 1, 4: 1, 3: 0, 2: 0, 1: 0}
    by_key = {c.key: c for c in summary.criteria}
    assert (by_key["customer_service_rating"].average, by_key["customer_service_rating"].count) == (3.5, 2)
    assert (by_key["safety_rating"].average, by_key["safety_rating"].count) == (4.0, 1)
    assert (by_key["value_rating"].average, by_key["value_rating"].count) == (2.0, 1)
    assert ratings.distribution(provider.id) == summary.distribution
    assert [c.label for c in ratings.criterion_averages(provider.id)][:2] == ["Overall", "Experience and expertise"]
    db.session.refresh(provider)
    assert (provider.rating_count, provider.rating_average) == (2, 4.5)


def test_the_profile_shows_distribution_criteria_and_reviews_without_private_details(client, make_provider,
                                                                                     add_review):
    provider = make_provider("Harbor Infusion Center")
    _review(add_review, provider, 5, email="private@example.org", display_name="Sam <b>",
            treatment_month=date(2025, 3, 1), mode=Mode.IN_CLINIC, route=Route.IV)
    _review(add_review, provider, 3, confirmed=False, minutes_ago=5)
    _review(add_review, provider, 1, status=ModerationStatus.PENDING, text="Pending text must stay hidden from "
                                                                           "the public until it is approved.")
    html = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    panel = html.split('id="reviews"', 1)[1]
    assert "5.0 out of 5" in panel and "from 1 review with a confirmed email" in panel
    assert "Treated March 2025 · In a clinic · IV infusion" in panel
    assert "Sam &lt;b&gt;" in panel and "Sam <b>" not in panel
    assert panel.count("Confirmed email</span>") == 1  # the unconfirmed review is shown without the badge
    assert "Pending text must stay hidden" not in panel
    assert "private@example.org" not in html
    assert "verified patient" not in html.lower()
    assert "Report this review" in panel and "Write a review" in panel


def test_reviews_are_paginated_newest_first(client, make_provider, add_review):
    provider = make_provider()
    for i in range(7):
        _review(add_review, provider, 4, minutes_ago=i, text=f"Review number {i} of seven, long enough to be a "
                                                              "proper review of this clinic.")
    first = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert first.index("Review number 0") < first.index("Review number 4")
    assert "Review number 5" not in first and "Page 1 of 2" in first
    assert f'href="/providers/{provider.id}?page=2#reviews"' in first
    second = client.get(f"/providers/{provider.id}?page=2").get_data(as_text=True)
    assert "Review number 5" in second and "Review number 6" in second and "Review number 0" not in second
    beyond = client.get(f"/providers/{provider.id}?page=9").get_data(as_text=True)
    assert "No reviews on this page." in beyond


def test_an_empty_panel_invites_the_first_review(client, make_provider):
    provider = make_provider()
    html = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "No published reviews yet." in html
    assert f'href="/providers/{provider.id}/reviews/new"' in html


def test_the_panel_takes_two_queries_whatever_the_number_of_reviews(make_provider, add_review, count_queries):
    small, big = make_provider(), make_provider()
    _review(add_review, small, 5)
    for i in range(12):
        _review(add_review, big, 1 + i % 5, text=f"Review {i} with enough words to be a genuine clinic review.")
    for provider, page in ((small, 1), (big, 2)):
        db.session.refresh(provider)  # loaded before counting, as the profile view has it
        with count_queries() as queries:
            panel = review_display.panel_for(provider, page=page)
        assert len(queries) == 2
    assert len(panel.reviews) == 5 and panel.page.pages == 3
