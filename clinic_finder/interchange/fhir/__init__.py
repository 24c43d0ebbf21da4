"""FHIR R4 Da Vinci PDex Plan-Net: the published directory as a `collection` Bundle a health plan's provider
directory can load (plannet: the vocabulary; resources: the resources of one provider)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from clinic_finder.interchange.fhir.resources import resources_for, state_area
from clinic_finder.models import Provider

__all__ = ["export_bundle", "resources_for"]


def export_bundle(providers: Iterable[Provider], today: date | None = None) -> dict:
    """Every entry's fullUrl is urn:uuid:<id>, the form every reference in the bundle uses, so each resolves."""
    today = today or datetime.now(UTC).date()
    resources: list[dict] = []
    states: set[str] = set()
    for p in providers:
        mine = list(resources_for(p, today))
        if mine:
            resources.extend(mine)
            states.update(p.states_served)
    resources.extend(state_area(s) for s in sorted(states))
    return {"resourceType": "Bundle", "type": "collection",
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]}
