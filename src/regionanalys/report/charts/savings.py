"""Charts of savings programmes: plans per org, coverage, savings per post, build-up,
reconciliation of a plan's parts, and the effect of a measure against its trend."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from regionanalys.data.formatting import fmt_number
from regionanalys.data.regions import REGIONS, region_name
from regionanalys.report.charts.items import figure_item
from regionanalys.report.charts.style import COLOURS, MAX_BARS, apply_style, cap_note, new_figure, region_colour, short_label, swedish_axis


def _largest_decisions(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """Rows of the decisions with the largest requirement, each with its "varav" rows, at most
    ``n`` rows (at least one decision), in their order in ``table``."""
    if len(table) <= n:
        return table
    group = (table["rad"] != "varav").cumsum()
    sizes = group.value_counts()
    heads = table[table["rad"] != "varav"]
    order = heads["krav_mnkr"].fillna(0.0).sort_values(ascending=False, kind="stable").index
    keep, rows = set(), 0
    for i in order:
        g = group.loc[i]
        if keep and rows + sizes[g] > n:
            continue
        keep.add(g)
        rows += sizes[g]
    return table[group.isin(keep)]


def _who(r: pd.Series) -> str:
    return REGIONS[r["region"]].short + ("" if r["org"] == "region" else f", {r['org']}")


def coverage_chart(table: pd.DataFrame, title: str) -> Figure | None:
    """Horizontal bars: how much of each savings decision (and each part of it that is a
    requirement of its own) has a plan or an allocation, in % of the requirement, with a 100 %
    line. Rows are grouped by scope (hela regionen, administrationen, nämnd) and each label
    names its scope, so requirements of different scope are never read as one ranking. Takes
    :func:`regionanalys.analysis.savings.coverage_table`."""
    if table.empty or table["täckning_pct"].isna().all():
        return None  # nothing has a plan: the reading says so, no chart of empty bars
    t = _largest_decisions(table.reset_index(drop=True), MAX_BARS)
    if len(t) < len(table):
        decisions = int((table["rad"] != "varav").sum())
        title += cap_note(int((t["rad"] != "varav").sum()), decisions, "kraven", "tabellen nedan")
    fig, ax = new_figure(9, 0.9 + 0.55 * len(t))
    pct = t["täckning_pct"].to_numpy(dtype=float)
    top = max(120.0, float(np.nanmax(pct)) if np.isfinite(pct).any() else 120.0)
    for i, (_, r) in enumerate(t.iterrows()):
        if np.isnan(r["täckning_pct"]):
            ax.text(1, i, "ingen plan i underlaget", va="center", fontsize=8.5, color="#555555")
            continue
        allocated = np.isnan(r["plan_mnkr"])
        ax.barh(i, r["täckning_pct"], height=0.6, color=region_colour(r["region"]), zorder=2,
                hatch="//" if allocated else None, edgecolor="white" if allocated else None)
        amount = r["fördelat_mnkr"] if allocated else r["plan_mnkr"]
        word = "fördelat" if allocated else "plan"
        ax.text(r["täckning_pct"] + top * 0.01, i, f"{fmt_number(r['täckning_pct'])} %  ({word} {fmt_number(amount, 1)} av {fmt_number(r['krav_mnkr'], 1)} mnkr)", va="center", fontsize=8.5)
    ax.axvline(100, color=COLOURS["krav"], linewidth=1.5, linestyle="--", zorder=3)
    ax.text(100, -0.8, "kravet", color=COLOURS["krav"], ha="center", fontsize=8.5)
    labels = []
    for _, r in t.iterrows():
        who = ("   " + r["org"]) if r["rad"] == "varav" else _who(r)
        labels.append(f"{who} {r['år']} ({r['omfattning']}): {fmt_number(r['krav_mnkr'], 1)} mnkr")
    ax.set_yticks(range(len(t)), labels, fontsize=8.5)
    ax.set_ylim(len(t) - 0.5, -1.2)
    ax.set_xlim(0, top * 1.75)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#DDDDDD")
    swedish_axis(ax, axis="x", suffix="%")
    ax.set_xlabel("planerat eller fördelat i procent av kravet")
    ax.set_title(title)
    return fig


def per_post_chart(table: pd.DataFrame, title: str) -> Figure | None:
    """Horizontal bars: savings per post (tkr) for each programme, with amount / posts.
    Takes :func:`regionanalys.analysis.savings.per_post_table`."""
    if table.empty:
        return None
    t = table
    if len(t) > MAX_BARS:  # the largest amounts; a longer chart would not fit a page
        t = t.loc[t["belopp_mnkr"].sort_values(ascending=False, kind="stable").index[:MAX_BARS]]
        title += cap_note(MAX_BARS, len(table), "beloppen")
    t = t.sort_values("tkr_per_post")
    fig, ax = new_figure(9, 0.9 + 0.5 * len(t))
    top = float(t["tkr_per_post"].max())
    for i, (_, r) in enumerate(t.iterrows()):
        ax.barh(i, r["tkr_per_post"], height=0.6, color=region_colour(r["region"]), zorder=2)
        n = fmt_number(r["antal"], 0 if float(r["antal"]).is_integer() else 1)
        ax.text(r["tkr_per_post"] + top * 0.01, i, f"{fmt_number(r['tkr_per_post'])} tkr  ({fmt_number(r['belopp_mnkr'], 1)} mnkr / {n} {r['enhet']})", va="center", fontsize=8.5)
    ax.set_yticks(range(len(t)), [f"{_who(r)} ({r['status']} {r['år']})" for _, r in t.iterrows()], fontsize=8.5)
    ax.set_xlim(0, top * 1.55)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#DDDDDD")
    swedish_axis(ax, axis="x")
    ax.set_xlabel("tkr per anställd, tjänst eller årsarbetare")
    ax.set_title(title)
    return fig


def buildup_chart(table: pd.DataFrame, title: str) -> Figure | None:
    """Bars of the plan per year against the requirement (dashed line); a diamond marks
    the sum of the parts where it differs from the plan's stated total. Takes
    :func:`regionanalys.analysis.savings.buildup_table`."""
    if table.empty:
        return None
    every = list(dict.fromkeys(table["org"]))
    orgs = _largest_plans(table, every, MAX_BUILDUP_PANELS)
    columns = min(len(orgs), BUILDUP_PANELS_PER_ROW)
    rows = -(-len(orgs) // columns)
    apply_style()
    fig, axes = plt.subplots(rows, columns, figsize=(4.5 * columns + 2, 4.2 * rows), layout="constrained", squeeze=False)
    axes = axes.ravel()
    for ax in axes[len(orgs):]:  # a last row that is not full
        ax.set_visible(False)
    top = float(np.nanmax(table[["plan_mnkr", "plan_delar_mnkr", "krav_mnkr"]].to_numpy(dtype=float)))
    for ax, org in zip(axes, orgs):
        t = table[table["org"] == org].sort_values("år")
        x = np.arange(len(t))
        ax.bar(x, t["plan_mnkr"], 0.55, color=COLOURS["plan"], zorder=2, label="antagen plan")
        for xi, (_, r) in zip(x, t.iterrows()):
            ax.text(xi, r["plan_mnkr"] * 0.5, fmt_number(r["plan_mnkr"], 1), ha="center", va="center", color="white", weight="bold", fontsize=9)
            adj = r.get("justering_mnkr", np.nan)
            if not np.isnan(adj):
                # The political adjustment as its own segment: from the antagen plan up to the områden's sum.
                ax.bar([xi], [-adj], 0.55, bottom=[r["plan_mnkr"]], color="white", edgecolor=COLOURS["referens"],
                       hatch="//", zorder=2, label="politisk justering")
                ax.text(xi + 0.32, r["plan_mnkr"] - adj / 2, f"{fmt_number(adj, 1, sign=True)} politisk justering", va="center", fontsize=8)
            top_of_bar = max(r["plan_mnkr"], r["plan_delar_mnkr"]) if not np.isnan(r["plan_delar_mnkr"]) else r["plan_mnkr"]
            if not np.isnan(r["andel_av_krav_pct"]):
                ax.text(xi, top_of_bar + top * 0.02, f"{fmt_number(r['andel_av_krav_pct'])} % av kravet", ha="center", va="bottom", fontsize=8.5)
        req = t["krav_mnkr"].dropna()
        if len(req):
            ax.axhline(float(req.iloc[0]), color=COLOURS["krav"], linestyle="--", linewidth=1.5, zorder=3, label=f"krav {fmt_number(float(req.iloc[0]), 1)} mnkr")
        ax.set_xticks(x, [str(y) for y in t["år"]])
        ax.set_ylim(0, top * 1.2)
        ax.set_ylabel("mnkr")
        swedish_axis(ax)
        ax.set_title(region_name(t["region"].iloc[0]) if org == "region" else org, fontsize=10)
        handles, labels = ax.get_legend_handles_labels()
        uniq = dict(zip(labels, handles))
        ax.legend(uniq.values(), uniq.keys(), loc="lower center", bbox_to_anchor=(0.5, -0.32), ncols=3, fontsize=8.5)
    if len(orgs) < len(every):
        title += cap_note(len(orgs), len(every), "planerna")
    fig.suptitle(title, x=0.01, ha="left", weight="bold", fontsize=12)
    return fig


#: At most this many org panels in the build-up chart (the largest plans), this many per
#: row: a region with dozens of förvaltningar gets a readable chart of A4 width, and the
#: table under the chart lists every org. With one to three orgs the chart is one row.
MAX_BUILDUP_PANELS = 6
BUILDUP_PANELS_PER_ROW = 3


def _largest_plans(table: pd.DataFrame, orgs: list[str], n: int) -> list[str]:
    """The ``n`` orgs with the largest plan in any year, in their order in ``table``."""
    if len(orgs) <= n:
        return orgs
    largest = table.groupby("org", sort=False)["plan_mnkr"].max().fillna(0.0)
    keep = set(largest.sort_values(ascending=False, kind="stable").index[:n])
    return [o for o in orgs if o in keep]


def effect_chart(result, title: str) -> Figure | None:
    """Two panels for an :class:`regionanalys.analysis.effect.EffectResult`: actual against the
    pre-decision trend with its prediction band (top), and the cumulative difference with
    its band (bottom). The decision is a vertical line."""
    if result is None:
        return None
    apply_style()
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(9, 6.2), layout="constrained", sharex=True, height_ratios=[3, 2])
    t = result.table
    xs = t["period"].map(lambda p: p.to_timestamp())
    pre, post = t["fas"] == "före", t["fas"] == "efter"
    ax.plot(xs, t["faktiskt"], color=COLOURS["utfall"], linewidth=1.6, label="utfall", marker="o", markersize=2.5)
    ax.plot(xs[pre], t.loc[pre, "kontrafaktiskt"], color=COLOURS["referens"], linewidth=1, linestyle=":", label="anpassad trend före beslutet")
    ax.plot(xs[post], t.loc[post, "kontrafaktiskt"], color=COLOURS["krav"], linewidth=1.6, linestyle="--", label="trenden förlängd (utan beslutet)")
    ax.fill_between(xs[post], t.loc[post, "nedre"], t.loc[post, "övre"], color=COLOURS["krav"], alpha=0.18, label="osäkerhetsband")
    start = result.start.to_timestamp()
    for a in (ax, ax2):
        a.axvline(start, color="#333333", linewidth=1)
    ax.text(start, ax.get_ylim()[1], "  " + short_label(result.event_label, 48), va="top", fontsize=8.5)
    unit = {"mnkr": "mnkr", "arsarbetare": "årsarbetare", "timmar": "timmar", "anstallda": "anställda"}.get(result.unit, result.unit)
    ax.set_ylabel(unit)
    swedish_axis(ax, decimals=0 if t["faktiskt"].abs().max() >= 100 else 1)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8.5, ncols=2)
    ax2.plot(xs[post], t.loc[post, "kum_differens"], color=COLOURS["utfall"], linewidth=1.6)
    ax2.fill_between(xs[post], t.loc[post, "kum_nedre"], t.loc[post, "kum_övre"], color=COLOURS["utfall"], alpha=0.15)
    ax2.axhline(0, color="#333333", linewidth=0.9)
    ax2.set_ylabel(f"{unit}, ackumulerat")
    ax2.set_title("Utfall minus förlängd trend, ackumulerat (negativt = lägre än trenden)", fontsize=10, weight="normal")
    swedish_axis(ax2)
    return fig


def effect_figures(df: pd.DataFrame, events: pd.DataFrame, regions: list[str], headings: bool = False) -> list[dict]:
    """Outcome against the pre-decision trend for each decision and affected series, with
    the method note; a region without a usable monthly series gets a 'missing' item."""
    from regionanalys.analysis import effect
    from regionanalys.data.registry import label

    items: list[dict] = []
    for code in regions:
        if headings:
            items.append({"heading": region_name(code)})
        results = effect.effects_for_region(df, events, code)
        refused = effect.refusals(df, events, code)
        for text in refused:
            items.append({"missing": text})
        if not results and not refused:
            items.append({"missing": effect.no_series_text(df, events, code)})
        if results and all(r.example for r in results):
            # On example data one chart shows the method; more would only repeat generated numbers.
            rest = list(dict.fromkeys(r.event_label for r in results[1:] if r.event_label != results[0].event_label))
            if rest:
                items.append({"missing": "Med regionens egna månadsuppgifter prövas också: " + "; ".join(f"”{x}”" for x in rest) + "."})
            results = results[:1]
        for res in results:
            items.append(figure_item(
                effect_chart(res, f"{label(res.series)}: utfall mot trenden före beslutet"),
                f"Linjediagram över {label(res.series).lower()} per månad med trenden före beslutet förlängd och ett osäkerhetsintervall",
                effect.effect_reading(res),
                example=res.example,
                note=effect.method_text(res),  # only this estimate's notes; the method is in the appendix
            ))
    return items
