"""The vetting checklist: which facts a careful patient checks (from the guide), and how a provider measures up.

The guide names three criteria — experience, professionalism (licenses) and customer service (reviews) — and
describes what a safe session involves. Each fact is stored as a ChecklistItem with its source and the date it
was last verified; this module defines the facts and turns stored items into what pages and the API show.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from clinic_finder import wording
from clinic_finder.models import ChecklistItem, ChecklistSource, Mode, Provider

RECHECK_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class CheckDefinition:
    key: str
    group: str
    label: str
    kind: str  # "bool" | "int" | "text" | "choice"
    applies_to: Mode | None = None  # None: every provider
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    # For yes/no facts: a "no" is a finding, not a pass (it still counts as provided).
    good_when: str | None = "yes"


GROUPS: dict[str, str] = {
    "experience": "Experience",
    "professionalism": "Professionalism and licensing",
    "customer_service": "Customer service",
    "session_safety": "Session safety (in a clinic)",
    "at_home_safety": "Session safety (at home)",
}

# At home, ketamine is prescribed as compounded lozenges, dissolving tablets or a nasal spray. Esketamine
# (Spravato) is not an at-home medicine: under the FDA's REMS it is given only in a certified healthcare
# setting, with the patient observed for at least two hours, so it is not a choice here.
MEDICINE_CHOICES = (
    ("compounded", "Compounded ketamine lozenges or dissolving tablets"),
    ("compounded_nasal", "Compounded ketamine nasal spray"),
)

CHECKLIST: tuple[CheckDefinition, ...] = (
    CheckDefinition("years_offering_ketamine", "experience", "Years offering ketamine therapy", "int", unit="years"),
    CheckDefinition("treatments_given", "experience", "Approximate treatments given", "int", unit="treatments"),
    CheckDefinition("medical_director_specialty", "experience", "Medical director's specialty", "text"),
    CheckDefinition("board_certification", "experience", "Board certification", "text"),
    CheckDefinition("licenses_verified", "professionalism", "Licenses on file and verified", "text"),
    CheckDefinition("npi", "professionalism", "National Provider Identifier (NPI)", "text"),
    CheckDefinition("dea_registration", "professionalism", "DEA registration on file", "bool"),
    CheckDefinition("free_consultation", "customer_service", "Free consultation", "bool"),
    CheckDefinition("response_time", "customer_service", "Typical response time", "text"),
    CheckDefinition(
        "previous_patients_available", "customer_service", "Previous patients available to talk to", "bool"
    ),
    CheckDefinition("review_summary", "customer_service", "Patient reviews", "text"),
    CheckDefinition(
        "physical_exam_screening", "session_safety", "Physical exam and medical screening before treatment",
        "bool", Mode.IN_CLINIC,
    ),
    CheckDefinition("vital_sign_monitoring", "session_safety", "Vital signs monitored during treatment", "bool",
                    Mode.IN_CLINIC),
    CheckDefinition("acls_staff_on_site", "session_safety", "ACLS-trained staff on site", "bool", Mode.IN_CLINIC),
    CheckDefinition("monitored_recovery", "session_safety", "Monitored recovery period", "int", Mode.IN_CLINIC,
                    unit="minutes"),
    CheckDefinition("medication_for_discomfort", "session_safety", "Medication on hand for discomfort (e.g. nausea)",
                    "bool", Mode.IN_CLINIC),
    CheckDefinition("emergency_protocol", "session_safety", "Written emergency protocol", "bool", Mode.IN_CLINIC),
    CheckDefinition("integration_therapy", "session_safety", "Integration therapy offered", "bool"),
    CheckDefinition("remote_monitoring", "at_home_safety", "Remote monitoring during sessions", "bool",
                    Mode.AT_HOME),
    CheckDefinition("sitter_required", "at_home_safety", "A sitter must be present", "bool", Mode.AT_HOME),
    CheckDefinition("medicine_type", "at_home_safety", "Medicine prescribed", "choice", Mode.AT_HOME,
                    choices=MEDICINE_CHOICES, good_when=None),
)

BY_KEY: dict[str, CheckDefinition] = {d.key: d for d in CHECKLIST}


def definitions_for(provider: Provider) -> list[CheckDefinition]:
    """The checks that apply to a provider's modes (at-home checks only for at-home providers, etc.)."""
    modes = set(provider.modes)
    return [d for d in CHECKLIST if d.applies_to is None or d.applies_to in modes]


def display_value(definition: CheckDefinition, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if definition.kind == "bool":
        return {"yes": "Yes", "no": "No"}.get(value, value)
    if definition.kind == "int":
        if not definition.unit or not value.lstrip("-").isdigit():
            return f"{value} {definition.unit}".strip()
        return wording.quantity(int(value), definition.unit.removesuffix("s"), definition.unit)
    if definition.kind == "choice":
        return dict(definition.choices).get(value, value)
    return value


@dataclass
class CheckView:
    """One row of a provider's checklist as shown to a patient."""

    definition: CheckDefinition
    value: str | None
    display: str | None
    source: ChecklistSource | None
    verified_at: datetime | None
    note: str | None
    # Counted as a verified check: a positive fact our team verified, with its date. A verified "no", a license
    # count with gaps ("0 of 1 licenses verified") or anything from reviews is shown, never counted.
    verified: bool = False
    derived: bool = False  # computed from other rows (licenses, reviews, the listing), never typed in

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def provided(self) -> bool:
        return self.display is not None

    def due_for_recheck(self, now: datetime) -> bool:
        return self.verified and self.verified_at is not None and now - self.verified_at > RECHECK_AFTER

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "group": self.definition.group,
            "label": self.definition.label,
            "value": self.value,
            "display": self.display,
            "source": self.source.value if self.source else None,
            "verified_at": self.verified_at.isoformat() if self.verified_at else None,
        }


