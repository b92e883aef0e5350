"""Reconciliation: stated totals against the sum of their parts, on the seed data and
on made-up tables (lost decimals, single children, rounding)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import regionanalys as ra
from regionanalys.analysis import reconciliation as rc
from regionanalys.data.formatting import plain


@pytest.fixture(scope="module")
def findings(seed_df):
    return rc.reconcile(seed_df, ra.load_orgs())


def _one(f, **kw):
    mask = pd.Series(True, index=f.index)
    for k, v in kw.items():
        mask &= f[k] == v
    hit = f[mask]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_orebro_handlingsplan_2025_and_2026_add_up(findings):
    for period, total in (("2025", 97.317), ("2026", 110.387)):
        r = _one(findings, kontroll="organisation", org="Servicenämnden", serie="besparing", kategori="", period=period)
        assert r["status"] == "stämmer"
        assert r["uppgivet"] == pytest.approx(total) and r["summa_delar"] == pytest.approx(total)
        assert r["enhet"] == "tkr"


def test_orebro_handlingsplan_2024_differs_in_two_categories(findings):
    total = _one(findings, kontroll="organisation", org="Servicenämnden", serie="besparing", kategori="", period="2024")
    assert total["status"] == "avviker"
    assert total["uppgivet"] == pytest.approx(84.754) and total["summa_delar"] == pytest.approx(87.349)
    assert total["differens"] == pytest.approx(-2.595)
    assert "mindre justering" in total["förklaring"]
    staff = _one(findings, kontroll="organisation", org="Servicenämnden", kategori="personalkostnadsreduceringar", period="2024")
    other = _one(findings, kontroll="organisation", org="Servicenämnden", kategori="ovriga_kostnadsreduceringar", period="2024")
    income = _one(findings, kontroll="organisation", org="Servicenämnden", kategori="intakter", period="2024")
    assert (staff["summa_delar"], staff["uppgivet"]) == pytest.approx((27.579, 27.039))
    assert (other["summa_delar"], other["uppgivet"]) == pytest.approx((55.856, 53.801))
    assert income["status"] == "stämmer"
    # The 540 tkr coincide with Område fastigheter's 4 380 (2024) against 3 840 (2025).
    assert "4 380" in plain(staff["förklaring"]) and "3 840" in plain(staff["förklaring"])
    # The stated total agrees with its own categories: the difference is between the levels.
    assert _one(findings, kontroll="kategorier", org="Servicenämnden", serie="besparing", period="2024")["status"] == "stämmer"


def test_orebro_arsarbetare_do_not_add_up(findings):
    r = _one(findings, kontroll="organisation", serie="besparing_arsarbetare", org="Servicenämnden")
    assert r["uppgivet"] == 49 and r["summa_delar"] == pytest.approx(39.5)
    assert r["status"] == "avviker"
    assert "Område fastigheter" in r["saknade_delar"] and "Område medicinsk teknik" in r["saknade_delar"]


def test_vasterbotten_ca_figures(findings):
    r = _one(findings, region="24", kontroll="organisation", serie="besparing")
    assert (r["uppgivet"], r["summa_delar"], r["status"]) == (100, 98, "avviker")
    assert "ungefärliga" in r["förklaring"]


def test_varmland_result_and_budget_deviations(findings):
    r2022 = _one(findings, region="17", kontroll="identitet", serie="verksamhetens_resultat", period="2022", typ="utfall")
    assert (r2022["uppgivet"], r2022["summa_delar"], r2022["status"]) == (319, 320, "avrundning")
    assert _one(findings, region="17", kontroll="identitet", serie="verksamhetens_resultat", period="2023", typ="utfall")["status"] == "stämmer"
    dev = _one(findings, region="17", kontroll="identitet", serie="verksamhetens_resultat", typ="budgetavvikelse")
    assert (dev["uppgivet"], dev["summa_delar"], dev["status"]) == (-613, -605, "avviker")
    text = plain(dev["förklaring"])
    assert "135 mnkr" in text and "10 955 mnkr - 10 828 mnkr = 127 mnkr" in text
    fin = _one(findings, region="17", kontroll="implicit budget")
    assert fin["serie"] == "finansiella_kostnader" and fin["differens"] == -200
    assert _one(findings, region="17", kontroll="identitet", serie="balanserat_resultat")["status"] == "stämmer"


def test_stated_growth_is_rounding(findings):
    cost = _one(findings, region="17", kontroll="ökningstakt", serie="nettokostnader")
    assert cost["status"] == "avrundning" and cost["summa_delar"] == pytest.approx(12.387, abs=1e-3)


def test_region_total_is_not_checked_against_one_nämnd(findings):
    assert findings[(findings["region"] == "18") & (findings["org"] == "region") & (findings["kontroll"] == "organisation")].empty


def test_decimals_and_tolerance():
    assert rc.decimals(84.754) == 3 and rc.decimals(319.0) == 0 and rc.decimals(2394.5) == 1
    assert rc.rounding_tolerance([319, 10798, 10478]) == 1.5
    assert rc.classify(319, 320, 1.5) == "avrundning"
    assert rc.classify(100, 98, rc.rounding_tolerance([100, 8, 58, 32])) == "avviker"


def _table(rows):
    df = pd.DataFrame(rows, columns=["region", "org", "series", "category", "period", "kind", "value", "unit"])
    df["period"] = [pd.Period(str(p), freq="Y") for p in df["period"]]
    df["source"] = [f"test, rad {i}" for i in range(len(df))]
    df["note"], df["example"] = "", False
    df["year"] = [p.year for p in df["period"]]
    df["freq"], df["source_file"], df["source_line"] = "Y", "test.csv", range(2, len(df) + 2)
    return df


def test_lost_decimal_is_named():
    df = _table([
        ("18", "Servicenämnden", "intakter", "ovriga_intakter", 2023, "prognos", 2394.5, "mnkr"),
        ("18", "Servicenämnden", "intakter", "", 2023, "prognos", 23945, "mnkr"),  # OCR: "23945"
        ("18", "Servicenämnden", "kostnader", "", 2023, "prognos", 2276.1, "mnkr"),
        ("18", "Servicenämnden", "nettokostnader", "", 2023, "prognos", -118.4, "mnkr"),
    ])
    f = rc.reconcile(df)
    cat = _one(f, kontroll="kategorier")
    assert cat["status"] == "trolig decimalförlust"
    assert "2 394,5" in plain(cat["förklaring"])
    ident = _one(f, kontroll="identitet")
    assert ident["status"] == "trolig decimalförlust" and "23 945" in plain(ident["förklaring"])
    assert len(rc.reconcile(df, problems_only=True)) == 2


def test_parts_that_add_up_and_empty_input():
    df = _table([
        ("24", "region", "besparing", "", 2024, "krav", 10, "mnkr"),
        ("24", "A", "besparing", "", 2024, "krav", 4, "mnkr"),
        ("24", "B", "besparing", "", 2024, "krav", 6, "mnkr"),
    ])
    orgs = pd.DataFrame({"region": ["24", "24"], "org": ["A", "B"], "parent": ["region", "region"], "source": ["t", "t"]})
    f = rc.reconcile(df, orgs)
    assert list(f["status"]) == ["stämmer"] and f["summa_delar"].iloc[0] == 10
    assert "stämmer" in rc.reading(f)
    empty = rc.reconcile(df.iloc[0:0], orgs)
    assert empty.empty and list(empty.columns) == rc.COLUMNS


def test_readings_and_display(findings):
    f18 = findings[findings["region"] == "18"]
    focus = rc.focus(f18)
    text = plain(rc.focus_reading(focus, f18))
    assert "87 349 tkr" in text and "84 754 tkr" in text and "97 317 tkr och 110 387 tkr" in text
    shown = rc.readable(f18[f18["status"] != "stämmer"])
    assert "84 754 tkr" in set(shown["uppgivet"].map(plain))
    assert not np.isnan(f18["differens"]).any()


def test_check_table_for_the_appendix(findings):
    t = rc.check_table(findings[findings["region"] == "18"])
    assert list(t.columns) == rc.CHECK_COLUMNS
    row = t[t["kontroll"] == "Servicenämnden: besparing, plan 2024"].iloc[0]
    assert row["uppgivet"] == pytest.approx(84.754) and row["summa av delarna"] == pytest.approx(87.349)
    assert row["differens"] == pytest.approx(-2.595)
    assert "84 754 tkr mot 87 349 tkr" in plain(row["förklaring"])
    assert "[" not in "".join(t["källa"])  # no file-line references in the reader's source
    assert "bilagan" in rc.short_reading(findings[findings["region"] == "18"])
