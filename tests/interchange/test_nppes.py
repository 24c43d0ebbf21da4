"""import nppes: CMS's NPI file in its real layout (bench/nppes_file.py writes it), streamed through the engine."""
from __future__ import annotations

import sqlalchemy as sa

from bench import nppes_file
from bench.nppes_file import COL, Spec, blank_row, npi_for
from clinic_finder.models import (
    Clinician,
    ImportDifference,
    ImportOrigin,
    License,
    LicenseStatus,
    ListingStatus,
    NpiDeactivation,
    Provider,
)

FILE_NAME = "npidata_pfile_20050523-20261109.csv"


def _row(npi: str, taxonomy: str = "2084P0800X", state: str = "NY", zip_code: str = "100011234",
         entity: str = "1", country: str = "US", license_number: str = "DEMO-NY-123456") -> list[str]:
    row = blank_row()
    row[COL["NPI"]], row[COL["Entity Type Code"]] = npi, entity
    if entity == "1":
        row[COL["Provider First Name"]], row[COL["Provider Last Name (Legal Name)"]] = "AVERY", "GALLOWAY"
        row[COL["Provider Credential Text"]] = "M.D."
    else:
        row[COL["Provider Organization Name (Legal Business Name)"]] = "LAKESIDE INFUSION PARTNERS LLC"
    row[COL["Provider First Line Business Practice Location Address"]] = "12 MAIN ST"
    row[COL["Provider Business Practice Location Address City Name"]] = "NEW YORK"
    row[COL["Provider Business Practice Location Address State Name"]] = state
    row[COL["Provider Business Practice Location Address Postal Code"]] = zip_code
    row[COL["Provider Business Practice Location Address Country Code (If outside U.S.)"]] = country
    row[COL["Healthcare Provider Taxonomy Code_3"]] = taxonomy  # any of the 15 slots selects
    row[COL["Provider License Number_3"]], row[COL["Provider License Number State Code_3"]] = license_number, state
    return row


def _import(runner, path, *args):
    return runner.invoke(args=["import", "nppes", str(path), *args])


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_selected_individual_becomes_an_unpublished_practice_with_unverified_licenses(runner, db, tmp_path):
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=[_row(npi_for(7))])
    result = _import(runner, path)
    assert result.exit_code == 0, result.output
    assert "read=1 selected=1 added=1 updated=0 unchanged=0 flagged=0 refused=0" in result.output
    provider = db.session.scalar(sa.select(Provider))
    assert provider.name == "Avery Galloway, MD" and provider.listing_status == ListingStatus.PENDING
    assert provider.is_demo is False
    location = provider.locations[0]
    assert (location.zip_code, location.state, location.city) == ("10001", "NY", "New York")
    assert location.geocode_source == "zip_centroid_approximate" and location.lat is not None
    clinician = provider.clinicians[0]
    assert (clinician.full_name, clinician.npi) == ("Avery Galloway", npi_for(7))
    lic = clinician.licenses[0]
    assert (lic.state, lic.license_number, lic.status) == ("NY", "DEMO-NY-123456", LicenseStatus.UNVERIFIED)
    assert lic.verified_at is None and "as stated in NPPES file of 2026-11-09" in lic.evidence_note
    origin = db.session.scalar(sa.select(ImportOrigin))
    assert origin.to_review and origin.source_label == "NPPES file of 2026-11-09"
    # Inserted in bulk: the stored trust summary is what the ORM's listeners would have stored.
    from clinic_finder.vetting import trust

    assert trust.differences(provider) == {} and provider.checks_total > 0
    assert provider.checklist_items[0].note == "as stated in NPPES file of 2026-11-09"


def test_an_organization_is_imported_as_itself(runner, db, tmp_path):
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0),
                            extra=[_row(npi_for(8), taxonomy="261QI0500X", entity="2", license_number="")])
    assert _import(runner, path).exit_code == 0
    provider = db.session.scalar(sa.select(Provider))
    assert provider.name == "LAKESIDE INFUSION PARTNERS LLC" and provider.clinicians == []


