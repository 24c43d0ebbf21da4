"""A provider's profile as a patient sees it: the checklist summary, license standing, prices in context.

Everything a profile shows is loaded in a fixed number of queries (directory.get_published_provider), however many
licenses, checks or reviews a provider has.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from clinic_finder.guide.assessment import TYPICAL_PRICE_MAX_USD, TYPICAL_PRICE_MIN_USD
from clinic_finder.licensing import prescribers as prescribing
from clinic_finder.licensing.status import status_on
from clinic_finder.listings.directory import get_published_provider
from clinic_finder.models import Clinician, License, LicenseStatus, Location, Provider, Route
from clinic_finder.vetting import checklist as vetting
from clinic_finder.vetting import freshness
from clinic_finder.vetting.trust import TrustSummary, summary_of

# Licenses expiring this soon are flagged: a patient booking a course of sessions should know.
EXPIRY_WARNING_DAYS = 30
# The guide's maintenance example: an infusion every two weeks, about $15,000 a year.
MAINTENANCE_SESSIONS_PER_YEAR = 26
GUIDE_YEARLY_MAINTENANCE_USD = 15_000


@dataclass(frozen=True)
class LicenseRow:
    license: License
    clinician: Clinician
    status: LicenseStatus  # what patients are shown: a license past its expiry date is expired, whatever the record
    attention: str | None  # "revoked", "expired", "expiring" or None
    days_to_expiry: int | None
    due_for_recheck: bool = False  # verified more than a year ago

    @property
    def stands_out(self) -> bool:
        return self.attention is not None


@dataclass(frozen=True)
class PriceContext:
    """A provider's per-session price set against the guide's typical $400–$800 per infusion."""

    price_min: int | None
    price_max: int | None

    @property
    def provided(self) -> bool:
        return self.price_min is not None

    @property
    def upper(self) -> int | None:
        return self.price_max if self.price_max is not None else self.price_min

    @property
    def comparison(self) -> str | None:
        if not self.provided:
            return None
        if self.upper < TYPICAL_PRICE_MIN_USD:
            return "below"
        if self.price_min > TYPICAL_PRICE_MAX_USD:
            return "above"
        if self.price_min >= TYPICAL_PRICE_MIN_USD and self.upper <= TYPICAL_PRICE_MAX_USD:
            return "within"
        return "overlaps"

    @property
    def yearly_min(self) -> int | None:
        return None if self.price_min is None else self.price_min * MAINTENANCE_SESSIONS_PER_YEAR

    @property
    def yearly_max(self) -> int | None:
        return None if self.upper is None else self.upper * MAINTENANCE_SESSIONS_PER_YEAR


@dataclass(frozen=True)
class SessionStep:
    title: str
    text: str


IN_CLINIC_STEPS = (
    SessionStep("Screening", "A physical exam and a review of your medical history and medicines, to check that "
                             "ketamine is safe for you."),
    SessionStep("Monitoring", "Your vital signs (blood pressure, heart rate, breathing) are checked before and "
                              "throughout the treatment."),
    SessionStep("Treatment", "The medicine is given under the clinic's supervision: an IV infusion or an injection by "
                             "the staff, or nasal esketamine that you take yourself in the clinic while they observe "
                             "you, depending on what you and the clinician choose."),
    SessionStep("Recovery", "You rest at the clinic while the effects wear off, until staff are satisfied you can "
                            "leave. Clinics usually ask you to arrange a ride home."),
)

AT_HOME_STEPS = (
    SessionStep("Screening", "A telehealth assessment by a licensed clinician, who decides whether at-home "
                             "treatment is suitable for you; it is not suitable for everyone."),
    SessionStep("Monitoring", "Depending on the provider, a sitter must be present and the session may be "
                              "monitored remotely; see the at-home safety checks below."),
    SessionStep("Treatment", "You take the prescribed dose at home, as the prescriber instructed."),
    SessionStep("Recovery", "You rest until the effects wear off. Do not drive or make important decisions until "
                            "they have."),
)


@dataclass(frozen=True)
class Prescriber:
    name: str
    credential: str
    is_medical_director: bool
    states: list[str]


@dataclass
class Profile:
    provider: Provider
    checklist: vetting.Checklist
    trust: TrustSummary  # the one stored summary (vetting.trust), as it stands today
    licenses: list[LicenseRow]
    price: PriceContext
    now: datetime
    steps_in_clinic: tuple[SessionStep, ...] = ()
    steps_at_home: tuple[SessionStep, ...] = ()
    nasal_esketamine: bool = False
    map_locations: list[Location] = field(default_factory=list)
    prescribers: list[Prescriber] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return self.trust.checks_text

    @property
    def license_status(self) -> LicenseStatus:
        return self.trust.license_status

    @property
    def rating_average(self) -> float | None:
        return self.trust.rating_average if self.trust.rating_count else None

    @property
    def rating_count(self) -> int:
        return self.trust.rating_count

    @property
    def consultation_offered(self) -> bool:
        """Whether the "Request a free consultation" button is shown: the listing's own answer, nothing else."""
        return bool(self.provider.free_consultation)

    @property
    def licenses_needing_attention(self) -> list[LicenseRow]:
        return [row for row in self.licenses if row.stands_out]

    @property
    def licenses_with_board_actions(self) -> list[LicenseRow]:
        """Licenses a board's roster lists a disciplinary action against (licensing.roster)."""
        return [row for row in self.licenses if row.license.disciplinary_actions]

    def freshness(self, check: vetting.CheckView) -> str | None:
        return freshness.describe(check.verified_at, self.now) if check.verified else None

    def due(self, check: vetting.CheckView) -> bool:
        return check.verified and freshness.is_due(check.verified_at, self.now)


