"""The one whole-number parser: page numbers, ids, prices; hostile numbers are polite refusals."""
import pytest

from clinic_finder.inputs.numbers import (
    DB_ID_MAX,
    PAGE_MAX,
    decimal_number,
    page_number,
    record_id,
    record_ids,
    whole_dollars,
    whole_number,
)
from clinic_finder.inputs.problems import InvalidInput


@pytest.mark.parametrize("raw", ["²", "１２", "1e3", "1.0", "0x10", " - 3", "abc", "1 2", "٣"])
def test_only_ascii_digits_make_a_whole_number(raw):
    with pytest.raises(InvalidInput) as err:
        whole_number(raw, "n", "count", 0, 100)
    assert err.value.field == "n" and "whole number" in err.value.message


@pytest.mark.parametrize("raw", ["9" * 400, "9" * 19, str(10**6 + 1), "0", "-1", "-" + "9" * 400])
def test_a_page_outside_one_to_a_million_is_refused_without_converting_huge_numbers(raw):
    with pytest.raises(InvalidInput) as err:
        page_number(raw)
    assert err.value.field == "page"


def test_page_bounds_are_inclusive_and_empty_is_the_first_page():
    assert page_number(None) == 1 and page_number("") == 1 and page_number(" 7 ") == 7
    assert page_number(str(PAGE_MAX)) == PAGE_MAX


def test_ids_stop_where_the_database_integer_stops():
    assert record_id(str(DB_ID_MAX)) == DB_ID_MAX
    with pytest.raises(InvalidInput):
        record_id(str(DB_ID_MAX + 1))
    assert record_ids(["3", "x", "3", str(DB_ID_MAX + 1), "0", "²", "1"]) == [3, 1]


def test_negative_numbers_only_where_the_range_allows():
    assert whole_number("-5", "n", "offset", -10, 10) == -5
    with pytest.raises(InvalidInput, match="from 1 to 10"):
        whole_number("-5", "n", "offset", 1, 10)


def test_prices_in_whole_dollars():
    assert whole_dollars("$1,200", "price", "price", 20_000) == 1200
    assert whole_dollars("", "price", "price", 20_000) is None
    with pytest.raises(InvalidInput, match="whole US dollars"):
        whole_dollars("12.50", "price", "price", 20_000)
    with pytest.raises(InvalidInput, match=r"from \$0 to \$20,000"):
        whole_dollars("9" * 309, "price", "price", 20_000)


@pytest.mark.parametrize("raw", ["NaN", "inf", "-inf", "1e400", "9" * 400, "１"])
def test_decimals_must_be_finite_and_short(raw):
    with pytest.raises(InvalidInput):
        decimal_number(raw, "lat", "latitude", -90, 90)