def test_odd_rows_are_refused_one_by_one_with_reasons_and_the_rest_load(runner, db, tmp_path):
    bad_npi = npi_for(3)[:9] + str((int(npi_for(3)[9]) + 1) % 10)
    short = _row(npi_for(6))[:40]
    extra = [_row(npi_for(1)), _row(bad_npi), _row(npi_for(2), country="CA"), _row(npi_for(4), state="ZZ"),
             _row(npi_for(5), zip_code="999990000"), short, _row(npi_for(9), taxonomy="122300000X")]
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=extra)
    result = _import(runner, path)
    assert result.exit_code == 0, result.output
    assert "read=7 selected=1 added=1 updated=0 unchanged=0 flagged=0 refused=5" in result.output
    report = (tmp_path / f"{FILE_NAME}.refused.csv").read_text()
    assert "does not match its check digit" in report
    assert "outside the US (country code CA)" in report
    assert "'ZZ' is not a US state or DC" in report
    assert "We could not find the ZIP code 99999" in report
    assert "has 40 values where the header has 330" in report
    assert _count(db, Provider) == 1


def test_a_file_that_is_not_nppes_changes_nothing(runner, db, tmp_path):
    path = tmp_path / "npidata.csv"
    path.write_text("slug,name\nx,y\n")
    result = _import(runner, path)
    assert result.exit_code == 1 and "not an NPPES npidata file" in result.output
    assert _count(db, Provider) == 0


def test_wrong_encoding_bom_and_quoted_newlines_are_handled_per_row(runner, db, tmp_path):
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=[_row(npi_for(1)), _row(npi_for(2))])
    data = path.read_bytes().replace(b'"12 MAIN ST"', b'"12 MAIN\r\nST"', 1)
    head, tail = data.rsplit(b'"GALLOWAY"', 1)
    path.write_bytes(b"\xef\xbb\xbf" + head + b'"GALLOW\xe9Y"' + tail)  # a Latin-1 byte in the second row
    result = _import(runner, path)
    # The quoted line break stays inside its row (two rows read, not three); each row gets its own reason.
    assert "read=2 selected=0 added=0 updated=0 unchanged=0 flagged=0 refused=2" in result.output, result.output
    report = (tmp_path / f"{FILE_NAME}.refused.csv").read_text()
    assert "1,1000000012,locations[1].address_line1: Please remove the invisible control characters" in report
    assert "2,1000000020,has bytes that are not UTF-8" in report


def test_dry_run_counts_but_writes_nothing(runner, db, tmp_path):
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=500, state="TX"))
    result = _import(runner, path, "--dry-run")
    assert result.exit_code == 0 and "Dry run: nothing was written." in result.output
    assert "added=0" not in result.output  # it counts what it would add
    assert _count(db, Provider) == 0 and _count(db, ImportOrigin) == 0


def test_taxonomy_and_state_filters(runner, db, tmp_path):
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=[
        _row(npi_for(1)), _row(npi_for(2), taxonomy="207L00000X", state="NJ", zip_code="07030",
                              license_number="DEMO-NJ-000001")])
    result = _import(runner, path, "--taxonomy", "207L00000X", "--state", "NJ")
    assert "read=2 selected=1 added=1" in result.output, result.output
    assert _import(runner, path, "--state", "XX").exit_code == 2


