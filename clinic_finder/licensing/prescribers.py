"""Who may prescribe: ketamine is legal only when prescribed by a licensed professional.

A listing's medical director and its prescribers hold a prescribing credential (MD, DO, or NP/PA where the state
allows) with a license in the state where they treat; an at-home provider needs such a prescriber licensed in every
state it serves. An LCSW, an RN or a counsellor can be on the team, never as the prescriber. The rules work on
plain values so the record validator (at entry) and `data check` (afterwards) apply the same ones.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from clinic_finder.models import Credential, LicenseStatus

PRESCRIBING = frozenset({Credential.MD, Credential.DO, Credential.NP, Credential.PA})
# Every state and DC lets NPs and PAs prescribe Schedule III medicines today (some only under a collaborative
# agreement, which the listing does not record). A state that stops would be listed here with what it allows.
STATE_EXCEPTIONS: dict[str, frozenset[Credential]] = {}
_NOT_A_LICENSE = (LicenseStatus.REVOKED, LicenseStatus.EXPIRED, LicenseStatus.REJECTED)


def may_prescribe(credential: Credential, state: str) -> bool:
    return credential in STATE_EXCEPTIONS.get(state, PRESCRIBING)


@dataclass(frozen=True)
class TeamLicense:
    state: str
    credential: Credential
    status: LicenseStatus
    expires_on: date | None = None


@dataclass(frozen=True)
class TeamMember:
    name: str
    credential: Credential
    is_medical_director: bool
    licenses: tuple[TeamLicense, ...] = field(default_factory=tuple)

    def prescribing_states(self, today: date) -> set[str]:
        """States where this person holds a live license with a prescribing credential."""
        return {lic.state for lic in self.licenses
                if lic.status not in _NOT_A_LICENSE and (lic.expires_on is None or lic.expires_on >= today)
                and may_prescribe(lic.credential, lic.state)}


def prescribers(team: Iterable[TeamMember], today: date) -> list[tuple[TeamMember, list[str]]]:
    """Who prescribes, with the states each is licensed to prescribe in (what the profile shows)."""
    out = []
    for member in team:
        states = sorted(member.prescribing_states(today))
        if member.credential in PRESCRIBING and states:
            out.append((member, states))
    return out


def problems(team: list[TeamMember], clinic_states: Iterable[str], home_states: Iterable[str],
             today: date) -> list[tuple[str, str]]:
    """(field, reason) for each prescriber rule the listing breaks; empty when it may be published."""
    found: list[tuple[str, str]] = []
    for i, member in enumerate(team, start=1):
        if member.is_medical_director and member.credential not in PRESCRIBING:
            found.append((f"clinicians[{i}].credential",
                          f"The medical director ({member.name}) is {_article(member.credential.value)} "
                          f"{member.credential.value}: a medical "
                          "director must hold a prescribing credential (MD, DO, NP or PA)."))
    covered = set()
    for _member, states in prescribers(team, today):
        covered.update(states)
    if not any(prescribers(team, today)):
        found.append(("clinicians", "No prescriber on the team: ketamine must be prescribed by a licensed MD, DO, "
                                    "NP or PA. Please add the prescriber and their license."))
        return found
    for state in sorted(set(clinic_states)):
        if state not in covered:
            found.append(("locations", f"No prescriber on the team is licensed in {state}, where the clinic "
                                       "treats patients."))
    missing = sorted(set(home_states) - covered)
    if missing:
        found.append(("states_served", "At home, a prescriber must be licensed in every state served; none is "
                                       f"licensed in {', '.join(missing)}."))
    return found


def _article(initialism: str) -> str:
    """ "an LCSW", "an RN", "a CRNA", "a PhD": by how the first letter is spoken."""
    return "an" if initialism[:1] in "AEFHILMNORSX" else "a"


# Stored for a license without an expiry date, so "licensed until" compares as one date.
NO_EXPIRY = date(9999, 12, 31)


def prescriber_until_sql(provider_id, state) -> sa.ScalarSelect:
    """SQL: the last day someone on the provider's team may prescribe in `state` (NO_EXPIRY for a license without an
    expiry date; NULL: nobody may), the same rule as TeamMember.prescribing_states. Search stores it on the at-home
    list's rows (search/index.py) and compares it with today, so it reads no license rows."""
    from clinic_finder.models import Clinician, License

    # The team's clinicians first, then each one's licenses in the state: spelled as IN so SQLite, without
    # statistics on a freshly loaded database, does not read every license of the state instead.
    team = sa.select(Clinician.id).where(Clinician.provider_id == provider_id,
                                         Clinician.credential.in_(list(PRESCRIBING))).correlate_except(Clinician)
    return (sa.select(sa.func.max(sa.func.coalesce(License.expires_on, sa.literal(NO_EXPIRY, sa.Date))))
            .where(License.clinician_id.in_(team), License.state == state,
                   License.credential.in_(list(PRESCRIBING)), License.status.not_in(list(_NOT_A_LICENSE)))
            .correlate_except(License).scalar_subquery())
