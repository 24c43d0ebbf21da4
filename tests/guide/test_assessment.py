"""The self-assessment rules: a result that is not a diagnosis, points derived from answers, crisis first."""
from __future__ import annotations

import pytest

from clinic_finder.guide import assessment
from clinic_finder.guide.assessment import Answers

from .conftest import valid_assessment

SECRET = "a-test-secret"


def make_answers(**overrides) -> Answers:
    data = valid_assessment(**overrides)
    return Answers(
        concerns=tuple(data["concerns"]), duration=data["duration"], treatments=tuple(data["treatments"]),
        medications=data["medications"], history=tuple(data["history"]), self_harm=data["self_harm"],
        preference=data["preference"], budget=data["budget"], zip_code=data["zip_code"],
    )


@pytest.mark.parametrize("answer", ["sometimes", "often", "prefer_not_to_say"])
def test_any_answer_but_no_to_the_self_harm_question_puts_crisis_resources_first(answer):
    assert assessment.evaluate(make_answers(self_harm=answer)).crisis is True


def test_a_plain_no_to_the_self_harm_question_is_not_a_crisis():
    assert assessment.evaluate(make_answers(self_harm="no")).crisis is False


@pytest.mark.parametrize("text", [
    "sertraline; I keep thinking about suicide",
    "Sometimes I want to die",
    "I have been hurting myself",
    "thoughts of self-harm",
    "took an overdose last year",
])
def test_free_text_that_mentions_self_harm_is_treated_as_a_crisis(text):
    assert assessment.evaluate(make_answers(medications=text, self_harm="no")).crisis is True


def test_ordinary_medication_names_do_not_trigger_the_crisis_path():
    answers = make_answers(medications="sertraline 50 mg, lisinopril, vitamin D")
    assert assessment.evaluate(answers).crisis is False


def test_a_guide_condition_without_risky_history_may_be_worth_discussing():
    result = assessment.evaluate(make_answers())
    assert result.headline == "Ketamine therapy may be worth discussing with a clinician."
    assert result.urgent_points == []


def test_uncontrolled_blood_pressure_is_an_urgent_point_to_tell_the_clinician():
    result = assessment.evaluate(make_answers(history=["high_blood_pressure"]))
    assert "doctor's attention first" in result.headline
    [point] = result.urgent_points
    assert "blood pressure must be under control before treatment" in point.text
    assert "tell the clinician" in point.text


def test_every_history_item_becomes_its_own_urgent_point():
    history = ["high_blood_pressure", "psychosis", "substance_use", "pregnancy"]
    texts = " ".join(p.text for p in assessment.evaluate(make_answers(history=history)).urgent_points)
    assert len(assessment.evaluate(make_answers(history=history)).urgent_points) == 4
    for word in ("blood pressure", "psychosis", "alcohol or drug", "pregnant"):
        assert word in texts


def test_only_something_else_asks_a_clinician_whether_it_applies():
    result = assessment.evaluate(make_answers(concerns=["other"]))
    assert result.headline.startswith("Ask a clinician whether ketamine therapy applies")


def test_at_home_preference_raises_that_it_is_not_for_everyone():
    texts = [p.text for p in assessment.evaluate(make_answers(preference="at_home")).points]
    assert any("not suitable for everyone" in t for t in texts)
    assert any("not well established" in t for t in texts)


def test_cost_point_quotes_the_guide_prices_and_insurance():
    texts = " ".join(p.text for p in assessment.evaluate(make_answers(budget="400")).points)
    assert "$400–$800" in texts and "$15,000 a year" in texts and "off-label" in texts
    assert "low end of typical prices" in texts
    texts_any = " ".join(p.text for p in assessment.evaluate(make_answers(budget="any")).points)
    assert "low end" not in texts_any


def test_medications_listed_or_not_both_say_ask_your_doctor_about_interactions():
    for meds in ("", "sertraline"):
        texts = " ".join(p.text for p in assessment.evaluate(make_answers(medications=meds)).points)
        assert "interactions" in texts and "ask your doctor" in texts


def test_no_treatments_tried_suggests_asking_about_all_options():
    texts = " ".join(p.text for p in assessment.evaluate(make_answers(treatments=["none"])).points)
    assert "all your options" in texts


def test_provider_searches_use_the_search_page_parameter_names():
    answers = make_answers(concerns=["depression", "chronic_pain", "other"], preference="at_home", budget="800",
                           zip_code="73301")
    links = assessment.provider_searches(answers)
    assert links[0].params == {"q": "73301", "mode": "at_home", "max_price": "800", "condition": "depression"}
    assert links[1].params["condition"] == "chronic_pain"
    assert all(link.params.get("condition") != "other" for link in links)
    assert {"q": "73301", "mode": "at_home", "max_price": "800"} in [link.params for link in links]


def test_no_preference_and_no_budget_leave_those_filters_out():
    links = assessment.provider_searches(make_answers(preference="any", budget="any"))
    assert links[0].params == {"q": "10001", "condition": "depression"}


def test_signed_answers_round_trip():
    answers = make_answers(history=["pregnancy"], medications="none")
    token = assessment.sign_answers(answers, SECRET)
    assert assessment.load_signed_answers(token, SECRET) == answers


def test_a_tampered_or_foreign_token_is_refused():
    token = assessment.sign_answers(make_answers(), SECRET)
    assert assessment.load_signed_answers(token, "another-secret") is None
    assert assessment.load_signed_answers(token[:-2] + "xx", SECRET) is None
    assert assessment.load_signed_answers("garbage", SECRET) is None


def test_a_signed_token_with_invalid_answers_is_refused():
    from itsdangerous import URLSafeSerializer

    bad = make_answers().to_dict() | {"zip_code": "00000"}
    token = URLSafeSerializer(SECRET, salt="assessment-answers").dumps(bad)
    assert assessment.load_signed_answers(token, SECRET) is None
    token = URLSafeSerializer(SECRET, salt="assessment-answers").dumps(["not", "a", "dict"])
    assert assessment.load_signed_answers(token, SECRET) is None


@pytest.mark.parametrize(("zip_code", "real"), [("10001", True), ("73301", True), ("00000", False),
                                                ("1000", False), ("abcde", False), ("", False)])
def test_zip_codes_must_exist(zip_code, real):
    answers = make_answers().to_dict() | {"zip_code": zip_code}
    if real:
        assert assessment.Answers.from_dict(answers).zip_code == zip_code
    else:
        with pytest.raises(ValueError, match="zip_code does not exist"):
            assessment.Answers.from_dict(answers)


def test_labelled_answers_read_in_plain_words():
    pairs = dict(make_answers(history=["psychosis"]).labelled())
    assert pairs["History that needs a doctor's attention"] == "Psychosis or hallucinations, now or in the past"
    assert pairs["Looking for help with"] == "Depression"


def test_partial_answers_follow_the_same_self_harm_rule():
    assert assessment.partial_answers_suggest_self_harm("often", None) is True
    assert assessment.partial_answers_suggest_self_harm("no", "I want to die") is True
    assert assessment.partial_answers_suggest_self_harm(None, "") is False
    assert assessment.partial_answers_suggest_self_harm("no", "sertraline") is False
    assert assessment.partial_answers_suggest_self_harm("made-up", None) is False


def test_at_home_searches_also_offer_clinics():
    links = assessment.provider_searches(make_answers(preference="at_home"))
    assert links[-1].params["mode"] == "in_clinic" and links[-1].params["q"] == "10001"