def test_next_months_file_updates_in_place_and_keeps_what_an_admin_changed(runner, db, tmp_path, make_user):
    first = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=[
        _row(npi_for(1)), _row(npi_for(2), license_number="DEMO-NY-000002")])
    assert _import(runner, first).exit_code == 0
    one, two = db.session.scalars(sa.select(Provider).order_by(Provider.id)).all()
    one.name = "Galloway Psychiatry"  # an admin completed this one
    db.session.commit()
    one_id, two_id = one.id, two.id
    moved = [_row(npi_for(1), zip_code="100021000"), _row(npi_for(2), zip_code="100021000",
                                                          license_number="DEMO-NY-000002")]
    moved[0][COL["Provider Last Name (Legal Name)"]] = "GALLOWAY-REED"
    moved[0][COL["Provider License Number_4"]] = "DEMO-NJ-000777"
    moved[0][COL["Provider License Number State Code_4"]] = "NJ"
    second = nppes_file.write(tmp_path / "npidata_pfile_20050523-20261207.csv", Spec(rows=0), extra=moved)
    result = _import(runner, second)
    assert "read=2 selected=2 added=0 updated=2 unchanged=0 flagged=0 refused=0" in result.output, result.output
    one, two = db.session.get(Provider, one_id), db.session.get(Provider, two_id)
    assert _count(db, Provider) == 2
    assert one.name == "Galloway Psychiatry" and one.locations[0].zip_code == "10002"
    assert two.locations[0].zip_code == "10002"
    assert two.locations[0].geocode_source == "zip_centroid_approximate"
    assert {lic.license_number for lic in one.clinicians[0].licenses} == {"DEMO-NY-123456", "DEMO-NJ-000777"}
    difference = db.session.scalar(sa.select(ImportDifference))
    assert (difference.field, difference.current_value, difference.incoming_value) == (
        "name", "Galloway Psychiatry", "Avery Galloway-Reed, MD")
    # The same file again changes nothing and records nothing twice.
    assert "added=0 updated=0 unchanged=2" in _import(runner, second).output
    assert _count(db, ImportDifference) == 1


def test_deactivated_npis_flag_what_we_hold_and_are_never_imported(runner, db, tmp_path, make_provider):
    held = make_provider("Held Clinic")
    held.clinicians.append(Clinician(full_name="Jordan Ashgrove", credential="MD", npi=npi_for(5)))
    demo = make_provider("Demo Clinic", is_demo=True)
    demo.clinicians.append(Clinician(full_name="Sage Marrow", credential="MD", npi=npi_for(6)))
    db.session.commit()
    held_id = held.id
    rows = []
    for n in (5, 6, 7):  # ours, the demo's, unknown
        row = blank_row()
        row[COL["NPI"]], row[COL["NPI Deactivation Date"]] = npi_for(n), "05/14/2026"
        rows.append(row)
    reactivated = _row(npi_for(8))
    reactivated[COL["NPI Deactivation Date"]], reactivated[COL["NPI Reactivation Date"]] = "01/02/2024", "03/04/2024"
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=[*rows, reactivated])
    result = _import(runner, path)
    assert "read=4 selected=2 added=1 updated=0 unchanged=0 flagged=1 refused=0" in result.output, result.output
    flag = db.session.scalar(sa.select(NpiDeactivation))
    assert (flag.provider_id, flag.npi, flag.deactivated_on.isoformat()) == (held_id, npi_for(5), "2026-05-14")
    assert "flagged=0" in _import(runner, path).output  # once is enough
    assert _count(db, Provider) == 3


def test_a_license_held_by_another_listing_refuses_the_row(runner, db, tmp_path, make_provider):
    provider = make_provider()
    provider.clinicians.append(Clinician(full_name="X", credential="MD", licenses=[
        License(credential="MD", state="NY", license_number="DEMO-NY-123456")]))
    db.session.commit()
    path = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=[_row(npi_for(1))])
    assert "refused=1" in _import(runner, path).output


