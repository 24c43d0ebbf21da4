"""`import nppes FILE`: the CMS NPPES "NPI Downloadable File" (npidata_pfile_….csv) through the import engine.

The file lists every NPI in the country (about 9 million rows, 330 quoted columns, 15 taxonomy/license slots).
NPPES knows nothing of ketamine, so it never makes a listing: each selected row becomes an unpublished candidate in
the admins' "to review" queue, and a deactivated NPI we hold becomes a flag on that provider.

Per row, in this order:
1. Deactivations first, before any filter (such rows carry little but the NPI and the date): a deactivated, not
   reactivated NPI held by a listing or one of its clinicians flags it (NpiDeactivation). It is never imported.
   A row that shows a reactivation after the deactivation closes the NPI's open flags (kept, with the reactivation
   date and this file's label) and goes on as any other row.
2. Selection: a taxonomy in any of the 15 slots is one of the chosen codes (DEFAULT_TAXONOMIES), and the practice
   is in one of the chosen states (any state when none is given).
3. A selected row is checked (the NPI's check digit, a US practice location, a real state and ZIP, then the one
   provider-record validator at the draft level) or refused with its reason. An organization becomes a provider
   as itself; an individual a practice with that person as its clinician and the licenses of the slots. Licenses
   arrive unverified, labelled with the file ("NPPES file of <date>", engine.ImportPolicy). The location is placed at
   its ZIP code's centre and marked approximate (geocode_source ZIP_APPROXIMATE) until an address geocoder runs.
4. An NPI imported before updates its provider in place (interchange/updates.py): next month's file adds no
   duplicate and never overwrites a field someone here changed; the difference waits for an admin instead.

Demo listings are never matched (their NPIs pass the check digit and may be real people's).
"""
from __future__ import annotations

import csv
import io
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.geo.geocoding import us_data
from clinic_finder.geo.states import STATES
from clinic_finder.inputs.contact import phone_number
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.interchange import bulk
from clinic_finder.interchange.engine import ImportPolicy, Outcome, RowRefused
from clinic_finder.interchange.updates import listing_of_record, merge
from clinic_finder.licensing.npi import npi_problem
from clinic_finder.listings.record import Level, validate_provider
from clinic_finder.models import (
    Clinician,
    Credential,
    ImportOrigin,
    ImportSource,
    License,
    LicenseStatus,
    NpiDeactivation,
    Provider,
    RequestStatus,
)
from clinic_finder.staff import audit

# What an operator usually wants from NPPES for this directory; `--taxonomy` replaces the list.
DEFAULT_TAXONOMIES: dict[str, str] = {
    "2084P0800X": "Psychiatry",
    "207L00000X": "Anesthesiology",
    "367500000X": "Nurse anesthetist (CRNA)",
    "363LP0808X": "Psychiatric/mental health nurse practitioner",
    "261QM0801X": "Mental health clinic",
    "261QI0500X": "Infusion therapy clinic",
}
# The credential a clinician's license carries for a taxonomy (organizations' taxonomies have none).
CREDENTIAL_OF_TAXONOMY = {"2084P0800X": Credential.MD, "207L00000X": Credential.MD, "367500000X": Credential.CRNA,
                          "363LP0808X": Credential.NP}
ZIP_APPROXIMATE = "zip_centroid_approximate"
# Fields NPPES can tell us about a listing; everything else is ours (prices, treatments, the checklist).
NPPES_FIELDS = ("name", "phone", "address_line1", "address_line2", "city", "state", "zip_code")

NPI = "NPI"
ENTITY = "Entity Type Code"
ORG_NAME = "Provider Organization Name (Legal Business Name)"
LAST, FIRST, MIDDLE = "Provider Last Name (Legal Name)", "Provider First Name", "Provider Middle Name"
CREDENTIAL_TEXT = "Provider Credential Text"
_PRACTICE = "Provider Business Practice Location Address"
LINE1, LINE2 = "Provider First Line Business Practice Location Address", \
    "Provider Second Line Business Practice Location Address"
CITY, STATE, ZIP = f"{_PRACTICE} City Name", f"{_PRACTICE} State Name", f"{_PRACTICE} Postal Code"
COUNTRY, PHONE = f"{_PRACTICE} Country Code (If outside U.S.)", f"{_PRACTICE} Telephone Number"
DEACTIVATED, REACTIVATED = "NPI Deactivation Date", "NPI Reactivation Date"
SLOTS = 15
REQUIRED = [NPI, ENTITY, ORG_NAME, LAST, FIRST, MIDDLE, CREDENTIAL_TEXT, LINE1, LINE2, CITY, STATE, ZIP, COUNTRY,
            PHONE, DEACTIVATED, REACTIVATED] + [
    name for i in range(1, SLOTS + 1) for name in (f"Healthcare Provider Taxonomy Code_{i}",
                                                   f"Provider License Number_{i}",
                                                   f"Provider License Number State Code_{i}")]

