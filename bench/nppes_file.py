"""Generated NPPES "NPI Downloadable File"s in the real layout, for the tests and the import bench.

The layout is CMS's npidata_pfile (Data Dissemination, v.2): 330 columns, every value double-quoted, dates as
MM/DD/YYYY, ZIP codes as nine digits without a dash, 15 taxonomy/license slot groups. Everything written is
fictional: names come from short made-up lists, license numbers use the reserved DEMO-ST-000000 pattern, NPIs
are numbers that pass the check digit (and so may belong to real people, like the demo's; they are never shown).
"""
from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import zipcodes

from clinic_finder.licensing.npi import npi_check_digit

_BASE = [
    "NPI", "Entity Type Code", "Replacement NPI", "Employer Identification Number (EIN)",
    "Provider Organization Name (Legal Business Name)", "Provider Last Name (Legal Name)", "Provider First Name",
    "Provider Middle Name", "Provider Name Prefix Text", "Provider Name Suffix Text", "Provider Credential Text",
    "Provider Other Organization Name", "Provider Other Organization Name Type Code", "Provider Other Last Name",
    "Provider Other First Name", "Provider Other Middle Name", "Provider Other Name Prefix Text",
    "Provider Other Name Suffix Text", "Provider Other Credential Text", "Provider Other Last Name Type Code",
    "Provider First Line Business Mailing Address", "Provider Second Line Business Mailing Address",
    "Provider Business Mailing Address City Name", "Provider Business Mailing Address State Name",
    "Provider Business Mailing Address Postal Code",
    "Provider Business Mailing Address Country Code (If outside U.S.)",
    "Provider Business Mailing Address Telephone Number", "Provider Business Mailing Address Fax Number",
    "Provider First Line Business Practice Location Address",
    "Provider Second Line Business Practice Location Address",
    "Provider Business Practice Location Address City Name", "Provider Business Practice Location Address State Name",
    "Provider Business Practice Location Address Postal Code",
    "Provider Business Practice Location Address Country Code (If outside U.S.)",
    "Provider Business Practice Location Address Telephone Number",
    "Provider Business Practice Location Address Fax Number", "Provider Enumeration Date", "Last Update Date",
    "NPI Deactivation Reason Code", "NPI Deactivation Date", "NPI Reactivation Date", "Provider Sex Code",
    "Authorized Official Last Name", "Authorized Official First Name", "Authorized Official Middle Name",
    "Authorized Official Title or Position", "Authorized Official Telephone Number",
]
_SLOTS = [name for i in range(1, 16) for name in (
    f"Healthcare Provider Taxonomy Code_{i}", f"Provider License Number_{i}",
    f"Provider License Number State Code_{i}", f"Healthcare Provider Primary Taxonomy Switch_{i}")]
_OTHER_IDS = [name for i in range(1, 51) for name in (
    f"Other Provider Identifier_{i}", f"Other Provider Identifier Type Code_{i}",
    f"Other Provider Identifier State_{i}", f"Other Provider Identifier Issuer_{i}")]
_TAIL = ["Is Sole Proprietor", "Is Organization Subpart", "Parent Organization LBN", "Parent Organization TIN",
         "Authorized Official Name Prefix Text", "Authorized Official Name Suffix Text",
         "Authorized Official Credential Text"] + [f"Healthcare Provider Taxonomy Group_{i}" for i in range(1, 16)] + [
    "Certification Date"]
HEADER = _BASE + _SLOTS + _OTHER_IDS + _TAIL
assert len(HEADER) == 330
COL = {name: i for i, name in enumerate(HEADER)}

# Taxonomies the import selects by default, and some it does not (family medicine, dentist, social worker, ...).
SELECTED = {"2084P0800X": "MD", "207L00000X": "MD", "367500000X": "CRNA", "363LP0808X": "NP",
            "261QM0801X": None, "261QI0500X": None}
OTHERS = ["207Q00000X", "122300000X", "1041C0700X", "363LF0000X", "225100000X", "332B00000X", "207R00000X"]
FIRST = ["Avery", "Jordan", "Rowan", "Emerson", "Quinn", "Harper", "Morgan", "Sage", "Reese", "Dakota"]
LAST = ["Featherstone", "Galloway", "Ashgrove", "Whitlock", "Brightwater", "Holloway", "Marrow", "Underhill"]
ORG = ["Lakeside Infusion Partners", "Northfield Mental Health Clinic", "Cedar Ketamine Center", "Harbor Wellness"]


