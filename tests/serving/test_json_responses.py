"""JSON responses are encoded by orjson (serving/json_responses.py) and say exactly what Flask's encoder said."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from clinic_finder.models import Mode


def test_a_response_is_the_same_json_as_flasks(app):
    value = {"b": [Mode.AT_HOME, Markup("<i>x</i>"), date(2026, 3, 4), datetime(2026, 3, 4, 5, 6, tzinfo=UTC),
                   Decimal("1.50"), "Ça – 10001", 1.0, None, True], "a": {"2": 2, "1": 1}}
    with app.app_context():
        ours = app.json.response(value)
        flasks = DefaultJSONProvider(app).response(value)
    assert json.loads(ours.data) == json.loads(flasks.data)
    assert ours.mimetype == flasks.mimetype == "application/json"
    assert ours.data.endswith(b"\n") and ours.data.startswith(b'{"a":{"1":1,"2":2},"b":')  # sorted and compact
    assert b'"Wed, 04 Mar 2026 00:00:00 GMT"' in ours.data  # dates as Flask writes them


def test_the_api_answers_through_it(client, make_provider):
    make_provider("Encoded Clinic")
    response = client.get("/api/v1/providers?lat=40.75&lon=-74.0")
    assert response.status_code == 200 and response.is_json
    assert response.data.endswith(b"\n") and b": " not in response.data
    assert [r["name"] for r in response.get_json()["results"]] == ["Encoded Clinic"]
