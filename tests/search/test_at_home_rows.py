"""The at-home list reads who may prescribe from service_state (search/index.py keeps it in step): every write to a
provider's team, licenses, clinics or served states moves it, in the same flush, whatever the door."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.licensing.prescribers import NO_EXPIRY
from clinic_finder.models import Credential, LicenseStatus, Mode, ServiceState
from clinic_finder.search.query import SearchFilters, SearchQuery, find_providers


def _at_home_names(place) -> list[str]:
    result = find_providers(SearchQuery(place, filters=SearchFilters(mode=Mode.AT_HOME)))
    return sorted(m.provider.name for m in result.matches)


def _stored(provider, state="NY") -> tuple:
    row = db.session.execute(sa.select(ServiceState.prescriber_until, ServiceState.has_clinic).where(
        ServiceState.provider_id == provider.id, ServiceState.state == state)).one()
    return tuple(row)


def test_a_revoked_or_deleted_license_takes_the_state_off_the_at_home_list(make_provider, new_york):
    tele = make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY", "NJ"))
    assert _at_home_names(new_york) == ["Tele"]
    ny_license = next(lic for lic in tele.clinicians[0].licenses if lic.state == "NY")
    ny_license.status = LicenseStatus.REVOKED
    db.session.commit()
    assert _at_home_names(new_york) == []
    ny_license.status = LicenseStatus.VERIFIED
    db.session.commit()
    assert _at_home_names(new_york) == ["Tele"]
    db.session.delete(ny_license)
    db.session.commit()
    assert _at_home_names(new_york) == []
    assert _stored(tele, "NJ")[0] == date.today() + timedelta(days=400)  # the other state keeps its prescriber


def test_a_license_added_later_or_a_prescriber_who_stops_prescribing_moves_the_list(make_provider, add_license,
                                                                                   new_york):
    tele = make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY",), prescriber=False)
    assert _stored(tele) == (None, False)
    assert _at_home_names(new_york) == []
    lic = add_license(tele, LicenseStatus.PENDING)
    assert _stored(tele)[0] == lic.expires_on
    lic.expires_on = None  # no expiry date: licensed for as long as it stands
    db.session.commit()
    assert _stored(tele)[0] == NO_EXPIRY
    assert _at_home_names(new_york) == ["Tele"]
    tele.clinicians[0].credential = Credential.RN  # the same person, recorded as a nurse: not a prescriber
    db.session.commit()
    assert _at_home_names(new_york) == []


def test_the_stored_day_is_the_last_a_license_is_live_so_it_lapses_without_a_write(make_provider, add_license,
                                                                                  new_york):
    tele = make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY",), prescriber=False)
    add_license(tele, LicenseStatus.VERIFIED, expires_on=date.today())
    add_license(tele, LicenseStatus.VERIFIED, expires_on=date.today() - timedelta(days=3))
    assert _stored(tele)[0] == date.today()
    assert _at_home_names(new_york) == ["Tele"]  # the last day of a license still counts, as on the profile


def test_only_a_provider_with_a_clinic_in_search_is_checked_against_the_circle(make_provider, new_york):
    both = make_provider("Both", at_home=True, states_served=("NY",))  # a clinic in the circle, and at home
    tele = make_provider("Tele", in_clinic=False, at_home=True, states_served=("NY",))
    assert _stored(both)[1] is True and _stored(tele)[1] is False
    result = find_providers(SearchQuery(new_york))
    assert [(m.provider.name, m.mode) for m in result.matches] == [("Both", Mode.IN_CLINIC),
                                                                   ("Tele", Mode.AT_HOME)]
    both.offers_in_clinic = False  # its clinic leaves search: now it is found at home
    db.session.commit()
    assert _stored(both)[1] is False
    assert _at_home_names(new_york) == ["Both", "Tele"]