def npi_for(n: int) -> str:
    """The n-th fictional NPI: nine digits starting with 1, then the check digit."""
    first_nine = f"1{n:08d}"
    return first_nine + str(npi_check_digit(first_nine))


@dataclass(frozen=True)
class Spec:
    rows: int = 1000
    selected_share: float = 0.02
    deactivated_share: float = 0.002
    state: str | None = None  # every practice in one state ("a state-sized file"), or anywhere
    seed: int = 1
    # For "next month's file": change the phone of this share of selected rows.
    changed_share: float = 0.0


def _zips(state: str | None) -> list[tuple[str, str, str]]:
    rows = [(z["zip_code"], z["city"].upper(), z["state"]) for z in zipcodes.list_all()
            if z["zip_code_type"] == "STANDARD" and z["lat"] and (state is None or z["state"] == state)
            and z["state"] not in {"PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"}]
    return sorted(rows)


def rows(spec: Spec) -> Iterator[list[str]]:
    rng = random.Random(spec.seed)
    change = random.Random(spec.seed + 1000)
    zips = _zips(spec.state)
    width = len(HEADER)
    for n in range(1, spec.rows + 1):
        row = [""] * width
        row[0] = npi_for(n)
        draw = rng.random()
        if draw < spec.deactivated_share:
            row[COL["NPI Deactivation Date"]] = "05/14/2026"
            yield row
            continue
        selected = draw < spec.deactivated_share + spec.selected_share
        code = rng.choice(list(SELECTED)) if selected else rng.choice(OTHERS)
        is_org = code.startswith("261Q") or (not selected and rng.random() < 0.2)
        zip5, city, state = zips[rng.randrange(len(zips))]
        row[1] = "2" if is_org else "1"
        if is_org:
            row[COL["Provider Organization Name (Legal Business Name)"]] = f"{rng.choice(ORG).upper()} {n} LLC"
        else:
            row[COL["Provider Last Name (Legal Name)"]] = rng.choice(LAST).upper()
            row[COL["Provider First Name"]] = rng.choice(FIRST).upper()
            row[COL["Provider Credential Text"]] = {"MD": "M.D.", "CRNA": "CRNA", "NP": "PMHNP-BC"}.get(
                SELECTED.get(code) or "", "M.D.")
            row[COL["Provider Sex Code"]] = rng.choice("FMU")
        phone = f"{rng.randrange(201, 990)}555{rng.randrange(100, 200):04d}"
        if selected and change.random() < spec.changed_share:
            phone = f"{change.randrange(201, 990)}555{change.randrange(100, 200):04d}"
        for prefix in ("Business Mailing Address", "Business Practice Location Address"):
            row[COL[f"Provider First Line {prefix}"]] = f"{rng.randrange(1, 9999)} MAIN ST"
            row[COL[f"Provider {prefix} City Name"]] = city
            row[COL[f"Provider {prefix} State Name"]] = state
            row[COL[f"Provider {prefix} Postal Code"]] = zip5 + f"{rng.randrange(10000):04d}"
            row[COL[f"Provider {prefix} Country Code (If outside U.S.)"]] = "US"
            row[COL[f"Provider {prefix} Telephone Number"]] = phone
        row[COL["Provider Enumeration Date"]] = "03/01/2012"
        row[COL["Last Update Date"]] = "07/08/2025"
        row[COL["Healthcare Provider Taxonomy Code_1"]] = code
        row[COL["Healthcare Provider Primary Taxonomy Switch_1"]] = "Y"
        if not is_org:
            row[COL["Provider License Number_1"]] = f"DEMO-{state}-{n % 1000000:06d}"
            row[COL["Provider License Number State Code_1"]] = state
        if is_org:
            row[COL["Is Organization Subpart"]] = "N"
            row[COL["Authorized Official Last Name"]] = rng.choice(LAST).upper()
        else:
            row[COL["Is Sole Proprietor"]] = rng.choice("YN")
        row[COL["Certification Date"]] = "07/08/2025"
        yield row


def write(path: Path, spec: Spec, extra: list[list[str]] | None = None) -> Path:
    """Write a file of spec.rows generated rows (and any extra rows after them), quoted like CMS's."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows(spec))
        writer.writerows(extra or [])
    return path


def blank_row() -> list[str]:
    return [""] * len(HEADER)
