"""Command-line commands, registered on the app (`flask --app clinic_finder <command>`)."""
from __future__ import annotations

import functools
import os

import click
import sqlalchemy as sa
from flask import Flask, current_app


def register_cli(app: Flask) -> None:
    from clinic_finder.cli import data, geocode, imports, interchange, licenses, outbox, privacy, roster, seed, users

    for module in (seed, users, licenses, geocode, imports, roster, interchange, privacy, data, outbox):
        module.register(app)
    # Here rather than in each command, so a new command gets it too.
    for command in app.cli.commands.values():
        _explain_database_errors(command)


def _explain_database_errors(command: click.Command) -> None:
    """A command run before `db upgrade`, or against a database it cannot reach, says so in one line."""
    for subcommand in getattr(command, "commands", {}).values():
        _explain_database_errors(subcommand)
    callback = command.callback
    if callback is None:
        return

    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (sa.exc.OperationalError, sa.exc.ProgrammingError) as exc:
            problem = database_problem(exc)
            if problem is None:
                raise
            raise click.ClickException(problem) from None

    command.callback = run


def database_problem(exc: sa.exc.DBAPIError) -> str | None:
    """One line for a database that is missing, unreachable or not migrated; None for any other error (a bug)."""
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    missing_table = "no such table" in detail or getattr(exc.orig, "sqlstate", None) == "42P01"
    if not missing_table and not isinstance(exc, sa.exc.OperationalError):
        return None
    if os.environ.get("DATABASE_URL"):
        where = f"DATABASE_URL is {_without_password(os.environ['DATABASE_URL'])}"
    else:
        url = sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
        where = f"DATABASE_URL is not set, so the database is the SQLite file {url.database}"
    if missing_table:
        return f"The database has no tables yet ({detail}); run `flask --app clinic_finder db upgrade` first. {where}."
    return f"Cannot use the database ({detail}). {where}."


def _without_password(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "not a database URL"
