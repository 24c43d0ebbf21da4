"""Moving the demo directory from SQLite to PostgreSQL with the archive (issue 17): every page and API answer of
the new site equals the old one's. Runs when TEST_DATABASE_URL is a PostgreSQL database (as in .ci/run)."""
from __future__ import annotations

import json
import re
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from flask_login.utils import _create_identifier
from flask_migrate import upgrade

from clinic_finder.auth.session import SESSION_KEY
from clinic_finder.extensions import db
from clinic_finder.models import License, Provider, Review, User
from clinic_finder.serving.stylesheets import BUNDLES
from clinic_finder.staff import sessions as staff_sessions
from tests.databases import throwaway_postgresql

from .. import factories
from .whole_directory import app_for, fill_every_table, table_counts

# What differs by design between two renderings of one page: per-rendering tokens of forms.
_VOLATILE = [
    (re.compile(r'(name="(?:csrf_token|form_nonce|rendered_at|nonce|[a-z_]*token)"[^>]*value=")[^"]*'), r"\1…"),
    (re.compile(r'(value=")[^"]*("[^>]*name="(?:csrf_token|form_nonce|rendered_at|nonce|[a-z_]*token)")'), r"\1…\2"),
]
_QUERIES = ["q=10001", "q=Austin%2C+TX", "q=Portland", "q=99709&radius_mi=500", "q=10001&sort=rating",
            "q=10001&sort=price&mode=in_clinic", "q=Denver%2C+CO&mode=at_home", "q=nowhere+at+all"]
_API = ["near=10001", "near=Austin%2C+TX&per_page=100", "lat=40.75&lon=-73.99&radius_mi=500&per_page=100&page=2",
        "near=Denver%2C+CO&mode=at_home&sort=rating", "near=33101&verified_only=true&min_rating=3"]


def _signed_in_client(app, email: str):
    """A client signed in as the staff member, without a sign-in (which would add an audit event to compare)."""
    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        with app.test_request_context(environ_base=dict(client.environ_base)):
            ident = _create_identifier()
        with client.session_transaction() as session:
            session.update({"_user_id": user.get_id(), "_fresh": True, "_id": ident,
                            SESSION_KEY: staff_sessions.start(user, app.permanent_session_lifetime)})
        db.session.commit()
    return client


# Every provider's profile, API answer and admin page, and every license's; the pages that only frame a form
# around a provider's name for every tenth provider (or review), to keep the test within minutes.
_EVERY_ID = {"public.provider_profile", "api.provider", "admin.listing_edit", "admin.license_verification"}


def _hsds_ids(client, list_path: str) -> list[str]:
    """The ids an HSDS list serves, page by page (they are stored uuids, so the moved site must serve the same)."""
    ids, page = [], 1
    while True:
        body = client.get(f"{list_path}?per_page=100&page={page}").get_json()
        ids += [item["id"] for item in body["contents"]]
        if body["last_page"] or not body["contents"]:
            return ids
        page += 1


def _urls(app) -> list[str]:
    with app.app_context():
        ids = {name: list(db.session.scalars(sa.select(model.id).order_by(model.id)))
               for name, model in (("provider_id", Provider), ("license_id", License), ("review_id", Review))}
        with_evidence = list(db.session.scalars(sa.select(License.id).where(License.evidence_file.is_not(None))))
    client = app.test_client()
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        arguments = rule.arguments - set(rule.defaults or {})
        if "GET" not in rule.methods or rule.endpoint == "static" or "token" in arguments:
            continue
        if not arguments:
            out.append(rule.rule)
        elif arguments == {"part"}:
            out += [rule.rule.replace("<id:part>", str(n)) for n in (1, 2, 3)]
        elif arguments == {"audience"}:
            out += [rule.rule.replace("<string:audience>", name) for name in BUNDLES]
        elif rule.rule.startswith("/hsds/"):
            listed = _hsds_ids(client, rule.rule.rsplit("/", 1)[0])
            out += [re.sub(r"<[^>]+>", i, rule.rule) for i in (listed if "taxonom" in rule.rule else listed[::10])]
        else:
            [name] = arguments
            chosen = ids[name] if rule.endpoint in _EVERY_ID else ids[name][::10]
            if rule.endpoint == "admin.license_evidence":
                chosen = with_evidence
            out += [re.sub(r"<[^>]+>", str(i), rule.rule) for i in chosen]
    out += [f"/search?{q}" for q in _QUERIES] + [f"/api/v1/providers?{q}" for q in _API]
    out += [f"/providers?page={n}" for n in (2, 3, 4)] + ["/compare?ids=1,2,3,4", "/admin/audit?page=2"]
    out += ["/hsds/services?page=3&per_page=50", "/hsds/services?postcode=10001&full_service=true",
            "/hsds/organizations?page=2", "/hsds/service_at_locations?proximity=40000,-73.99,40.75"]
    return out


