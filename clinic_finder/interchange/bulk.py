"""Adding many new listings at once: a few multi-row INSERTs per batch instead of the ORM's unit of work.

A listing an import adds is a provider with its clinics, served states, routes, conditions, clinicians, licenses
and checklist facts (as claims: no verification, no review). What the ORM's flush listeners would store beside
them is computed here by the same rules: the search flags (models.provider.search_flags, at_home_listed) and the
trust summary (vetting.trust.compute_summary, run on a transient provider once per kind of listing: the summary of
an unverified listing depends only on how it treats, its free-consultation answer, its licenses' statuses and
expiry dates and which facts it states). Rows with reviews or verified facts go through seeding.build_provider.

The INSERTs are Core statements on the tables: the ORM's bulk path (session.execute(insert(Model), rows)) spent as
much again per row on bookkeeping this module does not need (ORM bulk inserts run no mapper events either).
"""
from __future__ import annotations

from datetime import date, datetime

from clinic_finder.extensions import db
from clinic_finder.geo.geodesy import lon_band, unit_vector
from clinic_finder.interchange.seeding import _LOCATION_COLUMNS, _PROVIDER_COLUMNS, _days_from, moment_days_before
from clinic_finder.models import (
    ChecklistItem,
    ChecklistSource,
    Clinician,
    Condition,
    Credential,
    ImportOrigin,
    License,
    LicenseStatus,
    ListingStatus,
    Location,
    Provider,
    ProviderCondition,
    ProviderRoute,
    Route,
    ServiceState,
)
from clinic_finder.models.types import new_uuid
from clinic_finder.search.index import refresh_at_home_rows
from clinic_finder.vetting.trust import TrustSummary, compute_summary


def can_insert(record: dict) -> bool:
    """A record the bulk path stores exactly as build_provider would: nothing verified, no reviews."""
    facts = record.get("checklist") or []
    licenses = [lic for clin in record.get("clinicians") or [] for lic in clin["licenses"]]
    return not record.get("reviews") and all(f["source"] == ChecklistSource.SELF_REPORTED.value for f in facts) \
        and all(lic["verified_days_ago"] is None and lic["verification_source"] is None for lic in licenses)


class _Summaries:
    """compute_summary once per kind of listing (see the module docstring), on a transient provider."""

    def __init__(self, today: date):
        self.today = today
        self.known: dict[tuple, TrustSummary] = {}

    def of(self, record: dict) -> TrustSummary:
        modes = set(record["modes"])
        licenses = tuple(sorted((lic["status"], lic["expires_in_days"] if lic["expires_in_days"] is not None else -1)
                                for clin in record["clinicians"] for lic in clin["licenses"]))
        facts = tuple(sorted((f["key"], f["source"], f["value"] not in (None, "")) for f in record["checklist"]))
        key = ("in_clinic" in modes, "at_home" in modes, bool(record["free_consultation"]), licenses, facts)
        if key not in self.known:
            provider = Provider(offers_in_clinic=key[0], offers_at_home=key[1], free_consultation=key[2],
                                rating_count=0, rating_average=None)
            provider.clinicians = [Clinician(full_name="", credential=Credential.MD, licenses=[
                License(status=LicenseStatus(status), expires_on=_days_from(self.today, None if days == -1 else days))
                for status, days in licenses])]
            provider.checklist_items = [ChecklistItem(key=k, value="x" if filled else None,
                                                      source=ChecklistSource(source)) for k, source, filled in facts]
            self.known[key] = compute_summary(provider, self.today)
        return self.known[key]


