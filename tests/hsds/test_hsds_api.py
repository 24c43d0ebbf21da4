"""The /hsds API: every path of the official description, its envelope and filters, only published providers."""
from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from clinic_finder.models import License, Provider

from .conftest import errors_of


def test_services_list_is_an_hsds_page_of_published_services(client, directory):
    answer = client.get("/hsds/services").get_json()
    assert {k: answer[k] for k in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page",
                                   "empty")} == {"total_items": 4, "total_pages": 1, "page_number": 1, "size": 4,
                                                 "first_page": True, "last_page": True, "empty": False}
    names = [s["name"] for s in answer["contents"]]
    assert names == ["Expired Clinic", "Harbor Infusions", "Lakeside Telehealth", "Revoked Clinic"]
    assert all(errors_of("compiled/service_list.json", s) == [] for s in answer["contents"])


def test_full_service_validates_against_the_compiled_schema(client, directory):
    service_id = directory["clinic"].uuid
    service = client.get(f"/hsds/services/{service_id}").get_json()
    assert errors_of("compiled/service.json", service) == []
    assert service["status"] == "active"
    assert service["contacts"][0]["attributes"][0]["taxonomy_term"]["code"] == "207L00000X"
    assert all(a["taxonomy_term_id"] for a in service["attributes"])


def _service(client, provider) -> dict:
    return client.get(f"/hsds/services/{provider.uuid}").get_json()


def test_a_revoked_or_expired_license_keeps_the_service_from_being_active_and_says_why(client, directory):
    revoked = _service(client, directory["revoked"])
    assert revoked["status"] == "inactive" and "revoked" in revoked["alert"]
    expired = _service(client, directory["expired"])
    assert expired["status"] == "temporarily closed" and "expired" in expired["alert"]
    assert "alert" not in _service(client, directory["clinic"])


def test_a_license_lapsing_today_makes_the_service_temporarily_closed_without_any_job(client, db, directory,
                                                                                     add_license):
    clinic = directory["clinic"]
    lapsed = clinic.clinicians[0].licenses[0]
    lapsed.expires_on = date.today() - timedelta(days=1)  # stored status still "verified"
    db.session.commit()
    assert _service(client, clinic)["status"] == "temporarily closed"


def test_unpublished_providers_are_nowhere(client, db, directory):
    hidden = db.session.scalar(sa.select(Provider).where(Provider.name == "Hidden Pending Clinic"))
    assert client.get(f"/hsds/services/{hidden.uuid}").status_code == 404
    assert client.get(f"/hsds/organizations/{hidden.organization_uuid}").status_code == 404
    assert client.get(f"/hsds/service_at_locations/{hidden.locations[0].uuid}").status_code == 404
    for path in ("/hsds/services", "/hsds/organizations", "/hsds/service_at_locations",
                 "/hsds/services?format=ndjson"):
        assert "Hidden Pending Clinic" not in client.get(path).get_data(as_text=True)


def test_attributes_carry_checklist_terms_that_the_taxonomy_serves(client, directory):
    service = _service(client, directory["clinic"])
    by_code = {a["taxonomy_term"]["code"]: a for a in service["attributes"]}
    assert by_code["emergency_protocol"]["value"].startswith("Yes (source: Verified by our team, verified ")
    assert by_code["years_offering_ketamine"]["value"] == "6 years (source: Reported by the provider)"
    for attribute in service["attributes"]:
        term = client.get(f"/hsds/taxonomy_terms/{attribute['taxonomy_term_id']}")
        assert term.status_code == 200 and term.get_json()["code"] == attribute["taxonomy_term"]["code"]


def test_taxonomy_term_filter_finds_services_by_a_checklist_fact(client, directory):
    terms = client.get("/hsds/taxonomy_terms?search=emergency").get_json()["contents"]
    [protocol] = [t for t in terms if t["code"] == "emergency_protocol"]
    found = client.get(f"/hsds/services?taxonomy_term_id={protocol['id']}").get_json()
    assert [s["name"] for s in found["contents"]] == ["Harbor Infusions"]
    group = client.get(f"/hsds/taxonomy_terms/{protocol['parent_id']}").get_json()
    assert group["code"] == "session_safety"
    children = client.get(f"/hsds/taxonomy_terms?parent_id={group['id']}").get_json()["contents"]
    assert protocol["id"] in {t["id"] for t in children}
    top = client.get("/hsds/taxonomy_terms?top_only=true&per_page=100").get_json()["contents"]
    assert all("parent_id" not in t for t in top) and group["id"] in {t["id"] for t in top}


def test_clinician_specialties_are_nucc_coded_and_filterable(client, directory):
    nucc = [t for t in client.get("/hsds/taxonomies").get_json()["contents"] if t["name"].startswith("NUCC")][0]
    anesthesiology = [t for t in client.get(f"/hsds/taxonomy_terms?taxonomy_id={nucc['id']}&per_page=100")
                      .get_json()["contents"] if t["code"] == "207L00000X"][0]
    found = client.get(f"/hsds/services?taxonomy_term_id={anesthesiology['id']}").get_json()["contents"]
    assert [s["name"] for s in found] == ["Harbor Infusions"]


