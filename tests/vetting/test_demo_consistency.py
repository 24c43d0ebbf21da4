"""One summary, everywhere (issue 14): every demo provider's stored trust summary equals a recomputation from its
rows, every surface shows that one summary, and `data check` finds nothing in the demo data."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from clinic_finder.interchange import csv_format, fhir, hsds
from clinic_finder.listings import profiles
from clinic_finder.listings.directory import profile_options
from clinic_finder.models import ListingStatus, Provider
from clinic_finder.vetting import trust

SURFACES = ("profile page", "profile JSON", "compare page", "CSV export", "HSDS export", "FHIR export",
            "API profile", "API search list", "search results page")


@pytest.mark.slow
def test_every_demo_provider_shows_one_summary_on_every_surface(runner, client, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    providers = db.session.scalars(sa.select(Provider).options(*profile_options(),
                                                               sa.orm.selectinload(Provider.reviews))
                                   .order_by(Provider.id)).all()
    assert len(providers) == 372
    today = datetime.now(UTC).date()
    drift = {p.id: trust.differences(p, today) for p in providers}
    assert {k: v for k, v in drift.items() if v} == {}

    published = [p for p in providers if p.listing_status == ListingStatus.PUBLISHED]
    compared = 0
    for p in published:
        s = trust.summary_of(p, today)
        html = client.get(f"/providers/{p.id}").get_data(as_text=True)
        assert f"<strong>{s.checks_text}</strong>" in html, p.id
        assert f"License: {s.license_status.label}" in html, p.id
        assert (f"{s.rating_average:.1f} / 5 from {s.rating_count} review" in html) if s.rating_count \
            else "No reviews yet" in html, p.id
        body = profiles.profile_json(profiles.build_profile(p))  # the JSON profile (the API's is wired separately)
        assert (body["checklist"]["verified"], body["checklist"]["total"]) == (s.checks_verified, s.checks_total)
        assert body["license_status"] == s.license_status.value
        assert body["rating"] == {"average": s.rating_average if s.rating_count else None, "count": s.rating_count}
        row = csv_format.provider_row(p)
        assert (row["license_status"], row["rating_count"], row["checks_verified"], row["checks_total"]) == (
            s.license_status.value, str(s.rating_count), str(s.checks_verified), str(s.checks_total))
        assert hsds.service_json(p)["licenses"] == f"License status: {s.license_status.label}; {s.checks_text}."
        # Plan-Net lists only providers open to patients (a revoked or expired license keeps one out).
        service = next((r for r in fhir.resources_for(p) if r["resourceType"] == "HealthcareService"), None)
        assert service is None or (f"License status: {s.license_status.label}. {s.checks_text.capitalize()}."
                                   in service["extraDetails"])
        api = client.get(f"/api/v1/providers/{p.id}").get_json()
        assert (api["checklist"]["verified"], api["checklist"]["total"], api["license_status"]) == (
            s.checks_verified, s.checks_total, s.license_status.value), p.id
        compared += 6 + _search_surfaces(client, p, s)
    for start in range(0, len(published) - 1, 4):
        group = published[start:start + 4]
        if len(group) < 2:
            continue
        html = client.get("/compare?ids=" + ",".join(str(p.id) for p in group)).get_data(as_text=True)
        shown = re.findall(r"\d+ of \d+ checks verified", html)
        assert shown == [trust.summary_of(p, today).checks_text for p in group]
        compared += len(group)
    at_home_only = sum(1 for p in published if not p.locations)
    assert compared == len(published) * len(SURFACES) - (1 if len(published) % 4 == 1 else 0) - 2 * at_home_only
    print(f"{len(published)} published providers x {len(SURFACES)} surfaces = {compared} comparisons")

    result = runner.invoke(args=["data", "check"])
    assert result.exit_code == 0, result.output
    assert "No contradictions found." in result.output


def _search_surfaces(client, p, s) -> int:
    """The provider as a search around its first clinic shows it, in the API list and on the results page."""
    if not p.locations:
        return 0  # at-home only: found by state, covered by the at-home search tests
    loc = p.locations[0]
    query = f"lat={loc.lat}&lon={loc.lon}&radius_mi=1&per_page=100&mode=in_clinic"
    listed = {r["id"]: r for r in client.get(f"/api/v1/providers?{query}").get_json()["results"]}
    row = listed[p.id]
    assert (row["checklist"], row["license_status"]) == (
        {"verified": s.checks_verified, "total": s.checks_total}, s.license_status.value), p.id
    html = client.get(f"/search?{query}").get_data(as_text=True)
    card = html[html.index(f'href="/providers/{p.id}"'):]
    assert re.search(r"\d+ of \d+ checks verified", card).group(0) == s.checks_text, p.id
    return 2
