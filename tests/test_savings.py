"""Savings programmes on the seed data: the savings table, coverage, savings per post,
build-up, the requirement in own terms and the charts."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import regionanalys as ra
from regionanalys.analysis import savings as s
from regionanalys.report.charts import savings as charts
from regionanalys.report.charts.style import close
from regionanalys.data.formatting import plain

REGIONS = ["17", "18", "24"]


@pytest.fixture(scope="module")
def orgs():
    return ra.load_orgs()


def test_savings_table_has_every_programme(seed_df):
    t = s.savings_table(seed_df)
    v = t[t["region"] == "17"].set_index(["kategori", "år", "status"])
    assert v.loc[("", 2024, "krav"), "belopp_mnkr"] == 500 and v.loc[("", 2024, "krav"), "anställda"] == 750
    assert v.loc[("fas_1_administration", 2024, "plan"), "tjänster"] == 130
    assert v.loc[("administration", 2022, "krav"), "belopp_mnkr"] == 80
    vb = t[(t["region"] == "24") & (t["org"] != "region")]
    assert sorted(vb["belopp_mnkr"]) == [8, 32, 58]
    assert (t["källa"].str.len() > 0).all()
    assert "Krav" in set(s.readable(t)["status"])


def test_coverage_counts_decisions_not_rows(seed_df, orgs):
    c = s.coverage_table(seed_df, REGIONS, orgs)
    heads = c[c["rad"] == "beslut"]
    # Örebro's 628 and 629 mnkr are one decision; Västerbotten's 100 and its 58 + 32 + 8 are one.
    assert heads.groupby("region").size().to_dict() == {"17": 2, "18": 1, "24": 1}
    orebro = heads[heads["region"] == "18"].iloc[0]
    assert orebro["krav_mnkr"] == 628 and "629" in orebro["kravet"] and orebro["omfattning"] == "hela regionen"
    sn = c[c["org"] == "Servicenämnden"].iloc[0]
    assert sn["rad"] == "varav" and sn["krav_mnkr"] == 75.8
    assert sn["plan_mnkr"] == pytest.approx(84.754) and sn["plan_delar_mnkr"] == pytest.approx(87.349)
    # One nämnd's plan never counts toward the region's requirement.
    assert np.isnan(orebro["plan_mnkr"])
    vl = heads[(heads["region"] == "17") & (heads["år"] == 2024)].iloc[0]
    assert vl["fördelat_mnkr"] == 100 and np.isnan(vl["plan_mnkr"]) and vl["täckning_pct"] == pytest.approx(20)
    assert (c["omfattning"] != "").all()
    assert sorted(c.loc[(c["region"] == "24") & (c["rad"] == "varav"), "krav_mnkr"]) == [8, 32, 58]
    text = plain(s.coverage_reading(c))
    assert "2 av 3 krav" not in text and "7 av 9 krav" not in text
    assert "För 2 av 4 sparbeslut finns ingen plan" in text
    assert "100 mnkr är fördelat" in text and "identifierat" not in text
    assert "Inget utfall" in text


def test_adopted_plan_shows_the_political_adjustment(seed_df, orgs):
    t = s.adopted_plan(seed_df, "18", 2024, orgs)
    assert t.loc[t["typ"] == "summa", "belopp_mnkr"].tolist() == pytest.approx([84.754])
    assert t.loc[t["typ"] == "område", "belopp_mnkr"].sum() == pytest.approx(87.349)
    assert t.loc[t["typ"] == "justering", "belopp_mnkr"].tolist() == pytest.approx([84.754 - 87.349])
    assert s.adopted_plan_total(seed_df, "18", 2024, "Servicenämnden", orgs) == pytest.approx(84.754)
    text = plain(s.adopted_plan_reading(t))
    assert "84,8 mnkr som antagen" in text and "87,3" in text and "-2,6 mnkr" in text
    assert s.adopted_plan(seed_df, "18", 2019, orgs).empty


def test_per_post(seed_df):
    p = s.per_post_table(seed_df, REGIONS).set_index(["region", "org", "status"])
    assert p.loc[("17", "region", "krav"), "tkr_per_post"] == pytest.approx(500_000 / 750)
    assert p.loc[("17", "region", "fördelat"), "tkr_per_post"] == pytest.approx(100_000 / 130)
    assert p.loc[("24", "Hälso- och sjukvårdsnämnden", "krav"), "tkr_per_post"] == pytest.approx(58_000 / 70)
    sn = p.loc[("18", "Servicenämnden", "plan")]
    assert sn["beloppets_del"] == "personalkostnadsreduceringar" and sn["tkr_per_post"] == pytest.approx(27_039 / 49)
    assert ("18", "Område inköp och upphandling", "plan") not in p.index  # 0 årsarbetare: no ratio
    assert "tkr" in s.per_post_reading(p.reset_index())


def test_buildup(seed_df, orgs):
    b = s.buildup_table(seed_df, "18", orgs)
    assert list(b["år"]) == [2024, 2025, 2026] and set(b["org"]) == {"Servicenämnden"}
    assert list(b["plan_mnkr"]) == pytest.approx([84.754, 97.317, 110.387])
    assert b["krav_mnkr"].tolist() == [75.8] * 3
    text = plain(s.buildup_reading(b, "18"))
    assert "84,8 mnkr 2024 till 110,4 mnkr 2026" in text and "87,3" in text


def test_requirement_in_own_terms(seed_df):
    t = s.requirement_in_own_terms(seed_df, REGIONS)
    vl = t[(t["region"] == "17") & (t["år"] == 2024)].iloc[0]
    assert vl["basbelopp_mnkr"] == 11776 and vl["andel_av_bas_pct"] == pytest.approx(500 / 11776 * 100)
    assert vl["kr_per_invånare"] == 1763  # whole kronor, folkmängd 31 december 2023
    # One reference date for every row, even where a region has a later year (Västerbotten 2024).
    assert set(t["folkmängd_år"]) == {2023}
    assert t["källa"].str.contains("31 december 2023").all() and t["källa"].str.contains("SCB").all()
    sn = t[t["org"] == "Servicenämnden"].iloc[0]
    assert sn["rad"] == "varav" and sn["omfattning"] == "nämnd"
    assert sn["basbelopp_mnkr"] == 2199 and sn["andel_av_bas_pct"] == pytest.approx(75.8 / 2199 * 100)
    assert sn["uppgiven_andel_pct"] == 7
    assert np.isnan(sn["skattesats_kr"]) and "569 mnkr" in plain(sn["skattesats_kommentar"]) and "öre" in sn["skattesats_kommentar"]
    assert len(t[(t["region"] == "18") & (t["rad"] == "beslut")]) == 1  # 628 and 629 are one decision
    text = plain(s.requirement_reading(t))
    assert "4,2 % av nettokostnaderna 2023 (11 776 mnkr)" in text and "31 december 2023" in text
    assert plain(s.terms_view(t)["andel enligt källan"]).str.contains("ca 7 % av").any()


def _rows(seed_df, rows):
    """Observations like the seed's first row with ``rows`` (region, org, series, kind, value, unit, year) set."""
    extra = seed_df.iloc[[0] * len(rows)].copy()
    extra[["region", "org", "series", "category", "kind", "value", "unit"]] = [[r, o, sid, "", k, v, u] for r, o, sid, k, v, u, _ in rows]
    extra["period"], extra["year"] = [pd.Period(str(y), freq="Y") for *_, y in rows], [y for *_, y in rows]
    return extra


