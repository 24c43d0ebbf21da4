"""Admins download each export of the published directory (the files `flask export` writes), and see where a 211
or a health plan points its tools."""
from __future__ import annotations

import io
from datetime import UTC, datetime

from flask import Response, render_template

from clinic_finder.admin import bp
from clinic_finder.admin.access import admin_required
from clinic_finder.inputs.web import reads_query
from clinic_finder.interchange.exports import FORMATS, write_export
from clinic_finder.interchange.records import count_published, published_providers
from clinic_finder.security import public_url


@bp.route("/exports")
@reads_query()
@admin_required
def exports():
    return render_template("admin/exports.html", published=count_published(), formats=FORMATS,
                           hsds_url=public_url("hsds.about"), openapi_url=public_url("hsds.openapi_document"))


@bp.route("/exports/hsds.json", defaults={"fmt": "hsds"}, endpoint="export_hsds")
@bp.route("/exports/fhir.json", defaults={"fmt": "fhir"}, endpoint="export_fhir")
@bp.route("/exports/providers.csv", defaults={"fmt": "csv"}, endpoint="export_csv")
@reads_query()
@admin_required
def export_download(fmt: str):
    out = io.StringIO()
    write_export(fmt, published_providers(), out)
    name, mimetype = FORMATS[fmt]
    stamped = name.replace(".", f"-{datetime.now(UTC).date().isoformat()}.", 1)
    return Response(out.getvalue(), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{stamped}"'})
