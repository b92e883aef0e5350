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
