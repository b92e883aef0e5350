"""Deficit analysis on the seed data: the result bridge, the growth gap, the normalized
comparison, the existing tables, and the charts built on them."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from regionanalys.analysis import deficits as d
from regionanalys.report.charts import deficits as charts
from regionanalys.report.charts.style import close
from regionanalys.data.formatting import plain

REGIONS = ["17", "18", "24"]


def test_varmland_bridge_2022_to_2023(seed_df):
    b = d.result_bridge(seed_df, "17", 2022, 2023)
    assert list(b["typ"]) == ["start", "ändring", "ändring", "rest", "delsumma", "ändring", "slut"]
    assert list(b["belopp"]) == [319, 500, -1298, 1, -478, -400, -878]
    # Each step starts where the previous ended: the bridge adds up by construction.
    assert np.allclose(b["från"].iloc[2:4].to_numpy(), b["till"].iloc[1:3].to_numpy())
    assert b["belopp"].iloc[:4].sum() == b["belopp"].iloc[4]
    cost = b.iloc[2]
    assert cost["ökning_pct"] == pytest.approx(12.387, abs=1e-3) and cost["uppgiven_ökning_pct"] == 12
    assert b.iloc[1]["ökning_pct"] == pytest.approx(4.630, abs=1e-3)
    text = plain(d.bridge_reading(b, "17"))
    for piece in ("+319 mnkr 2022", "-478 mnkr 2023", "1 298 mnkr (12,4 %; källan anger 12 %)", "500 mnkr (4,6 %)", "1 mnkr är avrundning", "-878 mnkr"):
        assert piece in text


def test_bridge_without_financial_items_and_without_data(seed_df):
    b = d.result_bridge(seed_df, "17", 2022, through_financial=False)
    assert b["typ"].iloc[-1] == "slut" and b["belopp"].iloc[-1] == -478
    empty = d.result_bridge(seed_df, "24", 2022, 2023)
    assert empty.empty and "kan inte göras" in d.bridge_reading(empty, "24")
    assert charts.bridge_chart(empty, "x") is None


def test_growth_gap(seed_df):
    g = d.growth_gap_table(seed_df, REGIONS)
    assert list(g["region"]) == ["17"]
    r = g.iloc[0]
    assert r["gap_pe"] == pytest.approx(12.3879 - 4.6305, abs=1e-3)
    assert r["gapets_kostnad_mnkr"] == pytest.approx(10478 * r["gap_pe"] / 100)
    text = plain(d.growth_gap_reading(g, REGIONS))
    assert "7,8 procentenheter snabbare" in text and "813 mnkr" in text
    assert "Region Örebro län och Region Västerbotten saknas" in text


def test_normalized_results_show_missing_as_missing(seed_df):
    n = d.normalized_results(seed_df, REGIONS, [2022, 2023])
    assert len(n) == 3 * 2 * len(d.RESULT_MEASURES)
    v23 = n[(n["region"] == "17") & (n["år"] == 2023) & (n["mått"] == d.RESULT)].iloc[0]
    assert v23["kr_per_invånare"] == pytest.approx(-478e6 / 283548)
    assert v23["andel_av_skatt_pct"] == pytest.approx(-478 / 11298 * 100)
    vb = n[(n["region"] == "24") & (n["mått"] == d.RESULT)]
    assert vb["belopp_mnkr"].isna().all() and (vb["status"] == d.MISSING_TEXT).all()
    orebro = n[(n["region"] == "18") & (n["år"] == 2023) & (n["mått"] == "arets_resultat")].iloc[0]
    assert orebro["typ"] == "prognos" and orebro["kr_per_invånare"] == pytest.approx(-1000e6 / 308116)
    text = plain(d.normalized_reading(n))
    assert "-1 686 kr per invånare" in text and "visas som saknad" in text


def test_existing_functions_still_work(seed_df):
    t = d.cost_revenue_table(seed_df, "17")
    assert list(t["år"]) == [2022, 2023]
    assert "12,4 %" in plain(d.cost_revenue_reading(t, "17"))
    assert not d.stated_growth_check(seed_df, "17", 2023).empty
    assert len(d.budget_deviation_table(seed_df, "17", 2023)) == 4
    assert d.orgs_with_result_statement(seed_df, "18") == ["Servicenämnden"]
    assert not d.result_statement(seed_df, "18", "Servicenämnden").empty


def test_charts(seed_df):
    figs = [
        charts.bridge_chart(d.result_bridge(seed_df, "17", 2022), "Bryggan"),
        charts.growth_gap_chart(d.growth_gap_table(seed_df, REGIONS), REGIONS, "Gap"),
        charts.normalized_chart(d.normalized_results(seed_df, REGIONS, [2022, 2023]), "Resultat"),
    ]
    for fig in figs:
        assert isinstance(fig, Figure)
        close(fig)
    # The missing marker is drawn, not a zero bar: its text is on the chart.
    fig = charts.normalized_chart(d.normalized_results(seed_df, REGIONS, [2022, 2023]), "Resultat")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts.count(d.MISSING_TEXT) == 2 * 2 * 2  # 2 regions × 2 years × 2 panels
    close(fig)
