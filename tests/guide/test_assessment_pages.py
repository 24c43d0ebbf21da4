"""/assessment: one page, every question validated, a result that is not a diagnosis, answers never stored."""
from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.guide import assessment

from .conftest import valid_assessment


def _search_links(html: str) -> list[dict]:
    import re

    out = []
    for href in re.findall(r'href="(/search\?[^"]+)"', html):
        query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        out.append({k: v[0] for k, v in query.items()})
    return out


def test_the_form_asks_every_question_on_one_page(client):
    html = client.get("/assessment").get_data(as_text=True)
    for name in ("concerns", "duration", "treatments", "medications", "history", "self_harm", "preference",
                 "budget", "zip_code"):
        assert f'name="{name}"' in html, name
    assert "This is not a diagnosis" in html
    assert "Your answers are not stored" in html
    assert html.count("<fieldset") == 7


def test_a_valid_assessment_shows_a_result_with_points_and_provider_links(client):
    response = client.post("/assessment", data=valid_assessment(history=["high_blood_pressure"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your self-assessment result" in html
    assert "This is not a diagnosis." in html
    assert "may be worth discussing with a clinician" in html
    assert "Tell the clinician first" in html
    assert "blood pressure must be under control before treatment" in html
    assert {"q": "10001", "mode": "in_clinic", "max_price": "600", "condition": "depression"} in _search_links(html)
    assert 'class="crisis"' not in html


def test_the_crisis_path_shows_988_and_911_before_anything_else(client):
    html = client.post("/assessment", data=valid_assessment(self_harm="sometimes")).get_data(as_text=True)
    main = html[html.index('<main id="main"'):]
    crisis_at = main.index('class="crisis"')
    assert crisis_at < main.index("Your self-assessment result")
    assert crisis_at < main.index("This is not a diagnosis")
    crisis = main[crisis_at:main.index("</section>", crisis_at)]
    assert 'href="tel:988"' in crisis and 'href="sms:988"' in crisis and 'href="tel:911"' in crisis
    assert '<h1 id="crisis-heading">' in crisis  # the page's main heading, read first by screen readers


def test_self_harm_words_in_the_medication_box_also_show_crisis_resources(client):
    html = client.post("/assessment", data=valid_assessment(medications="I think about ending my life")
                       ).get_data(as_text=True)
    assert 'class="crisis"' in html


def test_unanswered_questions_each_get_a_message_beside_them(client, count_rows):
    html = client.post("/assessment", data={}).get_data(as_text=True)
    assert "Your self-assessment result" not in html
    assert "Please tick what you are looking for help with" in html
    assert "Please tick the treatments you have tried" in html
    assert "Please tick what applies to you" in html
    assert html.count("Please choose an answer.") == 4  # duration, self-harm, preference, budget
    assert "Please enter your ZIP code" in html
    assert 'id="duration-error"' in html and 'aria-describedby="duration-error"' in html
    assert 'aria-describedby="concerns-hint concerns-error"' in html


def test_a_zip_code_that_does_not_exist_is_refused(client):
    html = client.post("/assessment", data=valid_assessment(zip_code="00000")).get_data(as_text=True)
    assert "We could not find the ZIP code 00000" in html
    html = client.post("/assessment", data=valid_assessment(zip_code="1234")).get_data(as_text=True)
    assert "five-digit ZIP code" in html


def test_none_cannot_be_ticked_with_other_answers(client):
    html = client.post("/assessment", data=valid_assessment(history=["none", "psychosis"])).get_data(as_text=True)
    assert "“None of these” cannot be ticked together" in html
    html = client.post("/assessment", data=valid_assessment(treatments=["none", "talk_therapy"])
                       ).get_data(as_text=True)
    assert "“None yet” cannot be ticked together" in html


def test_a_choice_that_is_not_offered_is_refused(client):
    html = client.post("/assessment", data=valid_assessment(budget="100000", concerns=["nonsense"])
                       ).get_data(as_text=True)
    assert "Your self-assessment result" not in html
    assert "Not a valid choice" in html or "not a valid choice" in html


def test_scripts_are_refused_and_come_back_escaped(client):
    payload = "<script>alert('x')</script>"
    html = client.post("/assessment", data=valid_assessment(medications=payload)).get_data(as_text=True)
    assert "Please use plain text" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html


def test_medications_longer_than_the_limit_are_refused(client):
    text = "a" * (assessment.MEDICATIONS_MAX_CHARS + 1)
    html = client.post("/assessment", data=valid_assessment(medications=text)).get_data(as_text=True)
    assert f"under {assessment.MEDICATIONS_MAX_CHARS} characters" in html


def test_answers_are_not_stored_in_the_database_the_session_or_the_log(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    secret_medication = "Zyxoprinol 40mg"
    response = client.post("/assessment", data=valid_assessment(medications=secret_medication, zip_code="73301",
                                                                history=["pregnancy"]))
    assert response.status_code == 200
    for table in db.metadata.sorted_tables:
        assert db.session.scalar(sa.select(sa.func.count()).select_from(table)) == 0, table.name
    assert "Set-Cookie" not in response.headers  # nothing put in the session cookie
    with client.session_transaction() as session:
        assert dict(session) == {}
    assert secret_medication not in caplog.text and "73301" not in caplog.text


def test_keeping_answers_puts_the_signed_token_in_the_session_and_goes_to_the_search(app, client):
    html = client.post("/assessment", data=valid_assessment()).get_data(as_text=True)
    import re

    token = re.search(r'name="answers" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/assessment/keep", data={"answers": token})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/search"
    assert parse_qs(location.query)["q"] == ["10001"]
    with client.session_transaction() as session:
        kept = assessment.load_signed_answers(session["assessment_answers"], app.secret_key)
    assert kept.concerns == ("depression",)


def test_a_forged_token_is_not_kept(client):
    response = client.post("/assessment/keep", data={"answers": "eyJmb3JnZWQiOnRydWV9.bad"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/assessment")
    with client.session_transaction() as session:
        assert "assessment_answers" not in session


def test_forgetting_answers_removes_them_from_the_session(app, client):
    from .test_assessment import make_answers

    with client.session_transaction() as session:
        session["assessment_answers"] = assessment.sign_answers(make_answers(), app.secret_key)
    response = client.post("/assessment/forget")
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "assessment_answers" not in session


def test_control_characters_in_the_medication_box_are_refused(client):
    html = client.post("/assessment", data=valid_assessment(medications="ser\x00traline")).get_data(as_text=True)
    assert "invisible control characters" in html and "Your self-assessment result" not in html


def test_an_incomplete_form_from_someone_at_risk_still_shows_crisis_resources_first(client):
    html = client.post("/assessment", data={"self_harm": "often"}).get_data(as_text=True)
    main = html[html.index('<main id="main"'):]
    assert 'class="crisis"' in main
    assert main.index('class="crisis"') < main.index('class="error-summary"')
    assert "Please enter your ZIP code" in main  # the errors are still there, after the help


def test_an_incomplete_form_without_risk_shows_only_the_errors(client):
    html = client.post("/assessment", data={"self_harm": "no"}).get_data(as_text=True)
    assert 'class="crisis"' not in html and 'class="error-summary"' in html
    assert 'class="crisis"' not in client.get("/assessment").get_data(as_text=True)
