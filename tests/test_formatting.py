import math

import pytest

from regionanalys.data.formatting import MINUS, NBSP, fmt_auto, fmt_mnkr, fmt_number, fmt_pct, plain


@pytest.mark.parametrize(
    "value, decimals, expected",
    [(11776, 0, "11 776"), (-478, 0, "−478"), (4.63, 1, "4,6"), (2394.5, 1, "2 394,5"),
     (10552707, 0, "10 552 707"), (0.04, 1, "0,0"), (-0.04, 1, "0,0"), (999.96, 1, "1 000,0")],
)
def test_fmt_number_swedish(value, decimals, expected):
    assert plain(fmt_number(value, decimals)) == plain(expected)


def test_thousands_use_no_break_space_and_minus_is_unicode():
    assert fmt_number(-11776) == f"{MINUS}11{NBSP}776"


def test_units_and_signs():
    assert plain(fmt_mnkr(11776)) == "11 776 mnkr"
    assert plain(fmt_pct(4.6)) == "4,6 %"
    assert plain(fmt_mnkr(319, sign=True)) == "+319 mnkr"
    assert plain(fmt_mnkr(-478, sign=True)) == "-478 mnkr"
    assert plain(fmt_auto(30.5, "arsarbetare")) == "30,5 åa"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_values_show_a_dash_not_zero(missing):
    assert fmt_mnkr(missing) == "–"
    assert fmt_pct(missing) == "–"


def test_babel_swedish_locale_still_gives_our_symbols():
    """If CLDR's Swedish data ever changes separator or minus, this says so before the reports change."""
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    from regionanalys.data.formatting import LOCALE

    assert (get_group_symbol(LOCALE), get_decimal_symbol(LOCALE), get_minus_sign_symbol(LOCALE)) == (NBSP, ",", MINUS)


@pytest.mark.parametrize(
    "value, decimals, sign, expected",
    [(4.6, 1, False, f"4,6{NBSP}%"), (-3.25, 1, True, f"{MINUS}3,2{NBSP}%"), (0.04, 1, True, f"0,0{NBSP}%"),
     (12.5, 0, True, f"+12{NBSP}%"), (1234.5, 1, False, f"1{NBSP}234,5{NBSP}%"), (2.675, 2, False, f"2,67{NBSP}%")],
)
def test_percent_keeps_python_rounding_and_swedish_layout(value, decimals, sign, expected):
    # 2.675 is 2.67499... as a float: Python's round() gives 2,67, which the reports have always shown
    assert fmt_pct(value, decimals, sign) == expected


def test_large_and_negative_numbers_group_with_no_break_space():
    assert fmt_number(-1234567.891, 2) == f"{MINUS}1{NBSP}234{NBSP}567,89"
    assert fmt_number(1e16) == NBSP.join(["10", "000", "000", "000", "000", "000"])


def test_month_names_in_swedish():
    from regionanalys.data.formatting import month_abbr, month_name

    assert [month_name(m) for m in (1, 3, 5, 8, 12)] == ["januari", "mars", "maj", "augusti", "december"]
    assert [month_abbr(m) for m in range(1, 13)] == ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def test_cached_formatting_is_babels_for_every_kind_of_key():
    """The per-number cache keys on the float: ints, numpy floats, -0.0 and repeats format as
    an uncached call does, in any order."""
    import numpy as np

    from regionanalys.data.formatting import _format_float

    uncached = _format_float.__wrapped__
    values = [0, 0.0, -0.0, -0.04, 0.04, 5, 5.0, np.float64(5.0), np.int64(-478), 2.675, 999.96, -1234567.891, 1e16, True]
    for decimals in (0, 1, 2):
        for sign in (False, True):
            for percent in (False, True):
                for value in values + values[::-1]:
                    assert _format_float(float(value), decimals, sign, percent) == uncached(float(value), decimals, sign, percent)
    assert fmt_number(-0.0, 1) == fmt_number(0.0, 1) == "0,0"
    assert fmt_number(np.float64(-478.4)) == fmt_number(-478) == f"{MINUS}478"
