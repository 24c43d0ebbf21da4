"""The floor of bench/load.py: a WSGI app that does nothing, served by the same gunicorn. Its CPU per request is
what gunicorn and the kernel spend on any request (accepting, parsing, writing, closing), which no change to the
app can remove."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
