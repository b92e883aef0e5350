"""Charts of Kolada figures for all 21 regions."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from regionanalys.data.registry import get_series
from regionanalys.data.regions import REGIONS
from regionanalys.report.charts.items import figure_item
from regionanalys.report.charts.style import COLOURS, OTHER_REGION, new_figure, region_colour, swedish_axis


def ranking_chart(ranking: pd.DataFrame, series: str, year: int, highlight: list[str]) -> Figure | None:
    """All regions as horizontal bars (sorted), the highlighted ones in their colours,
    riket as a dashed reference line. Takes :func:`kolada_analysis.kolada_ranking`."""
    if ranking.empty:
        return None
    spec = get_series(series)
    data = ranking.sort_values("value")
    fig, ax = new_figure(8, 0.28 * len(data) + 1.4)
    colours = [region_colour(r) if r in highlight else OTHER_REGION for r in data["region"]]
    ax.barh([REGIONS[r].short for r in data["region"]], data["value"], color=colours)
    riket = data["riket"].iloc[0]
    if riket == riket:
        ax.axvline(riket, color=COLOURS["referens"], linestyle="--", linewidth=1.2, label="Riket")
        ax.legend(loc="lower right")
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    decimals = 1 if spec.unit in ("procent",) else 0
    swedish_axis(ax, decimals=decimals, axis="x")
    ax.set_xlabel(spec.unit_label)
    ax.set_title(f"{spec.label} {year}")
    for label in ax.get_yticklabels():
        code = data["region"].iloc[[REGIONS[r].short for r in data["region"]].index(label.get_text())]
        if code in highlight:
            label.set_fontweight("bold")
    return fig


def ranking_figures(df: pd.DataFrame, regions: list[str], year: int) -> list[dict]:
    """For each series in :data:`COMPARISON_SERIES`: the ranking chart, alt text and reading.

    For :func:`present.show_figures`;
    empty without a Kolada cache.
    """
    from regionanalys.kolada.analysis import COMPARISON_SERIES, kolada_ranking, latest_year, ranking_reading
    from regionanalys.data.regions import region_name

    out = []
    for series in COMPARISON_SERIES:
        y = latest_year(df, series, year)
        if y is None:
            continue
        ranking = kolada_ranking(df, series, y)
        label = get_series(series).label
        out.append(figure_item(
            ranking_chart(ranking, series, y, regions),
            f"Liggande stapeldiagram: {label} {y} för alla regioner med riket som referenslinje; {', '.join(region_name(r) for r in regions)} framhävda",
            ranking_reading(ranking, series, y, regions),
        ))
    return out
