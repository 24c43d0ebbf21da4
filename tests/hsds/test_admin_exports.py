"""Admins download each export; nobody else can."""
from __future__ import annotations

import csv
import io
import json

from clinic_finder.models import Role


def test_an_admin_downloads_each_export(client, directory, make_user, login_as):
    login_as(make_user())
    page = client.get("/admin/exports").get_data(as_text=True)
    assert "http://localhost/hsds/openapi.json" in page
    hsds = client.get("/admin/exports/hsds.json")
    assert hsds.status_code == 200 and "attachment" in hsds.headers["Content-Disposition"]
    assert sorted(s["name"] for s in json.loads(hsds.data)) == [
        "Expired Clinic", "Harbor Infusions", "Lakeside Telehealth", "Revoked Clinic"]
    fhir = client.get("/admin/exports/fhir.json")
    assert fhir.mimetype == "application/fhir+json" and json.loads(fhir.data)["resourceType"] == "Bundle"
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/exports/providers.csv").get_data(as_text=True))))
    assert len(rows) == 4


def test_moderators_and_visitors_cannot_download(client, app, directory, make_user, login_as):
    assert client.get("/admin/exports/hsds.json").status_code in (302, 401)
    login_as(make_user("mod@example.org", role=Role.MODERATOR))
    assert client.get("/admin/exports/hsds.json").status_code == 403
