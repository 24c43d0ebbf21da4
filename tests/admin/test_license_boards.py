"""license_boards: lookup links built from the license's state, credential, number and the NPI."""
from __future__ import annotations

from clinic_finder.licensing.boards import lookup_links, npi_registry_link
from clinic_finder.models import Credential, License


def _license(state="CA", credential=Credential.MD, number="A123456"):
    return License(state=state, credential=credential, license_number=number)


def test_a_known_board_comes_first_with_the_number_to_search_for():
    links = lookup_links(_license("CA"), "1234567893")
    assert links[0].url == "https://search.dca.ca.gov/" and links[0].copy_value == "A123456"
    assert links[-1].url == "https://npiregistry.cms.hhs.gov/provider-view/1234567893"


def test_nurses_are_sent_to_nursys():
    assert any("nursys.com" in link.url for link in lookup_links(_license("OH", Credential.NP), None))


def test_an_unlisted_board_gets_a_web_search_for_the_state_and_profession():
    [link] = lookup_links(_license("WY", Credential.LCSW), None)
    assert "Wyoming" in link.label and "Wyoming%20LCSW%20license%20lookup" in link.url


def test_no_registry_link_for_a_malformed_npi():
    assert npi_registry_link("1234567890") is None and npi_registry_link(None) is None
