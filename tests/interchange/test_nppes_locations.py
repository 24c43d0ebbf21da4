"""import nppes pl_pfile_….csv: CMS's practice location file adds clinics to the candidates the NPI file made."""
from __future__ import annotations

import csv

import sqlalchemy as sa

from bench import nppes_file
from bench.nppes_file import Spec, npi_for
from clinic_finder.models import ListingStatus, Location, Provider
from tests.interchange.test_nppes import FILE_NAME, _import, _row

# CMS's own spelling, odd spaces and hyphens included.
PL_HEADER = ["NPI", "Provider Secondary Practice Location Address- Address Line 1",
             "Provider Secondary Practice Location Address-  Address Line 2",
             "Provider Secondary Practice Location Address - City Name",
             "Provider Secondary Practice Location Address - State Name",
             "Provider Secondary Practice Location Address - Postal Code",
             "Provider Secondary Practice Location Address - Country Code (If outside U.S.)",
             "Provider Secondary Practice Location Address - Telephone Number",
             "Provider Secondary Practice Location Address - Telephone Extension",
             "Provider Practice Location Address - Fax Number"]
PL_NAME = "pl_pfile_20050523-20261109.csv"


def _pl(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(PL_HEADER)
        for npi, line1, city, state, zip_code, country in rows:
            writer.writerow([npi, line1, "", city, state, zip_code, country, "2125550100", "", ""])
    return path


def _candidates(runner, tmp_path, *npis):
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0),
                            extra=[_row(npi, license_number=f"DEMO-NY-{i:06d}") for i, npi in enumerate(npis)])
    assert _import(runner, path).exit_code == 0


def test_secondary_locations_join_their_candidate_placed_approximately(runner, db, tmp_path):
    _candidates(runner, tmp_path, npi_for(1), npi_for(2))
    pl = _pl(tmp_path / PL_NAME, [
        (npi_for(1), "400 BROADWAY", "NEW YORK", "NY", "100131234", "US"),     # a second clinic
        (npi_for(1), "12 MAIN ST", "NEW YORK", "NY", "10001", "US"),           # its main address again
        (npi_for(9), "1 ELSEWHERE RD", "ALBANY", "NY", "12207", "US"),         # an NPI we do not hold
        (npi_for(2), "5 RUE DE RIVOLI", "PARIS", "", "75001", "FR"),           # abroad
        (npi_for(2), "9 OAK ST", "NEW YORK", "NY", "90210", "US"),             # a ZIP code of another state
        ("1234567890", "9 OAK ST", "NEW YORK", "NY", "10001", "US"),           # a bad check digit
    ])
    result = _import(runner, pl)
    assert result.exit_code == 0, result.output
    assert "read=6 selected=2 added=0 updated=1 unchanged=1 flagged=0 refused=3" in result.output, result.output
    assert "outside the US (country code FR)" in result.output
    assert "zip_code: The ZIP code 90210 is in California, not New York." in result.output
    provider = db.session.scalar(sa.select(Provider).join(Location).where(Location.zip_code == "10013"))
    assert provider.slug == f"nppes-{npi_for(1)}"
    added = next(loc for loc in provider.locations if loc.zip_code == "10013")
    assert (added.address_line1, added.city, added.state) == ("400 BROADWAY", "New York", "NY")
    assert added.geocode_source == "zip_centroid_approximate" and added.lat is not None and added.x is not None
    assert not added.searchable and not added.is_only_location  # still a candidate: never found by search
    # The same file again adds nothing.
    assert "updated=0 unchanged=2" in _import(runner, pl).output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Location)) == 3


def test_a_published_listing_keeps_the_clinics_its_admins_set(runner, db, tmp_path):
    _candidates(runner, tmp_path, npi_for(1))
    provider = db.session.scalar(sa.select(Provider))
    provider.listing_status = ListingStatus.PUBLISHED
    db.session.commit()
    pl = _pl(tmp_path / PL_NAME, [(npi_for(1), "400 BROADWAY", "NEW YORK", "NY", "10013", "US")])
    assert "selected=1 added=0 updated=0 unchanged=1" in _import(runner, pl).output
    assert len(db.session.get(Provider, provider.id).locations) == 1


def test_dry_run_and_the_npi_file_filters(runner, db, tmp_path):
    _candidates(runner, tmp_path, npi_for(1))
    pl = _pl(tmp_path / PL_NAME, [(npi_for(1), "400 BROADWAY", "NEW YORK", "NY", "10013", "US")])
    result = _import(runner, pl, "--dry-run")
    assert "updated=1" in result.output and "dry run" in result.output.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Location)) == 1
    refused = _import(runner, pl, "--state", "NY")
    assert refused.exit_code == 2 and "practice location file" in refused.output
