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
    assert len(d.budget_deviation_table(seed_df, "17", 2023)) == 5  # four stated + "varav ej förklarat"
    assert d.orgs_with_result_statement(seed_df, "18") == ["Servicenämnden"]
    assert not d.result_statement(seed_df, "18", "Servicenämnden").empty


def test_charts(seed_df):
    fig = charts.bridge_chart(d.result_bridge(seed_df, "17", 2022), "Bryggan")
    assert isinstance(fig, Figure)
    close(fig)


def test_budget_deviation_seen_from_the_result(seed_df):
    t = d.budget_deviation_table(seed_df, "17", 2023)
    dev = dict(zip(t["post"], t["avvikelse mot budget"]))
    # Costs 948 over budget are worse (−), revenue 343 over budget better (+).
    assert dev["Verksamhetens nettokostnader"] == -948
    assert dev["Skatteintäkter och generella statsbidrag"] == 343
    assert dev["Verksamhetens resultat"] == -613
    assert dev["Finansiella kostnader"] == -600
    # −948 + 343 = −605 against −613 stated: the rest is its own row, right after the result.
    assert dev[d.UNEXPLAINED] == -8
    assert list(t["post"]).index(d.UNEXPLAINED) == list(t["post"]).index("Verksamhetens resultat") + 1
    assert "budget (utfall − avvikelse)" not in t.columns
    text = plain(d.budget_deviation_reading(t, "17", 2023))
    assert "613 mnkr sämre" in text and "-948 mnkr" in text and "+343 mnkr" in text and "-8 mnkr" in text


def test_display_sign_follows_the_registry():
    assert d.display_sign("kostnader") == -1 and d.display_sign("nettokostnader") == -1
    assert d.display_sign("intakter") == 1 and d.display_sign("finansnetto") == 1 and d.display_sign("arets_resultat") == 1


def test_result_statement_keeps_the_documents_signs_and_adds_up(seed_df):
    t = d.result_statement(seed_df, "18", "Servicenämnden")
    assert [c for c in t.columns if c not in ("post", "serie", "kategori")] == ["Budget 2024", "Prognos 2023", "Budget 2023"]
    row = {r["post"]: r for _, r in t.iterrows()}
    assert row["Summa intäkter"]["Budget 2024"] == 2380
    assert row["Summa kostnader"]["Budget 2024"] == -2199 and row["Personalkostnader"]["Budget 2024"] == -665
    net = row["Verksamhetens nettokostnader"]
    assert (net["Budget 2024"], net["Prognos 2023"], net["Budget 2023"]) == (181, 118.4, 103.0)
    assert row["Finansnetto"]["Budget 2024"] == -150 and row["Fastighetsfinansiering"]["Budget 2024"] == -7.8
    assert row["Resultat"]["Budget 2024"] == pytest.approx(23.2)
    check = d.statement_check(t)
    assert len(check) == 2 * 3  # two sums × three columns, every column checked
    assert (check["skillnad"].abs() < 0.05).all(), check


def test_statement_check_finds_a_column_that_does_not_add_up(seed_df):
    t = d.result_statement(seed_df, "18", "Servicenämnden")
    t.loc[t["post"] == "Finansnetto", "Prognos 2023"] = -60.0
    check = d.statement_check(t)
    bad = check[check["skillnad"].abs() >= 0.05]
    assert list(bad["kolumn"]) == ["Prognos 2023"] and bad["skillnad"].iloc[0] == pytest.approx(-8.5)


def _months(values: dict[int, float], year: int = 2024, series: str = "nettokostnader"):
    import pandas as pd

    return pd.DataFrame([{
        "region": "20", "org": "region", "series": series, "category": "", "period": pd.Period(f"{year}-{m:02d}", freq="M"),
        "kind": "utfall", "value": v, "unit": "mnkr", "source": f"export {m}", "note": "", "example": False, "year": year,
        "freq": "M", "source_file": "20_export.csv", "source_line": m} for m, v in values.items()])


def test_monthly_rollup_year_to_date_and_full_year():
    import pandas as pd

    ytd = d.monthly_rollup(_months({m: 100.0 for m in range(1, 6)}), "20")
    assert ytd.iloc[0]["period"] == "jan–maj" and ytd.iloc[0]["belopp"] == 500 and not ytd.iloc[0]["helår"]
    full = _months({m: 100.0 for m in range(1, 13)})
    roll = d.monthly_rollup(full, "20")
    assert roll.iloc[0]["period"] == "helår" and roll.iloc[0]["belopp"] == 1200 and roll.iloc[0]["helår"]
    gap = d.monthly_rollup(_months({1: 1.0, 2: 1.0, 4: 1.0}), "20")
    assert not gap.iloc[0]["helår"] and "3 av 4" in gap.iloc[0]["period"]
    # Only a full year becomes an annual row; eleven months do not.
    both = pd.concat([full, _months({m: 10.0 for m in range(1, 12)}, year=2025)], ignore_index=True)
    out = d.with_annual_from_monthly(both, "20")
    annual = out[out["freq"] == "Y"]
    assert list(annual["year"]) == [2024] and annual["value"].iloc[0] == 1200
    assert d.cost_revenue_table(out, "20")["nettokostnader"].tolist() == [1200]