def license_row(lic: License, clinician: Clinician, today: date, now: datetime | None = None) -> LicenseRow:
    days = (lic.expires_on - today).days if lic.expires_on is not None else None
    status = status_on(lic, today)  # the nightly expiry job may not have run yet; the date is what counts
    if status == LicenseStatus.REVOKED:
        attention = "revoked"
    elif status == LicenseStatus.EXPIRED:
        attention = "expired"
    elif days is not None and days <= EXPIRY_WARNING_DAYS:
        attention = "expiring"
    else:
        attention = None
    due = status == LicenseStatus.VERIFIED and freshness.is_due(lic.verified_at, now)
    return LicenseRow(lic, clinician, status, attention, days, due)


def build_profile(provider: Provider, now: datetime | None = None) -> Profile:
    """The profile of an already loaded provider (no further queries)."""
    now = now or datetime.now(UTC)
    today = now.date()
    rows = [license_row(lic, clin, today, now) for clin in provider.clinicians for lic in clin.licenses]
    rows.sort(key=lambda r: (r.status.rank, r.days_to_expiry if r.days_to_expiry is not None else 10**6))
    return Profile(
        provider=provider,
        checklist=vetting.checklist_for(provider, today=today),
        trust=summary_of(provider, today),
        licenses=rows,
        price=PriceContext(provider.price_min_usd, provider.price_max_usd),
        now=now,
        steps_in_clinic=IN_CLINIC_STEPS if provider.offers_in_clinic else (),
        steps_at_home=AT_HOME_STEPS if provider.offers_at_home else (),
        nasal_esketamine=Route.NASAL in provider.routes,
        map_locations=[loc for loc in provider.locations if loc.lat is not None and loc.lon is not None],
        prescribers=[Prescriber(m.name, m.credential.value, m.is_medical_director, states)
                     for m, states in prescribing.prescribers(team_of(provider), today)],
    )


def team_of(provider: Provider) -> list[prescribing.TeamMember]:
    """The provider's clinicians as the prescriber rules read them."""
    return [prescribing.TeamMember(
        c.full_name, c.credential, c.is_medical_director,
        tuple(prescribing.TeamLicense(lic.state, lic.credential, lic.status, lic.expires_on) for lic in c.licenses))
        for c in provider.clinicians]


def load_profile(provider_id: int, now: datetime | None = None) -> Profile | None:
    """The published provider's profile, or None (unknown, unpublished, or an id that cannot exist)."""
    provider = get_published_provider(provider_id)
    return None if provider is None else build_profile(provider, now)


def checklist_json(provider: Provider, now: datetime | None = None) -> dict:
    """The checklist as the JSON API carries it: each item with value, source and verified_at."""
    now = now or datetime.now(UTC)
    checklist = vetting.checklist_for(provider, today=now.date())
    trust = summary_of(provider, now.date())
    items = []
    for check in checklist.items:
        row = check.as_json()
        row["provided"] = check.provided
        row["verified"] = check.verified
        row["due_for_recheck"] = check.verified and freshness.is_due(check.verified_at, now)
        items.append(row)
    return {"verified": trust.checks_verified, "total": trust.checks_total, "items": items}


def licenses_json(profile: Profile) -> list[dict]:
    return [
        {
            "clinician": row.clinician.full_name,
            "credential": row.license.credential.value,
            "state": row.license.state,
            "license_number": row.license.license_number,
            "status": row.status.value,
            "expires_on": row.license.expires_on.isoformat() if row.license.expires_on else None,
            "verified_at": row.license.verified_at.isoformat() if row.license.verified_at else None,
            "attention": row.attention,
        }
        for row in profile.licenses
    ]


def profile_json(profile: Profile) -> dict:
    """The profile for GET /api/v1/providers/<id> (the API feature serialises search results itself)."""
    p = profile.provider
    return {
        "id": p.id,
        "name": p.name,
        "description": p.description or None,
        "modes": [m.value for m in p.modes],
        "routes": [r.value for r in p.routes],
        "conditions": [c.value for c in p.conditions],
        "phone": p.phone,
        "email": p.email,
        "website": p.website,
        "locations": [
            {"address": loc.one_line, "city": loc.city, "state": loc.state, "zip_code": loc.zip_code,
             "lat": loc.lat, "lon": loc.lon, "accepting_new_patients": loc.accepting_new_patients}
            for loc in p.locations
        ],
        "states_served": p.states_served,
        "price_min_usd": p.price_min_usd,
        "price_max_usd": p.price_max_usd,
        "insurance_accepted": p.insurance_accepted,
        "superbill_offered": p.superbill_offered,
        "free_consultation": profile.consultation_offered,
        "session_length_minutes": p.session_length_minutes,
        "prescribers": [{"name": pr.name, "credential": pr.credential, "medical_director": pr.is_medical_director,
                         "states": pr.states} for pr in profile.prescribers],
        "last_verified_at": profile.trust.last_verified_at.isoformat() if profile.trust.last_verified_at else None,
        "license_status": profile.license_status.value,
        "licenses": licenses_json(profile),
        "rating": {"average": profile.rating_average, "count": profile.rating_count},
        "checklist": checklist_json(p, profile.now),
    }
