"""Side-by-side comparison of 2–4 providers: /compare?ids=3,7 (or ids=3&ids=7 from checkboxes)."""
from __future__ import annotations

from flask import render_template, request

from clinic_finder.inputs.web import reads_query
from clinic_finder.listings import comparison
from clinic_finder.public import bp


@bp.route("/compare")
@reads_query("ids", "show")
def compare():
    only_differences = request.args.get("show") == "differences"
    try:
        ids = comparison.parse_ids(request.args.getlist("ids"))
        result = comparison.compare(comparison.load_providers(ids))
    except comparison.ComparisonError as exc:
        return render_template("public/compare.html", error=str(exc), result=None), 400
    without = {i: ",".join(str(o) for o in ids if o != i) for i in ids}
    return render_template("public/compare.html", error=None, result=result, ids=",".join(map(str, ids)),
                           without=without, only_differences=only_differences)
