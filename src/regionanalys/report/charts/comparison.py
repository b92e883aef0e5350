"""Charts of the comparison report built on real figures only: the results history of each
region (each bar says its measure and kind) and the savings requirements per invånare,
side by side only within one scope."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from regionanalys.analysis.comparison import bar_label
from regionanalys.data.documents import SCOPES
from regionanalys.data.formatting import fmt_number
from regionanalys.data.regions import REGIONS, region_name
from regionanalys.report.charts.style import COLOURS, MAX_BARS, apply_style, region_colour, swedish_axis


def _grid(width: float, height: float, nrows: int, **kwargs):
    """A column of ``nrows`` axes in the project style (style.new_figure makes one row)."""
    import matplotlib.pyplot as plt

    apply_style()
    return plt.subplots(nrows, 1, figsize=(width, height), layout="constrained", squeeze=False, **kwargs)


def results_history_chart(history: pd.DataFrame, regions: list[str], title: str) -> Figure | None:
    """One panel per region with a result: a bar per year, labelled with amount, measure and
    kind; prognoses hatched and never drawn in the same bar as an outcome.

    Takes :func:`regionanalys.analysis.comparison.results_history`; None when it is empty.
    """
    if history.empty:
        return None
    shown = [r for r in regions if (history["region"] == r).any()]
    years = list(range(int(history["year"].min()), int(history["year"].max()) + 1))
    fig, axes = _grid(8.2, 1.9 * len(shown) + 0.6, len(shown), sharex=True)
    # One scale for every panel, so the regions' bars compare; room above and below for the labels.
    low, high = min(history["value"].min(), 0), max(history["value"].max(), 0)
    span = max(high - low, 1)
    limits = (low - (0.9 * span if low < 0 else 0.05 * span), high + (0.9 * span if high > 0 else 0.05 * span))
    for ax, code in zip(axes[:, 0], shown):
        rows = history[history["region"] == code]
        ax.set_ylim(*limits)
        colour = region_colour(code)
        for _, r in rows.iterrows():
            prognos = r["kind"] == "prognos"
            ax.bar(r["year"], r["value"], width=0.62, color="white" if prognos else colour, edgecolor=colour,
                   hatch="///" if prognos else None, linewidth=1.2)
            up = r["value"] >= 0
            ax.annotate(bar_label(r), (r["year"], r["value"]), xytext=(0, 3 if up else -3), textcoords="offset points",
                        ha="center", va="bottom" if up else "top", fontsize=6.5, linespacing=0.95)
        ax.axhline(0, color=COLOURS["referens"], linewidth=0.8)
        swedish_axis(ax)
        ax.set_ylabel("mnkr")
        ax.set_title(region_name(code), fontsize=10)
    last = axes[-1, 0]
    last.set_xticks(years)
    last.set_xticklabels([str(y) for y in years])
    last.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    fig.legend(handles=[Patch(facecolor=COLOURS["resultat"], label="utfall"),
                        Patch(facecolor="white", edgecolor=COLOURS["resultat"], hatch="///", label="prognos")],
               loc="upper right", ncols=2, fontsize=8)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    return fig


def requirements_chart(table: pd.DataFrame, title: str) -> Figure | None:
    """Savings requirements in kr per invånare, one panel per scope with its own axis, so a
    whole-region requirement is never set against an administration-only one.

    Takes :func:`regionanalys.analysis.comparison.requirements_per_capita`.
    """
    data = table.dropna(subset=["kr_per_inv"])
    if data.empty:
        return None
    scopes = list(dict.fromkeys(data["scope"]))
    # At most MAX_BARS per scope: the largest requirements per invånare, in the table's order.
    largest = data.groupby("scope", sort=False)["kr_per_inv"].rank(method="first", ascending=False)
    shown = data[largest <= MAX_BARS]
    if len(shown) < len(data):
        title += f"\nDiagrammet visar de {MAX_BARS} största kraven per omfattning, {len(shown)} av {len(data)}; tabellen ovan har alla beslut."
    data = shown
    fig, axes = _grid(8.2, 1.0 + 0.42 * len(data) + 0.5 * len(scopes), len(scopes),
                      height_ratios=[max(1, int((data["scope"] == s).sum())) for s in scopes])
    for ax, scope in zip(axes[:, 0], scopes):
        rows = data[data["scope"] == scope].iloc[::-1]
        labels = [f"{REGIONS[c].short} {y}" for c, y in zip(rows["code"], rows["år"])]
        ax.barh(labels, rows["kr_per_inv"], color=[region_colour(c) for c in rows["code"]], height=0.6)
        for i, (_, r) in enumerate(rows.iterrows()):
            ax.annotate(f"{fmt_number(r['kr_per_inv'], 0)} kr ({fmt_number(r['mnkr'], 0)} mnkr)", (r["kr_per_inv"], i),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_xlim(0, rows["kr_per_inv"].max() * 1.45)
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        swedish_axis(ax, axis="x")
        ax.set_title(f"Krav för {SCOPES.get(scope, scope)}", fontsize=10)
    axes[-1, 0].set_xlabel("kr per invånare")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    return fig
