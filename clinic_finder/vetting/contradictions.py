"""The directory finds its own contradictions: two facts on one listing that cannot both be true, or a fact shown as
current when it no longer is. `flask data check` lists them and the admin dashboard's "data health" panel counts
them; the record validator refuses most of them at entry, and this finds the rest (an expiry passing, a
verification ageing past the re-check window, rows written before a rule existed).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clinic_finder.extensions import db
from clinic_finder.licensing import prescribers
from clinic_finder.listings.record.care import PRICE_MAX_USD
from clinic_finder.models import ChecklistSource, Clinician, LicenseStatus, ListingStatus, Provider
from clinic_finder.vetting import checklist as vetting
from clinic_finder.vetting import trust
from clinic_finder.vetting.checklist import RECHECK_AFTER

# (code, what the dashboard calls it), in the order they are listed.
RULES: dict[str, str] = {
    "summary_drift": "Stored trust summary differs from its sources",
    "derived_fact_stored": "A derived fact stored as a claim",
    "from_reviews_without_reviews": "“From patient reviews” without a published review",
    "consultation_mismatch": "Free consultation: checklist and listing disagree",
    "verified_license_expired": "Verified license past its expiry date",
    "verified_without_date_or_verifier": "Verified fact without a date or a verifier",
    "clinic_without_coordinates": "Clinic without coordinates",
    "at_home_without_states": "At-home provider with no state served",
    "prices": "Prices that do not make sense",
    "published_without_license": "Published provider without a license",
    "past_recheck_window": "Verified fact past the re-check window",
    "prescriber": "Who may prescribe",
}
BATCH = 500


@dataclass(frozen=True)
class Contradiction:
    provider_id: int
    provider_name: str
    rule: str
    reason: str

    @property
    def line(self) -> str:
        return f"provider {self.provider_id} ({self.provider_name}): {self.rule}: {self.reason}"


def _options():
    return (selectinload(Provider.locations), selectinload(Provider.service_states),
            selectinload(Provider.checklist_items), selectinload(Provider.reviews),
            selectinload(Provider.clinicians).selectinload(Clinician.licenses))


def _providers_in_batches():
    """Every provider with what the rules read, BATCH at a time by id (seven queries a batch, however many rows)."""
    last = 0
    while True:
        batch = db.session.scalars(sa.select(Provider).where(Provider.id > last).order_by(Provider.id)
                                   .limit(BATCH).options(*_options())).all()
        yield from batch
        if len(batch) < BATCH:
            return
        last = batch[-1].id
        db.session.expunge_all()  # keep memory flat on a large directory


def find_all(now: datetime | None = None) -> list[Contradiction]:
    """Every contradiction in the database, by provider id then rule order."""
    now = now or datetime.now(UTC)
    out: list[Contradiction] = []
    for provider in _providers_in_batches():
        out.extend(for_provider(provider, now))
    order = list(RULES)
    return sorted(out, key=lambda c: (c.provider_id, order.index(c.rule)))


def for_provider(provider: Provider, now: datetime) -> Iterator[Contradiction]:
    """Every contradiction in one provider's rows, rule group by rule group."""
    for check in (_summary_drift, _checklist_facts, _licenses, _findability, _prices, _publication):
        for rule, reason in check(provider, now):
            yield Contradiction(provider.id, provider.name, rule, reason)


def _summary_drift(provider: Provider, now: datetime) -> Iterator[tuple[str, str]]:
    drift = trust.differences(provider, now.date())
    if drift:
        parts = ", ".join(f"{column} stored {_shown(stored)}, sources say {_shown(fresh)}"
                          for column, (stored, fresh) in sorted(drift.items()))
        yield "summary_drift", parts + " (run `flask data refresh-summaries`)"


def _checklist_facts(provider: Provider, now: datetime) -> Iterator[tuple[str, str]]:
    counted_reviews = sum(1 for r in provider.reviews if trust.counted(r))
    for item in sorted(provider.checklist_items, key=lambda i: i.key):
        label = vetting.BY_KEY[item.key].label if item.key in vetting.BY_KEY else item.key
        if item.key in vetting.DERIVED_KEYS:
            origin = "licenses" if item.key == vetting.LICENSES_KEY else "published reviews"
            yield "derived_fact_stored", (f"“{label}” is stored as {item.value!r}; it is worked out from the "
                                          f"{origin}, so the stored row can only drift (delete it)")
            continue
        if item.source == ChecklistSource.FROM_REVIEWS and item.value and not counted_reviews:
            yield "from_reviews_without_reviews", (f"“{label}: {item.value}” is said to come from patient reviews, "
                                                   "but the provider has no published review")
        yield from _consultation_claim(provider, item)
        yield from _verification_record(f"“{label}”", item.source == ChecklistSource.ADMIN_VERIFIED and bool(item.value),
                                        item.verified_at, item.verified_by, now)


