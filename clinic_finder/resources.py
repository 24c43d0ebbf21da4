"""Where the database migrations and the demo data are: inside the installed package, or beside it in a checkout."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def migrations_folder() -> Path:
    """The Alembic folder (alembic.ini, env.py, versions/)."""
    return _locate("migrations")


def seed_data_folder() -> Path:
    """The fictional demo directory that `flask seed-demo` loads."""
    return _locate("seed_data")


def _locate(name: str) -> Path:
    # The repository keeps both folders at its top level; a wheel carries them inside the package (setup.py's build
    # step copies them there). Inside first: beside an installed package is site-packages, where another
    # distribution's "migrations" folder may sit, so the top level is only for a checkout (or an editable install).
    bundled = _PACKAGE / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name
