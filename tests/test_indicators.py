import math

import pandas as pd
import pytest

from regionanalys.analysis import indicators as ind


def test_growth_pct_and_undefined_cases():
    assert ind.growth_pct(11776, 10478) == pytest.approx(12.3879, abs=1e-4)
    assert math.isnan(ind.growth_pct(1, 0))
    assert math.isnan(ind.growth_pct(math.nan, 5))


def test_yearly_growth_never_bridges_a_gap():
    s = pd.Series([100.0, 110.0, 130.0], index=[2020, 2021, 2023])
    g = ind.yearly_growth(s)
    assert g[2021] == pytest.approx(10.0)
    assert math.isnan(g[2020]) and math.isnan(g[2023])


def test_per_capita_and_share():
    assert ind.per_capita(11776, 283548) == pytest.approx(41530.9, abs=0.1)
    assert ind.share_pct(-478, 11298) == pytest.approx(-4.2308, abs=1e-4)


def test_select_accepts_names_and_lists(seed_df):
    rows = ind.select(seed_df, region="Värmland", series=["nettokostnader"], kind="utfall")
    assert set(rows["year"]) == {2022, 2023}
    assert set(ind.select(seed_df, region=["17", "Örebro län"])["region"]) == {"17", "18"}


def test_annual_and_value_at(seed_df):
    assert ind.value_at(seed_df, "nettokostnader", "17", 2023) == 11776
    assert math.isnan(ind.value_at(seed_df, "nettokostnader", "17", 2019))
    assert list(ind.population(seed_df, "24").index) == [2021, 2022, 2023, 2024]


def test_budget_from_deviation():
    assert ind.budget_from_deviation(11776, 948) == 10828
