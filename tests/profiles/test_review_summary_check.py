"""The "Patient reviews" check comes from the published reviews only, never from a typed-in summary (issue 14)."""
from __future__ import annotations

from clinic_finder.models import ChecklistSource, ModerationStatus
from clinic_finder.vetting import checklist as vetting


def _review_check(provider):
    return next(i for i in vetting.checklist_for(provider).items if i.key == "review_summary")


def test_published_confirmed_reviews_are_the_summary(db, make_provider, add_review):
    provider = make_provider("Lakeside Infusions")
    add_review(provider, 5)
    add_review(provider, 4)
    add_review(provider, 1, status=ModerationStatus.PENDING)  # not published: not counted
    add_review(provider, 1, confirmed=False)  # email never confirmed: not counted

    check = _review_check(provider)
    assert check.display == "4.5 / 5 from 2 reviews"
    assert check.source == ChecklistSource.FROM_REVIEWS
    assert not check.verified  # reviews are patients' words, never "verified by our team"


def test_without_published_reviews_there_is_no_summary_and_none_can_be_stored(db, make_provider):
    """Issue 14 changes this: a stored summary ("Few reviews so far") could drift from the reviews, so none is
    kept; without published reviews the check is a gap."""
    import pytest

    provider = make_provider("Quiet Clinic")
    with pytest.raises(KeyError, match="derived"):
        vetting.set_check(provider, "review_summary", "Few reviews so far", ChecklistSource.SELF_REPORTED)
    check = _review_check(provider)
    assert check.display is None and not check.provided and not check.verified


def test_the_profile_page_shows_the_count_of_reviews(client, make_provider, add_review):
    provider = make_provider("Harbor Infusions")
    add_review(provider, 4)
    html = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "4.0 / 5 from 1 review" in html
