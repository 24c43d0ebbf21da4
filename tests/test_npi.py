from clinic_finder.licensing.npi import is_valid_npi, npi_problem


def test_cms_example_npi_is_valid():
    assert is_valid_npi("1234567893")


def test_wrong_check_digit_is_refused_with_a_reason():
    assert not is_valid_npi("1234567890")
    assert "check digit" in npi_problem("1234567890")


def test_length_and_characters():
    assert "10 digits" in npi_problem("123")
    assert "digits only" in npi_problem("12345678a3")
    assert "digits only" in npi_problem("１２３４５６７８９３")  # full-width digits are not ASCII
