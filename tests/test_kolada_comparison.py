"""The default KPI set through the client (recorded-shape responses) into the comparison.

tests/fixtures/kolada/data_default_page{1,2}.json answer the default set for Värmland,
Örebro län, Västerbotten and riket, 2023, over two pages: N60030, N60065 and N01951 come
split by gender (T/K/M), N63009 for Örebro län carries a status, N63148 for
Västerbotten is null with status "Bortfall", and Västerbotten has no N63142 entry at all.
Synthetic numbers in Kolada's v3 shape (see the README there).
"""
from __future__ import annotations

import pandas as pd
import pytest

from regionanalys.data.loading import load
from regionanalys.kolada import client as K
from regionanalys.kolada.analysis import (
    GAP, STANDARD_MEASURES, comparison_table, cross_check, kolada_consistency, standard_comparison,
)
from test_kolada import _offline_env, client, data_dir, fixture, metadata_for, serve, serve_e2e  # noqa: F401

ALL = ",".join(K.KPIS)
DEFAULT_PATH = f"/v3/data/kpi/{ALL}/municipality/0017,0018,0024,0000/year/2023"
REGIONS = ["17", "18", "24"]


def serve_default(httpserver, base):
    serve(httpserver, f"/v3/kpi/{ALL}", metadata_for(list(K.KPIS)))
    serve(httpserver, DEFAULT_PATH, fixture("data_default_page1.json", base), query="per_page=5000")
    serve(httpserver, DEFAULT_PATH, fixture("data_default_page2.json", base), query="page=2&per_page=5000")


@pytest.fixture
def base(httpserver) -> str:
    return httpserver.url_for("/v3").rstrip("/")


@pytest.fixture
def default_cache(httpserver, base, data_dir):
    serve_default(httpserver, base)
    result = K.refresh_cache(regions=REGIONS + ["00"], years=[2023], data_dir=data_dir, client=client(base))
    return result, load(data_dir)


def one(df, series, region, category=""):
    rows = df[(df.series == series) & (df.region == region) & (df.category == category) & (df.year == 2023)]
    return rows.iloc[0] if len(rows) == 1 else None


def test_the_default_set_over_two_pages_keeps_totals_statuses_and_gaps(default_cache):
    result, df = default_cache
    assert result.requests == 3  # metadata and two pages
    assert len(result.urls) == 3 and result.urls[-1].endswith("page=2&per_page=5000")
    assert result.warnings == []  # the fixture's titles are Kolada's, as the client expects
    assert one(df, "kolada_sjukfranvaro", "18").value == 6.3  # T, not K (7.9) or M (3.8)
    assert one(df, "kolada_arsarbetare", "00").value == 275500
    assert one(df, "befolkning", "24", "kolada").value == 275415
    assert one(df, "kolada_nettokostnad_andel_skatt_statsbidrag", "18").note == "Kolada-status: Preliminär."
    assert one(df, "kolada_nettokostnadsutveckling", "24") is None  # null with status Bortfall
    assert result.skipped_missing == {"N63148": 1}
    assert one(df, "kolada_verksamhetens_resultat_andel_skatt_statsbidrag", "24") is None  # no entry at all
    assert result.rows_per_kpi["N63142"] == 3 and result.rows_per_kpi["N63016"] == 4
    assert result.skipped_other == 2 * 3 * 4  # K and M of three KPIs for four areas
    assert one(df, "kolada_verksamhetens_nettokostnader_per_inv", "17").value == 41500  # sign flipped
    assert one(df, "kolada_finansnetto_mnkr", "18").value == pytest.approx(round(-600 * 307750 / 1e6, 1))


def test_standard_comparison_ranks_the_chosen_regions_against_all_and_riket(default_cache):
    _, df = default_cache
    table = standard_comparison(df, REGIONS, 2023)
    result = table[table.measure == "resultat_andel"].set_index("region")
    assert list(result.index) == ["24", "17", "18"]  # highest first: 0,7 > −3,8 > −8,4
    assert result.loc["18", "rank"] == 3 and result.loc["18", "n"] == 3
    assert result.loc["17", "riket"] == -4.1 and result.loc["17", "diff_riket"] == pytest.approx(0.3)
    assert result["highlight"].all() and set(result["year"]) == {2023}
    sick = table[table.measure == "sjukfranvaro"].set_index("region")
    assert sick.loc["18", "value"] == 6.3 and sick.loc["18", "better"] == "lower"
    # one year only in this cache: no growth rates, so no growth blocks
    assert "nettokostnad_utveckling" not in set(table.measure)
    # a chosen region outside the cache gets a row with no value, and is not counted
    other = standard_comparison(df, ["17", "01"], 2023)
    row = other[(other.measure == "resultat_andel") & (other.region == "01")].iloc[0]
    assert pd.isna(row.value) and pd.isna(row["rank"]) and row.n == 3 and row.highlight
    assert standard_comparison(df, REGIONS, 2019).empty  # nothing that early


