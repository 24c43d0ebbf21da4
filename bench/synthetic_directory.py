"""A synthetic directory of N providers spread like the US population, for the search benchmark.

About 58% of people live in the 50 largest metro areas: that share of clinics is scattered around each metro's
centre (a normal spread that grows with its size); the rest sit near ZIP code centroids anywhere in the country,
which puts a few in every rural county. Search points are drawn from the same spread: people search where they live.
Every name is fictional; nothing here is written to the demo seed.
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from clinic_finder.geo.geocoding import us_data
from clinic_finder.geo.geodesy import lon_band, unit_vector
from clinic_finder.models import Clinician, License, Location, Provider, ServiceState
from clinic_finder.search.index import refresh_at_home_rows

# (name, lat, lon, people in millions): 2020 census metropolitan statistical areas, rounded.
METROS = [
    ("New York", 40.71, -74.01, 20.1), ("Los Angeles", 34.05, -118.24, 13.2), ("Chicago", 41.88, -87.63, 9.6),
    ("Dallas", 32.78, -96.80, 7.6), ("Houston", 29.76, -95.37, 7.1), ("Washington", 38.91, -77.04, 6.4),
    ("Philadelphia", 39.95, -75.17, 6.2), ("Miami", 25.76, -80.19, 6.1), ("Atlanta", 33.75, -84.39, 6.1),
    ("Boston", 42.36, -71.06, 4.9), ("Phoenix", 33.45, -112.07, 4.8), ("San Francisco", 37.77, -122.42, 4.7),
    ("Riverside", 33.95, -117.40, 4.6), ("Detroit", 42.33, -83.05, 4.4), ("Seattle", 47.61, -122.33, 4.0),
    ("Minneapolis", 44.98, -93.27, 3.7), ("San Diego", 32.72, -117.16, 3.3), ("Tampa", 27.95, -82.46, 3.2),
    ("Denver", 39.74, -104.99, 3.0), ("Baltimore", 39.29, -76.61, 2.8), ("St. Louis", 38.63, -90.20, 2.8),
    ("Orlando", 28.54, -81.38, 2.7), ("Charlotte", 35.23, -80.84, 2.7), ("San Antonio", 29.42, -98.49, 2.6),
    ("Portland", 45.52, -122.68, 2.5), ("Sacramento", 38.58, -121.49, 2.4), ("Pittsburgh", 40.44, -80.00, 2.4),
    ("Austin", 30.27, -97.74, 2.3), ("Las Vegas", 36.17, -115.14, 2.3), ("Cincinnati", 39.10, -84.51, 2.3),
    ("Kansas City", 39.10, -94.58, 2.2), ("Columbus", 39.96, -83.00, 2.1), ("Indianapolis", 39.77, -86.16, 2.1),
    ("Cleveland", 41.50, -81.69, 2.1), ("San Jose", 37.34, -121.89, 2.0), ("Nashville", 36.16, -86.78, 2.0),
    ("Virginia Beach", 36.85, -75.98, 1.8), ("Providence", 41.82, -71.41, 1.7), ("Jacksonville", 30.33, -81.66, 1.6),
    ("Milwaukee", 43.04, -87.91, 1.6), ("Raleigh", 35.78, -78.64, 1.4), ("Oklahoma City", 35.47, -97.52, 1.4),
    ("Memphis", 35.15, -90.05, 1.3), ("Richmond", 37.54, -77.44, 1.3), ("Louisville", 38.25, -85.76, 1.3),
    ("New Orleans", 29.95, -90.07, 1.3), ("Salt Lake City", 40.76, -111.89, 1.3), ("Hartford", 41.76, -72.67, 1.2),
    ("Buffalo", 42.89, -78.88, 1.2), ("Birmingham", 33.52, -86.80, 1.1),
]
US_PEOPLE_MILLIONS = 331.0
STATES_48 = ["AL", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
             "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
             "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"]


@dataclass
class PointSampler:
    """Draws points where people live: around big metros in proportion to their size, else near any ZIP."""

    rng: random.Random

    def __post_init__(self):
        self.zips = [(z.lat, z.lon, z.state) for z in us_data().by_zip.values()
                     if z.kind == "STANDARD" and z.state in STATES_48]
        self.metro_weights = [m[3] for m in METROS]
        self.metro_share = sum(self.metro_weights) / US_PEOPLE_MILLIONS

    def point(self) -> tuple[float, float]:
        if self.rng.random() < self.metro_share:
            _, lat, lon, people = self.rng.choices(METROS, weights=self.metro_weights)[0]
            sigma = 0.12 * math.sqrt(people)  # degrees: New York spreads ~35 miles, Birmingham ~9
            lat += self.rng.gauss(0, sigma)
            lon += self.rng.gauss(0, sigma) / math.cos(math.radians(lat))
        else:
            lat, lon, _ = self.rng.choice(self.zips)
            lat += self.rng.gauss(0, 0.03)
            lon += self.rng.gauss(0, 0.03)
        return max(-89.9, min(89.9, lat)), max(-179.9, min(179.9, lon))


def build(session, n: int, seed: int = 42, batch: int = 20_000, echo=print) -> None:
    """Insert n providers (and their locations) with Core executemany: minutes at a million, not hours."""
    rng = random.Random(seed)
    sampler = PointSampler(rng)
    started = time.perf_counter()
    provider_t, location_t, state_t = Provider.__table__, Location.__table__, ServiceState.__table__
    clinician_t, license_t = Clinician.__table__, License.__table__
    expires = date.today() + timedelta(days=365)
    next_location_id = 1
    for start in range(1, n + 1, batch):
        providers, locations, states, clinicians, licenses = [], [], [], [], []
        for pid in range(start, min(n, start + batch - 1) + 1):
            at_home_only = rng.random() < 0.03
            published = rng.random() < 0.95
            rated = rng.random() < 0.3
            price = rng.choice([None, 350, 400, 450, 500, 550, 600, 700])
            at_home = at_home_only or rng.random() < 0.05
            providers.append({
                "id": pid, "slug": f"synthetic-{pid}", "name": f"Synthetic Clinic {pid}", "description": "",
                "offers_in_clinic": not at_home_only, "offers_at_home": at_home,
                "price_min_usd": price, "price_max_usd": price + 200 if price else None,
                "insurance_accepted": False, "superbill_offered": False,
                "free_consultation": rng.random() < 0.5, "listing_status": "published" if published else "pending",
                # Drawn, not computed: the stored trust summary gives result cards a realistic mix of badges without
                # a million licenses and reviews behind them. The app recomputes a provider's summary whenever it
                # changes (a review posted in a load run does), so such a provider's card changes then.
                "license_status": rng.choice(["verified", "unverified", "pending"]),
                "rating_count": rng.randint(1, 40) if rated else 0,
                "rating_average": round(rng.uniform(2.5, 5.0), 2) if rated else None, "is_demo": False,
            })
            if at_home_only or rng.random() < 0.02:
                served = rng.sample(STATES_48, rng.randint(1, 5))
                # At-home search lists a state only where a prescriber is licensed: most are, some are not.
                clinicians.append({"id": pid, "provider_id": pid, "full_name": f"Prescriber {pid}",
                                   "credential": "MD", "is_medical_director": True})
                for state in served:
                    states.append({"provider_id": pid, "state": state, "listed": published and at_home})
                    if rng.random() < 0.9:
                        licenses.append({"clinician_id": pid, "credential": "MD", "state": state,
                                         "license_number": f"DEMO-{state}-{pid:06d}", "status": "unverified",
                                         "expires_on": expires, "dea_registration_on_file": False})
            if at_home_only:
                continue
            lat, lon = sampler.point()
            sites = [(lat, lon)]
            if rng.random() < 0.04:  # a second clinic nearby
                sites.append((lat + rng.gauss(0, 0.1), lon + rng.gauss(0, 0.1)))
            for la, lo in sites:
                x, y, z = unit_vector(la, lo)
                locations.append({
                    "id": next_location_id, "provider_id": pid, "address_line1": f"{pid} Example Road",
                    "city": "Synthetic", "state": "NY", "zip_code": "00000", "lat": la, "lon": lo,
                    "x": x, "y": y, "z": z, "lon_band": lon_band(lo), "accepting_new_patients": rng.random() < 0.9,
                    "searchable": published, "is_only_location": len(sites) == 1,
                })
                next_location_id += 1
        session.execute(sa.insert(provider_t), providers)
        session.execute(sa.insert(location_t), locations)
        if states:
            session.execute(sa.insert(state_t), states)
            session.execute(sa.insert(clinician_t), clinicians)
            session.execute(sa.insert(license_t), licenses)
        session.commit()
        echo(f"  built {min(n, start + batch - 1):,} of {n:,} providers ({time.perf_counter() - started:.0f} s)")
    refresh_at_home_rows(session)  # what the at-home list reads of the licenses and clinics, as imports store it
    session.commit()


def query_points(count: int, seed: int = 7) -> list[tuple[float, float]]:
    """Search points, rounded as the API's query string carries them (5 decimals, about a metre)."""
    sampler = PointSampler(random.Random(seed))
    return [(round(lat, 5), round(lon, 5)) for lat, lon in (sampler.point() for _ in range(count))]