def _consultation_claim(provider: Provider, item) -> Iterator[tuple[str, str]]:
    if item.key == vetting.FREE_CONSULTATION_KEY and item.value in ("yes", "no") and \
            item.value != ("yes" if provider.free_consultation else "no"):
        listing = "offers" if provider.free_consultation else "does not offer"
        yield "consultation_mismatch", (f"the checklist says {item.value!r} but the listing {listing} a free "
                                        "consultation (the request form follows the listing)")


def _verification_record(what: str, verified: bool, verified_at, verifier, now: datetime,
                         status: str = "verified", recheck: bool = True) -> Iterator[tuple[str, str]]:
    """A verification needs a date and a verifier, and a verified pass is re-checked within a year."""
    if not verified:
        return
    missing = [name for name, value in (("date", verified_at), ("verifier", verifier)) if not value]
    if missing:
        yield "verified_without_date_or_verifier", f"{what} is marked {status} without a {' or a '.join(missing)}"
    elif recheck and now - verified_at > RECHECK_AFTER:
        yield "past_recheck_window", (f"{what} was verified {(now.date() - verified_at.date()).days} days ago, "
                                      "past the one-year re-check window")


def _licenses(provider: Provider, now: datetime) -> Iterator[tuple[str, str]]:
    today = now.date()
    for clinician in provider.clinicians:
        for lic in clinician.licenses:
            where = f"{clinician.full_name}'s {lic.credential.value} license {lic.state} {lic.license_number}"
            lapsed = lic.expires_on is not None and lic.expires_on < today
            if lic.status == LicenseStatus.VERIFIED and lapsed:
                yield "verified_license_expired", (f"{where} is recorded as verified but expired on "
                                                   f"{lic.expires_on.isoformat()}")
            decided = lic.status in (LicenseStatus.VERIFIED, LicenseStatus.REJECTED, LicenseStatus.REVOKED)
            yield from _verification_record(where, decided, lic.verified_at,
                                            lic.verified_by_id or lic.verification_source, now, lic.status.value,
                                            recheck=lic.status == LicenseStatus.VERIFIED and not lapsed)


def _findability(provider: Provider, now: datetime) -> Iterator[tuple[str, str]]:
    if provider.offers_in_clinic:
        for loc in provider.locations:
            if loc.lat is None or loc.lon is None:
                yield "clinic_without_coordinates", (f"{loc.one_line} has no coordinates, so no search near it can "
                                                     "find it (run `flask geocode`)")
    if provider.offers_at_home and not provider.service_states:
        yield "at_home_without_states", "offers treatment at home but serves no state, so no at-home search can find it"


def _prices(provider: Provider, now: datetime) -> Iterator[tuple[str, str]]:
    for reason in price_problems(provider.price_min_usd, provider.price_max_usd):
        yield "prices", reason


def _publication(provider: Provider, now: datetime) -> Iterator[tuple[str, str]]:
    """A published listing needs a license, and prescribers licensed where it treats."""
    if provider.listing_status != ListingStatus.PUBLISHED:
        return
    if not any(c.licenses for c in provider.clinicians):
        yield "published_without_license", ("is published with no license on file: ketamine is legal only when "
                                             "prescribed by a licensed professional")
        return
    from clinic_finder.listings.profiles import team_of

    clinic_states = [loc.state for loc in provider.locations] if provider.offers_in_clinic else []
    home_states = provider.states_served if provider.offers_at_home else []
    for _field, reason in prescribers.problems(team_of(provider), clinic_states, home_states, now.date()):
        yield "prescriber", reason


def _shown(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value) if value is not None else "nothing"


def price_problems(low: int | None, high: int | None) -> list[str]:
    out = []
    if high is not None and low is None:
        out.append(f"a highest price (${high:,}) without a lowest")
    if low is not None and low < 0 or high is not None and high < 0:
        out.append("a negative price")
    if low is not None and high is not None and low > high:
        out.append(f"the lowest price (${low:,}) is above the highest (${high:,})")
    if any(p is not None and p > PRICE_MAX_USD for p in (low, high)):
        out.append(f"a price over ${PRICE_MAX_USD:,} a session, beyond anything the guide describes")
    return out


@dataclass(frozen=True)
class Health:
    """What the dashboard's data health panel shows: counts by rule and the first few contradictions."""

    total: int
    by_rule: list[tuple[str, str, int]]
    first: list[Contradiction]


def health(limit: int = 20, now: datetime | None = None) -> Health:
    found = find_all(now)
    counts = Counter(c.rule for c in found)
    return Health(len(found), [(rule, label, counts[rule]) for rule, label in RULES.items() if counts[rule]],
                  found[:limit])


def refresh_summaries(today: date | None = None) -> int:
    """Recompute every provider's stored summary (after the 0008 migration, or a bulk load that bypassed the
    ORM); returns how many changed. The flush hook keeps them true from then on."""
    changed = 0
    for provider in _providers_in_batches():
        if trust.stored_summary(provider) != trust.compute_summary(provider, today):
            trust.apply_summary(provider, today)
            changed += 1
            db.session.flush()
    db.session.commit()
    return changed