@dataclass
class Checklist:
    items: list[CheckView]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def verified(self) -> int:
        return sum(1 for i in self.items if i.verified)

    @property
    def missing(self) -> int:
        return sum(1 for i in self.items if not i.provided)

    @property
    def last_verified_at(self) -> datetime | None:
        """When our team last checked anything on this checklist (whatever it found): a date the clock cannot
        change, unlike whether each check still counts."""
        dates = [i.verified_at for i in self.items
                 if i.source == ChecklistSource.ADMIN_VERIFIED and i.verified_at is not None]
        return max(dates) if dates else None

    def groups(self) -> list[tuple[str, str, list[CheckView]]]:
        out = []
        for key, title in GROUPS.items():
            rows = [i for i in self.items if i.definition.group == key]
            if rows:
                out.append((key, title, rows))
        return out


REVIEW_SUMMARY_KEY = "review_summary"
LICENSES_KEY = "licenses_verified"
FREE_CONSULTATION_KEY = "free_consultation"
# Facts that follow from other rows: a record may not carry them, and a stored item for them is never shown.
DERIVED_KEYS = frozenset({REVIEW_SUMMARY_KEY, LICENSES_KEY})


def is_positive(definition: CheckDefinition, value: str | None) -> bool:
    """A fact that passes the check: a yes/no fact whose answer is the good one, or any other fact given."""
    if value in (None, ""):
        return False
    if definition.kind == "bool" and definition.good_when is not None:
        return value == definition.good_when
    return True


def checklist_for(provider: Provider, items: list[ChecklistItem] | None = None, today: date | None = None,
                  rating: tuple[int, float | None] | None = None) -> Checklist:
    """The provider's checklist, with every applicable check present (missing ones say so).

    Derived rows come from their sources: the licenses (counted by `today`), the published reviews (`rating`,
    by default the provider's stored count and average), the listing's free-consultation answer.
    """
    from clinic_finder.licensing.status import licenses_fact

    today = today or datetime.now(UTC).date()
    count, average = rating if rating is not None else (provider.rating_count, provider.rating_average)
    has_reviews = bool(count) and average is not None
    stored = {i.key: i for i in (provider.checklist_items if items is None else items)}
    rows = []
    for d in definitions_for(provider):
        if d.key == REVIEW_SUMMARY_KEY:
            rows.append(_review_summary(d, count, average))
            continue
        if d.key == LICENSES_KEY:
            rows.append(_licenses_row(d, licenses_fact(provider, today)))
            continue
        item = stored.get(d.key)
        value = item.value if item else None
        source = item.source if item and value not in (None, "") else None
        verified_at = item.verified_at if item else None
        derived = False
        if d.key == FREE_CONSULTATION_KEY:
            # Whether a consultation can be requested is the listing's answer; a stored fact only adds its source
            # and date when it says the same thing.
            listing = "yes" if provider.free_consultation else "no"
            if value != listing:
                value, source, verified_at, derived = listing, ChecklistSource.SELF_REPORTED, None, True
        elif source == ChecklistSource.FROM_REVIEWS and not has_reviews:
            value = source = None  # "from patient reviews" with no published review is not a fact
        rows.append(
            CheckView(
                definition=d,
                value=value,
                display=display_value(d, value),
                source=source,
                verified_at=verified_at,
                note=item.note if item else None,
                verified=(source == ChecklistSource.ADMIN_VERIFIED and verified_at is not None
                          and is_positive(d, value)),
                derived=derived,
            )
        )
    return Checklist(rows)


def _review_summary(definition: CheckDefinition, count: int, average: float | None) -> CheckView:
    # Published reviews are the only source: a summary typed in earlier would go stale.
    if not count or average is None:
        return CheckView(definition, None, None, None, None, None, derived=True)
    value = f"{average:.1f} / 5 from {wording.quantity(count, 'review')}"
    return CheckView(definition=definition, value=value, display=value, source=ChecklistSource.FROM_REVIEWS,
                     verified_at=None, note=None, derived=True)


def _licenses_row(definition: CheckDefinition, fact) -> CheckView:
    if fact.text is None:
        return CheckView(definition, None, None, None, None, None, derived=True)
    source = ChecklistSource.ADMIN_VERIFIED if fact.checked else ChecklistSource.SELF_REPORTED
    return CheckView(definition=definition, value=fact.text, display=fact.text, source=source,
                     verified_at=fact.verified_at, note=None,
                     verified=fact.all_verified and fact.verified_at is not None, derived=True)


def set_check(provider: Provider, key: str, value: str | None, source: ChecklistSource,
              verified_at: datetime | None = None, note: str | None = None,
              verified_by: str | None = None) -> ChecklistItem:
    """Record a fact. verified_at (and who verified it) moves only when given (a real verification), never on a
    plain save."""
    if key not in BY_KEY:
        raise KeyError(f"unknown checklist key {key!r}")
    if key in DERIVED_KEYS:
        raise KeyError(f"{key!r} is derived from other rows and is not stored")
    item = next((i for i in provider.checklist_items if i.key == key), None)
    if item is None:
        item = ChecklistItem(key=key, source=source)
        provider.checklist_items.append(item)
    changed = item.value != value or item.source != source
    item.value, item.source = value, source
    if note is not None:
        item.note = note
    if verified_at is not None:
        item.verified_at = verified_at
        if verified_by is not None:
            item.verified_by = verified_by
    elif source != ChecklistSource.ADMIN_VERIFIED:
        item.verified_at = item.verified_by = None
    if changed:
        item.updated_at = datetime.now(UTC)
    return item


def days_ago(moment: datetime, today: date) -> int:
    return (today - moment.date()).days
