"""Whether a published listing may be offered to patients as open, by its license status as it stands today —
the one rule HSDS (`status`, `alert`) and FHIR Plan-Net (which lists only active providers) both follow.

A revoked license means a board took away the right to practise: the listing is inactive. An expired one may be
renewed: the listing is temporarily closed until it is. Either way the reason travels with it, so a referral line
can tell a caller why. Anything else (verified, pending, not yet verified, could not be verified) is shown as it is
on the profile, with the license status in the text, and the listing stays active.
"""
from __future__ import annotations

from dataclasses import dataclass

from clinic_finder.models import LicenseStatus


@dataclass(frozen=True)
class Standing:
    status: str  # the HSDS service status: active, inactive, temporarily closed
    alert: str | None

    @property
    def open_to_patients(self) -> bool:
        return self.status == "active"


def standing_for(license_status: LicenseStatus) -> Standing:
    if license_status == LicenseStatus.REVOKED:
        return Standing("inactive", "A professional license held by this provider's team has been revoked by the "
                                    "licensing board. Do not refer patients here.")
    if license_status == LicenseStatus.EXPIRED:
        return Standing("temporarily closed", "A professional license held by this provider's team has expired "
                                              "and has not been renewed as far as we know. Do not refer patients "
                                              "here until it is renewed.")
    return Standing("active", None)
