"""passwords: length, the common-password list, and the account's own email."""
from __future__ import annotations

import pytest

from clinic_finder.staff.passwords import MIN_LENGTH, common_passwords, password_problem


def test_the_shipped_common_password_list_is_loaded():
    words = common_passwords()
    assert len(words) > 19000
    assert "password" in words and "qwertyuiop" in words


@pytest.mark.parametrize("password", ["short pass", "x" * (MIN_LENGTH - 1)])
def test_passwords_under_twelve_characters_are_refused(password):
    assert "at least 12 characters" in password_problem(password)


@pytest.mark.parametrize("password", ["password1234", "PASSWORD1234", "qwertyuiop123"])
def test_common_passwords_are_refused_whatever_their_case(password):
    assert password in common_passwords() or password.lower() in common_passwords()
    assert "common passwords" in password_problem(password)


def test_a_password_built_on_the_email_is_refused():
    assert "email address" in password_problem("jordan.admin1", "jordan.admin@example.org")
    assert "email address" in password_problem("jordan.admin@example.org", "jordan.admin@example.org")


def test_leading_or_trailing_spaces_and_huge_passwords_are_refused():
    assert "space" in password_problem(" correct horse battery")
    assert "at most" in password_problem("x" * 300)


def test_a_long_uncommon_password_is_accepted():
    assert password_problem("violet lantern orbit 42", "jordan@example.org") is None


@pytest.mark.parametrize("password, email", [
    ("aaaaaaaaaaaa", "admin@example.org"),
    ("123456789012", "admin@example.org"),
    ("adminadminadmin", "admin@example.org"),
    ("weak2@example.org1", "weak2@example.org"),
    ("clinicfinder2024", "jordan@example.org"),
    ("qwertyuiopasdf", None),
])
def test_passwords_that_are_easy_to_guess_are_refused_with_advice(password, email):
    problem = password_problem(password, email)
    assert problem is not None
    assert "four or more unrelated words" in problem


def test_the_estimate_knows_the_account_email_and_name():
    assert password_problem("Lindqvist1987!", "jordan@example.org") is None
    assert "too easy to guess" in password_problem("Lindqvist1987!", "jordan@example.org", name="Sam Lindqvist")
    assert "too easy to guess" in password_problem("Lindqvist1987!", "sam.lindqvist@example.org")


def test_a_very_long_password_is_scored_quickly_and_accepted():
    assert password_problem("violet lantern orbit 42 " * 10 + "end") is None


def test_the_sign_up_command_refuses_a_weak_password_with_advice(runner, db):
    result = runner.invoke(args=["create-admin", "weak2@example.org", "--password-stdin"], input="weak2@example.org1\n")
    assert result.exit_code != 0
    assert "unrelated words" in result.output
