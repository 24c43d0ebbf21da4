"""clinic_finder: a directory of ketamine-therapy providers with a sourced, dated vetting checklist."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask
from flask.cli import ScriptInfo


def create_app(config: type | dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error handlers, CLI and security headers."""
    app = Flask(__name__, instance_relative_config=True)
    from clinic_finder.config import Config

    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _resolve_database_url(app)
    _resolve_secret_key(app)
    from clinic_finder.security import init_trusted_hosts

    init_trusted_hosts(app)
    if app.debug and "SESSION_COOKIE_SECURE" not in os.environ:
        # Local development serves plain http on 127.0.0.1.
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False

    from clinic_finder import models  # noqa: F401  (registers the tables)
    from clinic_finder.extensions import csrf, db, limiter, login_manager, migrate, skip_the_limiter_on_reads

    db.init_app(app)
    from clinic_finder.resources import migrations_folder

    migrate.init_app(
        app,
        db,
        directory=str(migrations_folder()),
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    from clinic_finder.serving.dropped_connections import init_dropped_connections

    init_dropped_connections(app)  # inside ProxyFix: a retried read sees the environ as the app first did
    if app.config["TRUSTED_PROXY_COUNT"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    csrf.init_app(app)
    limiter.init_app(app)
    skip_the_limiter_on_reads(app)
    login_manager.init_app(app)
    _configure_sqlite(app)

    from clinic_finder.vetting.trust import init_trust_summary

    # Derived facts are derived: each flush that changes a provider's licenses, checklist, reviews or listing
    # recomputes its stored trust summary in the same transaction (vetting/trust.py).
    init_trust_summary(db.session)

    from clinic_finder.auth.session import init_login

    init_login(app)

    from clinic_finder.search.index import init_search_index

    init_search_index(app)  # search rows (Location.searchable, ServiceState.listed …) follow every provider change

    from clinic_finder.interchange.last_modified import init_last_modified

    # After the trust summary's hook: a listing's HSDS/FHIR last_modified moves with any row it shows, including the
    # rating that hook stores on the provider row.
    init_last_modified(db.session)

    from clinic_finder.inputs.web import RecordIdConverter

    app.url_map.converters["id"] = RecordIdConverter  # <id:…> in routes: an id the database can hold, or a 404

    from clinic_finder.admin import bp as admin_bp
    from clinic_finder.api import bp as api_bp
    from clinic_finder.auth import bp as auth_bp
    from clinic_finder.hsds_api import bp as hsds_bp
    from clinic_finder.public import bp as public_bp
    from clinic_finder.reviewer import bp as reviews_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # read-only JSON, no cookies needed
    app.register_blueprint(hsds_bp, url_prefix="/hsds")  # the Open Referral HSDS 3.0 API (read-only JSON too)
    csrf.exempt(hsds_bp)

    from clinic_finder.errors import register_error_handlers
    from clinic_finder.security import init_security_headers
    from clinic_finder.templating import init_templating

    register_error_handlers(app)
    init_security_headers(app)
    init_templating(app)

    from clinic_finder.serving import init_serving

    init_serving(app)

    from clinic_finder.cli import register_cli

    register_cli(app)
    return app


def _resolve_database_url(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "clinic_finder.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = _with_driver(url)
    if app.config.get("DATABASE_READ_URL"):
        from clinic_finder.serving.read_replica import REPLICA

        app.config["SQLALCHEMY_BINDS"] = {**(app.config.get("SQLALCHEMY_BINDS") or {}),
                                          REPLICA: _with_driver(app.config["DATABASE_READ_URL"])}


def _with_driver(url: str) -> str:
    if url.startswith("postgres://"):  # Heroku-style URLs
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _resolve_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if key_file.exists():
        app.config["SECRET_KEY"] = key_file.read_text().strip()
        return
    if app.debug or app.testing:
        import secrets

        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    if _loaded_by_a_flask_command_that_does_not_serve():
        # `flask --help`, `db upgrade`, `seed-demo` and the other commands sign nothing (only views do: sessions,
        # CSRF, review and guide tokens), so they work before a secret exists. gunicorn and `flask run` load the
        # app outside this case and still refuse to start without one.
        return
    message = (
        f"SECRET_KEY is not set: set the SECRET_KEY environment variable, or write a key to {key_file} "
        "(`make secret` does that in a checkout)."
    )
    if click.get_current_context(silent=True) is not None:
        raise click.ClickException(message)  # `flask run`: one line, not a traceback
    raise RuntimeError(message)


def _loaded_by_a_flask_command_that_does_not_serve() -> bool:
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.find_object(ScriptInfo) is not None and ctx.command.name != "run"


def _configure_sqlite(app: Flask) -> None:
    """WAL and foreign keys on SQLite: readers do not block the writer, and cascades work as on PostgreSQL."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    with app.app_context():
        from clinic_finder.extensions import db

        engine: Engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        if ":memory:" not in app.config["SQLALCHEMY_DATABASE_URI"] and app.config["SQLALCHEMY_DATABASE_URI"] != "sqlite://":
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # Reads through a memory map and a larger page cache: a radius search touches thousands of index pages,
            # and SQLite's default 2 MB cache would fetch most of them with a system call each.
            cur.execute("PRAGMA mmap_size=1073741824")
            cur.execute("PRAGMA cache_size=-65536")
        cur.close()