def _answer(client, url: str) -> tuple[int, str, bytes]:
    response = client.get(url)
    body = response.get_data()
    if response.mimetype == "text/html":
        text = body.decode()
        for pattern, replacement in _VOLATILE:
            text = pattern.sub(replacement, text)
        body = text.encode()
    elif response.mimetype.endswith("json") and body.startswith(b"{"):
        document = json.loads(body)
        if document.get("resourceType") == "Bundle":
            document.pop("timestamp", None)  # when the bundle was assembled, by design
        body = json.dumps(document).encode()
    return response.status_code, response.headers.get("Location", ""), body


@pytest.mark.slow
def test_the_demo_directory_moves_from_sqlite_to_postgresql_unchanged(tmp_path):
    with throwaway_postgresql() as postgresql_url:
        if postgresql_url is None:
            pytest.skip("set TEST_DATABASE_URL to a PostgreSQL database to move a directory to it")
        old = app_for("sqlite:///" + str(tmp_path / "old.db"), tmp_path / "evidence")
        new = app_for(postgresql_url, tmp_path / "evidence")  # the same machine: the same evidence folder
        for app in (old, new):
            with app.app_context():
                upgrade()
        archive = tmp_path / "directory.archive"
        with old.app_context():
            assert old.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
            fill_every_table(tmp_path / "evidence")
            rows = table_counts()
            started = time.perf_counter()
            result = old.test_cli_runner().invoke(args=["export", "--format", "archive", "--output", str(archive)])
            assert result.exit_code == 0, result.output
            export_seconds = time.perf_counter() - started
        with new.app_context():
            started = time.perf_counter()
            result = new.test_cli_runner().invoke(args=["import", "archive", str(archive)])
            assert result.exit_code == 0, result.output
            import_seconds = time.perf_counter() - started
            assert table_counts() == rows

        urls = _urls(old)
        anonymous = (old.test_client(), new.test_client())
        staff = (_signed_in_client(old, "admin@example.org"), _signed_in_client(new, "admin@example.org"))
        statuses, differing = Counter(), []
        for url in urls:
            clients = staff if url.startswith("/admin") else anonymous
            before, after = _answer(clients[0], url), _answer(clients[1], url)
            statuses[before[0]] += 1
            if before != after:
                differing.append((url, before[0], after[0]))
        print(f"SQLite -> PostgreSQL: {sum(rows.values())} rows in {len(rows)} tables, archive "
              f"{archive.stat().st_size:,} bytes, export {export_seconds:.1f} s, import {import_seconds:.1f} s; "
              f"{len(urls)} pages and API answers compared (status {dict(statuses)}), {len(differing)} differ")
        assert statuses[200] > 0.9 * len(urls)  # real pages were compared, not two sets of errors
        assert differing == []
        with new.app_context():  # the new database numbers new rows after the moved ones
            moved = db.session.scalar(sa.select(sa.func.max(Provider.id)))
            assert factories.make_provider("After The Move").id == moved + 1
        with old.app_context():
            db.engine.dispose()
        with new.app_context():
            db.engine.dispose()
