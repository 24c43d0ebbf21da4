"""Providers as the JSON API shows them: a summary per search result, the full profile on its own."""
from __future__ import annotations

from clinic_finder.geo.geocoding import Place
from clinic_finder.listings.profiles import checklist_json
from clinic_finder.models import Location, Provider
from clinic_finder.search.query import Match, SearchResult
from clinic_finder.search.request import SearchProblem
from clinic_finder.security import public_url
from clinic_finder.templating import id_urls
from clinic_finder.vetting.trust import TrustSummary, summary_of


def _trust_json(trust: TrustSummary) -> dict:
    """The one trust summary (vetting/trust.py), as every surface shows it."""
    return {
        "rating": {"average": round(trust.rating_average, 2) if trust.rating_average is not None else None,
                   "count": trust.rating_count},
        "license_status": trust.license_status.value,
        "checklist": {"verified": trust.checks_verified, "total": trust.checks_total},
    }


def _profile_url(p: Provider) -> str:
    return public_url("public.provider_profile", provider_id=p.id)


def location_json(loc: Location) -> dict:
    return {
        "id": loc.id, "label": loc.label, "address": loc.one_line, "city": loc.city, "state": loc.state,
        "zip_code": loc.zip_code, "lat": loc.lat, "lon": loc.lon,
        "accepting_new_patients": loc.accepting_new_patients,
    }


def match_json(m: Match, profile_url=None) -> dict:
    p, loc = m.provider, m.location
    return {
        "id": p.id,
        "name": p.name,
        "modes": [mode.value for mode in p.modes],
        "match": m.mode.value,  # which list it is in: a nearby clinic, or at home in the searched state
        "distance_mi": round(m.distance_mi, 2) if m.distance_mi is not None else None,
        "city": loc.city if loc else None,
        "state": loc.state if loc else None,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "accepting_new_patients": loc.accepting_new_patients if loc else None,
        "states_served": m.states_served,
        "conditions": [c.value for c in m.conditions],
        "routes": [r.value for r in m.routes],
        "price_min_usd": p.price_min_usd,
        "price_max_usd": p.price_max_usd,
        "free_consultation": p.free_consultation,
        **_trust_json(m.trust),
        "url": profile_url(p.id) if profile_url else _profile_url(p),
    }


def place_json(place: Place, radius_mi: float) -> dict:
    return {"lat": place.lat, "lon": place.lon, "label": place.label, "state": place.state, "radius_mi": radius_mi}


def problem_details(problem: SearchProblem) -> dict:
    """The error object's extra keys: the places an ambiguous name may mean, or how many pages there are."""
    details: dict = {}
    if problem.choices:
        details["choices"] = [{"label": c.label, "lat": c.lat, "lon": c.lon, "state": c.state}
                              for c in problem.choices]
    if problem.pages is not None:
        details["pages"] = problem.pages
    return details


def search_json(result: SearchResult) -> dict:
    q = result.query
    urls = id_urls("public.provider_profile", "provider_id", build=public_url)
    return {
        "query": place_json(q.place, q.radius_mi),
        "total": result.total,
        "in_clinic_total": result.in_clinic_total,
        "at_home_total": result.at_home_total,
        "page": q.page,
        "per_page": q.per_page,
        "pages": result.pages,
        "results": [match_json(m, urls) for m in result.matches],
    }


def provider_json(p: Provider) -> dict:
    trust = summary_of(p)
    return {
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "website": p.website,
        "phone": p.phone,
        "email": p.email,
        "modes": [mode.value for mode in p.modes],
        "locations": [location_json(loc) for loc in p.locations],
        "states_served": p.states_served,
        "conditions": [c.value for c in p.conditions],
        "routes": [r.value for r in p.routes],
        "price_min_usd": p.price_min_usd,
        "price_max_usd": p.price_max_usd,
        "package_pricing_note": p.package_pricing_note,
        "insurance_accepted": p.insurance_accepted,
        "insurance_note": p.insurance_note,
        "superbill_offered": p.superbill_offered,
        "free_consultation": p.free_consultation,
        "session_length_minutes": p.session_length_minutes,
        "rating": _trust_json(trust)["rating"],
        "license_status": trust.license_status.value,
        "last_verified_at": trust.last_verified_at.isoformat() if trust.last_verified_at else None,
        "clinicians": [
            {
                "name": c.full_name,
                "credential": c.credential.value,
                "title": c.title,
                "is_medical_director": c.is_medical_director,
                "npi": c.npi,
                "licenses": [
                    {"state": lic.state, "number": lic.license_number, "credential": lic.credential.value,
                     "status": lic.status.value,
                     "expires_on": lic.expires_on.isoformat() if lic.expires_on else None,
                     "verified_at": lic.verified_at.isoformat() if lic.verified_at else None}
                    for lic in c.licenses
                ],
            }
            for c in p.clinicians
        ],
        "checklist": checklist_json(p),
        "url": _profile_url(p),
    }
