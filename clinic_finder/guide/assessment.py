"""The two-minute self-assessment: its questions, and the rules that turn answers into a result.

The result is not a diagnosis. It says whether ketamine therapy may be worth discussing with a clinician, which
points to raise with them, and where to look for providers. Any sign of a risk of self-harm puts crisis resources
first. Answers live only in the request that carries them: this module never writes them anywhere.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from clinic_finder.inputs.places import zip_code
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.text import has_control_characters
from clinic_finder.models import Condition, Mode

# The conditions the patient guide lists as treated with ketamine therapy, in the guide's order.
CONCERNS: tuple[tuple[str, str], ...] = (
    (Condition.DEPRESSION.value, "Depression"),
    (Condition.ANXIETY.value, "Anxiety"),
    (Condition.ANXIETY_DISORDER.value, "An anxiety disorder"),
    (Condition.OCD.value, "OCD (obsessive-compulsive disorder)"),
    (Condition.CHRONIC_PAIN.value, "Chronic pain"),
    (Condition.KAP.value, "Ketamine-assisted psychotherapy"),
    ("other", "Something else"),
)

DURATIONS: tuple[tuple[str, str], ...] = (
    ("under_6_months", "Less than 6 months"),
    ("6_to_24_months", "6 months to 2 years"),
    ("over_2_years", "More than 2 years"),
    ("not_sure", "I am not sure"),
)

TREATMENTS: tuple[tuple[str, str], ...] = (
    ("talk_therapy", "Talk therapy (psychotherapy or counseling)"),
    ("one_medication", "One prescription medication for this"),
    ("several_medications", "Two or more prescription medications for this"),
    ("other_treatment", "Another treatment (for example a procedure or a pain program)"),
    ("none", "None yet"),
)

# History that needs a doctor's attention before ketamine therapy is considered.
HISTORY: tuple[tuple[str, str], ...] = (
    ("high_blood_pressure", "High blood pressure that is not under control"),
    ("psychosis", "Psychosis or hallucinations, now or in the past"),
    ("substance_use", "A problem with alcohol or drug use, now or in the past"),
    ("pregnancy", "Pregnant, possibly pregnant, or breastfeeding"),
    ("none", "None of these"),
)

SELF_HARM: tuple[tuple[str, str], ...] = (
    ("no", "No"),
    ("sometimes", "Yes, sometimes"),
    ("often", "Yes, often"),
    ("prefer_not_to_say", "I would rather not say"),
)

PREFERENCES: tuple[tuple[str, str], ...] = (
    (Mode.IN_CLINIC.value, "At a clinic"),
    (Mode.AT_HOME.value, "At home (telehealth)"),
    ("any", "No preference"),
)

# Budget per session, in whole US dollars; the value is the search page's max_price.
BUDGETS: tuple[tuple[str, str], ...] = (
    ("400", "Up to $400"),
    ("600", "Up to $600"),
    ("800", "Up to $800"),
    ("any", "No fixed budget / not sure"),
)

MEDICATIONS_MAX_CHARS = 500
TYPICAL_PRICE_MIN_USD = 400
TYPICAL_PRICE_MAX_USD = 800

# Words in free text that suggest a risk of self-harm. Deliberately broad: a false alarm only means the crisis
# numbers are shown first; a miss could matter much more.
_SELF_HARM_PATTERNS = re.compile(
    r"suicid|kill(ing)?\s+my\s*self|end(ing)?\s+(it\s+all|my\s+life)|take\s+my\s+(own\s+)?life|"
    r"hurt(ing)?\s+my\s*self|harm(ing)?\s+my\s*self|self[-\s]?harm|want(ed)?\s+to\s+die|better\s+off\s+dead|"
    r"overdos|cut(ting)?\s+my\s*self",
    re.IGNORECASE,
)

_SERIALIZER_SALT = "assessment-answers"


@dataclass(frozen=True)
class Answers:
    """One person's answers, as validated by the form."""

    concerns: tuple[str, ...]
    duration: str
    treatments: tuple[str, ...]
    medications: str
    history: tuple[str, ...]
    self_harm: str
    preference: str
    budget: str
    zip_code: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("concerns", "treatments", "history"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answers:
        try:
            answers = cls(
                concerns=tuple(data["concerns"]),
                duration=str(data["duration"]),
                treatments=tuple(data["treatments"]),
                medications=str(data.get("medications") or ""),
                history=tuple(data["history"]),
                self_harm=str(data["self_harm"]),
                preference=str(data["preference"]),
                budget=str(data["budget"]),
                zip_code=str(data["zip_code"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError("incomplete answers") from exc
        problems = answers.problems()
        if problems:
            raise ValueError("; ".join(problems))
        return answers

    def problems(self) -> list[str]:
        """What is wrong with these answers (empty when they are all valid choices)."""
        out = []
        checks = (
            ("concerns", self.concerns, CONCERNS),
            ("treatments", self.treatments, TREATMENTS),
            ("history", self.history, HISTORY),
            ("duration", (self.duration,), DURATIONS),
            ("self_harm", (self.self_harm,), SELF_HARM),
            ("preference", (self.preference,), PREFERENCES),
            ("budget", (self.budget,), BUDGETS),
        )
        for name, values, choices in checks:
            allowed = {value for value, _ in choices}
            if not values or any(v not in allowed for v in values):
                out.append(f"{name} is not a valid choice")
        if len(self.medications) > MEDICATIONS_MAX_CHARS:
            out.append("medications is too long")
        if has_control_characters(self.medications, allow_line_breaks=True):
            out.append("medications holds control characters")
        try:
            zip_code(self.zip_code, required="missing")
        except InvalidInput:
            out.append("zip_code does not exist")
        return out

    def labelled(self) -> list[tuple[str, str]]:
        """(question, answer) pairs in plain words, for a provider reading a consultation request."""
        def labels(values, choices):
            names = dict(choices)
            return ", ".join(names.get(v, v) for v in values)

        return [
            ("Looking for help with", labels(self.concerns, CONCERNS)),
            ("For how long", labels((self.duration,), DURATIONS)),
            ("Treatments tried", labels(self.treatments, TREATMENTS)),
            ("Current medications", self.medications or "None listed"),
            ("History that needs a doctor's attention", labels(self.history, HISTORY)),
            ("Thoughts of self-harm in the past two weeks", labels((self.self_harm,), SELF_HARM)),
            ("Prefers treatment", labels((self.preference,), PREFERENCES)),
            ("Budget per session", labels((self.budget,), BUDGETS)),
            ("ZIP code", self.zip_code),
        ]


@dataclass(frozen=True)
class Point:
    """A point to raise with a clinician; urgent ones need a doctor's attention before any treatment."""

    text: str
    urgent: bool = False


@dataclass(frozen=True)
class SearchLink:
    label: str
    params: dict[str, str]


@dataclass
class Result:
    crisis: bool
    headline: str
    explanation: str
    points: list[Point] = field(default_factory=list)
    searches: list[SearchLink] = field(default_factory=list)

    @property
    def urgent_points(self) -> list[Point]:
        return [p for p in self.points if p.urgent]

    @property
    def other_points(self) -> list[Point]:
        return [p for p in self.points if not p.urgent]




def text_suggests_self_harm(text: str) -> bool:
    return bool(text) and bool(_SELF_HARM_PATTERNS.search(text))


def suggests_self_harm(answers: Answers) -> bool:
    """Any answer other than a plain "no" to the self-harm question, or free text that mentions it."""
    return partial_answers_suggest_self_harm(answers.self_harm, answers.medications)


def partial_answers_suggest_self_harm(self_harm: str | None, free_text: str | None) -> bool:
    """The same rule for a form that is not complete yet: someone at risk who skipped a question must still
    see the crisis numbers first, not only a list of errors."""
    answered_yes = self_harm in {value for value, _ in SELF_HARM} and self_harm != "no"
    return answered_yes or text_suggests_self_harm(free_text or "")


def evaluate(answers: Answers) -> Result:
    """Turn answers into a result: not a diagnosis, a starting point for a conversation with a clinician."""
    crisis = suggests_self_harm(answers)
    guide_conditions = [c for c in answers.concerns if c != "other"]
    history = set(answers.history) - {"none"}

    if guide_conditions and not history:
        headline = "Ketamine therapy may be worth discussing with a clinician."
        explanation = (
            "What you are looking for help with is among the uses described in our patient guide. "
            "Only a licensed clinician who examines you can say whether ketamine therapy is right for you."
        )
    elif guide_conditions:
        headline = ("Ketamine therapy may be worth discussing with a clinician — some of your answers need a "
                    "doctor's attention first.")
        explanation = (
            "What you are looking for help with is among the uses described in our patient guide, but you "
            "mentioned health history that a clinician must know about before any treatment is considered."
        )
    else:
        headline = "Ask a clinician whether ketamine therapy applies to what you described."
        explanation = (
            "Our patient guide describes ketamine therapy for depression, anxiety, anxiety disorders, OCD and "
            "chronic pain, and ketamine-assisted psychotherapy. A clinician can tell you whether it may help with "
            "something else."
        )

    return Result(
        crisis=crisis,
        headline=headline,
        explanation=explanation,
        points=points_to_raise(answers),
        searches=provider_searches(answers),
    )


def points_to_raise(answers: Answers) -> list[Point]:
    points: list[Point] = []
    history = set(answers.history)
    if "high_blood_pressure" in history:
        points.append(Point(
            "Your blood pressure must be under control before treatment — tell the clinician about your high "
            "blood pressure. Clinics check vital signs before and during a session.", urgent=True))
    if "psychosis" in history:
        points.append(Point(
            "Tell the clinician about any psychosis or hallucinations, now or in the past. Ketamine can cause "
            "dissociation and altered perception.", urgent=True))
    if "substance_use" in history:
        points.append(Point(
            "Tell the clinician about any alcohol or drug use problem, now or in the past.", urgent=True))
    if "pregnancy" in history:
        points.append(Point(
            "Tell the clinician that you are pregnant, may be pregnant, or are breastfeeding, before any "
            "treatment is planned.", urgent=True))

    if answers.medications.strip():
        points.append(Point(
            "Bring the list of medicines you take and ask about interactions with ketamine — ask your doctor."))
    else:
        points.append(Point(
            "Ask about interactions with any medicines or supplements you take — ask your doctor."))
    if "none" in answers.treatments:
        points.append(Point(
            "You have not tried other treatments yet: ask the clinician about all your options, not only "
            "ketamine therapy."))
    else:
        points.append(Point("Tell the clinician which treatments you have tried and how they worked for you."))
    if answers.duration == "under_6_months":
        points.append(Point("Mention that your symptoms started less than six months ago."))

    if answers.preference == Mode.AT_HOME.value:
        points.append(Point(
            "At-home treatment is offered by few providers and is not suitable for everyone; how long an at-home "
            "session should last is not well established. Ask whether it suits you."))
    else:
        points.append(Point(
            "Ask what a session involves: usually a physical exam and vital-sign monitoring, the infusion, then a "
            "monitored recovery period. A low-dose IV session lasts a few hours."))

    cost = (
        f"An infusion typically costs ${TYPICAL_PRICE_MIN_USD}–${TYPICAL_PRICE_MAX_USD}, and its effects are "
        "temporary: maintenance every few weeks can come to about $15,000 a year. Insurance usually does not "
        "cover it (off-label use). Ask for the full price before you start."
    )
    if answers.budget != "any" and int(answers.budget) < TYPICAL_PRICE_MIN_USD + 1:
        cost = "Your budget is at the low end of typical prices. " + cost
    points.append(Point(cost))
    points.append(Point(
        "Ask about the provider's experience, the licenses of the clinicians who will treat you, and whether you "
        "can hear from previous patients."))
    return points


def provider_searches(answers: Answers) -> list[SearchLink]:
    """Links into the search page (its parameter names) for providers near the ZIP that match the answers."""
    base: dict[str, str] = {"q": answers.zip_code}
    if answers.preference != "any":
        base["mode"] = answers.preference
    if answers.budget != "any":
        base["max_price"] = answers.budget
    where = f"near {answers.zip_code}"
    labels = dict(CONCERNS)
    links = []
    for concern in answers.concerns:
        if concern == "other":
            continue
        links.append(SearchLink(f"Providers {where} who treat {labels[concern].lower()}",
                                {**base, "condition": concern}))
    links.append(SearchLink(f"All providers {where} that match your preferences", dict(base)))
    if answers.preference == Mode.AT_HOME.value:
        links.append(SearchLink(f"Clinics {where}, if you would consider one",
                                {**base, "mode": Mode.IN_CLINIC.value}))
    return links


def sign_answers(answers: Answers, secret_key: str) -> str:
    """A tamper-proof token carrying the answers through a form the person may choose to send."""
    return URLSafeSerializer(secret_key, salt=_SERIALIZER_SALT).dumps(answers.to_dict())


def load_signed_answers(token: str, secret_key: str) -> Answers | None:
    """The answers in a token, or None when it was altered, forged or does not hold valid answers."""
    try:
        data = URLSafeSerializer(secret_key, salt=_SERIALIZER_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return Answers.from_dict(data)
    except ValueError:
        return None
