"""Savings effect against trend: recovered on synthetic series with a known effect."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from regionanalys.analysis import effect as e
from regionanalys.report.charts.savings import effect_chart
from regionanalys.report.charts.style import close

MONTHS = pd.period_range("2019-01", periods=72, freq="M")
T = np.arange(72)
START = "2023-01-01"  # month 48: 48 months before, 24 after


def synthetic(seed: int, effect_per_month: float = -4.0, noise: float = 1.5) -> pd.Series:
    rng = np.random.default_rng(seed)
    y = 100 + 0.5 * T + 5 * np.sin(2 * np.pi * MONTHS.month.to_numpy() / 12) + rng.normal(0, noise, len(T))
    y[48:] += effect_per_month
    return pd.Series(y, index=MONTHS)


def test_known_effect_is_recovered_within_its_band():
    true = -4.0 * 24
    r = e.estimate_effect(synthetic(7), START)
    assert r.n_pre == 48 and r.n_post == 24 and r.seasonal
    assert r.low <= true <= r.high
    assert r.significant and r.high < 0
    assert abs(r.effect - true) < 40


def test_no_effect_band_contains_zero():
    r = e.estimate_effect(synthetic(3, effect_per_month=0.0), START)
    assert r.low <= 0 <= r.high


def test_band_has_about_its_nominal_coverage():
    true = -96.0
    hits = sum(1 for s in range(150) if (lambda r: r.low <= true <= r.high)(e.estimate_effect(synthetic(s), START)))
    assert 0.88 <= hits / 150 <= 0.995


def test_mean_series_and_short_pre_period():
    r = e.estimate_effect(synthetic(1), START, cumulative=False)
    assert r.low <= -4.0 <= r.high
    short = synthetic(1)["2022-02":]
    assert e.estimate_effect(short, START) is None  # 11 months before the start
    linear = e.estimate_effect(synthetic(1)["2021-06":], START)
    assert not linear.seasonal and linear.notes


def test_start_mid_month_is_a_transition_month():
    assert str(e.first_post_month("2022-11-21")) == "2022-12"
    assert str(e.first_post_month("2024-01-01")) == "2024-01"
    r = e.estimate_effect(synthetic(1), "2022-11-21")
    assert (r.table["fas"] == "övergång").sum() == 1 and str(r.start) == "2022-12"


def test_t_quantile():
    assert e.t_quantile(0.975, 5) == pytest.approx(2.5706, abs=2e-3)
    assert e.t_quantile(0.975, 30) == pytest.approx(2.0423, abs=1e-3)
    assert e.t_quantile(0.975, 10**9) == pytest.approx(1.95996, abs=1e-4)


def _monthly_df(values: pd.Series, series: str = "egen_personalkostnad", example: bool = True) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame({
        "region": "17", "org": "region", "series": series, "category": "", "period": list(values.index), "kind": "utfall",
        "value": values.to_numpy(), "unit": "mnkr", "source": "test", "note": "", "example": example,
        "year": [p.year for p in values.index], "freq": "M", "source_file": "t.csv", "source_line": range(2, n + 2),
    })


def test_effects_for_region_pairs_series_and_decisions():
    df = _monthly_df(synthetic(7))
    events = pd.DataFrame({
        "region": ["17", "17"], "org": ["region", "region"],
        "start": [pd.Timestamp(START), pd.Timestamp("2024-11-01")], "end": [pd.NaT, pd.NaT],
        "event": ["a", "b"], "label": ["Beslut A", "Beslut B"], "source": ["t", "t"],
    })
    results = e.effects_for_region(df, events, "17")
    assert len(results) == 1  # decision B has fewer than 3 months after it
    r = results[0]
    assert r.n_post == 22 and r.example and r.unit == "mnkr"  # ends the day before B
    assert r.low <= -4.0 * 22 <= r.high
    assert "exempeldata" in e.effect_reading(r) and "Beslut A" in e.effect_reading(r)
    fig = effect_chart(r, "Effekt")
    assert isinstance(fig, Figure)
    close(fig)
    assert not e.summary_table(results).empty


def test_without_monthly_data_the_page_says_so(seed_df):
    events = pd.DataFrame({"region": ["17"], "org": ["region"], "start": [pd.Timestamp("2022-11-21")], "end": [pd.NaT], "event": ["x"], "label": ["Anställningsstopp"], "source": ["t"]})
    yearly = seed_df[seed_df["freq"] == "Y"]
    assert e.effects_for_region(yearly, events, "17") == []
    assert "inga månadsserier" in e.no_series_text(yearly, events, "17")


def _events(org: str, event: str, label: str) -> pd.DataFrame:
    return pd.DataFrame({"region": ["17"], "org": [org], "start": [pd.Timestamp(START)], "end": [pd.NaT],
                         "event": [event], "label": [label], "source": ["t"]})


def test_an_administrative_decision_is_not_tested_on_all_staff():
    df = _monthly_df(synthetic(7))  # egen_personalkostnad for the whole region
    events = _events("region", "anstallningsstopp_administration", "Anställningsstopp för administrativ personal")
    assert e.effects_for_region(df, events, "17") == []
    refused = e.refusals(df, events, "17")
    assert len(refused) == 1
    assert "administrationen" in refused[0] and "personalkostnad för administratörer och handläggare" in refused[0]


def test_a_nämnd_decision_is_not_tested_on_the_whole_region():
    df = _monthly_df(synthetic(7))
    events = _events("Servicenämnden", "handlingsplan", "Handlingsplan")
    assert e.effects_for_region(df, events, "17") == []
    assert "personalkostnad för Servicenämnden" in e.refusals(df, events, "17")[0]
    # A whole-region decision on the whole region's series is tested, and nothing is refused.
    whole = _events("region", "sparbeslut", "Sparbeslut")
    assert len(e.effects_for_region(df, whole, "17")) == 1 and e.refusals(df, whole, "17") == []


def test_reading_on_example_data_states_no_amount():
    df = _monthly_df(synthetic(7))
    r = e.effects_for_region(df, _events("region", "sparbeslut", "Sparbeslut"), "17")[0]
    assert r.example
    text = e.effect_reading(r)
    assert "exempeldata" in text and "mnkr" not in text and "större än osäkerheten" not in text
    assert not any(ch.isdigit() for ch in text)
    r.example = False
    real = e.effect_reading(r)
    assert "mnkr" in real and "%-intervall" not in real and "minsta kvadrat" not in real