def test_a_requirement_is_set_only_against_costs_of_its_own_scope(seed_df):
    # Värmland's 80 mnkr is for the administration: not 0,8 % of the whole region's net costs 2022 (10 478 mnkr).
    t = s.requirement_in_own_terms(seed_df, "17")
    admin = t[t["omfattning"] == "administrationen"].iloc[0]
    assert admin["krav_mnkr"] == 80 and np.isnan(admin["andel_av_bas_pct"]) and np.isnan(admin["basbelopp_mnkr"])
    assert admin["bas"] == "" and "administrationen" in admin["bas_kommentar"] and "hela regionens" in admin["bas_kommentar"]
    whole = t[t["omfattning"] == "hela regionen"].iloc[0]
    assert whole["andel_av_bas_pct"] == pytest.approx(500 / 11776 * 100) and whole["bas_kommentar"] == ""
    text = plain(s.requirement_reading(t))
    assert "10 478" not in text and "0,8 %" not in text
    assert "Kravet 80 mnkr (administrationen, 2022) motsvarar 282 kr per invånare." in text
    assert "inte mot hela regionens kostnader" in text and "4,2 % av nettokostnaderna 2023 (11 776 mnkr)" in text
    # Västerbotten's 100 mnkr (58 + 32 + 8) is for the administration too: with the region's net
    # costs and a nämnd's cost budget in the data, neither the total nor a part gets a share.
    df = pd.concat([seed_df, _rows(seed_df, [("24", "region", "nettokostnader", "utfall", 11000.0, "mnkr", 2023),
                                             ("24", "Hälso- och sjukvårdsnämnden", "kostnader", "budget", 9000.0, "mnkr", 2024)])],
                   ignore_index=True)
    t = s.requirement_in_own_terms(df, "24")
    assert set(t["omfattning"]) == {"administrationen"} and t["andel_av_bas_pct"].isna().all()
    hs = t[t["org"] == "Hälso- och sjukvårdsnämnden"].iloc[0]
    assert "Hälso- och sjukvårdsnämndens kostnader" in hs["bas_kommentar"]
    assert "%" not in plain(s.requirement_reading(t))


