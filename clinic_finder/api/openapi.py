"""The OpenAPI 3 document for /api/v1, kept beside the views it describes (a schemathesis test holds them to it)."""
from __future__ import annotations

from clinic_finder.inputs.numbers import PAGE_MAX
from clinic_finder.models import Condition, LicenseStatus, Mode, Route
from clinic_finder.search import query as search
from clinic_finder.search import request as search_request


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


_FLAG = {"type": "string", "enum": sorted(search_request.TRUE_VALUES | search_request.FALSE_VALUES - {""})}

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
                "pages": {"type": "integer"},
                "choices": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["label", "lat", "lon"],
                        "properties": {"label": {"type": "string"}, "lat": {"type": "number"},
                                       "lon": {"type": "number"}, "state": _nullable({"type": "string"})},
                    },
                },
            },
        }
    },
}

_RATING = {
    "type": "object",
    "required": ["average", "count"],
    "properties": {"average": _nullable({"type": "number", "minimum": 1, "maximum": 5}),
                   "count": {"type": "integer", "minimum": 0}},
}

_STRINGS = {"type": "array", "items": {"type": "string"}}

_RESULT = {
    "type": "object",
    "required": ["id", "name", "modes", "distance_mi", "city", "state", "lat", "lon", "conditions", "routes",
                 "price_min_usd", "price_max_usd", "rating", "license_status", "checklist", "url"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "modes": {"type": "array", "items": {"type": "string", "enum": [m.value for m in Mode]}},
        "match": {"type": "string", "enum": [m.value for m in Mode],
                  "description": "in_clinic: a clinic within the radius; at_home: licensed in the searched state"},
        "distance_mi": _nullable({"type": "number", "minimum": 0,
                                  "description": "geodesic (WGS-84) miles; null for at-home matches"}),
        "city": _nullable({"type": "string"}),
        "state": _nullable({"type": "string"}),
        "lat": _nullable({"type": "number"}),
        "lon": _nullable({"type": "number"}),
        "accepting_new_patients": _nullable({"type": "boolean"}),
        "states_served": _STRINGS,
        "conditions": {"type": "array", "items": {"type": "string", "enum": [c.value for c in Condition]}},
        "routes": {"type": "array", "items": {"type": "string", "enum": [r.value for r in Route]}},
        "price_min_usd": _nullable({"type": "integer"}),
        "price_max_usd": _nullable({"type": "integer"}),
        "free_consultation": {"type": "boolean"},
        "rating": _RATING,
        "license_status": {"type": "string", "enum": [s.value for s in LicenseStatus]},
        "checklist": {"type": "object", "required": ["verified", "total"],
                      "properties": {"verified": {"type": "integer"}, "total": {"type": "integer"}}},
        "url": {"type": "string", "format": "uri"},
    },
}

_SEARCH = {
    "type": "object",
    "required": ["query", "total", "page", "per_page", "results"],
    "properties": {
        "query": {
            "type": "object",
            "required": ["lat", "lon", "label", "state", "radius_mi"],
            "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}, "label": {"type": "string"},
                           "state": _nullable({"type": "string"}), "radius_mi": {"type": "number"}},
        },
        "total": {"type": "integer", "minimum": 0},
        "in_clinic_total": {"type": "integer", "minimum": 0},
        "at_home_total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": search.PER_PAGE_MAX},
        "pages": {"type": "integer", "minimum": 1},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}},
    },
}

_CHECK = {
    "type": "object",
    "required": ["key", "label", "value", "source", "verified_at"],
    "properties": {
        "key": {"type": "string"}, "group": {"type": "string"}, "label": {"type": "string"},
        "value": _nullable({"type": "string"}), "display": _nullable({"type": "string"}),
        "source": _nullable({"type": "string", "enum": ["self_reported", "admin_verified", "from_reviews"]}),
        "verified_at": _nullable({"type": "string", "format": "date-time"}),
    },
}

