"""Which content encoding a request accepts, read one way for every response: pages and JSON (Flask-Compress) and
precompressed assets (serving/precompressed.py).

Werkzeug's reading of Accept-Encoding follows RFC 9110: `q=0` refuses an encoding and a malformed weight drops its
entry. Flask-Compress's own reading took `br;q=0` as a yes and `br;q=abc` as `br`, so a client refusing brotli could
still be sent it; here it sees only the encoding chosen by this rule.
"""
from __future__ import annotations

from flask import Response, current_app, request
from flask_compress import Compress


def chosen_encoding() -> str | None:
    """The encoding to send this request's response in, or None for none: among COMPRESS_ALGORITHM (config.py, in
    the server's order of preference where the client weighs them alike)."""
    return request.accept_encodings.best_match(current_app.config["COMPRESS_ALGORITHM"])


class OneReadingCompress(Compress):
    """Flask-Compress, shown the Accept-Encoding of this module's choice instead of the header as sent."""

    def after_request(self, response: Response) -> Response:
        environ = request.environ
        sent = environ.get("HTTP_ACCEPT_ENCODING")
        environ["HTTP_ACCEPT_ENCODING"] = chosen_encoding() or "identity"
        try:
            return super().after_request(response)
        finally:
            if sent is None:
                del environ["HTTP_ACCEPT_ENCODING"]
            else:
                environ["HTTP_ACCEPT_ENCODING"] = sent
