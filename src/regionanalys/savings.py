"""Savings programmes: requirements, plans, decisions and outcomes in one table."""
from __future__ import annotations

import pandas as pd

from .indicators import select
from .registry import KINDS, category_label
from .formatting import fmt_mnkr
from .regions import region_name, resolve_region

AMOUNT = "besparing"
HEADCOUNT = {"besparing_arsarbetare": "årsarbetare", "besparing_tjanster": "tjänster", "besparing_anstallda": "anställda"}
STATUS_ORDER = ["krav", "plan", "beslut", "utfall"]


def savings_table(df: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """One row per region, org, category, year and status (krav, plan, beslut, utfall).

    Columns: region, org, kategori, år, status, belopp_mnkr, årsarbetare, tjänster,
    anställda, källa. Headcounts are joined on the same key; missing ones are NaN.
    """
    base = select(df, series=[AMOUNT, *HEADCOUNT], region=None if region is None else resolve_region(region), freq="Y")
    base = base[base["kind"].isin(STATUS_ORDER)]
    key = ["region", "org", "category", "year", "kind"]
    amounts = base[base["series"] == AMOUNT].set_index(key)
    out = amounts[["value", "source"]].rename(columns={"value": "belopp_mnkr", "source": "källa"})
    for sid, col in HEADCOUNT.items():
        counts = base[base["series"] == sid].set_index(key)["value"].rename(col)
        out = out.join(counts, how="outer")
        missing_src = out["källa"].isna()
        if missing_src.any():
            src = base[base["series"] == sid].set_index(key)["source"]
            out.loc[missing_src, "källa"] = src.reindex(out.index[missing_src]).to_numpy()
    out = out.reset_index().rename(columns={"category": "kategori", "year": "år", "kind": "status"})
    out["status"] = pd.Categorical(out["status"], STATUS_ORDER, ordered=True)
    out = out.sort_values(["region", "år", "status", "org", "kategori"]).reset_index(drop=True)
    return out[["region", "org", "kategori", "år", "status", "belopp_mnkr", "årsarbetare", "tjänster", "anställda", "källa"]]


def plan_by_org_and_year(df: pd.DataFrame, region: str, orgs: pd.DataFrame, kind: str = "plan") -> pd.DataFrame:
    """Planned savings totals (category '') per org (rows) and year (columns), mnkr.

    Orgs that are parents of other orgs with data (their figure is a stated total) are
    left out, so the table holds the parts; reconciliation compares parts and totals.
    """
    code = resolve_region(region)
    rows = select(df, region=code, series=AMOUNT, kind=kind, category="", freq="Y")
    parents = set(orgs.loc[(orgs["region"] == code) & orgs["org"].isin(rows["org"]), "parent"])
    rows = rows[~rows["org"].isin(parents)]
    if rows.empty:
        return pd.DataFrame()
    table = rows.pivot_table(index="org", columns="year", values="value", aggfunc="sum")
    return table


def status_label(status: str) -> str:
    return KINDS[status].label


def readable_category(cat: str) -> str:
    return category_label(cat) if cat else "Totalt"


def plan_reading(table: pd.DataFrame, region: str) -> str:
    """One sentence on :func:`plan_by_org_and_year`: the build-up and the largest part."""
    name = region_name(region)
    if table.empty:
        return f"Underlaget innehåller ingen sparplan per område för {name}."
    totals = table.sum(axis=0)
    first, last = int(totals.index[0]), int(totals.index[-1])
    biggest = table[last].idxmax()
    return (
        f"Områdenas planerade besparingar i {name} växer från {fmt_mnkr(totals.iloc[0], 1)} {first} "
        f"till {fmt_mnkr(totals.iloc[-1], 1)} {last}; störst är {biggest} med {fmt_mnkr(table.loc[biggest, last], 1)} {last}."
    )


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`savings_table` with Swedish category and status labels, for display."""
    out = table.copy()
    if "kategori" in out:
        out["kategori"] = out["kategori"].map(readable_category)
    if "status" in out:
        out["status"] = out["status"].astype(str).map(status_label)
    return out.dropna(axis=1, how="all")
