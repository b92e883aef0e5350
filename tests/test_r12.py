"""The R12 engine (analysis/r12.py), checked against hand-computed cases: a missing
month, a series that starts mid-year, a ratio of sums against a mean of rates, a year
boundary, hours in årsarbetare."""
import math

import numpy as np
import pandas as pd
import pytest

from regionanalys.analysis import r12 as rt
from regionanalys.analysis import staffing


def months(start: str, n: int) -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq="M")


def series(start: str, values, drop=()) -> pd.Series:
    s = pd.Series([float(v) for v in values], index=months(start, len(values)))
    return s.drop([pd.Period(d, freq="M") for d in drop])


M = lambda text: pd.Period(text, freq="M")  # noqa: E731


# --- the R12 engine ----------------------------------------------------------------------


def test_r12_sum_is_the_sum_of_the_last_twelve_months():
    s = series("2022-01", range(1, 15))  # jan 2022 = 1 ... feb 2023 = 14
    r = rt.r12(s)
    assert r.loc[:M("2022-11")].isna().all()
    assert r[M("2022-12")] == 78  # 1 + … + 12
    assert r[M("2023-01")] == 90  # 2 + … + 13
    assert r[M("2023-02")] == 102  # 3 + … + 14


def test_a_missing_month_gives_no_r12_for_the_twelve_windows_that_contain_it():
    s = series("2021-01", [10] * 36, drop=["2022-07"])  # 2021-01 … 2023-12, July 2022 missing
    r = rt.r12(s)
    assert r[M("2022-06")] == 120
    assert r.loc[M("2022-07"):M("2023-06")].isna().all()
    assert len(r.loc[M("2022-07"):M("2023-06")]) == 12
    assert r[M("2023-07")] == 120  # never an eleven-month sum
    gaps = rt.r12_gaps({"kostnaden": s})
    assert [(g.start, g.end) for g in gaps] == [(M("2021-01"), M("2021-11")), (M("2022-07"), M("2023-06"))]
    assert gaps[0].only_start and "börjar i januari 2021" in gaps[0].reason
    assert gaps[1].reason == "kostnaden saknas för juli 2022." and gaps[1].months == "juli 2022–juni 2023"


def test_a_series_that_starts_mid_year():
    s = series("2022-07", [5] * 18)  # July 2022 … December 2023
    r = rt.r12(s)
    assert r.first_valid_index() == M("2023-06")
    assert r[M("2023-06")] == 60
    # Year to date exists for 2023 but the same period of 2022 does not (Jan–June 2022 missing).
    assert rt.window_value(s, None, rt.ytd_months(M("2023-12"))) == 60
    assert math.isnan(rt.window_value(s, None, rt.ytd_months(M("2022-12"))))
    assert rt.window_value(s, None, rt.ytd_months(M("2022-12"))[6:]) == 30
    gaps = rt.r12_gaps({"timmarna": s}, until=M("2024-02"))
    assert gaps[0].start == M("2022-07") and gaps[0].end == M("2023-05")
    assert "börjar i juli 2022, så tolv månader finns först i juni 2023" in gaps[0].reason
    assert gaps[-1].start == M("2024-01") and "slutar i december 2023" in gaps[-1].reason


def test_a_rate_is_a_ratio_of_sums_not_a_mean_of_monthly_rates():
    sick = series("2023-01", [50] + [10] * 11)
    scheduled = series("2023-01", [100] + [1000] * 11)
    r = rt.r12(sick, scheduled, how="ratio")
    ratio_of_sums = (50 + 110) / (100 + 11_000) * 100  # 1,4414… %
    mean_of_rates = (50.0 + 11 * 1.0) / 12  # 5,083… %
    assert r[M("2023-12")] == pytest.approx(ratio_of_sums)
    assert r[M("2023-12")] != pytest.approx(mean_of_rates)
    assert rt.window_value(sick, scheduled, rt.r12_months(M("2023-12")), how="ratio") == pytest.approx(ratio_of_sums)


