"""Cell parsing: numbers, periods and yes/no as Swedish exports and documents write them."""
import pandas as pd
import pytest

from regionanalys.data.parsing import CellError, parse_bool, parse_number, parse_period


@pytest.mark.parametrize(
    "text, value",
    [
        ("11 776", 11776), ("2 394,5", 2394.5), ("2\u00a0394,5", 2394.5), ("2\u202f394,5", 2394.5),
        ("2\u2009394,5", 2394.5), ("1 234 567,8", 1234567.8), ("4,6", 4.6), ("4.6", 4.6),
        ("−478", -478), ("–613", -613), ("-38,4", -38.4), ("− 478", -478), ("(878)", -878),
        ("+5", 5), ("0", 0), ("  12  ", 12), ("23945", 23945), ("1,234", 1.234),
    ],
)
def test_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text, says",
    [
        ("ca 76", "'ca 76' är inte ett tal"),
        ("=SUM(A1:A3)", "Excel-formel"),
        ("", "tom cell"),
        ("1.234,5", "inte ett tal"),  # mixed separators are ambiguous
        ("12 34", "inte ett tal"),  # not a thousands group
        ("76 mnkr", "inte ett tal"),
        ("nan", "inte ett tal"),
        ("inf", "inte ett tal"),
        ("1e5", "inte ett tal"),
        ("#REF!", "inte ett tal"),
    ],
)
def test_numbers_rejected_with_what_was_expected(text, says):
    with pytest.raises(CellError) as info:
        parse_number(text)
    assert says in info.value.message
    assert "decimalkomma" in info.value.expected


@pytest.mark.parametrize(
    "text, period",
    [
        ("2023", pd.Period("2023", "Y")), ("2023.0", pd.Period("2023", "Y")),
        ("2023-01", pd.Period("2023-01", "M")), ("2023-1", pd.Period("2023-01", "M")),
        ("202301", pd.Period("2023-01", "M")), ("2023M01", pd.Period("2023-01", "M")),
        ("2023/12", pd.Period("2023-12", "M")), ("jan 2023", pd.Period("2023-01", "M")),
        ("januari 2023", pd.Period("2023-01", "M")), ("Maj 2024", pd.Period("2024-05", "M")),
        ("okt 2023", pd.Period("2023-10", "M")), ("sept 2023", pd.Period("2023-09", "M")),
        ("jan-23", pd.Period("2023-01", "M")), ("2023-03-01 00:00:00", pd.Period("2023-03", "M")),
    ],
)
def test_periods(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize(
    "text, says",
    [
        ("2023-13", "månad 13 finns inte"), ("202300", "månad 0 finns inte"), ("Q5", "ingen period"),
        ("2023 Q1", "ingen period"), ("1899", "utanför 1990–2100"), ("2101", "utanför"), ("", "tom cell"),
        ("23", "ingen period"), ("mars", "ingen period"), ("foo 2023", "ingen period"),
    ],
)
def test_periods_rejected(text, says):
    with pytest.raises(CellError) as info:
        parse_period(text)
    assert says in info.value.message
    assert "2023-01" in info.value.expected


@pytest.mark.parametrize("text, value", [("", False), ("true", True), ("Sant", True), ("ja", True), ("1", True), ("nej", False), ("FALSE", False), ("0", False)])
def test_bools(text, value):
    assert parse_bool(text) is value


@pytest.mark.parametrize("text", ["kanske", "2", "yes please", "x"])
def test_bools_rejected(text):
    with pytest.raises(CellError) as info:
        parse_bool(text)
    assert "inte sant eller falskt" in info.value.message
