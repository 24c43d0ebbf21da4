"""A database that goes away mid-request: ending the session fails too, and the calm 503 must stay a 503."""
from __future__ import annotations

import threading

import sqlalchemy as sa


def test_a_failing_session_close_after_an_outage_does_not_become_a_500(app, db, monkeypatch):
    def down(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("terminating connection due to administrator"))

    def close_fails():
        raise sa.exc.OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator"))

    calls = []

    def close_fails_once():
        calls.append(1)
        if len(calls) == 1:
            close_fails()

    monkeypatch.setattr(db.session, "execute", down)
    monkeypatch.setattr(db.session, "remove", close_fails_once)
    # In a thread of its own, as a server runs a request: the test session's app context is not shared there, so
    # the request's own context ends and its teardowns run.
    answers = []
    worker = threading.Thread(target=lambda: answers.append(app.test_client().get("/healthz")))
    worker.start()
    worker.join()
    response = answers[0]
    assert response.status_code == 503
    assert len(calls) == 2  # ours failed quietly; Flask-SQLAlchemy's own teardown then found nothing left to end