_FILE_DATE = re.compile(r"(?:npidata|pl)_pfile_\d{8}-(\d{4})(\d{2})(\d{2})", re.IGNORECASE)
_CREDENTIALS = {c.value.upper(): c for c in Credential}
_CREDENTIAL_WORDS = {"PMHNP": Credential.NP, "FNP": Credential.NP, "APRN": Credential.NP, "CNP": Credential.NP,
                     "PA-C": Credential.PA}


def source_label(path: Path) -> str:
    """ "NPPES file of 2026-11-09": the date CMS put in the file's name, else the day the file was last written."""
    found = _FILE_DATE.search(path.name)
    if found:
        try:
            return f"NPPES file of {date(*map(int, found.groups())).isoformat()}"
        except ValueError:
            pass
    return f"NPPES file of {datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()}"


def read_rows(path: Path, position: list | None = None,
              columns_of: Callable[[list[str]], dict[str, int] | None] | None = None,
              ) -> tuple[dict[str, int], Iterator[tuple[int, object]]]:
    """The header's column positions and a stream of (row number, list of values | RowRefused).

    Raises ValueError when the header is not NPPES's: the NPI file's, or the one `columns_of(header)` recognizes
    (None when it does not; the practice location file's reader is nppes_locations.columns_of). A byte-order mark and CRLF line ends are fine; a byte that is
    not UTF-8, a row with more or fewer values than the header (a truncated last line), a field past csv's size
    limit or a NUL byte refuses that row only. `position`, when given, is kept at [bytes read, file size] for
    the progress line.
    """
    raw = path.open("rb")
    size = path.stat().st_size
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raw.close()
        raise ValueError(f"not an NPPES file: no header line ({str(exc) or 'the file is empty'})") from None
    if columns_of is not None:
        columns = columns_of(header)
        if columns is None:
            raw.close()
            raise ValueError("not an NPPES practice location file: its header lacks the secondary location columns")
    else:
        columns = {name.strip(): i for i, name in enumerate(header)}
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            raw.close()
            raise ValueError(f"not an NPPES npidata file (nor a pl_pfile practice location file): the header lacks "
                             f"{len(missing)} column(s), e.g. "
                             + ", ".join(repr(m) for m in missing[:3]))

    def stream() -> Iterator[tuple[int, object]]:
        width = len(header)
        number = 0
        with raw:
            while True:
                number += 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield number, RowRefused(f"cannot be read as CSV: {exc}")
                    continue
                if position is not None and number % 4096 == 0:
                    position[:] = [raw.tell(), size]
                if len(row) != width:
                    key = row[0] if row else ""
                    yield number, RowRefused(f"has {len(row)} values where the header has {width} (a truncated "
                                             "or broken line)", key)
                    continue
                yield number, row

    return columns, stream()