def test_tax_krona_from_data_only(seed_df):
    value, how = s.tax_krona_value(seed_df, "18", 2024)
    assert np.isnan(value) and "öre" in how
    extra = seed_df.iloc[[0]].copy()
    extra[["region", "org", "series", "category", "kind", "value", "unit"]] = ["18", "region", "skattesats_forandring", "", "beslut", 0.6, "procentenheter"]
    extra["period"], extra["year"] = [pd.Period("2024", freq="Y")], 2024
    df = pd.concat([seed_df, extra], ignore_index=True)
    value, how = s.tax_krona_value(df, "18", 2024)
    assert value == pytest.approx(569 / 0.6)
    t = s.requirement_in_own_terms(df, "18")
    sn = t[t["org"] == "Servicenämnden"].iloc[0]
    assert sn["skattesats_kr"] == pytest.approx(75.8 / (569 / 0.6))


def test_existing_functions_still_work(seed_df, orgs):
    plan = s.plan_by_org_and_year(seed_df, "18", orgs)
    assert "Servicenämnden" not in plan.index and plan[2024].sum() == pytest.approx(87.349)
    assert "växer" in s.plan_reading(plan, "18")


def test_charts(seed_df, orgs):
    terms = s.requirement_in_own_terms(seed_df, REGIONS)
    figs = [
        charts.coverage_chart(s.coverage_table(seed_df, REGIONS, orgs), "Täckning"),
        charts.per_post_chart(s.per_post_table(seed_df, REGIONS), "Per post"),
        charts.buildup_chart(s.buildup_table(seed_df, "18", orgs), "Uppbyggnad"),
    ]
    for fig in figs:
        assert isinstance(fig, Figure)
        close(fig)
    assert charts.coverage_chart(s.coverage_table(seed_df.iloc[0:0]), "x") is None
    reading = plain(s.per_capita_reading(s.largest_requirements(terms), REGIONS))
    assert "1 763 kr i Region Värmland" in reading
    # Whole-region and administration-only requirements are never ranked together.
    sentences = {x.split(",")[0]: x for x in reading.split(". ") if x.startswith("Sparkrav för")}
    assert set(sentences) == {"Sparkrav för hela regionen", "Sparkrav för administrationen"}
    assert "Region Västerbotten" not in sentences["Sparkrav för hela regionen"]
    assert "Region Örebro län" not in sentences["Sparkrav för administrationen"]


def test_buildup_keeps_the_adjustment(seed_df, orgs):
    b = s.buildup_table(seed_df, "18", orgs)
    assert b.loc[b["år"] == 2024, "justering_mnkr"].tolist() == pytest.approx([84.754 - 87.349])
    assert b.loc[b["år"] > 2024, "justering_mnkr"].isna().all()
    # Värmland's fas 1 is an allocation shown with its decision, not a plan per year.
    assert s.buildup_table(seed_df, "17", orgs).empty


def test_no_coverage_chart_when_nothing_has_a_plan(seed_df, orgs):
    cover = s.coverage_table(seed_df, "24", orgs)
    assert len(cover) == 4 and cover["täckning_pct"].isna().all()
    assert charts.coverage_chart(cover, "Täckning") is None
    assert "ingen av de 3 delarna har en plan" in plain(s.coverage_reading(cover))
