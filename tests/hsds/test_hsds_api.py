"""The /hsds API: every path of the official description, its envelope and filters, only published providers."""
from __future__ import annotations

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