def test_comparison_table_has_every_region_and_riket_with_gaps_as_nan(default_cache):
    _, df = default_cache
    table = comparison_table(df)
    assert list(table.region) == ["17", "18", "24", "00"] and set(table.year) == {2023}
    t = table.set_index("region")
    assert t.loc["24", "balanskrav_andel"] == 0.6 and t.loc["00", "resultat_andel"] == -4.1
    assert t[["nettokostnad_utveckling", "intakter_utveckling", GAP]].isna().all().all()
    assert list(table.columns[3:]) == [m.key for m in STANDARD_MEASURES] + [GAP]


def test_growth_of_net_costs_against_revenue_from_two_years(httpserver, base, data_dir):
    serve_e2e(httpserver)
    K.fetch_kolada(regions=["17", "00"], years=[2022, 2023], data_dir=data_dir, client=client(base))
    df = load(data_dir)
    t = comparison_table(df).set_index(["region", "year"])
    net = lambda per_inv, pop: round(per_inv * pop / 1e6, 1)  # noqa: E731 - as the cache derives it
    cost = net(41500, 283548) / net(36900, 283976) * 100 - 100
    revenue = net(28100 + 11700, 283548) / net(27000 + 11000, 283976) * 100 - 100
    assert t.loc[("17", 2023), "nettokostnad_utveckling"] == pytest.approx(cost)  # about 12,3 %
    assert t.loc[("17", 2023), "intakter_utveckling"] == pytest.approx(revenue)  # about 4,6 %
    assert t.loc[("17", 2023), GAP] == pytest.approx(cost - revenue)
    assert pd.isna(t.loc[("17", 2022), "nettokostnad_utveckling"])  # no 2021 in the cache
    growth = standard_comparison(df, ["17"], 2023)
    row = growth[growth.measure == "nettokostnad_utveckling"].iloc[0]
    assert row.region == "17" and row.year == 2023 and row.riket == pytest.approx(
        net(40900, 10551707) / net(38000, 10521556) * 100 - 100)


def test_cross_check_marks_public_figures_and_compares_n63142(httpserver, base, data_dir):
    (data_dir / "public").mkdir()
    (data_dir / "public" / "18_offentliga.csv").write_text(
        "region;org;series;category;period;kind;value;unit;source;note\n"
        "18;region;balanskravsresultat;;2023;utfall;−909;mnkr;https://example.invalid/orebro 'minus 909 miljoner kronor';\n",
        encoding="utf-8",
    )
    serve_default(httpserver, base)
    K.refresh_cache(regions=REGIONS + ["00"], years=[2023], data_dir=data_dir, client=client(base))
    table = cross_check(load(data_dir))
    rows = {(r.region, r.measure): r for r in table.itertuples()}
    bkr = rows[("18", "Balanskravsresultat")]
    assert bkr.seed == -909 and bkr.seed_kind == "offentlig"
    assert bkr.kolada == pytest.approx(round(-3300 * 307750 / 1e6, 1))
    n63142 = rows[("17", "Verksamhetens resultat i procent av skatt och statsbidrag (N63142)")]
    assert n63142.seed == pytest.approx(-478 / 11298 * 100) and n63142.kolada == -5.5 and n63142.seed_kind == "seed"


def test_kolada_consistency_exposes_a_kpi_off_by_a_thousand(default_cache):
    _, df = default_cache
    table = kolada_consistency(df)
    bkr = table[table.measure.str.startswith("Balanskravsresultat")].set_index("region")
    # the fixture's N63132 and N63147 agree to rounding: a ratio near 1, not 1 000 or 0,001
    assert bkr.loc["17", "ratio"] == pytest.approx(1, abs=0.02)
    assert bkr.loc["17", "from_per_inv"] == pytest.approx(round(-2600 * 283548 / 1e6, 1))
    assert bkr.loc["17", "from_share"] == pytest.approx(-6.5 / 100 * round((28100 + 11700) * 283548 / 1e6, 1))
    rows = df["series"] == "kolada_balanskravsresultat_mnkr"
    scaled = df.copy()
    scaled.loc[rows, "value"] = scaled.loc[rows, "value"] / 1000  # as if N63132 were tkr/inv
    odd = kolada_consistency(scaled)
    assert odd[odd.measure.str.startswith("Balanskravsresultat")]["ratio"].abs().max() < 0.01


def test_measure_reading_says_rank_value_and_riket_in_swedish(default_cache):
    from regionanalys.kolada.analysis import measure_reading

    _, df = default_cache
    table = standard_comparison(df, ["24", "01"], 2023)
    text = measure_reading(table[table.measure == "resultat_andel"], ["24", "01"])
    assert text.replace("\u00a0", " ") == ("Årets resultat i procent av skatt och statsbidrag 2023, högst värde först: "
                    "Region Västerbotten 0,7 % (plats 1 av 3), Region Stockholm saknar värde; riket −4,1 %.")
