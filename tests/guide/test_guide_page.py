"""/guide: every fact from the patient guide, a table of contents, and links into the search filters."""
from __future__ import annotations

import re
from html import unescape


def _guide(client) -> str:
    response = client.get("/guide")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_guide_states_every_fact_from_the_patient_guide(client):
    text = _text(_guide(client))
    facts = [
        # uses
        "depression", "anxiety and anxiety disorders", "OCD", "chronic pain", "ketamine-assisted psychotherapy",
        # clinic vs home
        "The most common way to receive treatment", "Few providers offer it, and it is not suitable for everyone",
        # session steps and length
        "A physical exam and vital-sign monitoring", "The infusion", "A recovery period",
        "A low-dose IV session lasts a few hours", "not well established",
        # what a patient may feel / side effects
        "lightheadedness", "dizziness", "dissociation", "a floating sensation", "altered perception",
        "nausea or vomiting", "headache", "anxiety",
        # cost and insurance
        "$400–$800", "$15,000 a year", "does not cover it", "off-label",
        # interactions, legality
        "Ask your doctor", "prescribed and administered by a licensed professional",
        # vetting
        "Experience", "Professionalism", "Customer service",
        # path to care
        "two-minute self-assessment", "free consultation",
    ]
    missing = [fact for fact in facts if fact not in text]
    assert missing == []


def test_vetting_links_go_to_the_search_filters_that_check_each_criterion(client):
    html = _guide(client).replace("&amp;", "&")
    for href in ("/search?verified_only=1", "/search?sort=rating&min_rating=4", "/search?free_consultation=1",
                 "/search?monitored_recovery=1", "/search?route=iv", "/search?mode=at_home", "/assessment"):
        assert f'href="{href}"' in html, href


def test_the_table_of_contents_points_at_real_sections(client):
    html = _guide(client)
    toc = html[html.index('class="guide-toc'):html.index("</nav>", html.index('class="guide-toc'))]
    anchors = re.findall(r'href="#([a-z-]+)"', toc)
    assert len(anchors) == 9
    for anchor in anchors:
        assert f'<section id="{anchor}"' in html, anchor


def test_headings_form_an_outline_with_one_h1(client):
    html = _guide(client)
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_every_page_of_this_feature_links_to_the_assessment_and_carries_the_disclaimer(client, make_provider):
    provider = make_provider()
    for url in ("/", "/guide", "/assessment", f"/providers/{provider.id}/consultation",
                f"/providers/{provider.id}/consultation/sent"):
        html = client.get(url).get_data(as_text=True)
        assert 'href="/assessment"' in html, url
        assert "not medical advice" in html, url
        assert 'href="tel:911"' in html and 'href="tel:988"' in html, url
