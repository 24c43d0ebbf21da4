"""Where an admin checks a license: the issuing board's public lookup, a national lookup, the NPI registry.

Boards publish lookup pages, not stable deep links: most take the license number in a search form, so the page
shows the number beside the link to copy. The NPI registry does have a page per NPI, built from the number.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from clinic_finder.geo.states import state_name
from clinic_finder.licensing.npi import is_valid_npi
from clinic_finder.models import Credential, License

NPI_REGISTRY_URL = "https://npiregistry.cms.hhs.gov/provider-view/{npi}"

# Boards whose public lookup page we have checked by hand; other states fall back to the national lookups below.
STATE_BOARDS: dict[str, tuple[str, str]] = {
    "CA": ("Department of Consumer Affairs license search", "https://search.dca.ca.gov/"),
    "FL": ("Florida Department of Health license verification",
           "https://mqa-internet.doh.state.fl.us/MQASearchServices/HealthCareProviders"),
    "NY": ("NYSED Office of the Professions verification search", "https://www.op.nysed.gov/verification-search"),
    "TX": ("Texas Medical Board profile search", "https://profile.tmb.state.tx.us/"),
}

# National lookups by profession: physicians (FSMB's DocInfo) and nurses (NCSBN's Nursys).
NATIONAL_LOOKUPS: dict[Credential, tuple[str, str]] = {
    Credential.MD: ("DocInfo (Federation of State Medical Boards)", "https://www.docinfo.org/"),
    Credential.DO: ("DocInfo (Federation of State Medical Boards)", "https://www.docinfo.org/"),
    Credential.RN: ("Nursys QuickConfirm (NCSBN)", "https://www.nursys.com/"),
    Credential.NP: ("Nursys QuickConfirm (NCSBN)", "https://www.nursys.com/"),
    Credential.CRNA: ("Nursys QuickConfirm (NCSBN)", "https://www.nursys.com/"),
}


@dataclass(frozen=True)
class LookupLink:
    label: str
    url: str
    copy_value: str | None  # what to paste into the site's search form, when the link cannot carry it


def npi_registry_link(npi: str | None) -> LookupLink | None:
    if not npi or not is_valid_npi(npi):
        return None
    return LookupLink("NPPES NPI registry", NPI_REGISTRY_URL.format(npi=quote(npi)), None)


def lookup_links(license: License, npi: str | None) -> list[LookupLink]:
    """Links an admin follows to check this license, the issuing board's first."""
    links = []
    board = STATE_BOARDS.get(license.state)
    if board:
        links.append(LookupLink(board[0], board[1], license.license_number))
    national = NATIONAL_LOOKUPS.get(license.credential)
    if national:
        links.append(LookupLink(national[0], national[1], f"{license.license_number} ({license.state})"))
    if not links:
        name = state_name(license.state) or license.state
        links.append(LookupLink(f"{name} licensing board (find the board in a web search)",
                                "https://duckduckgo.com/?q=" + quote(f"{name} {license.credential.value} "
                                                                           "license lookup"),
                                license.license_number))
    registry = npi_registry_link(npi)
    if registry:
        links.append(registry)
    return links


def is_demo_number(number: str) -> bool:
    """The reserved fictional pattern DEMO-ST-000000: no board will find it."""
    return number.upper().startswith("DEMO-")
