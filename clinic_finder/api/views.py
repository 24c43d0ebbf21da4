"""API views: parse the parameters, call the domain, serialize. Errors are raised as ApiError."""
from __future__ import annotations

from flask import jsonify, request

from clinic_finder.api import bp, openapi, params, serializers
from clinic_finder.errors import ApiError
from clinic_finder.listings import directory
from clinic_finder.search import query as search

_MAX_ID = 2**31 - 1  # beyond the id column: not found, never a database error


@bp.get("/providers")
def providers():
    req = params.parse_search(request.args)
    place = params.locate(req)
    query = search.SearchQuery(place, req.radius_mi, req.filters, req.sort, req.page, req.per_page)
    try:
        result = search.find_providers(query)
    except search.PageOutOfRange as err:
        raise ApiError(422, "page_out_of_range", str(err), "page", {"pages": err.pages}) from None
    return jsonify(serializers.search_json(result))


@bp.get("/providers/<id:provider_id>")
def provider(provider_id: int):
    found = directory.get_published_provider(provider_id) if provider_id <= _MAX_ID else None
    if found is None:
        raise ApiError(404, "not_found", f"No published provider has id {provider_id}.")
    return jsonify(serializers.provider_json(found))


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())
