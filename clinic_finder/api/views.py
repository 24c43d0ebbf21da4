"""API views: parse the parameters, call the domain, serialize. Errors are raised (ApiError, InvalidSearch)."""
from __future__ import annotations

from flask import jsonify, request

from clinic_finder.api import bp, openapi, serializers
from clinic_finder.errors import ApiError, json_error
from clinic_finder.inputs.web import reads_query
from clinic_finder.listings import directory
from clinic_finder.search import request as search_request


@bp.get("/providers")
@reads_query("near", *search_request.PARAMETERS)
def providers():
    req = search_request.parse_search(request.args)
    result = search_request.find(req, search_request.locate(req))
    return jsonify(serializers.search_json(result))


@bp.errorhandler(search_request.InvalidSearch)
def _invalid_search(err: search_request.InvalidSearch):
    """The first problem, as {"error": {"code", "message", "field", …}} with its status."""
    problem = err.problems[0]
    return json_error(problem.status, problem.code, problem.message, problem.parameter,
                      serializers.problem_details(problem))


@bp.get("/providers/<id:provider_id>")
@reads_query()
def provider(provider_id: int):
    found = directory.get_published_provider(provider_id)
    if found is None:
        raise ApiError(404, "not_found", f"No published provider has id {provider_id}.")
    return jsonify(serializers.provider_json(found))


@bp.get("/openapi.json")
@reads_query()
def openapi_document():
    return jsonify(openapi.document())
