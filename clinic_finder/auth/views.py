"""Staff sign-in and sign-out."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError

from clinic_finder.auth import bp
from clinic_finder.auth.forms import LoginForm, LogoutForm
from clinic_finder.auth.redirects import safe_next
from clinic_finder.auth.session import begin_session, end_session
from clinic_finder.extensions import limiter
from clinic_finder.inputs.web import reads_query
from clinic_finder.staff import accounts as staff_accounts

FAILED_MESSAGE = (
    "Those details did not work. Check your email address and password; after "
    f"{staff_accounts.MAX_FAILED_LOGINS} failed attempts an account is paused for "
    f"{int(staff_accounts.LOCKOUT.total_seconds() // 60)} minutes."
)


def _login_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT") or "10 per minute;50 per hour"


@bp.route("/login", methods=["GET", "POST"])
@reads_query("next")
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
        if current_user.is_authenticated:
            return redirect(form.next.data or url_for("admin.dashboard"))
    if form.validate_on_submit():
        result = staff_accounts.authenticate(form.email.data, form.password.data, ip_address=request.remote_addr)
        if result.ok:
            target = safe_next(form.next.data) or url_for("admin.dashboard")
            # A fresh session on every sign-in: nothing planted in the cookie before survives (session fixation),
            # and a session this browser already had ends on the server too.
            end_session()
            session.clear()
            session.permanent = True
            login_user(result.user)
            begin_session(result.user)
            return redirect(target)
        form.password.errors.append(FAILED_MESSAGE)
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if not form.validate_on_submit():
        flash("Your sign-out form had expired; please try again.", "error")
        return redirect(url_for("admin.dashboard") if current_user.is_authenticated else url_for("auth.login"))
    if current_user.is_authenticated:
        staff_accounts.record_sign_out(current_user._get_current_object(), request.remote_addr)
    end_session()
    logout_user()
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.app_errorhandler(CSRFError)
def refused_form(err: CSRFError):
    """A forged, expired or replayed form anywhere on the site: say so plainly, log it, change nothing."""
    current_app.logger.warning("Refused %s %s: %s", request.method, request.path, err.description)
    return render_template("errors/form_expired.html", reason=err.description), 400