def test_proximity_and_postcode_find_clinics_near_a_zip_centroid(client, directory):
    def names(query):
        answer = client.get(f"/hsds/service_at_locations?{query}&full=true")
        assert answer.status_code == 200, answer.get_json()
        return sorted(s["service"]["name"] for s in answer.get_json()["contents"])

    assert names("postcode=10001") == ["Harbor Infusions"]
    assert names("postcode=10001&proximity=5000") == ["Harbor Infusions", "Revoked Clinic"]
    assert names("postcode=10001&proximity=10000") == ["Expired Clinic", "Harbor Infusions", "Revoked Clinic"]


def test_modified_after_sees_a_change_to_any_row_a_service_shows(client, db, directory):
    clinic = directory["clinic"]
    before = datetime.fromisoformat(_service(client, clinic)["last_modified"])
    # After every service's own stamp, not only this clinic's: building the directory can take over a second on
    # a busy machine, and the services made after the clinic would then count as modified after the cutoff.
    latest = max(datetime.fromisoformat(s["last_modified"])
                 for s in client.get("/hsds/services?per_page=50").get_json()["contents"])
    cutoff = (latest + timedelta(seconds=1)).isoformat()
    assert client.get("/hsds/services", query_string={"modified_after": cutoff}).get_json()["total_items"] == 0
    time.sleep(1.1)  # last_modified is given to the second
    clinic.locations[0].city = "Brooklyn"
    db.session.commit()
    found = client.get("/hsds/services", query_string={"modified_after": cutoff}).get_json()
    assert [s["name"] for s in found["contents"]] == ["Harbor Infusions"]
    assert datetime.fromisoformat(found["contents"][0]["last_modified"]) > before


def test_a_license_passing_its_expiry_date_moves_last_modified_to_the_next_midnight(client, db, directory):
    clinic = directory["clinic"]
    lic = clinic.clinicians[0].licenses[0]
    expired_on = date.today() - timedelta(days=2)
    clinic.content_modified_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    # The change above stamped the listing; set the stamp back with SQL to see only the clock's change.
    lic_id = lic.id
    db.session.execute(sa.update(License).where(License.id == lic_id).values(expires_on=expired_on))
    db.session.execute(sa.update(Provider).where(Provider.id == clinic.id)
                       .values(content_modified_at=datetime(2020, 1, 1, tzinfo=UTC)))
    db.session.commit()
    db.session.expire_all()
    lapse = datetime.combine(expired_on + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    assert _service(client, clinic)["last_modified"] == lapse.isoformat()

    def found(moment: datetime) -> list[str]:
        answer = client.get("/hsds/services", query_string={"modified_after": moment.isoformat()}).get_json()
        return [s["name"] for s in answer["contents"] if s["name"] == "Harbor Infusions"]

    assert found(lapse) == ["Harbor Infusions"]  # "on or after"
    assert found(lapse - timedelta(hours=5)) == ["Harbor Infusions"]
    assert found(lapse + timedelta(seconds=1)) == []


def test_bad_input_is_a_400_or_422_in_our_error_shape(client, directory):
    cases = {
        "/hsds/services?page=abc": (400, "invalid_number"),
        "/hsds/services?page=0": (422, "out_of_range"),
        "/hsds/services?per_page=101": (422, "out_of_range"),
        "/hsds/services?format=xml": (422, "invalid_choice"),
        "/hsds/services?modified_after=yesterday": (400, "invalid_date"),
        "/hsds/services?modified_after=9999-12-31T00:00:00-14:00": (422, "out_of_range"),
        "/hsds/services?taxonomy_term_id=not-a-uuid": (422, "unknown_taxonomy_term"),
        f"/hsds/services?taxonomy_term_id={uuid.uuid4()}": (422, "unknown_taxonomy_term"),
        f"/hsds/taxonomy_terms?taxonomy_id={uuid.uuid4()}": (422, "unknown_taxonomy"),
        "/hsds/services?full=yes": (400, "invalid_boolean"),
        "/hsds/service_at_locations?proximity=1000": (400, "missing_parameter"),
        "/hsds/service_at_locations?postcode=10001&proximity=-5": (422, "out_of_range"),
        "/hsds/service_at_locations?postcode=10001&proximity=NaN": (400, "invalid_number"),
        "/hsds/service_at_locations?postcode=00000": (422, "unknown_postcode"),
        "/hsds/services?page=": (400, "missing_parameter"),
    }
    for path, (status, code) in cases.items():
        answer = client.get(path)
        assert (answer.status_code, answer.get_json()["error"]["code"]) == (status, code), path
        assert answer.get_json()["error"]["message"]
    for path in ("/hsds/services/not-a-uuid", f"/hsds/services/{uuid.uuid4()}", "/hsds/organizations/1",
                 f"/hsds/taxonomies/{uuid.uuid4()}", "/hsds/taxonomy_terms/x", "/hsds/nowhere"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found", path


def test_a_page_past_the_last_is_empty_and_says_so(client, directory):
    answer = client.get("/hsds/services?page=3&per_page=2").get_json()
    assert (answer["empty"], answer["contents"], answer["last_page"], answer["total_pages"]) == (True, [], True, 2)


def test_ndjson_streams_every_result_without_pages(client, directory):
    answer = client.get("/hsds/services?format=ndjson&per_page=1")
    assert answer.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in answer.get_data(as_text=True).splitlines()]
    assert len(lines) == 4 and all(errors_of("compiled/service_list.json", s) == [] for s in lines)


def test_the_about_answer_points_at_the_description(client):
    about = client.get("/hsds/").get_json()
    assert about["version"] == "3.0" and about["openapi_url"] == "http://localhost/hsds/openapi.json"
