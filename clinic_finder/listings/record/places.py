"""Where and how the provider treats: in a clinic (its addresses, ZIP in state, coordinates), at home (the states
it may treat patients in)."""
from __future__ import annotations

from clinic_finder.inputs.numbers import decimal_number
from clinic_finder.inputs.places import state_code, zip_code
from clinic_finder.inputs.problems import InvalidInput, ProblemCollector
from clinic_finder.inputs.text import plain_text
from clinic_finder.listings.record.fields import as_list, chosen, objects, text_or_none, truthy
from clinic_finder.listings.record.level import Level
from clinic_finder.models import Mode

ADDRESS_MAX = 200
LABEL_MAX = 100
_ADDRESS_LINES = (("address_line1", "street address", "Please enter the clinic's street address."),
                  ("address_line2", "suite or floor", None),
                  ("city", "city", "Please enter the clinic's city."))


def check_modes(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    out["modes"] = chosen(found, "modes", data.get("modes"), Mode, "where you treat patients (in_clinic, at_home)")
    # At every level: the database holds that a provider treats somewhere (ck_provider_has_a_mode).
    if not out["modes"] and not found.has("modes"):
        found.add("modes", "Please tick at least one: in a clinic, at home, or both.")


def check_locations(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    out["locations"] = [_location(where, loc, found) for where, loc in objects(found, data, "locations")]
    if level is Level.PUBLISHABLE and Mode.IN_CLINIC.value in out["modes"] and not data.get("locations"):
        found.add("locations", "Please give the clinic's address: a listing that treats patients in a clinic "
                               "needs at least one.")


def _location(where: str, loc: dict, found: ProblemCollector) -> dict:
    """One address; a location given is given whole (street, city, state, ZIP), at either level."""
    out = {field: found.take(plain_text, loc.get(field), where + field, label, ADDRESS_MAX, required=required)
           for field, label, required in _ADDRESS_LINES}
    out["state"] = found.take(state_code, loc.get("state"), where + "state",
                              required="Please choose the clinic's state.")
    out["zip_code"] = found.take(zip_code, text_or_none(loc.get("zip_code")), where + "zip_code", state=out["state"],
                                 required="Please enter the clinic's ZIP code.")
    out["label"] = found.take(plain_text, loc.get("label"), where + "label", "label", LABEL_MAX)
    out["accepting_new_patients"] = truthy(loc.get("accepting_new_patients", True))
    _coordinates(where, loc, out, found)
    return out


def _coordinates(where: str, loc: dict, out: dict, found: ProblemCollector) -> None:
    out["lat"] = found.take(decimal_number, loc.get("lat"), where + "lat", "latitude", -90, 90)
    out["lon"] = found.take(decimal_number, loc.get("lon"), where + "lon", "longitude", -180, 180)
    if (out["lat"] is None) != (out["lon"] is None) and not (found.has(where + "lat") or found.has(where + "lon")):
        found.add(where + ("lon" if out["lon"] is None else "lat"),
                  "Please give both the latitude and the longitude, or neither.")


def check_states_served(data: dict, out: dict, found: ProblemCollector, level: Level) -> None:
    states, unknown = set(), []
    for raw in as_list(data.get("states_served")):
        try:
            code = state_code(raw, "states_served")
        except InvalidInput:
            unknown.append(str(raw))
        else:
            states.update([code] if code else [])
    out["states_served"] = sorted(states)
    if unknown:
        found.add("states_served", f"Please choose states from the list ({', '.join(repr(s) for s in unknown)} "
                                   f"{'is' if len(unknown) == 1 else 'are'} not a US state or DC).")
    elif level is Level.PUBLISHABLE and Mode.AT_HOME.value in out["modes"] and not states:
        found.add("states_served", "Please choose the states where you are licensed to treat patients at home.")
