"""The outbox: queueing, the log and SMTP delivery backends, retries, and `flask outbox send`."""
from __future__ import annotations

import logging
import smtplib

import pytest
import sqlalchemy as sa

from clinic_finder.extensions import db
from clinic_finder.mail import outbox
from clinic_finder.models import JobRun, OutboxMessage


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what would have been sent, never opens a socket."""

    instances: list[FakeSMTP] = []
    fail_with: Exception | None = None

    def __init__(self, host, port, timeout=None):
        self.host, self.port, self.timeout = host, port, timeout
        self.calls: list[str] = []
        self.sent = []
        FakeSMTP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.calls.append("quit")
        return False

    def starttls(self):
        self.calls.append("starttls")

    def login(self, username, password):
        self.calls.append(f"login:{username}")

    def send_message(self, message):
        if FakeSMTP.fail_with is not None:
            raise FakeSMTP.fail_with
        self.sent.append(message)


@pytest.fixture(autouse=True)
def _reset_fake():
    FakeSMTP.instances = []
    FakeSMTP.fail_with = None
    yield


def _queue(n=1, **fields):
    messages = []
    for i in range(n):
        messages.append(outbox.queue_message(fields.get("kind", "test"), f"to{i}@example.org", f"Subject {i}",
                                             fields.get("body", f"Body {i}")))
    db.session.commit()
    return messages


def _smtp(**overrides):
    settings = {"host": "smtp.example.org", "port": 2525, "sender": "no-reply@clinic-finder.example",
                "username": "mailer", "password": "pw", "smtp_class": FakeSMTP}
    settings.update(overrides)
    return outbox.SmtpBackend(**settings)


def test_queue_message_keeps_its_signature_and_writes_an_unsent_row(db):
    [message] = _queue()
    stored = db.session.get(OutboxMessage, message.id)
    assert (stored.kind, stored.recipient, stored.subject, stored.body) == ("test", "to0@example.org", "Subject 0",
                                                                              "Body 0")
    assert stored.sent_at is None and stored.attempts == 0


def test_the_log_backend_marks_messages_sent_and_logs_no_body(db, caplog):
    caplog.set_level(logging.INFO)
    [message] = _queue(body="Private details: Zyxoprinol")
    report = outbox.deliver_pending(outbox.LogBackend())
    assert (report.sent, report.failed) == (1, 0)
    db.session.refresh(message)
    assert message.sent_at is not None and message.attempts == 1
    assert "to0@example.org" in caplog.text
    assert "Zyxoprinol" not in caplog.text


def test_smtp_delivery_builds_a_proper_email(db):
    [message] = _queue(body="Hello provider")
    report = outbox.deliver_pending(_smtp())
    assert report.sent == 1
    [smtp] = FakeSMTP.instances
    assert (smtp.host, smtp.port) == ("smtp.example.org", 2525)
    assert smtp.calls == ["starttls", "login:mailer", "quit"]
    [email] = smtp.sent
    assert email["To"] == "to0@example.org"
    assert email["From"] == "no-reply@clinic-finder.example"
    assert email["Subject"] == "Subject 0"
    assert email.get_content().strip() == "Hello provider"
    db.session.refresh(message)
    assert message.sent_at is not None


def test_smtp_without_starttls_or_login_skips_them(db):
    _queue()
    outbox.deliver_pending(_smtp(starttls=False, username=""))
    assert FakeSMTP.instances[0].calls == ["quit"]


def test_a_failed_delivery_is_counted_and_retried_until_the_limit(db):
    [message] = _queue()
    FakeSMTP.fail_with = smtplib.SMTPRecipientsRefused({"to0@example.org": (550, b"no such user")})
    first = outbox.deliver_pending(_smtp(), max_attempts=2)
    assert (first.sent, first.failed, first.gave_up) == (0, 1, 0)
    db.session.refresh(message)
    assert message.attempts == 1 and message.sent_at is None
    assert message.last_error.startswith("SMTPRecipientsRefused")
    second = outbox.deliver_pending(_smtp(), max_attempts=2)
    assert (second.failed, second.gave_up) == (0, 1)
    third = outbox.deliver_pending(_smtp(), max_attempts=2)
    assert (third.sent, third.failed, third.gave_up, third.skipped) == (0, 0, 0, 1)
    db.session.refresh(message)
    assert message.attempts == 2


def test_a_retry_that_succeeds_clears_the_error(db):
    [message] = _queue()
    FakeSMTP.fail_with = OSError("connection refused")
    outbox.deliver_pending(_smtp())
    FakeSMTP.fail_with = None
    assert outbox.deliver_pending(_smtp()).sent == 1
    db.session.refresh(message)
    assert message.attempts == 2 and message.last_error is None and message.sent_at is not None


def test_sent_messages_are_never_sent_again(db):
    _queue(2)
    assert outbox.deliver_pending(outbox.LogBackend()).sent == 2
    assert outbox.deliver_pending(outbox.LogBackend()).sent == 0


def test_limit_delivers_the_oldest_first(db):
    first, second = _queue(2)
    assert outbox.deliver_pending(outbox.LogBackend(), limit=1).sent == 1
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.sent_at is not None and second.sent_at is None


def test_backend_from_config():
    assert isinstance(outbox.backend_from_config({"MAIL_BACKEND": "log"}), outbox.LogBackend)
    assert isinstance(outbox.backend_from_config({}), outbox.LogBackend)
    smtp = outbox.backend_from_config({"MAIL_BACKEND": "smtp", "SMTP_HOST": "mail.example.org", "SMTP_PORT": 465,
                                       "MAIL_FROM": "a@b.example"}, smtp_class=FakeSMTP)
    assert isinstance(smtp, outbox.SmtpBackend) and smtp.port == 465 and smtp.smtp_class is FakeSMTP
    with pytest.raises(ValueError, match="SMTP_HOST"):
        outbox.backend_from_config({"MAIL_BACKEND": "smtp", "SMTP_HOST": ""})
    with pytest.raises(ValueError, match="MAIL_BACKEND"):
        outbox.backend_from_config({"MAIL_BACKEND": "carrier-pigeon"})


def test_the_send_command_delivers_with_the_log_backend_and_records_the_run(app, db, runner):
    _queue(3)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Outbox (log): 3 sent, 0 failed" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))) == 0
    run = db.session.scalar(sa.select(JobRun))
    assert run.name == "outbox send" and run.finished_at is not None and "3 sent" in run.summary


def test_the_send_command_uses_smtp_settings_and_exits_non_zero_on_failure(app, db, runner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.org")
    monkeypatch.setattr(outbox.smtplib, "SMTP", FakeSMTP)
    _queue(2)
    FakeSMTP.fail_with = OSError("connection refused")
    result = runner.invoke(args=["outbox", "send", "--max-attempts", "3"])
    assert result.exit_code == 1
    assert "0 sent, 2 failed (will retry)" in result.output
    FakeSMTP.fail_with = None
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "2 sent" in result.output
    assert sum(len(s.sent) for s in FakeSMTP.instances) == 2


def test_the_send_command_refuses_an_unknown_backend(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "fax")
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 2 and "MAIL_BACKEND" in result.output
