"""`flask create-admin EMAIL` and `flask set-password EMAIL`: staff accounts from the command line.

A password is never a command-line argument (it would land in shell history and the process list): it comes
from a hidden prompt, or from standard input with --password-stdin for scripts.
"""
from __future__ import annotations

import sys

import click
from flask import Flask

from clinic_finder.models import Role
from clinic_finder.staff import accounts as staff_accounts


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise click.ClickException("No password on standard input: give it as the first line.")
        return line
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def register(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ADMIN.value, show_default=True,
                  help="admin: everything; moderator: reviews only.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
    def create_admin(email: str, role: str, password_stdin: bool) -> None:
        """Create a staff account (an admin unless --role moderator)."""
        password = _read_password(password_stdin)
        try:
            user = staff_accounts.create_staff(email, password, Role(role))
        except staff_accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Created {user.role.label.lower()} account {user.email}.")

    @app.cli.command("set-password")
    @click.argument("email")
    @click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
    def set_password(email: str, password_stdin: bool) -> None:
        """Give a staff account a new password (its open sessions end)."""
        user = staff_accounts.find_by_email(email)
        if user is None:
            raise click.ClickException(f"There is no staff account for {email}.")
        password = _read_password(password_stdin)
        try:
            staff_accounts.change_password(user, password)
        except staff_accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Password changed for {user.email}; its open sessions have ended.")
