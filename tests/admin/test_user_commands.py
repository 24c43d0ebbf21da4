"""`flask create-admin` and `flask set-password`: passwords never on the command line, rules enforced."""
from __future__ import annotations

import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.models import AuditEvent, Role, User

GOOD = "violet lantern orbit 42"


def _users():
    return db.session.scalars(sa.select(User)).all()


def test_create_admin_reads_the_password_from_stdin_and_hashes_it_with_scrypt(runner, db):
    result = runner.invoke(args=["create-admin", "Jordan@Example.org", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created administrator account jordan@example.org" in result.output
    [user] = _users()
    assert user.role == Role.ADMIN and user.password_hash.startswith("scrypt:") and user.check_password(GOOD)
    assert GOOD not in user.password_hash
    [event] = db.session.scalars(sa.select(AuditEvent)).all()
    assert (event.action, event.actor_label, event.target_id) == ("user.create", "system", user.id)


def test_create_admin_prompts_twice_when_no_stdin_flag(runner, db):
    result = runner.invoke(args=["create-admin", "mod@example.org", "--role", "moderator"],
                           input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output and GOOD not in result.output
    assert _users()[0].role == Role.MODERATOR


def test_a_password_is_never_accepted_as_an_argument(runner, db):
    result = runner.invoke(args=["create-admin", "jordan@example.org", GOOD])
    assert result.exit_code != 0 and _users() == []


def test_weak_or_common_passwords_create_nothing(runner, db):
    for password, message in (("short", "at least 12 characters"), ("password1234", "common passwords")):
        result = runner.invoke(args=["create-admin", "jordan@example.org", "--password-stdin"],
                               input=password + "\n")
        assert result.exit_code == 1 and message in result.output
    assert _users() == []


def test_an_invalid_or_taken_email_is_refused(runner, db, make_user):
    bad = runner.invoke(args=["create-admin", "not-an-email", "--password-stdin"], input=GOOD + "\n")
    assert bad.exit_code == 1 and "Please enter a valid email address" in bad.output
    make_user("jordan@example.org")
    taken = runner.invoke(args=["create-admin", "JORDAN@example.org", "--password-stdin"], input=GOOD + "\n")
    assert taken.exit_code == 1 and "already a staff account" in taken.output
    assert len(_users()) == 1


def test_an_unknown_role_is_refused(runner, db):
    result = runner.invoke(args=["create-admin", "jordan@example.org", "--role", "owner", "--password-stdin"],
                           input=GOOD + "\n")
    assert result.exit_code == 2 and _users() == []


def test_set_password_changes_it_and_ends_sessions(runner, db, make_user):
    user = make_user("jordan@example.org")
    version = user.session_version
    result = runner.invoke(args=["set-password", "jordan@example.org", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.check_password(GOOD) and user.session_version == version + 1


def test_set_password_for_an_unknown_account_or_a_weak_password_fails(runner, db, make_user):
    assert runner.invoke(args=["set-password", "ghost@example.org", "--password-stdin"],
                         input=GOOD + "\n").exit_code == 1
    make_user("jordan@example.org")
    result = runner.invoke(args=["set-password", "jordan@example.org", "--password-stdin"], input="qwerty\n")
    assert result.exit_code == 1 and "at least 12" in result.output


def test_an_empty_stdin_is_refused_with_a_clear_message(runner, db):
    result = runner.invoke(args=["create-admin", "jordan@example.org", "--password-stdin"], input="")
    assert result.exit_code == 1 and "No password on standard input" in result.output and _users() == []
