"""Turning what a patient types into a place (first cut; the search feature replaces the internals).

Interface used by the search page and the API:
  resolve_place(text) -> Place, or raises PlaceNotFound / AmbiguousPlace / GeocoderUnavailable
  place_for_point(lat, lon) -> Place
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import zipcodes


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    label: str
    state: str | None
    zip_code: str | None = None


class PlaceNotFound(Exception):
    def __init__(self, query: str):
        super().__init__(f"We could not find {query!r}.")
        self.query = query


@dataclass
class AmbiguousPlace(Exception):
    query: str
    choices: list[Place] = field(default_factory=list)


class GeocoderUnavailable(Exception):
    pass


def _place_from_zip(z: dict) -> Place:
    return Place(float(z["lat"]), float(z["long"]), f"{z['city'].title()}, {z['state']} {z['zip_code']}",
                 z["state"], z["zip_code"])


def resolve_place(text: str) -> Place:
    query = text.strip()
    m = re.search(r"\b(\d{5})(?:-\d{4})?\b", query)
    if m:
        found = zipcodes.matching(m.group(1)) if zipcodes.is_real(m.group(1)) else []
        if found and found[0]["lat"]:
            return _place_from_zip(found[0])
    m = re.fullmatch(r"\s*([A-Za-z .'-]+?)\s*,\s*([A-Za-z]{2})\s*", query)
    if m:
        city = m.group(1).strip().lower()
        rows = [z for z in zipcodes.filter_by(state=m.group(2).upper()) if z["lat"] and z["city"].lower() == city]
        if rows:
            lat = sum(float(z["lat"]) for z in rows) / len(rows)
            lon = sum(float(z["long"]) for z in rows) / len(rows)
            return Place(lat, lon, f"{rows[0]['city'].title()}, {rows[0]['state']}", rows[0]["state"])
    raise PlaceNotFound(query)


def place_for_point(lat: float, lon: float) -> Place:
    best = min((z for z in zipcodes.list_all() if z["lat"]),
               key=lambda z: (float(z["lat"]) - lat) ** 2 + (float(z["long"]) - lon) ** 2)
    return Place(lat, lon, f"{lat:.4f}, {lon:.4f}", best["state"], None)
