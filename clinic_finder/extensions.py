"""Flask extensions, created unbound here and bound to an app in create_app()."""
import functools

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from clinic_finder.serving.encodings import OneReadingCompress
from clinic_finder.serving.read_replica import RoutingSession

# Named constraints keep Alembic migrations deterministic and let SQLite batch mode drop them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Read-only requests read from DATABASE_READ_URL's replica when one is set (serving/read_replica.py).
db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
compress = OneReadingCompress()  # one reading of Accept-Encoding (serving/encodings.py)
limiter = Limiter(key_func=get_remote_address, default_limits=[])


_READS = frozenset(("GET", "HEAD", "OPTIONS"))


@limiter.request_filter
def _reads_are_never_limited() -> bool:
    # Every limit is on a form's POST (methods=["POST"]): a read skips the limiter's per-request look-up of its
    # limits, 0.1–0.2 ms of every page and API answer.
    return request.method in _READS


def skip_the_limiter_on_reads(app) -> None:
    """Flask-Limiter's own request hooks (the check, its headers, its per-request state) run for writes only.

    Its filter above still lets each hook set up and tear down per-request state on a read, about 0.08 ms of every
    page; what a hook decides on a read is already known (nothing is limited), so a read skips the hooks.
    """
    def mine(hook) -> bool:
        return getattr(hook, "__self__", None) is limiter or (getattr(hook, "args", None) or (None,))[0] is limiter

    def on_writes(hook, answer_on_reads):
        @functools.wraps(hook)
        def hook_on_writes(*args):
            return answer_on_reads(*args) if request.method in _READS else hook(*args)
        return hook_on_writes

    for hooks, answer_on_reads in ((app.before_request_funcs, lambda: None),
                                   (app.after_request_funcs, lambda response: response),
                                   (app.teardown_request_funcs, lambda error=None: None)):
        chain = hooks.get(None, [])
        chain[:] = [on_writes(hook, answer_on_reads) if mine(hook) else hook for hook in chain]