class NppesImport:
    """handle_row for NPPES rows (see the module docstring)."""

    def __init__(self, columns: dict[str, int], label: str, taxonomies: Iterable[str] | None = None,
                 states: Iterable[str] | None = None, now: datetime | None = None):
        self.now = now or datetime.now(UTC)
        self.label = label
        self.policy = ImportPolicy.claims(label)
        self.c = columns
        self.taxonomy_columns = [columns[f"Healthcare Provider Taxonomy Code_{i}"] for i in range(1, SLOTS + 1)]
        # The per-row test runs on every row of a national file: positions looked up once, slots read in one call.
        self._taxonomies_of = operator.itemgetter(*self.taxonomy_columns)
        self._deactivated_at, self._state_at = columns[DEACTIVATED], columns[STATE]
        self.license_columns = [(columns[f"Healthcare Provider Taxonomy Code_{i}"],
                                 columns[f"Provider License Number_{i}"],
                                 columns[f"Provider License Number State Code_{i}"]) for i in range(1, SLOTS + 1)]
        self.taxonomies = frozenset(t.strip().upper() for t in (taxonomies or DEFAULT_TAXONOMIES))
        self.states = frozenset(s.strip().upper() for s in states or ())
        self.new: list[dict] = []  # candidates of this batch, inserted together (interchange/bulk.py)
        self.new_origins: list[dict] = []
        self._load_what_we_hold()

    def _load_what_we_hold(self) -> None:
        """NPIs and licenses we hold outside the demo, in dicts: one lookup per row instead of one query."""
        real = Provider.is_demo.is_(False)
        self.origins: dict[str, int] = dict(db.session.execute(
            sa.select(ImportOrigin.source_key, ImportOrigin.provider_id).join(Provider)
            .where(ImportOrigin.source == ImportSource.NPPES, real)).all())
        self.holders: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        for npi, provider_id in self.origins.items():
            self.holders[npi].append((provider_id, None))
        # By id: an NPI held by several listings flags them in this order, which the deactivations page shows.
        for npi, provider_id, clinician_id in db.session.execute(
                sa.select(Clinician.npi, Clinician.provider_id, Clinician.id).join(Provider)
                .where(real, Clinician.npi.is_not(None)).order_by(Clinician.id)):
            self.holders[npi].append((provider_id, clinician_id))
        self.flagged: set[str] = set(db.session.scalars(
            sa.select(NpiDeactivation.npi).where(NpiDeactivation.status == RequestStatus.OPEN)))
        # Each license we hold (any listing, demo too: the numbers are unique) and the NPI of its holder.
        self.licenses: dict[tuple[str, str, str], str | None] = {
            (state, number, credential.value): npi for state, number, credential, npi in db.session.execute(
                sa.select(License.state, License.license_number, License.credential, Clinician.npi)
                .join(Clinician))}

    # --- one row --------------------------------------------------------------------------------------------

    def __call__(self, number: int, row: list[str]) -> Outcome:
        if row[self._deactivated_at]:
            reactivated_on = self._reactivated_on(row)
            if reactivated_on is None:
                return self._deactivated(row)
            if row[self.c[NPI]].strip() in self.flagged:
                return self._reactivated(row, reactivated_on)
        return self._candidate(row)

    def _candidate(self, row: list[str]) -> Outcome:
        if self.states and row[self._state_at].strip().upper() not in self.states:
            return Outcome.SKIPPED
        if self.taxonomies.isdisjoint(self._taxonomies_of(row)):
            return Outcome.SKIPPED
        npi = row[self.c[NPI]].strip()
        _readable(row, npi)
        problem = npi_problem(npi) if npi else "The NPI is missing."
        if problem:
            raise RowRefused(f"NPI {npi!r}: {problem}", npi)
        record = self._record(row, npi)
        provider_id = self.origins.get(npi)
        if provider_id is not None:
            return self._update(provider_id, npi, record)
        if npi in self.holders:
            # A listing here already has this person as a clinician: not a new candidate (an admin added them).
            return Outcome.UNCHANGED
        return self._add(npi, record, row)

    def _reactivated_on(self, row: list[str]) -> date | None:
        """The NPI's reactivation date when it follows its deactivation, else None (still deactivated)."""
        deactivated = _date(row[self.c[DEACTIVATED]], DEACTIVATED, row[0])
        raw = row[self.c[REACTIVATED]]
        reactivated = _date(raw, REACTIVATED, row[0]) if raw else None
        return reactivated if reactivated is not None and reactivated >= deactivated else None

    def _reactivated(self, row: list[str], on: date) -> Outcome:
        """Close the open flags of an NPI NPPES now shows reactivated (kept, with the date and this file), after
        the row has gone through as any other: a row it refuses closes nothing."""
        outcome = self._candidate(row)
        npi = row[self.c[NPI]].strip()
        flags = db.session.scalars(sa.select(NpiDeactivation).where(
            NpiDeactivation.npi == npi, NpiDeactivation.status == RequestStatus.OPEN,
            NpiDeactivation.deactivated_on <= on).order_by(NpiDeactivation.id)).all()  # the audit trail's order
        for flag in flags:
            flag.status, flag.resolved_at = RequestStatus.RESOLVED, self.now
            flag.reactivated_on, flag.reactivation_source = on, self.label
            audit.record(None, "npi_deactivation.reactivated", "provider", flag.provider_id,
                         before={"npi": npi, "status": "open", "deactivated_on": flag.deactivated_on.isoformat()},
                         after={"status": "resolved", "reactivated_on": on.isoformat(), "source": self.label})
        self.flagged.discard(npi)
        return Outcome.UPDATED if flags and outcome in (Outcome.SKIPPED, Outcome.UNCHANGED) else outcome

    def _deactivated(self, row: list[str]) -> Outcome:
        npi = row[self.c[NPI]].strip()
        held = self.holders.get(npi)
        if not held:
            return Outcome.SKIPPED
        on = _date(row[self.c[DEACTIVATED]], DEACTIVATED, npi)
        flagged = False
        for provider_id, clinician_id in held:
            exists = db.session.scalar(sa.select(NpiDeactivation.id).where(
                NpiDeactivation.npi == npi, NpiDeactivation.provider_id == provider_id,
                NpiDeactivation.deactivated_on == on))
            if exists is None:
                db.session.add(NpiDeactivation(npi=npi, provider_id=provider_id, clinician_id=clinician_id,
                                               deactivated_on=on, source_label=self.label))
                flagged = True
                self.flagged.add(npi)
        return Outcome.FLAGGED if flagged else Outcome.UNCHANGED

    def _record(self, row: list[str], npi: str) -> dict:
        """The row as a seed-format provider, checked by the one validator at the draft level (or RowRefused)."""
        c = self.c
        country = row[c[COUNTRY]].strip().upper()
        if country not in ("", "US"):
            raise RowRefused(f"the practice location is outside the US (country code {country})", npi)
        state = row[c[STATE]].strip().upper()
        if state not in STATES:
            raise RowRefused(f"the practice state {state!r} is not a US state or DC", npi)
        entity = row[c[ENTITY]].strip()
        if entity not in ("1", "2"):
            raise RowRefused(f"Entity Type Code {entity!r} is neither 1 (individual) nor 2 (organization)", npi)
        zip_code = row[c[ZIP]].strip()
        record = {
            "slug": f"nppes-{npi}",
            "modes": ["in_clinic"],
            "listing_status": "pending",
            "phone": row[c[PHONE]].strip() or None,
            "locations": [{"address_line1": row[c[LINE1]].strip(), "address_line2": row[c[LINE2]].strip() or None,
                           "city": row[c[CITY]].strip().title(), "state": state, "zip_code": zip_code}],
            "checklist": [{"key": "npi", "value": npi, "source": "self_reported"}],
            "clinicians": [],
        }
        if entity == "2":
            record["name"] = row[c[ORG_NAME]].strip()
        else:
            person = " ".join(p.strip().title() for p in (row[c[FIRST]], row[c[MIDDLE]], row[c[LAST]]) if p.strip())
            credential = self._credential(row)
            record["name"] = f"{person}, {credential.value}" if credential else person
            if credential:
                record["clinicians"] = [{"full_name": person, "credential": credential.value, "npi": npi,
                                         "licenses": self._licenses(row, credential)}]
        record = self.policy.claim(record)
        try:
            phone_number(record["phone"])
        except InvalidInput:
            record["phone"] = None  # NPPES phone numbers are often placeholders: left out, not a reason to refuse
        try:
            clean = validate_provider(record, Level.DRAFT)
        except InvalidInput as err:
            raise RowRefused([f"{p.field}: {p.message}" for p in err.problems], npi) from None
        clean["slug"], clean["listing_status"] = record["slug"], "pending"
        for lic in (lic for clin in clean["clinicians"] for lic in clin["licenses"]):
            key = (lic["state"], lic["license_number"], lic["credential"])
            if key in self.licenses and self.licenses[key] != npi:
                raise RowRefused(f"license {lic['state']} {lic['license_number']} is already held by a listing "
                                 "here; merge by hand if it is the same person", npi)
        return clean

    def _credential(self, row: list[str]) -> Credential | None:
        """The person's credential from the text they gave ("M.D.", "PMHNP-BC"), else from the taxonomy."""
        for word in re.split(r"[\s,;/]+", row[self.c[CREDENTIAL_TEXT]].upper()):
            bare = word.replace(".", "")
            if bare in _CREDENTIALS:
                return _CREDENTIALS[bare]
            for prefix, credential in _CREDENTIAL_WORDS.items():
                if bare.startswith(prefix):
                    return credential
        for i in self.taxonomy_columns:
            if row[i] in CREDENTIAL_OF_TAXONOMY:
                return CREDENTIAL_OF_TAXONOMY[row[i]]
        return None

    def _licenses(self, row: list[str], credential: Credential) -> list[dict]:
        out, seen = [], set()
        for taxonomy, number_at, state_at in self.license_columns:
            number, state = row[number_at].strip(), row[state_at].strip().upper()
            if not number or (state, number) in seen:
                continue
            seen.add((state, number))
            slot_credential = CREDENTIAL_OF_TAXONOMY.get(row[taxonomy], credential)
            out.append({"license_number": number, "state": state, "credential": slot_credential.value,
                        "status": LicenseStatus.UNVERIFIED.value})
        return out

    def _add(self, npi: str, record: dict, row: list[str]) -> Outcome:
        """Queue a candidate for this batch's bulk insert (end_batch), placed at its ZIP code's centre."""
        for location in record["locations"]:
            found = us_data().by_zip.get(location["zip_code"])
            if found is not None and location["lat"] is None:
                location["lat"], location["lon"] = found.lat, found.lon
        self.new.append(record)
        self.new_origins.append({
            "source": ImportSource.NPPES, "source_key": npi, "source_label": self.label,
            "baseline": {f: v for f, v in listing_of_record(record).items() if f in NPPES_FIELDS},
            "details": {"entity": "organization" if row[self.c[ENTITY]] == "2" else "individual",
                        "taxonomies": [row[i] for i in self.taxonomy_columns if row[i]]},
            "to_review": True})
        self._hold(npi, record)
        return Outcome.ADDED

    def end_batch(self) -> None:
        """Called by the engine before each batch is written: the batch's candidates in a few INSERTs."""
        bulk.insert_new(self.new, self.new_origins, now=self.now, geocode_source=ZIP_APPROXIMATE)
        self.new, self.new_origins = [], []

    def _hold(self, npi: str, record: dict) -> None:
        self.origins[npi] = -1  # added in this run: a second row with the same NPI is an update, not a duplicate
        for lic in (lic for clin in record["clinicians"] for lic in clin["licenses"]):
            self.licenses[(lic["state"], lic["license_number"], lic["credential"])] = npi

    def _update(self, provider_id: int, npi: str, record: dict) -> Outcome:
        if provider_id == -1:
            raise RowRefused("this NPI appears twice in the file; the first row was kept", npi)
        origin = db.session.scalar(sa.select(ImportOrigin).where(ImportOrigin.source == ImportSource.NPPES,
                                                                 ImportOrigin.source_key == npi))
        incoming = listing_of_record(record)
        licenses = [(lic["state"], lic["license_number"], lic["credential"])
                    for clin in record["clinicians"] for lic in clin["licenses"]]
        # Merged into a listing of ours: the file describes the person, not that listing; only licenses follow.
        fields = () if (origin.details or {}).get("merged_into") else NPPES_FIELDS
        if all(incoming[f] == origin.baseline.get(f) for f in fields) and all(
                self.licenses.get(key, "") == npi for key in licenses):
            return Outcome.UNCHANGED  # what the source said last month: nothing to compare with our copy
        provider = db.session.get(Provider, provider_id)
        origin.source_label, origin.seen_at = self.label, self.now
        updated, differences = merge(provider, origin, incoming, fields)
        added = self._new_licenses(provider, npi, record)
        if updated or added:
            _place_approximately(provider)
            return Outcome.UPDATED
        return Outcome.FLAGGED if differences else Outcome.UNCHANGED

    def _new_licenses(self, provider: Provider, npi: str, record: dict) -> int:
        """Licenses the file lists that we do not hold yet, added unverified; held ones are never changed."""
        clinician = next((c for c in provider.clinicians if c.npi == npi), None)
        incoming = next((c for c in record["clinicians"] if c["npi"] == npi), None)
        if clinician is None or incoming is None:
            return 0
        held = {(lic.state, lic.license_number) for lic in clinician.licenses}
        added = 0
        for lic in incoming["licenses"]:
            if (lic["state"], lic["license_number"]) not in held:
                clinician.licenses.append(License(
                    credential=Credential(lic["credential"]), state=lic["state"],
                    license_number=lic["license_number"], status=LicenseStatus.UNVERIFIED,
                    evidence_note=lic["evidence_note"]))
                added += 1
        return added


def _place_approximately(provider: Provider) -> None:
    """An address an update moved is placed at its ZIP code's centre (by the listing rules): marked approximate."""
    for location in provider.locations:
        if location.geocode_source == "zip_centroid":
            location.geocode_source = ZIP_APPROXIMATE


def _readable(row: list[str], npi: str) -> None:
    """Refuse a row with bytes that were not UTF-8 (kept as surrogates by the reader) rather than store mojibake."""
    try:
        "\x1f".join(row).encode("utf-8")
    except UnicodeEncodeError:
        raise RowRefused("has bytes that are not UTF-8 text (the NPPES file is UTF-8)", npi) from None


def _date(raw: str, column: str, npi: str) -> date:
    try:
        return datetime.strptime(raw.strip(), "%m/%d/%Y").replace(tzinfo=UTC).date()
    except ValueError:
        raise RowRefused(f"{column} {raw!r} is not a date (MM/DD/YYYY)", npi) from None

