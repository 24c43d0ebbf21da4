"""Command-line commands, registered on the app (`flask --app clinic_finder <command>`)."""
from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from clinic_finder.cli import seed

    for module in (seed,):
        module.register(app)
    # Commands owned by later features register themselves here when their module exists.
    for name in ("users", "licenses", "geocode", "outbox", "interchange", "data"):
        try:
            module = __import__(f"{__name__}.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(app)
