"""Every HSDS object we publish — the export and each API answer — validates against the unmodified official
schemas (tests/data/hsds-3.0), with $refs resolved and formats (uuid, uri, email, date-time) really checked."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import select

from clinic_finder.extensions import db
from clinic_finder.interchange.exports import write_export
from clinic_finder.interchange.records import published_providers
from clinic_finder.listings.directory import profile_options
from clinic_finder.models import Credential, Provider

from .conftest import add_clinician, errors_of, hsds_validator

# Answer path → the official schema of each object in it (lists: of each item of `contents`).
ANSWERS = {
    "/hsds/services?per_page=100": "compiled/service_list.json",
    "/hsds/services?full=true&per_page=100": "compiled/service.json",
    "/hsds/services?minimal=true&per_page=100": "compiled/service_list.json",
    "/hsds/organizations?per_page=100": "compiled/organization_list.json",
    "/hsds/organizations?full=true&per_page=100": "compiled/organization.json",
    "/hsds/organizations?full_service=true&per_page=100": "compiled/organization.json",
    "/hsds/service_at_locations?per_page=100": "compiled/service_at_location_list.json",
    "/hsds/service_at_locations?full=true&per_page=100": "compiled/service_at_location_list.json",
    "/hsds/taxonomies": "taxonomy.json",
    "/hsds/taxonomy_terms?per_page=100": "taxonomy_term.json",
}


def test_format_checks_are_really_on():
    validator = hsds_validator("compiled/service_list.json")
    good = {"id": "0d2a4e0e-8b1c-4c3b-9c1e-1a2b3c4d5e6f", "name": "x", "status": "active"}
    assert list(validator.iter_errors(good)) == []
    for key, bad in (("id", "not-a-uuid"), ("url", "not a uri"), ("email", "nobody"), ("last_modified", "today")):
        assert list(validator.iter_errors({**good, key: bad})), key
    assert list(validator.iter_errors({**good, "status": "open"}))


def test_every_api_answer_validates(client, directory):
    add_clinician(directory["home"], Credential.LCSW)
    checked = 0
    for path, schema in ANSWERS.items():
        answer = client.get(path)
        assert answer.status_code == 200, path
        contents = answer.get_json()["contents"]
        assert contents, path
        for item in contents:
            assert errors_of(schema, item) == [], (path, item.get("id"))
            checked += 1
    for p in db.session.scalars(select(Provider).options(*profile_options())):
        if not p.is_published:
            continue
        assert errors_of("compiled/service.json", client.get(f"/hsds/services/{p.uuid}").get_json()) == []
        org = client.get(f"/hsds/organizations/{p.organization_uuid}?full_service=true").get_json()
        assert errors_of("compiled/organization.json", org) == []
        for loc in p.locations:
            sal = client.get(f"/hsds/service_at_locations/{loc.uuid}").get_json()
            assert errors_of("compiled/service_at_location_list.json", sal) == []
            checked += 1
        checked += 2
    assert checked > 60


def test_the_export_is_the_api_s_full_service(client, directory, app):
    import io

    out = io.StringIO()
    write_export("hsds", published_providers(), out)
    exported = {s["id"]: s for s in json.loads(out.getvalue())}
    assert len(exported) == 4
    validator = hsds_validator("compiled/service.json")
    for service_id, service in exported.items():
        assert list(validator.iter_errors(service)) == []
        assert client.get(f"/hsds/services/{service_id}").get_json() == service  # one serializer


@pytest.mark.slow
def test_the_demo_directory_validates_whole(runner, client, db):
    """The closing check on the fictional demo data: every exported service, and every nested object in it."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    import io

    out = io.StringIO()
    write_export("hsds", published_providers(), out)
    services = json.loads(out.getvalue())
    validator = hsds_validator("compiled/service.json")
    assert [e.message for s in services for e in validator.iter_errors(s)] == []

    def count(node) -> int:
        if isinstance(node, list):
            return sum(count(v) for v in node)
        if isinstance(node, dict):
            return ("id" in node) + sum(count(v) for v in node.values())
        return 0

    attributes = [a for s in services for a in s.get("attributes", ())]
    assert attributes and all(a["taxonomy_term_id"] for a in attributes)
    statuses = Counter(s["status"] for s in services)
    assert set(statuses) == {"active", "inactive", "temporarily closed"}
    print(f"\nHSDS demo export: {len(services)} services, {count(services)} objects with an id, "
          f"{len(attributes)} attributes with terms, statuses {dict(statuses)}")
