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
