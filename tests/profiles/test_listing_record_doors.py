"""One provider-record validator behind every door: the same bad record is refused with the same field and the same
words by the demo seed, a file import, the public listing form and an admin's edit."""
from __future__ import annotations

import json

import sqlalchemy as sa

from clinic_finder.interchange.seeding import SEED_FORMAT
from clinic_finder.listings import submissions as listings
from clinic_finder.models import ListingSubmission, Provider

from .conftest import valid_listing

BAD_PHONE = "(212) 555-01"
PHONE_MESSAGE = "This does not look like a valid phone number. Please check the area code and digits."
BAD_ZIP = "07030"  # Hoboken, given for a New York clinic
ZIP_MESSAGE = "The ZIP code 07030 is in New Jersey, not New York."
CSV_HEADER = "slug,name,modes,routes,conditions,price_min_usd,price_max_usd,phone,address_line1,city,state,zip_code\n"


def _file_row():
    return {"slug": "harbor-light", "name": "Harbor Light Ketamine Clinic", "modes": ["in_clinic"], "routes": ["iv"],
            "conditions": ["depression"], "price_min_usd": 450, "price_max_usd": 650, "phone": BAD_PHONE,
            "locations": [{"address_line1": "12 Harbor St", "city": "New York", "state": "NY", "zip_code": BAD_ZIP}]}


def _form_error(html: str, field: str) -> str:
    at = html.index(f'id="{field}-error"')
    return html[at:at + 400]


def test_seed_file_refuses_the_bad_record_naming_field_and_reason(runner, db, tmp_path):
    folder = tmp_path / "seed"
    folder.mkdir()
    (folder / "seed.json").write_text(json.dumps({"format": SEED_FORMAT, "providers": [_file_row()]}))
    result = runner.invoke(args=["seed-demo", "--folder", str(folder)])
    assert result.exit_code == 1
    assert f"seed.json: provider 1 (harbor-light): phone: {PHONE_MESSAGE}" in result.output
    assert f"seed.json: provider 1 (harbor-light): locations[1].zip_code: {ZIP_MESSAGE}" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_csv_import_refuses_the_same_record_with_the_same_words(runner, db, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text(CSV_HEADER + f'harbor-light,Harbor Light,in_clinic,iv,depression,450,650,"{BAD_PHONE}",'
                              f"12 Harbor St,New York,NY,{BAD_ZIP}\n")
    result = runner.invoke(args=["import", "csv", str(f)])
    assert result.exit_code == 1
    assert f"in.csv: row 1 (harbor-light): phone: {PHONE_MESSAGE}" in result.output
    assert f"in.csv: row 1 (harbor-light): locations[1].zip_code: {ZIP_MESSAGE}" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_public_submission_shows_the_same_words_beside_the_same_fields(client, db):
    response = client.post("/listings/new", data=valid_listing(phone=BAD_PHONE, zip_code=BAD_ZIP))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert PHONE_MESSAGE in _form_error(html, "phone")
    assert ZIP_MESSAGE in _form_error(html, "zip_code")
    assert db.session.scalar(sa.select(sa.func.count(ListingSubmission.id))) == 0


def test_admin_edit_shows_the_same_words_beside_the_same_fields(client, make_provider, make_user, login_as):
    login_as(make_user())
    p = make_provider("Harbor Light Ketamine Clinic", zip_code="10001")
    data = {k: ("y" if v is True else v) for k, v in listings.listing_fields(p).items() if v not in (None, False)}
    data.update(phone=BAD_PHONE, zip_code=BAD_ZIP, state="NY", listing_status=p.listing_status.value)
    response = client.post(f"/admin/providers/{p.id}/edit", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert PHONE_MESSAGE in _form_error(html, "phone")
    assert ZIP_MESSAGE in _form_error(html, "zip_code")
