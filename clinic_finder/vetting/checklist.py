"""The vetting checklist: which facts a careful patient checks (from the guide), and how a provider measures up.

The guide names three criteria — experience, professionalism (licenses) and customer service (reviews) — and
describes what a safe session involves. Each fact is stored as a ChecklistItem with its source and the date it
was last verified; this module defines the facts and turns stored items into what pages and the API show.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

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
        return f"{value} {definition.unit}".strip()
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

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def provided(self) -> bool:
        return self.display is not None

    @property
    def verified(self) -> bool:
        return self.provided and self.source == ChecklistSource.ADMIN_VERIFIED and self.verified_at is not None

    def due_for_recheck(self, now: datetime) -> bool:
        return self.verified and now - self.verified_at > RECHECK_AFTER

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

    def groups(self) -> list[tuple[str, str, list[CheckView]]]:
        out = []
        for key, title in GROUPS.items():
            rows = [i for i in self.items if i.definition.group == key]
            if rows:
                out.append((key, title, rows))
        return out


def checklist_for(provider: Provider, items: list[ChecklistItem] | None = None) -> Checklist:
    """The provider's checklist, with every applicable check present (missing ones say so)."""
    stored = {i.key: i for i in (provider.checklist_items if items is None else items)}
    rows = []
    for d in definitions_for(provider):
        if d.key == REVIEW_SUMMARY_KEY and provider.rating_count and provider.rating_average is not None:
            rows.append(_review_summary(d, provider))
            continue
        item = stored.get(d.key)
        value = item.value if item else None
        rows.append(
            CheckView(
                definition=d,
                value=value,
                display=display_value(d, value),
                source=item.source if item and value not in (None, "") else None,
                verified_at=item.verified_at if item else None,
                note=item.note if item else None,
            )
        )
    return Checklist(rows)


REVIEW_SUMMARY_KEY = "review_summary"


def _review_summary(definition: CheckDefinition, provider: Provider) -> CheckView:
    # Once published reviews exist they are the source: a stored summary typed in earlier would go stale.
    count = provider.rating_count
    value = f"{provider.rating_average:.1f} / 5 from {count} review{'s' if count != 1 else ''}"
    return CheckView(definition=definition, value=value, display=value, source=ChecklistSource.FROM_REVIEWS,
                     verified_at=None, note=None)


def set_check(provider: Provider, key: str, value: str | None, source: ChecklistSource,
              verified_at: datetime | None = None, note: str | None = None) -> ChecklistItem:
    """Record a fact. verified_at moves only when given (a real verification), never on a plain save."""
    if key not in BY_KEY:
        raise KeyError(f"unknown checklist key {key!r}")
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
    elif source != ChecklistSource.ADMIN_VERIFIED:
        item.verified_at = None
    if changed:
        item.updated_at = datetime.now(UTC)
    return item


def days_ago(moment: datetime, today: date) -> int:
    return (today - moment.date()).days