_PROVIDER = {
    "type": "object",
    "required": ["id", "name", "modes", "locations", "states_served", "conditions", "routes", "price_min_usd",
                 "price_max_usd", "rating", "license_status", "checklist", "url"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "website": _nullable({"type": "string"}),
        "phone": _nullable({"type": "string"}),
        "email": _nullable({"type": "string"}),
        "modes": {"type": "array", "items": {"type": "string", "enum": [m.value for m in Mode]}},
        "locations": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "address": {"type": "string"}, "city": {"type": "string"},
            "state": {"type": "string"}, "zip_code": {"type": "string"}, "lat": _nullable({"type": "number"}),
            "lon": _nullable({"type": "number"}), "accepting_new_patients": {"type": "boolean"}}}},
        "states_served": _STRINGS,
        "conditions": _STRINGS,
        "routes": _STRINGS,
        "price_min_usd": _nullable({"type": "integer"}),
        "price_max_usd": _nullable({"type": "integer"}),
        "free_consultation": {"type": "boolean"},
        "rating": _RATING,
        "license_status": {"type": "string", "enum": [s.value for s in LicenseStatus]},
        "clinicians": {"type": "array", "items": {"type": "object"}},
        "checklist": {"type": "object", "required": ["verified", "total", "items"], "properties": {
            "verified": {"type": "integer"}, "total": {"type": "integer"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ChecklistItem"}}}},
        "url": {"type": "string", "format": "uri"},
    },
}


def _errors(*statuses: int) -> dict:
    text = {400: "Malformed parameter", 404: "Not found", 422: "A parameter that cannot be answered",
            503: "The online geocoder is not answering"}
    return {str(s): {"description": text[s], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for s in statuses}


def document() -> dict:
    search_params = [
        _query("near", "A ZIP code, \"City, ST\" or a street address. Give this or lat and lon.",
               {"type": "string", "maxLength": search.PLACE_MAX_LENGTH}),
        _query("lat", "Latitude of the searched point (with lon).", {"type": "number", "minimum": -90,
                                                                    "maximum": 90}),
        _query("lon", "Longitude of the searched point (with lat).", {"type": "number", "minimum": -180,
                                                                     "maximum": 180}),
        _query("radius_mi", "In-clinic search radius in geodesic miles.",
               {"type": "number", "minimum": search.RADIUS_MIN_MI, "maximum": search.RADIUS_MAX_MI,
                "default": search.RADIUS_DEFAULT_MI}),
        _query("mode", "Which list: clinics near the point, at-home providers in its state, or both.",
               {"type": "string", "enum": ["any", *(m.value for m in Mode)], "default": "any"}),
        _query("condition", "Only providers treating this condition.",
               {"type": "string", "enum": [c.value for c in Condition]}),
        _query("route", "Only providers offering this route.", {"type": "string", "enum": [r.value for r in Route]}),
        _query("max_price", "Only providers whose lowest per-session price (whole US dollars; \"$1,200\" is read as "
                            "1200) is at most this.",
               {"type": "integer", "minimum": 0, "maximum": search.MAX_PRICE_LIMIT}),
        _query("verified_only", "Only providers whose licenses are all verified.", _FLAG),
        _query("min_rating", "Only providers rated at least this (1–5).", {"type": "number", "minimum": 1,
                                                                           "maximum": 5}),
        _query("free_consultation", "Only providers offering a free consultation.", _FLAG),
        _query("accepting_new_patients", "Only clinics accepting new patients.", _FLAG),
        _query("monitored_recovery", "Only clinics with a monitored recovery period.", _FLAG),
        _query("sort", "Order within each list; ties go to the nearer, then the lower id.",
               {"type": "string", "enum": [s.value for s in search.Sort], "default": "distance"}),
        _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 1}),
        _query("per_page", "Results per page.", {"type": "integer", "minimum": 1, "maximum": search.PER_PAGE_MAX,
                                                 "default": search.PER_PAGE_DEFAULT}),
    ]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "clinic_finder API",
            "version": "1.0.0",
            "description": "Ketamine-therapy providers near a place: in-clinic by geodesic distance, at-home by "
                           "the state they are licensed in. Informational only, not medical advice.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/providers": {
                "get": {
                    "operationId": "searchProviders",
                    "summary": "Providers near a place: nearby clinics first, then at-home providers in its state",
                    "parameters": search_params,
                    "responses": {
                        "200": {"description": "One page of matches", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/SearchResponse"}}}},
                        **_errors(400, 422, 503),
                    },
                }
            },
            "/providers/{provider_id}": {
                "get": {
                    "operationId": "getProvider",
                    "summary": "A published provider's full profile, checklist items with their sources and dates",
                    "parameters": [{"name": "provider_id", "in": "path", "required": True,
                                    "schema": {"type": "integer", "minimum": 0}}],
                    "responses": {
                        "200": {"description": "The profile", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Provider"}}}},
                        **_errors(404),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3 document",
                                          "content": {"application/json": {"schema": {"type": "object"}}}}},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": _ERROR,
                "SearchResponse": _SEARCH,
                "SearchResult": _RESULT,
                "ChecklistItem": _CHECK,
                "Provider": _PROVIDER,
            }
        },
    }
