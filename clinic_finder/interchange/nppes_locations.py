"""`import nppes pl_pfile_….csv`: CMS's "Practice Location Reference File", the secondary practice locations.

The NPI file holds one practice address per NPI; providers with more clinics list the others in this separate file
(one row per location: the NPI, two address lines, city, state, ZIP, country, phone). `import nppes` tells the two
apart by their header, so an operator runs the same command on both files of a month, the NPI file first.

Per row:
- An NPI we do not hold from NPPES is skipped (the file lists the whole country).
- The NPI's check digit is tested and the address is checked by the one record validator (a US state, a ZIP code
  in that state) — or the row is refused with its reason; an address outside the US is refused with the country.
- A candidate still waiting in the "to review" queue gets the location, placed at its ZIP code's centre and marked
  approximate, like its main address. A location it already has (same first line and ZIP code) is unchanged.
- A provider an admin has published or merged keeps its clinics as the admins set them: the file's location is
  counted unchanged, never added behind their back (an admin adds a clinic through the listing form).
"""
from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.geo.geocoding import us_data
from clinic_finder.inputs.problems import ProblemCollector
from clinic_finder.interchange.engine import Outcome, RowRefused
from clinic_finder.licensing.npi import npi_problem
from clinic_finder.listings.record.level import Level
from clinic_finder.listings.record.places import check_locations
from clinic_finder.models import ImportOrigin, ImportSource, ListingStatus, Location, Provider

# CMS spells these headers loosely ("Address- Address Line 1", "Address-  Address Line 2", "Address - City Name"):
# a column is found by its letters and digits alone, lower-cased.
_SECONDARY = "providersecondarypracticelocationaddress"
FIELDS = {"npi": "npi", "line1": _SECONDARY + "addressline1", "line2": _SECONDARY + "addressline2",
          "city": _SECONDARY + "cityname", "state": _SECONDARY + "statename", "zip": _SECONDARY + "postalcode",
          "country": _SECONDARY + "countrycodeifoutsideus"}


def _squeezed(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def columns_of(header: list[str]) -> dict[str, int] | None:
    """Positions of the fields this import reads, or None when the header is not a practice location file's."""
    found = {_squeezed(name): i for i, name in enumerate(header)}
    if not all(key in found for key in FIELDS.values()):
        return None
    return {field: found[key] for field, key in FIELDS.items()}


class PracticeLocationImport:
    """handle_row for practice location rows (see the module docstring)."""

    def __init__(self, columns: dict[str, int], label: str, now: datetime | None = None):
        self.c, self.label = columns, label
        self.now = now
        # Candidates and providers we hold from NPPES (demo listings never: their NPIs may be real people's).
        self.origins: dict[str, int] = dict(db.session.execute(
            sa.select(ImportOrigin.source_key, ImportOrigin.id).join(Provider)
            .where(ImportOrigin.source == ImportSource.NPPES, Provider.is_demo.is_(False))).all())

    def __call__(self, number: int, row: list[str]) -> Outcome:
        c = self.c
        npi = row[c["npi"]].strip()
        problem = npi_problem(npi) if npi else "The NPI is missing."
        if problem:
            raise RowRefused(f"NPI {npi!r}: {problem}", npi)
        origin_id = self.origins.get(npi)
        if origin_id is None:
            return Outcome.SKIPPED
        location = self._checked(row, npi)
        origin = db.session.get(ImportOrigin, origin_id)
        provider = origin.provider
        if not origin.to_review or (origin.details or {}).get("merged_into") \
                or provider.listing_status == ListingStatus.PUBLISHED:
            return Outcome.UNCHANGED  # the admins' listing now: its clinics are theirs to change
        held = {(_squeezed(loc.address_line1), loc.zip_code) for loc in provider.locations}
        if (_squeezed(location["address_line1"]), location["zip_code"]) in held:
            return Outcome.UNCHANGED
        from clinic_finder.interchange.nppes import ZIP_APPROXIMATE  # one meaning of "placed at its ZIP's centre"

        clinic = Location(address_line1=location["address_line1"], address_line2=location["address_line2"],
                          city=location["city"], state=location["state"], zip_code=location["zip_code"])
        centre = us_data().by_zip.get(location["zip_code"])
        if centre is not None:
            clinic.set_coordinates(centre.lat, centre.lon, ZIP_APPROXIMATE)
        provider.locations.append(clinic)
        return Outcome.UPDATED

    def _checked(self, row: list[str], npi: str) -> dict:
        """The address as the one record validator normalizes it (a ZIP+4 becomes its five digits), or RowRefused."""
        c = self.c
        country = row[c["country"]].strip().upper()
        if country not in ("", "US"):
            raise RowRefused(f"the practice location is outside the US (country code {country})", npi)
        given = {"address_line1": row[c["line1"]].strip(), "address_line2": row[c["line2"]].strip() or None,
                 "city": row[c["city"]].strip().title(), "state": row[c["state"]].strip().upper(),
                 "zip_code": row[c["zip"]].strip()}
        found = ProblemCollector()
        out: dict = {"modes": ["in_clinic"]}
        check_locations({"locations": [given]}, out, found, Level.DRAFT)
        if found.problems:
            raise RowRefused([f"{p.field.rpartition('.')[2]}: {p.message}" for p in found.problems], npi)
        return out["locations"][0]


def is_practice_location_file(path) -> bool:
    """Whether the file's first line is the practice location file's header (else it is read as the NPI file)."""
    import csv

    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        try:
            header = next(csv.reader(handle))
        except (StopIteration, csv.Error):
            return False
    return columns_of(header) is not None
