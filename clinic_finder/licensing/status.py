"""License rules: which status a provider shows, and when a license has lapsed.

A license past its expiry date is expired on the day it lapses, whatever the record says: the nightly
`licenses expire` only writes down what every reader already counts by today's date.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from clinic_finder.models import License, LicenseStatus, Provider

# A rejected record is one we could not confirm; it does not drag a provider below a license that
# was never checked, but revoked and expired ones always do.
_MATTERS = set(LicenseStatus)


def status_on(lic: License, today: date) -> LicenseStatus:
    """The license's status as patients are shown it today: past its expiry date it is expired (unless revoked)."""
    if lic.status not in (LicenseStatus.REVOKED, LicenseStatus.EXPIRED) and lic.expires_on is not None \
            and lic.expires_on < today:
        return LicenseStatus.EXPIRED
    return lic.status


def worst_license_status(licenses: Iterable[License], today: date | None = None) -> LicenseStatus:
    """The worst status among the licenses that matter: one expired license is not hidden by a verified one.
    With `today`, each license counts as it stands on that date (see status_on)."""
    statuses = [status_on(lic, today) if today else lic.status for lic in licenses]
    statuses = [s for s in statuses if s in _MATTERS]
    if not statuses:
        return LicenseStatus.UNVERIFIED
    return min(statuses, key=lambda s: s.rank)


def provider_licenses(provider: Provider) -> list[License]:
    return [lic for clinician in provider.clinicians for lic in clinician.licenses]


def valid_until(licenses: Iterable[License], today: date) -> date | None:
    """The last day before the worst status can turn to expired on its own: the earliest expiry date among the
    licenses that have not lapsed yet (None when none will, or when one is already expired or revoked)."""
    licenses = list(licenses)
    if worst_license_status(licenses, today).rank <= LicenseStatus.EXPIRED.rank:
        return None
    dates = [lic.expires_on for lic in licenses if lic.expires_on is not None]
    return min(dates) if dates else None


def refresh_license_status(provider: Provider, today: date | None = None) -> LicenseStatus:
    """Kept for callers that change licenses; the trust summary (vetting.trust) recomputes it at every flush."""
    from clinic_finder.models.types import utcnow

    provider.license_status = worst_license_status(provider_licenses(provider), today or utcnow().date())
    return provider.license_status


@dataclass(frozen=True)
class LicensesFact:
    """The checklist's "Licenses on file and verified", derived from the license rows."""

    text: str | None  # None: no license on file
    all_verified: bool  # a verified positive fact: at least one license, every one verified and in date
    verified_at: datetime | None  # the latest verification by our team
    checked: bool  # at least one license was checked by our team (whatever the outcome)


def licenses_fact(provider: Provider, today: date) -> LicensesFact:
    licenses = provider_licenses(provider)
    if not licenses:
        return LicensesFact(None, False, None, False)
    statuses = [status_on(lic, today) for lic in licenses]
    verified = sum(1 for s in statuses if s == LicenseStatus.VERIFIED)
    noun = "license" if len(licenses) == 1 else "licenses"
    text = f"{verified} of {len(licenses)} {noun} verified"
    problems = [f"{n} {status.value}" for status in (LicenseStatus.REVOKED, LicenseStatus.EXPIRED,
                                                     LicenseStatus.REJECTED)
                if (n := sum(1 for s in statuses if s == status))]
    text += "; " + ", ".join(problems) if problems else ""
    dates = [lic.verified_at for lic in licenses if lic.verified_at is not None]
    return LicensesFact(text, verified == len(licenses), max(dates) if dates else None, bool(dates))
