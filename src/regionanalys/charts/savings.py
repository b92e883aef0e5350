"""Charts of savings programmes."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .style import CATEGORY_PALETTE, new_figure, swedish_axis


def plan_by_org_chart(table: pd.DataFrame, title: str) -> Figure | None:
    """Stacked bars: planned savings per org (colours) and year (bars), mnkr.

    Takes :func:`regionanalys.savings.plan_by_org_and_year`; None when it is empty.
    """
    if table.empty:
        return None
    fig, ax = new_figure(8, 4.2)
    years = [str(c) for c in table.columns]
    bottom = pd.Series(0.0, index=table.columns)
    for i, (org, row) in enumerate(table.fillna(0).iterrows()):
        ax.bar(years, row.to_numpy(), bottom=bottom.to_numpy(), label=org, color=CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)])
        bottom += row
    ax.set_ylabel("mnkr")
    swedish_axis(ax, decimals=0)
    ax.set_title(title)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig
