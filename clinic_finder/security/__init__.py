"""Defences the whole site relies on: security headers, trusted host names and public links, single-use forms."""
from clinic_finder.security.headers import init_security_headers
from clinic_finder.security.hosts import init_trusted_hosts, public_url

__all__ = ["init_security_headers", "init_trusted_hosts", "public_url"]
