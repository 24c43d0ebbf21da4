"""Adding many plain providers at once: a few multi-row INSERTs per batch instead of the ORM's unit of work.

A "plain" record is a listing without clinicians or checklist facts (every row of our CSV): its rows are a
provider, its clinics, served states, routes and conditions. What the ORM's flush listeners would store beside
them is computed here by the same rules: the search flags (models.provider.search_flags, at_home_listed) and the
trust summary (vetting.trust.compute_summary, which for a listing without facts, licenses or reviews depends only on
how it treats, so it is worked out once per kind). Anything richer goes through seeding.build_provider.
"""
from __future__ import annotations

from datetime import datetime
from functools import cache

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.geo.geodesy import lon_band, unit_vector
from clinic_finder.interchange.seeding import _LOCATION_COLUMNS, _PROVIDER_COLUMNS
from clinic_finder.models import (
    Condition,
    ImportOrigin,
    ImportSource,
    ListingStatus,
    Location,
    Provider,
    ProviderCondition,
    ProviderRoute,
    Route,
    ServiceState,
)
from clinic_finder.vetting.trust import TrustSummary, compute_summary


def is_plain(record: dict) -> bool:
    return not record.get("clinicians") and not record.get("checklist") and not record.get("reviews")


@cache
def _summary(in_clinic: bool, at_home: bool, free_consultation: bool, today) -> TrustSummary:
    provider = Provider(offers_in_clinic=in_clinic, offers_at_home=at_home, free_consultation=free_consultation,
                        rating_count=0, rating_average=None)
    return compute_summary(provider, today)


def insert_plain(records: list[dict], origins: list[dict], *, now: datetime) -> None:
    """Insert validated plain records (and their import origins: source_key, source_label, baseline, to_review)."""
    if not records:
        return
    rows = []
    for record in records:
        modes = set(record["modes"])
        in_clinic, at_home = "in_clinic" in modes, "at_home" in modes
        summary = _summary(in_clinic, at_home, bool(record["free_consultation"]), now.date())
        rows.append({
            "slug": record["slug"], "name": record["name"], "description": record["description"] or "",
            "offers_in_clinic": in_clinic, "offers_at_home": at_home,
            "listing_status": ListingStatus(record["listing_status"]), "is_demo": False, "created_at": now,
            "updated_at": now, "checks_verified": summary.checks_verified, "checks_total": summary.checks_total,
            "license_status": summary.license_status, "license_valid_until": summary.license_valid_until,
            "last_verified_at": summary.last_verified_at, "rating_count": 0, "rating_average": None,
            **{column: record[column] for column in _PROVIDER_COLUMNS},
        })
    ids = db.session.scalars(sa.insert(Provider).returning(Provider.id, sort_by_parameter_order=True), rows).all()
    locations, states, routes, conditions, origin_rows = [], [], [], [], []
    for provider_id, record, row, origin in zip(ids, records, rows, origins, strict=True):
        published = row["listing_status"] == ListingStatus.PUBLISHED
        for loc in record["locations"]:
            locations.append(_location(provider_id, loc, now, published and row["offers_in_clinic"],
                                       len(record["locations"]) == 1))
        states.extend({"provider_id": provider_id, "state": s, "listed": published and row["offers_at_home"]}
                      for s in record["states_served"])
        routes.extend({"provider_id": provider_id, "route": Route(r)} for r in record["routes"])
        conditions.extend({"provider_id": provider_id, "condition": Condition(c)} for c in record["conditions"])
        origin_rows.append({"provider_id": provider_id, "source": ImportSource.FILE, "imported_at": now,
                            "seen_at": now, "to_review": False, "details": None, **origin})
    for model, values in ((Location, locations), (ServiceState, states), (ProviderRoute, routes),
                          (ProviderCondition, conditions), (ImportOrigin, origin_rows)):
        if values:
            db.session.execute(sa.insert(model), values)


def _location(provider_id: int, loc: dict, now: datetime, searchable_listing: bool, only: bool) -> dict:
    row = {"provider_id": provider_id, **{column: loc[column] for column in _LOCATION_COLUMNS},
           "lat": None, "lon": None, "x": None, "y": None, "z": None, "lon_band": None, "geocoded_at": None,
           "geocode_source": None, "is_only_location": only, "searchable": False}
    if loc["lat"] is not None and loc["lon"] is not None:
        x, y, z = unit_vector(loc["lat"], loc["lon"])
        row.update(lat=loc["lat"], lon=loc["lon"], x=x, y=y, z=z, lon_band=lon_band(loc["lon"]), geocoded_at=now,
                   geocode_source="seed", searchable=searchable_listing)
    return row
