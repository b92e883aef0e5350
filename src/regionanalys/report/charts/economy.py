"""Charts of net costs, revenue and results."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from regionanalys.analysis.deficits import COST, RESULT, REVENUE
from regionanalys.data.registry import label
from regionanalys.report.charts.style import COLOURS, new_figure, swedish_axis


def cost_revenue_chart(table: pd.DataFrame, title: str) -> Figure | None:
    """Bars of net costs and tax revenue per year, with the result written above each pair.

    Takes :func:`regionanalys.analysis.deficits.cost_revenue_table`; returns None when it is
    empty or has neither net costs nor revenue (a year with only a stated result, e.g. SCB's).
    """
    table = table.dropna(subset=[COST, REVENUE], how="all")
    if table.empty:
        return None
    fig, ax = new_figure(8, 4.2)
    x = np.arange(len(table))
    w = 0.38
    ax.bar(x - w / 2, table[COST], w, label=label(COST), color=COLOURS["kostnad"])
    ax.bar(x + w / 2, table[REVENUE], w, label=label(REVENUE), color=COLOURS["intakt"])
    from regionanalys.data.formatting import fmt_mnkr

    top = np.nanmax(table[[COST, REVENUE]].to_numpy())
    for xi, res in zip(x, table[RESULT]):
        if not np.isnan(res):
            colour = COLOURS["positiv"] if res >= 0 else COLOURS["negativ"]
            ax.text(xi, top * 1.02, f"Resultat {fmt_mnkr(res, sign=True)}", ha="center", va="bottom", color=colour, weight="bold")
    ax.set_xticks(x, [str(int(y)) for y in table["år"]])
    ax.set_ylim(0, top * 1.15)
    ax.set_ylabel("mnkr")
    swedish_axis(ax)
    ax.set_title(title)
    ax.legend(loc="lower center", ncols=2, bbox_to_anchor=(0.5, -0.22))
    return fig


_KIND_HATCH = {"utfall": "", "prognos": "////", "budget": "...."}


def _spaced(events: pd.DataFrame | None, first: int, last: int, days: int = 75) -> pd.DataFrame | None:
    """Decisions inside ``first``–``last`` at least ``days`` apart, so the numbered markers
    on an annual axis never overlap (the timeline section lists every decision)."""
    if events is None or events.empty:
        return events
    ev = events.assign(_t=pd.to_datetime(events["start"])).sort_values("_t")
    ev = ev[(ev["_t"].dt.year >= first) & (ev["_t"].dt.year <= last)]
    keep, prev = [], None
    for i, t in zip(ev.index, ev["_t"]):
        if prev is None or (t - prev).days >= days:
            keep.append(i)
            prev = t
    return ev.loc[keep].drop(columns="_t")


def results_history_chart(table: pd.DataFrame, title: str, region: str, events: pd.DataFrame | None = None) -> Figure | None:
    """One bar per stated result (year, measure and kind): colour = measure, fill = kind
    (utfall solid, prognos hatched, budget dotted), named in the legend, value on the bar.

    Takes :func:`regionanalys.analysis.region_story.results_history`. Bars of one year
    stand side by side, never stacked or mixed. Decisions (``events``) are marked on the
    year axis (at most one marker per 75 days, so numbers do not collide); a value label
    moves sideways off a decision's dashed line (:class:`style.ClearOfEvents`).
    """
    from matplotlib.patches import Patch

    from regionanalys.data.formatting import fmt_number
    from regionanalys.report.charts.style import CATEGORY_PALETTE, label_clear_of_events, mark_events

    if table.empty:
        return None
    years = sorted(table["år"].unique())
    measures = list(dict.fromkeys(table["mått"]))
    colour = {m: CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i, m in enumerate(measures)}
    fig, ax = new_figure(8, 4.4)
    width = 0.8
    for y in years:
        g = table[table["år"] == y].reset_index(drop=True)
        w = width / len(g)
        for i, r in g.iterrows():
            x = y - width / 2 + w * (i + 0.5)
            solid = r["typ"] == "utfall"
            ax.bar(x, r["belopp"], w * 0.9, color=colour[r["mått"]] if solid else "white", edgecolor=colour[r["mått"]],
                   hatch=_KIND_HATCH.get(r["typ"], ""), linewidth=1.0, zorder=2)
            label_clear_of_events(ax, fmt_number(r["belopp"], 0, sign=True), (x, r["belopp"]), (0, 2 if r["belopp"] >= 0 else -2),
                                  ha="center", va="bottom" if r["belopp"] >= 0 else "top", fontsize=7,
                                  rotation=90 if len(g) > 1 else 0)
    ax.axhline(0, color=COLOURS["referens"], linewidth=0.8)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    lo, hi = float(min(0, table["belopp"].min())), float(max(0, table["belopp"].max()))
    pad = (hi - lo) * 0.22 or 1.0
    ax.set_ylim(lo - (pad if lo < 0 else 0), hi + pad)
    ax.set_ylabel("mnkr")
    swedish_axis(ax)
    ax.set_title(title)
    combos = table.drop_duplicates(["mått", "typ"])
    handles = [Patch(facecolor=colour[r["mått"]] if r["typ"] == "utfall" else "white", edgecolor=colour[r["mått"]],
                     hatch=_KIND_HATCH.get(r["typ"], ""), label=f"{r['mått']}, {r['typ']}") for _, r in combos.iterrows()]
    handles += mark_events(ax, _spaced(events, years[0], years[-1]))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), fontsize=7, frameon=False, ncols=2)
    return fig


def gap_closing_chart(table: pd.DataFrame, title: str) -> Figure | None:
    """Horizontal bars: the deficit (prognos and utfall) and the decided measures for the next year.

    Takes :func:`regionanalys.analysis.region_story.gap_closing_plan`; a nämnd's part
    ("varav") is drawn inside its requirement, and the sum of the measures is a thin
    outlined bar, so the chart never reads as a forecast.
    """
    from regionanalys.data.formatting import fmt_mnkr

    if table.empty:
        return None
    t = table[table["typ"] != "varav"].reset_index(drop=True)
    fig, ax = new_figure(8, 0.45 * len(t) + 1.4)
    y = np.arange(len(t))[::-1]
    for yi, (_, r) in zip(y, t.iterrows()):
        if r["typ"] == "underskott":
            ax.barh(yi, r["belopp"], color=COLOURS["negativ"], height=0.6, hatch="//" if "prognos" in r["del"] else "", edgecolor="white")
        elif r["typ"] == "summa":
            ax.barh(yi, r["belopp"], color="white", edgecolor=COLOURS["resultat"], height=0.6, linestyle="--")
        else:
            ax.barh(yi, r["belopp"], color=COLOURS["positiv"], height=0.6)
        inside = r["belopp"] < 0  # a deficit's value sits inside its bar, clear of the category labels
        ax.annotate(fmt_mnkr(r["belopp"], sign=r["typ"] == "underskott"), (r["belopp"], yi), xytext=(4, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=8,
                    color="white" if inside else "black", weight="bold" if inside else "normal")
    parts = table[table["typ"] == "varav"]
    if len(parts) and (t["del"] == "Kostnadsreduceringar").any():
        i = int(t.index[t["del"] == "Kostnadsreduceringar"][0])
        yi, whole = y[i], float(t.loc[i, "belopp"])
        for _, part in parts.iterrows():
            ax.barh(yi, part["belopp"], color=COLOURS["plan"], height=0.3)
        ax.texts[i].set_text(f"{fmt_mnkr(whole)}, " + ", ".join(f"{p['del']} {fmt_mnkr(p['belopp'], 1)}" for _, p in parts.iterrows()))
    ax.set_yticks(y, list(t["del"]))
    ax.axvline(0, color=COLOURS["referens"], linewidth=0.8)
    span = float(table["belopp"].abs().max())
    ax.set_xlim(min(0, float(table["belopp"].min())) * 1.1, max(0, float(table["belopp"].max())) * 1.3 + span * 0.3)
    ax.set_xlabel("mnkr")
    swedish_axis(ax, axis="x")
    ax.set_title(title)
    return fig


def segments_chart(table: pd.DataFrame, title: str, value: str = "belopp", name: str = "del") -> Figure | None:
    """A horizontal waterfall of parts to a total (områden → justering → antagen plan; fas 1 + rest = krav).

    Rows with ``typ`` in (antagen, krav) are totals from zero; other rows stack in order.
    """
    from regionanalys.data.formatting import fmt_mnkr
    from regionanalys.report.charts.style import CATEGORY_PALETTE, wrap_title

    if table.empty:
        return None
    fig, ax = new_figure(8, 0.38 * len(table) + 1.3)
    y = np.arange(len(table))[::-1]
    running = 0.0
    decimals = 1 if (table[value].abs() < 100).all() else 0
    for i, (yi, (_, r)) in enumerate(zip(y, table.iterrows())):
        v = float(r[value])
        if r["typ"] in ("antagen", "krav"):
            ax.barh(yi, v, color=COLOURS["resultat"], height=0.6)
            end = v
        elif r["typ"] in ("justering", "ej specificerat"):
            ax.barh(yi, v, left=running, color="white", edgecolor=COLOURS["referens"], hatch="//", height=0.6)
            running += v
            end = running
        else:
            ax.barh(yi, v, left=running, color=CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)], height=0.6)
            running += v
            end = running
        ax.annotate(fmt_mnkr(v, decimals, sign=v < 0), (max(end, running if v < 0 else end), yi), xytext=(4, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=8)
    ax.set_yticks(y, [wrap_title(str(t), 34) for t in table[name]])
    ax.set_xlim(0, float(max(running, table[value].max())) * 1.15)
    ax.set_xlabel("mnkr")
    swedish_axis(ax, axis="x")
    ax.set_title(title)
    return fig