def test_a_ratio_needs_both_series_for_all_twelve_months():
    num = series("2023-01", [1] * 12)
    den = series("2023-01", [100] * 12, drop=["2023-03"])
    assert math.isnan(rt.r12(num, den, how="ratio")[M("2023-12")])
    gaps = rt.r12_gaps({"täljaren": num, "nämnaren": den})
    assert "nämnaren saknas för mars 2023" in gaps[-1].reason


def test_year_boundary_windows():
    # Value = month number + 100 × (year − 2021): Jan 2022 = 101, Dec 2022 = 112, Mar 2023 = 203.
    idx = months("2021-01", 27)
    s = pd.Series([m.month + 100.0 * (m.year - 2021) for m in idx], index=idx)
    # R12 at March 2023 = April–December 2022 + January–March 2023.
    expected = sum(range(104, 113)) + (201 + 202 + 203)
    assert rt.r12(s)[M("2023-03")] == expected
    assert rt.r12_months(M("2023-03"))[0] == M("2022-04")
    # Year to date does not cross the boundary: Jan–Feb 2023 and Jan–Feb 2022.
    assert rt.window_value(s, None, rt.ytd_months(M("2023-02"))) == 201 + 202
    assert rt.window_value(s, None, rt.ytd_months(M("2023-02") - 12)) == 101 + 102
    assert list(rt.ytd_months(M("2023-01"))) == [M("2023-01")]


def test_arsarbetare_is_the_twelve_month_average():
    hours = series("2023-01", [170_000] * 12)
    assert rt.r12(hours, how="arsarbetare")[M("2023-12")] == pytest.approx(1200)  # 2 040 000 / 1 700
    assert rt.r12(hours, how="arsarbetare", hours_per_arsarbetare=2000)[M("2023-12")] == pytest.approx(1020)
    # Three months of the same level are the same average number of årsarbetare.
    assert rt.window_value(hours, None, months("2023-01", 3), how="arsarbetare") == pytest.approx(1200)
    # Summer: fewer hours in July lowers the twelve-month average by July's shortfall / 12.
    summer = hours.copy()
    summer[M("2023-07")] = 68_000
    assert rt.r12(summer, how="arsarbetare")[M("2023-12")] == pytest.approx(1200 - 102_000 / 1700)


def test_unknown_how_and_missing_denominator_are_errors():
    s = series("2023-01", [1] * 12)
    with pytest.raises(ValueError):
        rt.r12(s, how="mean")
    with pytest.raises(ValueError):
        rt.r12(s, how="ratio")


def test_window_sum_equals_the_plain_sum_of_each_complete_window():
    rng = np.random.default_rng(7)
    values = rng.uniform(0, 1e6, 40).round(2)
    values[17] = np.nan
    s = rt.complete(pd.Series(values, index=months("2020-03", 40)))
    got = rt.window_sum(s)
    for i in range(40):
        window = values[max(0, i - 11): i + 1]
        if i < 11 or np.isnan(window).any():
            assert math.isnan(got.iloc[i]), i
        else:
            assert got.iloc[i] == pytest.approx(window.sum(), rel=1e-12), i


def test_a_denominator_of_zero_over_twelve_months_gives_no_rate():
    # Rolling sums add and remove values; twelve zero months after non-zero ones must
    # still sum to zero (no residue), so the ratio is missing, not huge.
    num = series("2022-01", [3.3] * 24)
    den = series("2022-01", [0.1, 0.7, 1e6] + [0.3] * 9 + [0] * 12)
    r = rt.r12(num, den, how="ratio")
    assert math.isnan(r[M("2023-12")])
    assert r[M("2022-12")] == pytest.approx(3.3 * 12 / (0.1 + 0.7 + 1e6 + 2.7) * 100)


def test_staffing_still_exports_the_engine_names():
    # Notebooks and older code call staffing.to_month, staffing.r12 and friends.
    for name in ("to_month", "fmt_month", "fmt_months", "ytd_months", "r12_months", "r12", "r12_gaps",
                 "window_value", "window_sum", "complete", "Gap", "HOURS_PER_ARSARBETARE"):
        assert getattr(staffing, name) is getattr(rt, name)
