"""`flask geocode`: fill in missing clinic coordinates with the configured geocoder, with a progress bar."""
from __future__ import annotations

from datetime import UTC, datetime

import click
import sqlalchemy as sa
from flask import Flask, current_app

from clinic_finder.extensions import db
from clinic_finder.geo import geocoding
from clinic_finder.models import JobRun, Location
from clinic_finder.search.index import refresh_all_search_flags

BATCH = 200


def register(app: Flask) -> None:
    @app.cli.command("geocode")
    @click.option("--all", "redo_all", is_flag=True, help="Geocode every location again, not only missing ones.")
    @click.option("--limit", type=click.IntRange(1), default=None, help="Geocode at most this many locations.")
    def geocode(redo_all: bool, limit: int | None) -> None:
        """Fill in missing latitude/longitude for clinic locations (GEOCODER decides how)."""
        stmt = sa.select(Location.id).order_by(Location.id)
        if not redo_all:
            stmt = stmt.where(sa.or_(Location.lat.is_(None), Location.x.is_(None)))
        if limit:
            stmt = stmt.limit(limit)
        ids = list(db.session.scalars(stmt))
        source = (current_app.config.get("GEOCODER") or "offline").lower()
        run = JobRun(name="geocode")
        db.session.add(run)
        db.session.commit()
        placed, failed = 0, []
        with click.progressbar(ids, label=f"Geocoding {len(ids)} location(s) ({source})",
                               show_pos=True) as bar:
            for n, location_id in enumerate(bar, 1):
                location = db.session.get(Location, location_id)
                query = f"{location.address_line1}, {location.city}, {location.state} {location.zip_code}"
                try:
                    place = geocoding.resolve_place(query)
                except geocoding.AmbiguousPlace:
                    failed.append(f"location {location_id}: {query!r} matches several places")
                except geocoding.PlaceNotFound:
                    failed.append(f"location {location_id}: {query!r} was not found")
                except geocoding.GeocoderUnavailable as exc:
                    failed.append(f"location {location_id}: the geocoder is unavailable ({exc})")
                else:
                    location.set_coordinates(place.lat, place.lon, source)
                    placed += 1
                if n % BATCH == 0:
                    db.session.commit()
        db.session.commit()
        refresh_all_search_flags(db.session)
        run.finished_at = datetime.now(UTC)
        run.summary = f"{placed} placed, {len(failed)} not placed"
        db.session.commit()
        click.echo(f"Geocoded {placed} location(s); {len(failed)} could not be placed.")
        for problem in failed[:50]:
            click.echo(f"  - {problem}", err=True)
        if failed:
            raise SystemExit(1)
