"""Anonymous visitors get no cookie and pages that do not vary on one.

Flask marks a response `Vary: Cookie` whenever anything so much as reads the session — and every page does, since
the header asks Flask-Login who is signed in. For a visitor who sent no session cookie and leaves with an empty
session, the answer did not depend on a cookie, so saying it did would only stop shared caches from keeping it.
"""
from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin


def sent_session_cookie(app: Flask, request: Request) -> bool:
    return app.config["SESSION_COOKIE_NAME"] in request.cookies


class CookieFreeSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if app.secret_key and not sent_session_cookie(app, request):
            return self.session_class()  # nothing to verify: the signer is not built for most visitors
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        from flask import request

        if not session and not session.modified and not sent_session_cookie(app, request):
            return  # nothing to store, nothing to delete, and no cookie was read: no Set-Cookie, no Vary
        super().save_session(app, session, response)