def test_a_reactivated_npi_closes_its_flag_with_the_date_and_source(runner, db, tmp_path, make_provider, make_user,
                                                                     client, login_as):
    from clinic_finder.models import AuditEvent, RequestStatus

    held = make_provider("Held Clinic")
    held.clinicians.append(Clinician(full_name="Jordan Ashgrove", credential="MD", npi=npi_for(5)))
    other = make_provider("Other Clinic")
    other.clinicians.append(Clinician(full_name="Rowan Pike", credential="MD", npi=npi_for(6)))
    db.session.commit()
    held_id = held.id
    deactivated = []
    for n in (5, 6):
        row = blank_row()
        row[COL["NPI"]], row[COL["NPI Deactivation Date"]] = npi_for(n), "05/14/2026"
        deactivated.append(row)
    first = nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=deactivated)
    assert "flagged=2" in _import(runner, first).output
    assert "lists an NPI here as deactivated" in client.get(f"/providers/{held_id}").get_data(as_text=True)

    # Next month: NPI 5 is reactivated (the row is whole again, and not one the filters select); 6 still is not.
    back = _row(npi_for(5), taxonomy="207Q00000X")
    back[COL["NPI Deactivation Date"]], back[COL["NPI Reactivation Date"]] = "05/14/2026", "06/20/2026"
    later = nppes_file.write(tmp_path / "npidata_pfile_20050523-20261207.csv", Spec(rows=0),
                             extra=[back, deactivated[1]])
    result = _import(runner, later)
    assert "read=2 selected=2 added=0 updated=1 unchanged=1 flagged=0 refused=0" in result.output, result.output

    flags = {f.npi: f for f in db.session.scalars(sa.select(NpiDeactivation))}
    closed, still = flags[npi_for(5)], flags[npi_for(6)]
    assert closed.status == RequestStatus.RESOLVED and closed.resolved_at is not None  # closed, not deleted
    assert (closed.reactivated_on.isoformat(), closed.reactivation_source) == ("2026-06-20",
                                                                               "NPPES file of 2026-12-07")
    assert closed.deactivated_on.isoformat() == "2026-05-14" and closed.source_label == "NPPES file of 2026-11-09"
    assert still.status == RequestStatus.OPEN and still.reactivated_on is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "npi_deactivation.reactivated"))
    assert (event.actor_id, event.target_id, event.after["reactivated_on"]) == (None, held_id, "2026-06-20")

    assert "deactivated" not in client.get(f"/providers/{held_id}").get_data(as_text=True)
    login_as(make_user("queue-admin@example.org"))
    queue = client.get("/admin/imports/deactivated-npis").get_data(as_text=True)
    assert npi_for(6) in queue and npi_for(5) not in queue
    again = _import(runner, later).output  # the same file again: the flag stays closed, nothing is reopened
    assert "read=2 selected=1 added=0 updated=0 unchanged=1 flagged=0" in again
    assert db.session.scalar(sa.select(NpiDeactivation.status).where(NpiDeactivation.npi == npi_for(5))) \
        == RequestStatus.RESOLVED


def test_a_reactivation_before_a_later_deactivation_does_not_close_it(runner, db, tmp_path, make_provider):
    held = make_provider("Held Clinic")
    held.clinicians.append(Clinician(full_name="Jordan Ashgrove", credential="MD", npi=npi_for(5)))
    db.session.commit()
    row = blank_row()
    row[COL["NPI"]], row[COL["NPI Deactivation Date"]] = npi_for(5), "05/14/2026"
    _import(runner, nppes_file.write(tmp_path / FILE_NAME, Spec(rows=0), extra=[row]))
    old = blank_row()  # deactivated again after an earlier reactivation: still deactivated
    old[COL["NPI"]], old[COL["NPI Deactivation Date"]] = npi_for(5), "05/14/2026"
    old[COL["NPI Reactivation Date"]] = "01/02/2026"
    result = _import(runner, nppes_file.write(tmp_path / "npidata_pfile_20050523-20261207.csv", Spec(rows=0),
                                              extra=[old]))
    assert "flagged=0" in result.output and "updated=0" in result.output
    assert db.session.scalar(sa.select(NpiDeactivation.status)).value == "open"