def insert_new(records: list[dict], origins: list[dict], *, now: datetime, geocode_source: str = "seed") -> None:
    """Insert validated records (can_insert) and their import origins (source, source_key, source_label, baseline,
    and optionally details and to_review)."""
    if not records:
        return
    summaries = _Summaries(now.date())
    rows = [_provider_row(record, summaries.of(record), now) for record in records]
    ids = _insert_returning_ids(Provider, rows)
    locations, states, routes, conditions, facts, clinicians, origin_rows = [], [], [], [], [], [], []
    for provider_id, record, row, origin in zip(ids, records, rows, origins, strict=True):
        published = row["listing_status"] == ListingStatus.PUBLISHED
        locations.extend(_location(provider_id, loc, now, published and row["offers_in_clinic"],
                                   len(record["locations"]) == 1, geocode_source) for loc in record["locations"])
        states.extend({"provider_id": provider_id, "state": s, "listed": published and row["offers_at_home"]}
                      for s in record["states_served"])
        routes.extend({"provider_id": provider_id, "route": Route(r)} for r in record["routes"])
        conditions.extend({"provider_id": provider_id, "condition": Condition(c)} for c in record["conditions"])
        facts.extend({"provider_id": provider_id, "key": f["key"], "value": f["value"], "note": f["note"],
                      "source": ChecklistSource(f["source"]), "verified_at": None, "verified_by": None,
                      "updated_at": now} for f in record["checklist"])
        clinicians.extend((provider_id, clin) for clin in record["clinicians"])
        origin_rows.append({"provider_id": provider_id, "imported_at": now, "seen_at": now, "to_review": False,
                            "details": None, **origin})
    _insert_clinicians(clinicians, now)
    for model, values in ((Location, locations), (ServiceState, states), (ProviderRoute, routes),
                          (ProviderCondition, conditions), (ChecklistItem, facts), (ImportOrigin, origin_rows)):
        _insert(model, values)
    if states:
        # What the at-home list reads of the licenses and clinics just inserted (the ORM's flush would store it).
        refresh_at_home_rows(db.session, sorted({row["provider_id"] for row in states}))


def _insert(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(model.__table__.insert(), rows)


def _insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """Insert the rows (each given its uuid here) and return their ids in the rows' order.

    The ids come back from multi-row INSERT … RETURNING in no promised order, so they are matched by uuid: asking
    SQLAlchemy for them in order (sort_by_parameter_order) makes it insert one row per statement on SQLite.
    """
    for row in rows:
        row["uuid"] = new_uuid()
    table = model.__table__
    id_of = dict(db.session.execute(table.insert().returning(table.c.uuid, table.c.id), rows).all())
    return [id_of[row["uuid"]] for row in rows]


def _provider_row(record: dict, summary: TrustSummary, now: datetime) -> dict:
    modes = set(record["modes"])
    return {
        "slug": record["slug"], "name": record["name"], "description": record["description"] or "",
        "offers_in_clinic": "in_clinic" in modes, "offers_at_home": "at_home" in modes,
        "listing_status": ListingStatus(record["listing_status"]), "is_demo": False,
        "created_at": moment_days_before(now, record.get("created_days_ago")) or now,
        "updated_at": now, "checks_verified": summary.checks_verified, "checks_total": summary.checks_total,
        "license_status": summary.license_status, "license_valid_until": summary.license_valid_until,
        "last_verified_at": summary.last_verified_at, "rating_count": 0, "rating_average": None,
        **{column: record[column] for column in _PROVIDER_COLUMNS},
    }


def _insert_clinicians(clinicians: list[tuple[int, dict]], now: datetime) -> None:
    if not clinicians:
        return
    rows = [{"provider_id": provider_id, "full_name": c["full_name"], "credential": Credential(c["credential"]),
             "title": c["title"], "is_medical_director": c["is_medical_director"], "specialty": c["specialty"],
             "board_certification": c["board_certification"], "npi": c["npi"]} for provider_id, c in clinicians]
    ids = _insert_returning_ids(Clinician, rows)
    today = now.date()
    licenses = [{"clinician_id": clinician_id, "credential": Credential(lic["credential"]), "state": lic["state"],
                 "license_number": lic["license_number"], "dea_registration_on_file": lic["dea_registration_on_file"],
                 "status": LicenseStatus(lic["status"]), "evidence_note": lic["evidence_note"],
                 "issued_on": _days_from(today, None if lic["issued_days_ago"] is None else -lic["issued_days_ago"]),
                 "expires_on": _days_from(today, lic["expires_in_days"]), "verification_source": None,
                 "checked_on": None, "verified_at": None, "created_at": now}
                for clinician_id, (_, clin) in zip(ids, clinicians, strict=True) for lic in clin["licenses"]]
    _insert(License, licenses)


def _location(provider_id: int, loc: dict, now: datetime, searchable_listing: bool, only: bool,
              geocode_source: str) -> dict:
    row = {"provider_id": provider_id, **{column: loc[column] for column in _LOCATION_COLUMNS},
           "lat": None, "lon": None, "x": None, "y": None, "z": None, "lon_band": None, "geocoded_at": None,
           "geocode_source": None, "is_only_location": only, "searchable": False}
    if loc["lat"] is not None and loc["lon"] is not None:
        x, y, z = unit_vector(loc["lat"], loc["lon"])
        row.update(lat=loc["lat"], lon=loc["lon"], x=x, y=y, z=z, lon_band=lon_band(loc["lon"]), geocoded_at=now,
                   geocode_source=geocode_source, searchable=searchable_listing)
    return row
