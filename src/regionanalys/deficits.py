"""Deficits: net costs against tax revenue and general state grants, the result and its
gap to budget."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .formatting import fmt_mnkr, fmt_pct
from .indicators import annual, growth_pct, select, value_at
from .registry import label
from .regions import region_name, resolve_region

COST, REVENUE, RESULT = "nettokostnader", "skatt_statsbidrag", "verksamhetens_resultat"


def cost_revenue_table(df: pd.DataFrame, region: str, years: list[int] | None = None) -> pd.DataFrame:
    """Net costs, tax revenue and grants and the result by year for a whole region.

    Columns: år, nettokostnader, skatt_statsbidrag, verksamhetens_resultat (mnkr), and
    the growth of costs and revenue against the previous year (percent). Years default
    to those with data; a year without data is left out, never filled in.
    """
    code = resolve_region(region)
    series = {s: annual(df, s, code) for s in (COST, REVENUE, RESULT)}
    all_years = sorted(set().union(*(s.index for s in series.values())))
    years = [y for y in (years or all_years) if y in all_years]
    rows = []
    for y in years:
        row = {"år": y}
        for s, values in series.items():
            row[s] = float(values.get(y, np.nan))
        row["kostnadsökning_pct"] = growth_pct(row[COST], float(series[COST].get(y - 1, np.nan)))
        row["intäktsökning_pct"] = growth_pct(row[REVENUE], float(series[REVENUE].get(y - 1, np.nan)))
        rows.append(row)
    return pd.DataFrame(rows, columns=["år", COST, REVENUE, RESULT, "kostnadsökning_pct", "intäktsökning_pct"])


def cost_revenue_reading(table: pd.DataFrame, region: str) -> str:
    """One sentence on the latest year of :func:`cost_revenue_table`, computed from it."""
    name = region_name(region)
    if table.empty:
        return f"Underlaget saknar nettokostnader och skatteintäkter för {name}."
    last = table.iloc[-1]
    y = int(last["år"])
    if np.isnan(last["kostnadsökning_pct"]) or np.isnan(last["intäktsökning_pct"]):
        return f"{name} hade {y} nettokostnader på {fmt_mnkr(last[COST])} och skatteintäkter och statsbidrag på {fmt_mnkr(last[REVENUE])}."
    verb = "snabbare" if last["kostnadsökning_pct"] > last["intäktsökning_pct"] else "långsammare"
    return (
        f"{y} ökade nettokostnaderna i {name} med {fmt_pct(last['kostnadsökning_pct'])} medan skatteintäkter "
        f"och statsbidrag ökade med {fmt_pct(last['intäktsökning_pct'])}: kostnaderna växte {verb} än intäkterna "
        f"och verksamhetens resultat blev {fmt_mnkr(last[RESULT], sign=True)}."
    )


def budget_deviation_table(df: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """Outcome, stated deviation from budget and the budget it implies, per series.

    Only series the data states a deviation for (kind ``budgetavvikelse``) appear.
    """
    code = resolve_region(region)
    dev = select(df, region=code, kind="budgetavvikelse", year=year, freq="Y")
    rows = []
    for _, d in dev.iterrows():
        outcome = value_at(df, d["series"], code, year, org=d["org"], category=d["category"])
        rows.append(
            {
                "post": label(d["series"]),
                "utfall": outcome,
                "avvikelse mot budget": d["value"],
                "budget (utfall − avvikelse)": outcome - d["value"],
            }
        )
    return pd.DataFrame(rows, columns=["post", "utfall", "avvikelse mot budget", "budget (utfall − avvikelse)"])


def stated_growth_check(df: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """Growth as stated in the source against growth computed from the amounts."""
    code = resolve_region(region)
    pairs = [("nettokostnadsutveckling", COST), ("skatt_statsbidrag_utveckling", REVENUE)]
    rows = []
    for stated_id, amount_id in pairs:
        stated = value_at(df, stated_id, code, year)
        computed = growth_pct(value_at(df, amount_id, code, year), value_at(df, amount_id, code, year - 1))
        if np.isnan(stated) and np.isnan(computed):
            continue
        rows.append({"post": label(amount_id), "uppgiven ökning": stated, "beräknad ökning": computed})
    return pd.DataFrame(rows, columns=["post", "uppgiven ökning", "beräknad ökning"])


def result_statement(df: pd.DataFrame, region: str, org: str) -> pd.DataFrame:
    """A nämnd's result statement (resultatbudget) with one column per kind and year.

    Rows follow the statement's order; cells the data lacks are NaN.
    """
    code = resolve_region(region)
    order = [
        ("intakter", ""), ("kostnader", "personalkostnader"), ("kostnader", "ovriga_kostnader"),
        ("kostnader", "avskrivningar_inventarier"), ("kostnader", "avskrivningar_fastigheter"),
        ("kostnader", ""), ("nettokostnader", ""), ("finansnetto", ""), ("fastighetsfinansiering", ""),
        ("arets_resultat", ""),
    ]
    rows = select(df, region=code, org=org, freq="Y", series=[s for s, _ in order])
    if rows.empty:
        return pd.DataFrame()
    rows = rows.assign(kolumn=rows["kind"].str.capitalize() + " " + rows["year"].astype(str))
    cols = sorted(rows["kolumn"].unique(), key=lambda c: (-int(c[-4:]), c))
    from .registry import category_label

    out = []
    for s, cat in order:
        r = rows[(rows["series"] == s) & (rows["category"] == cat)]
        if r.empty:
            continue
        name = category_label(cat) if cat else label(s)
        if s == "kostnader" and not cat:
            name = "Summa kostnader"
        if s == "intakter":
            name = "Summa intäkter"
        out.append({"post": name, **dict(zip(r["kolumn"], r["value"]))})
    return pd.DataFrame(out, columns=["post", *cols])


def orgs_with_result_statement(df: pd.DataFrame, region: str) -> list[str]:
    """Orgs below the region level that have a result statement (årets resultat) in the data."""
    code = resolve_region(region)
    rows = select(df, region=code, series="arets_resultat", freq="Y")
    return sorted(set(rows.loc[rows["org"] != "region", "org"]))


def result_statements(df: pd.DataFrame, region: str) -> dict[str, pd.DataFrame]:
    """:func:`result_statement` for every org below the region level that has one."""
    return {org: result_statement(df, region, org) for org in orgs_with_result_statement(df, region)}
