"""Our filled-in copy of the official HSDS 3.0 API description, served at /hsds/openapi.json.

The official document (clinic_finder/data/hsds-3.0-openapi.json, unchanged) leaves the title, licence, contact
and server for each publisher to fill in and describes only successful answers. The copy adds what this server
does: its error answers (400, 404, 422 in the API's error shape), the constraints it enforces on each parameter,
the ndjson format, and the page envelope's fields as always present. The schemas of the answers stay the
official compiled ones, referred to by their official URLs (tests resolve them from the copies in tests/data).
"""
from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from flask import current_app

from clinic_finder.hsds_api import parameters as params
from clinic_finder.inputs.numbers import PAGE_MAX
from clinic_finder.security import public_url

OFFICIAL = Path(__file__).resolve().parents[1] / "data" / "hsds-3.0-openapi.json"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
NDJSON = "application/x-ndjson"

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}},
}
_UUID = {"type": "string", "format": "uuid"}
_BOOLEAN = {"type": "boolean"}
# The constraints each parameter is held to (parameters.py enforces them).
_PARAMETER_SCHEMAS = {
    "search": {"type": "string", "maxLength": params.SEARCH_MAX_LENGTH},
    "page": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 1},
    "per_page": {"type": "integer", "minimum": 1, "maximum": params.PER_PAGE_MAX,
                 "default": params.PER_PAGE_DEFAULT},
    "format": {"type": "string", "enum": list(params.FORMATS), "default": "json"},
    "minimal": _BOOLEAN, "full": _BOOLEAN, "full_service": _BOOLEAN, "top_only": _BOOLEAN,
    "modified_after": {"type": "string", "anyOf": [{"format": "date-time"}, {"format": "date"}]},
    "taxonomy_term_id": _UUID, "taxonomy_id": _UUID, "organization_id": _UUID, "parent_id": _UUID,
    "postcode": {"type": "string", "pattern": "^[0-9]{5}(-?[0-9]{4})?$"},
    "proximity": {"type": "number", "minimum": 1, "maximum": params.PROXIMITY_MAX_METERS},
}
_NOTES = {
    "modified_after": " An RFC 3339 date-time (e.g. 2026-12-01T09:30:00Z) or a date (its midnight, UTC). A license "
                      "passing its expiry date counts as a modification of its provider from the next day.",
    "proximity": " Meters, up to 500 miles; needs postcode.",
    "postcode": " A US ZIP code. Without proximity: the clinics with that ZIP code.",
    "taxonomy_term_id": " An unknown id is refused (422).",
    "taxonomy_id": " An unknown id is refused (422).",
    "format": " ndjson streams every result, one per line, without the page envelope.",
}


def _response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


@cache
def _official() -> dict:
    return json.loads(OFFICIAL.read_text(encoding="utf-8"))


def document() -> dict:
    doc = copy.deepcopy(_official())
    base = public_url("hsds.about").rstrip("/")
    doc["info"] = {
        "title": f"{current_app.config.get('SITE_NAME', 'Clinic Finder')} HSDS API",
        "version": "1.0.0",
        "summary": "Published ketamine-therapy providers and their vetting checklist, as Open Referral HSDS 3.0.",
        "description": (
            "Read-only. Every provider is one organization with one service, at its clinics (service_at_locations) "
            "and, for at-home treatment, in the states it serves (service_areas). Our vetting checklist is the "
            "taxonomy 'Clinic Finder vetting checklist' (see /taxonomies); clinicians carry NUCC specialty codes. "
            "A service whose license status should keep patients away is not active and says why in `alert`. "
            "Only published providers appear. The demo data of a demo site is fictional. Informational only, not "
            "medical advice. Errors are JSON: {\"error\": {\"code\", \"message\", \"field\"}}. A page past the "
            "last is empty (empty: true). /service_at_locations/{id} answers the fully nested service_at_location "
            "(the official description names the compiled service schema there, which cannot describe one)."),
        "contact": {"name": "Directory team", "url": public_url("public.about_data"),
                    "email": current_app.config.get("ADMIN_EMAIL", "admin@clinic-finder.example")},
        "license": {"name": "CC BY-SA 4.0 (this description adapts the Open Referral HSDS 3.0 API description)",
                    "identifier": "CC-BY-SA-4.0"},
    }
    doc["servers"] = [{"url": base, "description": "This directory"}]
    components = doc["components"]
    components["schemas"]["Error"] = _ERROR
    page = components["schemas"]["Page"]
    page["required"] = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
                        "contents"]
    for name, parameter in components["parameters"].items():
        _constrain(parameter, name)
    for path, item in doc["paths"].items():
        for parameter in item.get("parameters", []):
            if parameter.get("in") == "path":
                parameter["schema"] = dict(_UUID)
                parameter["description"] += " A uuid; any other id names nothing (404)."
        operation = item["get"]
        for parameter in operation.get("parameters", []):
            if "$ref" not in parameter:
                _constrain(parameter, parameter["name"])
        ok = operation["responses"]["200"]
        if path == "/service_at_locations/{id}":
            ok["content"]["application/json"]["schema"] = {
                "$ref": SCHEMA_BASE + "compiled/service_at_location_list.json"}
        if "{id}" in path:
            operation["responses"]["404"] = _response("Nothing published has that id.")
        if operation.get("parameters"):
            operation["responses"]["400"] = _response("A malformed parameter (a page that is not a number, a "
                                                      "date that is not a date, a boolean that is not true/false).")
            operation["responses"]["422"] = _response("A parameter we cannot answer (out of range, an unknown "
                                                      "format or taxonomy id, a postcode we cannot place).")
        if any(p.get("$ref", "").endswith("/format") for p in operation.get("parameters", [])):
            ok["content"][NDJSON] = {"schema": {"type": "string"}}
    return doc


def _constrain(parameter: dict, name: str) -> None:
    if name in _PARAMETER_SCHEMAS:
        parameter["schema"] = dict(_PARAMETER_SCHEMAS[name])
    parameter["description"] = parameter.get("description", "") + _NOTES.get(name, "")
