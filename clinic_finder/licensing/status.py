"""License rules: which status a provider shows, and when a license has lapsed."""
from __future__ import annotations

from collections.abc import Iterable

from clinic_finder.models import License, LicenseStatus, Provider

# A rejected record is one we could not confirm; it does not drag a provider below a license that
# was never checked, but revoked and expired ones always do.
_MATTERS = set(LicenseStatus)


def worst_license_status(licenses: Iterable[License]) -> LicenseStatus:
    """The worst status among the licenses that matter: one expired license is not hidden by a verified one."""
    statuses = [lic.status for lic in licenses if lic.status in _MATTERS]
    if not statuses:
        return LicenseStatus.UNVERIFIED
    return min(statuses, key=lambda s: s.rank)


def refresh_license_status(provider: Provider) -> LicenseStatus:
    provider.license_status = worst_license_status(
        lic for clinician in provider.clinicians for lic in clinician.licenses
    )
    return provider.license_status
