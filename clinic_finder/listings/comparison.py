"""Side-by-side comparison of 2–4 providers, criterion by criterion, with the rows that differ marked.

The ids arrive as `ids=3,7,9` or as repeated `ids=3&ids=7` (checkboxes on a results page); every way they can be
wrong is explained in a sentence rather than answered with an empty table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from clinic_finder import wording
from clinic_finder.extensions import db
from clinic_finder.inputs.numbers import record_id
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.listings.directory import profile_options, published
from clinic_finder.listings.profiles import Profile, build_profile
from clinic_finder.models import Provider
from clinic_finder.vetting import checklist as vetting

MIN_PROVIDERS = 2
MAX_PROVIDERS = 4


class ComparisonError(ValueError):
    """Ids that cannot be compared; the message says what is wrong and what to do."""


def _provider_number(part: str) -> int | None:
    try:
        return record_id(part)
    except InvalidInput:
        return None


def parse_ids(raw_values: list[str]) -> list[int]:
    """Provider ids in the order given, or ComparisonError naming the problem."""
    parts = [part.strip() for raw in raw_values for part in raw.split(",") if part.strip()]
    if not parts:
        raise ComparisonError("Choose 2 to 4 providers to compare, for example from your search results.")
    ids = _provider_numbers(parts)
    twice = sorted({i for i in ids if ids.count(i) > 1}, key=ids.index)
    if twice:
        listed = ", ".join(str(i) for i in twice)
        raise ComparisonError(f"Provider {listed} is listed more than once. Choose 2 to 4 different providers.")
    if len(ids) < MIN_PROVIDERS:
        raise ComparisonError("A comparison needs at least two providers: choose one or more others to compare "
                              "with.")
    if len(ids) > MAX_PROVIDERS:
        raise ComparisonError(f"You chose {len(ids)} providers; a comparison shows at most {MAX_PROVIDERS} side by "
                              "side. Please remove some.")
    return ids


def _provider_numbers(parts: list[str]) -> list[int]:
    numbers = [_provider_number(part) for part in parts]
    bad = [part for part, number in zip(parts, numbers, strict=True) if number is None]
    if bad:
        shown = ", ".join(f"“{b[:20]}”" for b in bad[:3])
        raise ComparisonError(f"{shown} {'is not a provider number' if len(bad) == 1 else 'are not provider numbers'}"
                              ". Please choose providers from the search results.")
    return numbers


def load_providers(ids: list[int]) -> list[Provider]:
    """The published providers, in the order asked for; ComparisonError when any cannot be shown."""
    rows = db.session.scalars(published().where(Provider.id.in_(ids)).options(*profile_options())).all() \
        if ids else []
    found = {p.id: p for p in rows}
    missing = [i for i in ids if i not in found]
    if missing:
        listed = ", ".join(str(i) for i in missing)
        noun = "provider" if len(missing) == 1 else "providers"
        raise ComparisonError(f"We could not find {noun} {listed}: the listing may have been removed or not yet "
                              "approved. Please choose again from the search results.")
    return [found[i] for i in ids]


@dataclass(frozen=True)
class Cell:
    text: str
    note: str = ""
    kind: str = ""  # a CSS hint: "verified", "missing", "bad", "warn"
    # What counts when deciding whether a row differs; by default the text and the note.
    same_as: tuple = ()

    @property
    def compared(self) -> tuple:
        return self.same_as or (self.text, self.note)


@dataclass
class Row:
    label: str
    cells: list[Cell]

    @property
    def differs(self) -> bool:
        return len({c.compared for c in self.cells}) > 1


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Comparison:
    profiles: list[Profile]
    sections: list[Section]

    @property
    def differing(self) -> int:
        return sum(1 for s in self.sections for r in s.rows if r.differs)


def _price(profile: Profile) -> Cell:
    price = profile.price
    if not price.provided:
        return Cell("Not provided", kind="missing")
    text = wording.usd_range(price.price_min, price.price_max)  # the row's label says "per session"
    note = {"within": "within the typical $400–$800", "below": "below the typical $400–$800",
            "above": "above the typical $400–$800", "overlaps": "partly outside $400–$800"}[price.comparison]
    return Cell(text, note)


def _where(p: Provider) -> Cell:
    parts = []
    if p.offers_in_clinic:
        cities = sorted({f"{loc.city}, {loc.state}" for loc in p.locations})
        parts.append("; ".join(cities) or "No clinic address")
    if p.offers_at_home:
        parts.append("At home in " + (", ".join(wording.state_in_sentence(s) for s in p.states_served)
                                      or "no states on file"))
    return Cell(" · ".join(parts))


def _license(profile: Profile) -> Cell:
    status = profile.license_status
    kind = {"revoked": "bad", "expired": "bad", "rejected": "bad", "verified": "verified"}.get(status.value, "")
    attention = profile.licenses_needing_attention
    note = f"{wording.quantity(len(attention), 'license')} to check" if attention else \
        f"{wording.number(len(profile.licenses))} on file"
    return Cell(status.label, note, kind)


def _check(check: vetting.CheckView | None, profile: Profile) -> Cell:
    if check is None:
        return Cell("Does not apply", kind="missing")
    if not check.provided:
        return Cell("Not provided", kind="missing")
    # Two providers differ on a check when the value or the kind of source differs, not the day it was checked.
    if check.verified:
        note = profile.freshness(check) + (" · due for re-check" if profile.due(check) else "")
        return Cell(check.display, note, "verified", (check.display, "verified"))
    if check.source is not None and check.source.value == "from_reviews":
        count = profile.rating_count
        note = f"from {wording.quantity(count, 'patient review')}" if count else "from patient reviews"
        return Cell(check.display, note, "", (check.display, "reviews"))
    if check.source is not None and check.source.value == "admin_verified":
        return Cell(check.display, "checked by our team: not a verified pass", "warn", (check.display, "checked"))
    return Cell(check.display, "reported by the provider")


def compare(providers: list[Provider], now: datetime | None = None) -> Comparison:
    now = now or datetime.now(UTC)
    profiles = [build_profile(p, now) for p in providers]

    def row(label, make):
        return Row(label, [make(pr) for pr in profiles])

    overview = Section("Overview", [
        row("Ways to be treated", lambda pr: Cell(", ".join(m.label for m in pr.provider.modes))),
        row("Where", lambda pr: _where(pr.provider)),
        row("Treatments", lambda pr: Cell(", ".join(r.label for r in pr.provider.routes) or "Not provided")),
        row("Conditions treated",
            lambda pr: Cell(", ".join(c.label for c in pr.provider.conditions) or "Not provided")),
        row("Price per session", _price),
        row("Free consultation", lambda pr: Cell("Yes" if pr.provider.free_consultation else "Not offered")),
        row("Insurance", lambda pr: Cell("Accepts some insurance" if pr.provider.insurance_accepted else
                                         "Not accepted", "superbill offered" if pr.provider.superbill_offered
                                         else "")),
    ])
    trust = Section("The guide's three checks", [
        row("Checks verified by our team", lambda pr: Cell(pr.summary)),
        row("License status", _license),
        row("Patient reviews", lambda pr: Cell(
            f"{pr.rating_average:.1f} / 5" if pr.rating_count else "No reviews yet",
            wording.quantity(pr.rating_count, "review") if pr.rating_count else "")),
    ])
    by_provider = [{c.key: c for c in pr.checklist.items} for pr in profiles]
    wanted = {c.key for pr in profiles for c in pr.checklist.items}
    sections = [overview, trust]
    for group, title in vetting.GROUPS.items():
        defs = [d for d in vetting.CHECKLIST if d.group == group and d.key in wanted]
        if defs:
            sections.append(Section(title, [
                Row(d.label, [_check(checks.get(d.key), pr) for checks, pr in zip(by_provider, profiles,
                                                                                   strict=True)])
                for d in defs
            ]))
    return Comparison(profiles, sections)
