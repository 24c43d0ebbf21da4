"""The command line of a fresh install: help for every command with no configuration, and one line naming the
setting (SECRET_KEY, DATABASE_URL) when a command cannot run without it."""
from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import cli as flask_command  # what the `flask` executable runs

from clinic_finder import create_app
from clinic_finder.config import Config

# Unset for each invocation and restored afterwards; Flask's CLI sets FLASK_RUN_FROM_CLI itself.
_CLEAN_ENV = {name: None for name in ("SECRET_KEY", "DATABASE_URL", "FLASK_APP", "FLASK_DEBUG", "FLASK_RUN_FROM_CLI")}


@pytest.fixture
def unconfigured(monkeypatch, tmp_path):
    """No SECRET_KEY, no DATABASE_URL and an empty instance folder, as right after `pip install`."""
    monkeypatch.setattr(Config, "SECRET_KEY", None)
    monkeypatch.setattr(Config, "SQLALCHEMY_DATABASE_URI", None)
    instance = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(instance))
    return instance


def flask_cli(*args: str, env: dict | None = None):
    result = CliRunner().invoke(flask_command, ["--app", "clinic_finder", *args], env={**_CLEAN_ENV, **(env or {})})
    assert "Traceback" not in result.output, result.output
    return result


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, (*prefix, name)))
    return paths


def test_flask_help_lists_every_command_without_configuration(unconfigured, app):
    result = flask_cli("--help")

    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:", 1)[1]
    for name in [*app.cli.commands, "db"]:
        assert f"  {name} " in listed, f"{name} missing from flask --help:\n{result.output}"
    assert not (unconfigured / "secret_key").exists()  # help writes no secret


def test_every_command_help_works_without_configuration(unconfigured, app):
    paths = command_paths(app.cli) + [("db",), ("db", "upgrade"), ("db", "downgrade"), ("db", "current")]
    assert ("licenses", "expire") in paths and ("outbox", "send") in paths  # the walk reaches subcommands

    for path in paths:
        result = flask_cli(*path, "--help")
        assert result.exit_code == 0, f"flask {' '.join(path)} --help:\n{result.output}"
        assert "Usage: " in result.output


def test_a_command_before_the_migrations_says_to_run_them(unconfigured):
    result = flask_cli("licenses", "expire")

    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output  # one line
    assert "no tables yet" in result.output
    assert "flask --app clinic_finder db upgrade" in result.output
    assert "DATABASE_URL is not set" in result.output and str(unconfigured / "clinic_finder.db") in result.output


def test_an_unreachable_database_is_named_without_its_password(unconfigured, monkeypatch):
    url = "postgresql://clinic:hunter2-not-shown@127.0.0.1:1/clinic_finder"  # port 1: refused at once
    monkeypatch.setattr(Config, "SQLALCHEMY_DATABASE_URI", url)

    result = flask_cli("outbox", "send", env={"DATABASE_URL": url})

    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert result.output.startswith("Error: Cannot use the database")
    assert "DATABASE_URL is postgresql://clinic:***@127.0.0.1:1/clinic_finder" in result.output
    assert "hunter2" not in result.output


def test_seed_demo_before_the_migrations_refuses_in_one_line(unconfigured):
    result = flask_cli("seed-demo")

    assert result.exit_code == 1
    assert "db upgrade" in result.output and result.output.count("\n") == 1, result.output


def test_flask_run_without_a_secret_names_it_in_one_line(unconfigured, monkeypatch):
    def must_not_serve(*args, **kwargs):
        raise AssertionError("flask run started a server without a SECRET_KEY")

    monkeypatch.setattr("werkzeug.serving.run_simple", must_not_serve)

    result = flask_cli("run", "--port", "5999")

    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert result.output.startswith("Error: SECRET_KEY is not set")
    assert str(unconfigured / "secret_key") in result.output


def test_the_web_app_still_refuses_to_start_without_a_secret(unconfigured):
    # gunicorn 'clinic_finder:create_app()' calls the factory outside any command: it must not serve unsigned.
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app()
