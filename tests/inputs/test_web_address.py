"""The kit's web address: what a listing's website may be."""
from __future__ import annotations

import pytest

from clinic_finder.inputs.contact import web_address
from clinic_finder.inputs.problems import InvalidInput


def test_a_bare_host_gets_https_and_empty_is_none():
    assert web_address("harbor-light.example") == "https://harbor-light.example"
    assert web_address("http://a.example/x") == "http://a.example/x"
    assert web_address("  ") is None


@pytest.mark.parametrize("raw", ["javascript:alert(1)", "ftp://files.example", "https://nodot", "http://[x",
                                 "https://a b.example", "https://" + "a" * 300 + ".example"])
def test_other_schemes_hosts_without_a_dot_and_broken_addresses_are_refused(raw):
    with pytest.raises(InvalidInput) as caught:
        web_address(raw, field="website")
    assert caught.value.field == "website" and "web address" in caught.value.message
