"""schema.org JSON-LD for a provider profile, so search engines read the address, position, prices and rating the
page shows. The rating comes only from the profile's published reviews (the one stored trust summary), and is left
out when there are none: an empty or invented rating would be worse than none."""
from __future__ import annotations

from clinic_finder import wording
from clinic_finder.geo.states import state_name
from clinic_finder.listings.profiles import Profile
from clinic_finder.security.hosts import public_url


def _address(location) -> dict:
    street = ", ".join(p for p in (location.address_line1, location.address_line2) if p)
    return {"@type": "PostalAddress", "streetAddress": street, "addressLocality": location.city,
            "addressRegion": location.state, "postalCode": location.zip_code, "addressCountry": "US"}


def profile_json_ld(profile: Profile) -> dict:
    provider = profile.provider
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": provider.name,
        "url": public_url("public.provider_profile", provider_id=provider.id),
        "medicalSpecialty": "Psychiatric",
    }
    if provider.description:
        data["description"] = provider.description
    if provider.phone:
        data["telephone"] = provider.phone
    if provider.locations:
        first = provider.locations[0]
        data["address"] = _address(first)
        if first.lat is not None and first.lon is not None:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": round(first.lat, 5), "longitude": round(first.lon, 5)}
    if provider.offers_at_home and provider.states_served:
        data["areaServed"] = [{"@type": "State", "name": state_name(s)} for s in provider.states_served]
    if profile.price.provided:
        data["priceRange"] = wording.price_per_session(profile.price.price_min, profile.price.price_max)
    if profile.rating_count:
        data["aggregateRating"] = {"@type": "AggregateRating", "ratingValue": round(profile.rating_average, 1),
                                   "reviewCount": profile.rating_count, "bestRating": 5, "worstRating": 1}
    return data
