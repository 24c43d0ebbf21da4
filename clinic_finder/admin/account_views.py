"""Staff accounts for admins: who can sign in, with which role; lifting pauses, ending sessions, deactivating.

New accounts and passwords are made with `flask create-admin` / `flask set-password`, so no password ever passes
through a web form that another admin could see.
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from clinic_finder.admin import bp
from clinic_finder.admin.access import admin_required
from clinic_finder.inputs.web import reads_query
from clinic_finder.staff import accounts as staff_accounts


class AccountActionForm(FlaskForm):
    """Buttons only; the CSRF token is the whole form."""


def _account_or_404(user_id: int):
    user = staff_accounts.get_staff(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/accounts")
@reads_query()
@admin_required
def accounts():
    return render_template("admin/accounts/list.html", users=staff_accounts.list_staff(), form=AccountActionForm(),
                           now=datetime.now(UTC))


@bp.route("/accounts/<id:user_id>/unlock", methods=["POST"])
@admin_required
def account_unlock(user_id: int):
    user = _account_or_404(user_id)
    if not AccountActionForm().validate_on_submit():
        abort(400, description="Please use the button on the staff accounts page.")
    if staff_accounts.unlock(user, current_user._get_current_object(), request.remote_addr):
        flash(f"{user.email} can sign in again.", "success")
    return redirect(url_for("admin.accounts"))


@bp.route("/accounts/<id:user_id>/sign-out", methods=["POST"])
@admin_required
def account_sign_out(user_id: int):
    """End every session of an account; an admin's own included (then they sign in again)."""
    user = _account_or_404(user_id)
    if not AccountActionForm().validate_on_submit():
        abort(400, description="Please use the button on the staff accounts page.")
    staff_accounts.sign_out_everywhere(user, current_user._get_current_object(), request.remote_addr)
    flash(f"Every session of {user.email} has ended.", "success")
    return redirect(url_for("admin.accounts"))


@bp.route("/accounts/<id:user_id>/active", methods=["POST"])
@admin_required
def account_active(user_id: int):
    user = _account_or_404(user_id)
    if not AccountActionForm().validate_on_submit() or request.form.get("active") not in ("0", "1"):
        abort(400, description="Please use the buttons on the staff accounts page.")
    try:
        changed = staff_accounts.set_active(user, request.form["active"] == "1", current_user._get_current_object(),
                                            request.remote_addr)
    except staff_accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        if changed:
            flash(f"{user.email} is now {'active' if user.active else 'deactivated; their sessions have ended'}.",
                  "success")
    return redirect(url_for("admin.accounts"))
