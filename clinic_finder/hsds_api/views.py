"""HSDS API views: parse the parameters, read the published directory, serialize with the one HSDS serializer.
Errors are raised (ApiError) and answered by the app's handlers in the API's error shape."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from flask import Response, jsonify, request, stream_with_context

from clinic_finder.errors import ApiError
from clinic_finder.hsds_api import bp, openapi
from clinic_finder.hsds_api import parameters as params
from clinic_finder.inputs.pagination import Page, page_of_list
from clinic_finder.inputs.web import reads_query
from clinic_finder.interchange.hsds import directory, objects, taxonomy
from clinic_finder.interchange.hsds.ids import parse_uuid
from clinic_finder.security import public_url

HSDS_VERSION = "3.0"
HSDS_SPECIFICATION = "https://github.com/openreferral/specification/tree/3.0"


def _envelope(page: Page, contents: list[dict]) -> dict:
    """HSDS's page envelope; a page past the last is empty, not an error (the envelope says so)."""
    return {"total_items": page.total, "total_pages": page.pages, "page_number": page.page, "size": len(contents),
            "first_page": page.page == 1, "last_page": page.page >= page.pages, "empty": not contents,
            "contents": contents}


def _answer(req: params.ListRequest, page: Callable[[], Page], everything: Callable[[], Iterable],
            serialize: Callable) -> Response:
    """A page of results in the envelope, or with format=ndjson every result, one JSON object per line."""
    if req.format == "ndjson":
        lines = (json.dumps(serialize(row), ensure_ascii=False) + "\n" for row in everything())
        return Response(stream_with_context(lines), mimetype="application/x-ndjson")
    found = page()
    return jsonify(_envelope(found, [serialize(row) for row in found.items]))


def _not_found(kind: str, raw: str) -> ApiError:
    # The id is echoed only in its canonical form: a hostile path is not repeated back.
    known = parse_uuid(raw)
    return ApiError(404, "not_found", f"No published {kind} has the id {known}." if known
                    else f"No published {kind} has that id (ids are uuids).")


@bp.get("/")
@reads_query()
def about():
    return jsonify({"version": HSDS_VERSION, "profile": HSDS_SPECIFICATION,
                    "openapi_url": public_url("hsds.openapi_document")})


@bp.get("/openapi.json")
@reads_query()
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/services")
@reads_query(*params.SERVICES)
def services():
    req = params.parse_list(request.args, params.SERVICES)
    if req.flag("minimal"):
        serialize = objects.minimal_service
    elif req.flag("full"):
        serialize = objects.service_json
    else:
        serialize = objects.service_list_item
    return _answer(req, lambda: directory.services_page(req.filters, req.page, req.per_page),
                   lambda: directory.all_services(req.filters), serialize)


@bp.get("/services/<string:service_id>")
@reads_query()
def service(service_id: str):
    found = directory.service(parse_uuid(service_id) or "")
    if found is None:
        raise _not_found("service", service_id)
    return jsonify(objects.service_json(found))


@bp.get("/service_at_locations")
@reads_query(*params.SERVICE_AT_LOCATIONS)
def service_at_locations():
    req = params.parse_list(request.args, params.SERVICE_AT_LOCATIONS)
    full = req.flag("full")

    def serialize(loc):
        return objects.service_at_location_json(loc.provider, loc, nested_service=full, with_location=full)

    return _answer(req, lambda: directory.service_at_locations_page(req.filters, req.page, req.per_page),
                   lambda: directory.all_service_at_locations(req.filters), serialize)


@bp.get("/service_at_locations/<string:sal_id>")
@reads_query()
def service_at_location(sal_id: str):
    found = directory.service_at_location(parse_uuid(sal_id) or "")
    if found is None:
        raise _not_found("service at a location", sal_id)
    return jsonify(objects.service_at_location_json(found.provider, found, nested_service=True))


@bp.get("/organizations")
@reads_query(*params.ORGANIZATIONS)
def organizations():
    req = params.parse_list(request.args, params.ORGANIZATIONS)
    if req.flag("full") or req.flag("full_service"):
        def serialize(p):
            return objects.organization_json(p, full_service=req.flag("full_service"))
    else:
        serialize = objects.organization_list_item
    return _answer(req, lambda: directory.services_page(req.filters, req.page, req.per_page),
                   lambda: directory.all_services(req.filters), serialize)


@bp.get("/organizations/<string:organization_id>")
@reads_query("full_service")
def organization(organization_id: str):
    full_service = params.parse_flag(request.args, "full_service")
    found = directory.organization(parse_uuid(organization_id) or "")
    if found is None:
        raise _not_found("organization", organization_id)
    return jsonify(objects.organization_json(found, full_service=full_service))


def _matches(text: str | None, *fields: str | None) -> bool:
    return text is None or any(text.lower() in (f or "").lower() for f in fields)


@bp.get("/taxonomies")
@reads_query(*params.LIST)
def taxonomies():
    req = params.parse_list(request.args, params.LIST)
    found = [t for t in taxonomy.TAXONOMIES if _matches(req.search, t.name, t.description)]
    return _answer(req, lambda: page_of_list(found, req.page, req.per_page), lambda: found,
                   lambda t: t.as_json())


@bp.get("/taxonomies/<string:taxonomy_id>")
@reads_query()
def taxonomy_by_id(taxonomy_id: str):
    found = taxonomy.taxonomy_by_id(parse_uuid(taxonomy_id) or "")
    if found is None:
        raise _not_found("taxonomy", taxonomy_id)
    return jsonify(found.as_json())


@bp.get("/taxonomy_terms")
@reads_query(*params.TAXONOMY_TERMS)
def taxonomy_terms():
    req = params.parse_list(request.args, params.TAXONOMY_TERMS)
    found = [t for t in taxonomy.all_terms()
             if _matches(req.search, t.name, t.code, t.description)
             and (req.taxonomy_id is None or t.taxonomy.id == req.taxonomy_id)
             and (req.parent_id is None or t.parent_id == req.parent_id)
             and not (req.flag("top_only") and t.parent_id)]
    return _answer(req, lambda: page_of_list(found, req.page, req.per_page), lambda: found,
                   lambda t: t.as_json())


@bp.get("/taxonomy_terms/<string:term_id>")
@reads_query()
def taxonomy_term(term_id: str):
    found = taxonomy.term_by_id(parse_uuid(term_id) or "")
    if found is None:
        raise _not_found("taxonomy term", term_id)
    return jsonify(found.as_json())
