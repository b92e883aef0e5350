"""Charts of deficits: the result bridge (waterfall) and its pieces.

Comparisons across regions share one scale and one set of years, and a value the data
does not contain is drawn as an explicit "uppgift saknas" marker, never as a zero bar.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from regionanalys.analysis.deficits import MISSING_TEXT
from regionanalys.data.formatting import fmt_number
from regionanalys.data.regions import REGIONS, resolve_region
from regionanalys.report.charts.style import COLOURS, new_figure, swedish_axis

MISSING_COLOUR = "#9E9E9E"


def _short(code: str) -> str:
    return REGIONS[resolve_region(code)].short


def mark_missing(ax: Axes, x: float, width: float, text: str = MISSING_TEXT, y: float = 0.0, up: bool = True) -> None:
    """Draw the explicit 'uppgift saknas' marker where a bar would have been."""
    lo, hi = ax.get_ylim()
    h = (hi - lo) * 0.04
    ax.add_patch(Rectangle((x - width / 2, y - h / 2), width, h, facecolor="white", edgecolor=MISSING_COLOUR, hatch="///", linewidth=0.8, zorder=3))
    ax.text(x, y + (h if up else -h), text, rotation=90, ha="center", va="bottom" if up else "top", fontsize=8, color="#555555", zorder=4)


def bridge_chart(bridge: pd.DataFrame, title: str) -> Figure | None:
    """Waterfall of :func:`regionanalys.analysis.deficits.result_bridge` (None when it is empty).

    Totals are dark bars from zero; an increase of the result is green, a decrease red,
    the rounding/other residual grey; every step carries its value.
    """
    if bridge.empty:
        return None
    fig, ax = new_figure(9, 4.8)
    x = np.arange(len(bridge))
    colours = []
    for _, r in bridge.iterrows():
        if r["typ"] in ("start", "delsumma", "slut"):
            colours.append(COLOURS["resultat"])
        elif r["typ"] == "rest":
            colours.append(COLOURS["budget"])
        else:
            colours.append(COLOURS["positiv"] if r["belopp"] >= 0 else COLOURS["negativ"])
    bottoms = np.minimum(bridge["från"], bridge["till"]).to_numpy(dtype=float)
    heights = np.abs(bridge["till"] - bridge["från"]).to_numpy(dtype=float)
    ax.bar(x, heights, bottom=bottoms, color=colours, width=0.62, zorder=2)
    span = float(np.nanmax(np.abs(bridge[["från", "till"]].to_numpy(dtype=float)))) or 1.0
    for xi, (_, r), b, h in zip(x, bridge.iterrows(), bottoms, heights):
        total = r["typ"] in ("start", "delsumma", "slut")
        text = fmt_number(r["belopp"], 0, sign=not total)
        top = b + h
        above = r["belopp"] >= 0 if total else True
        y = top + span * 0.02 if above else b - span * 0.02
        ax.text(xi, y, text, ha="center", va="bottom" if above else "top", weight="bold", fontsize=10)
    for i in range(len(bridge) - 1):
        level = bridge["till"].iloc[i]
        ax.plot([x[i] + 0.31, x[i + 1] - 0.31], [level, level], color="#777777", linewidth=0.8, linestyle=":", zorder=1)
    ax.axhline(0, color="#333333", linewidth=0.9)
    ax.set_xticks(x, ["\n".join(textwrap.wrap(s.replace("/", "/ "), 16, break_long_words=False)) for s in bridge["steg"]], fontsize=8.5)
    ax.set_ylim(min(0, float(np.nanmin(bottoms))) - span * 0.12, max(0, float(np.nanmax(bottoms + heights))) + span * 0.12)
    ax.set_ylabel("mnkr")
    swedish_axis(ax)
    ax.set_title(title)
    ax.legend(
        handles=[Patch(color=COLOURS["resultat"], label="Resultat"), Patch(color=COLOURS["positiv"], label="Förbättrar resultatet"),
                 Patch(color=COLOURS["negativ"], label="Försämrar resultatet"), Patch(color=COLOURS["budget"], label="Avrundning/övrigt")],
        loc="upper right", fontsize=8.5,
    )
    return fig


