"""Charts of deficits: the result bridge, the growth gap and the normalized comparison.

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

from regionanalys.analysis.deficits import MISSING_TEXT, RESULT
from regionanalys.data.formatting import fmt_number
from regionanalys.data.registry import category_label, label
from regionanalys.data.regions import REGIONS, resolve_region
from regionanalys.report.charts.items import figure_item, per_region
from regionanalys.report.charts.style import COLOURS, new_figure, region_colour, swedish_axis

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


def growth_gap_chart(table: pd.DataFrame, regions: list[str], title: str) -> Figure | None:
    """Cost growth and revenue growth side by side per region (latest year with data);
    regions without data get the 'uppgift saknas' marker. Takes
    :func:`regionanalys.analysis.deficits.growth_gap_table`."""
    codes = [resolve_region(r) for r in regions]
    if not codes:
        return None
    fig, ax = new_figure(8, 4.2)
    x = np.arange(len(codes))
    w = 0.36
    top = float(np.nanmax(table[["kostnadsökning_pct", "intäktsökning_pct"]].to_numpy())) if not table.empty else 10.0
    ax.set_ylim(0, max(top * 1.3, 1.0))
    years = []
    for xi, code in zip(x, codes):
        rows = table[table["region"] == code].sort_values("år")
        if rows.empty:
            mark_missing(ax, xi, 2 * w)
            continue
        r = rows.iloc[-1]
        years.append(int(r["år"]))
        ax.bar(xi - w / 2, r["kostnadsökning_pct"], w, color=COLOURS["kostnad"], zorder=2)
        ax.bar(xi + w / 2, r["intäktsökning_pct"], w, color=COLOURS["intakt"], zorder=2)
        for dx, v in ((-w / 2, r["kostnadsökning_pct"]), (w / 2, r["intäktsökning_pct"])):
            ax.text(xi + dx, v, fmt_number(v, 1) + " %", ha="center", va="bottom", fontsize=9)
        ax.annotate(
            f"gap {fmt_number(r['gap_pe'], 1)} pe\n≈ {fmt_number(r['gapets_kostnad_mnkr'])} mnkr",
            xy=(xi, max(r["kostnadsökning_pct"], r["intäktsökning_pct"])), xytext=(xi, top * 1.18),
            ha="center", va="center", fontsize=9, weight="bold", color=COLOURS["negativ"] if r["gap_pe"] > 0 else COLOURS["positiv"],
        )
    labels = []
    for code in codes:
        rows = table[table["region"] == code]
        labels.append(_short(code) + (f"\n{int(rows['år'].max())}" if len(rows) else ""))
    ax.set_xticks(x, labels)
    ax.set_xlim(-0.6, len(codes) - 0.4)
    ax.set_ylabel("ökning mot föregående år, %")
    swedish_axis(ax, decimals=0, suffix="%")
    ax.set_title(title)
    ax.legend(handles=[Patch(color=COLOURS["kostnad"], label=label("nettokostnader")), Patch(color=COLOURS["intakt"], label=label("skatt_statsbidrag"))],
              loc="lower center", ncols=2, bbox_to_anchor=(0.5, -0.3), fontsize=9)
    return fig


def normalized_chart(table: pd.DataFrame, title: str, measure: str = RESULT) -> Figure | None:
    """Two panels, same regions and years in both: the result in kr per invånare and as
    % of skatteintäkter och generella statsbidrag. Missing values are marked 'uppgift
    saknas'; a prognos is hatched. Takes :func:`regionanalys.analysis.deficits.normalized_results`."""
    t = table[table["mått"] == measure]
    if t.empty:
        return None
    codes = list(dict.fromkeys(t["region"]))
    years = sorted(set(t["år"]))
    fig, axes = new_figure(10, 4.4, ncols=2)
    w = 0.8 / len(codes)
    for ax, col, unit, dec in ((axes[0], "kr_per_invånare", "kr per invånare", 0), (axes[1], "andel_av_skatt_pct", "% av skatteintäkter och statsbidrag", 1)):
        vals = t[col].to_numpy(dtype=float)
        finite = vals[np.isfinite(vals)]
        lo = min(0.0, float(finite.min())) if len(finite) else -1.0
        hi = max(0.0, float(finite.max())) if len(finite) else 1.0
        pad = (hi - lo) * 0.25 or 1.0
        ax.set_ylim(lo - pad * 0.4, hi + pad)
        for j, code in enumerate(codes):
            for i, y in enumerate(years):
                xpos = i + (j - (len(codes) - 1) / 2) * w
                row = t[(t["region"] == code) & (t["år"] == y)]
                v = float(row[col].iloc[0]) if len(row) else np.nan
                if np.isnan(v):
                    reason = MISSING_TEXT
                    if len(row) and not np.isnan(row["belopp_mnkr"].iloc[0]):
                        reason = "skatteintäkter saknas" if col == "andel_av_skatt_pct" else "folkmängd saknas"
                    mark_missing(ax, xpos, w * 0.9, reason)
                    continue
                prognos = len(row) and row["typ"].iloc[0] == "prognos"
                ax.bar(xpos, v, w * 0.9, color=region_colour(code), hatch="//" if prognos else None, edgecolor="white" if prognos else None, zorder=2)
                ax.text(xpos, v, fmt_number(v, dec), ha="center", va="bottom" if v >= 0 else "top", fontsize=8.5)
        ax.axhline(0, color="#333333", linewidth=0.9)
        ax.set_xticks(range(len(years)), [str(y) for y in years])
        ax.set_xlim(-0.5, len(years) - 0.5)
        ax.set_title(unit, fontsize=10, weight="normal")
        swedish_axis(ax, decimals=0)
    fig.suptitle(f"{title}: {label(measure).lower()}", x=0.01, ha="left", weight="bold", fontsize=12)
    handles = [Patch(color=region_colour(c), label=REGIONS[c].name) for c in codes]
    if (t["typ"] == "prognos").any():
        handles.append(Patch(facecolor="#BBBBBB", hatch="//", edgecolor="white", label="prognos"))
    handles.append(Patch(facecolor="white", edgecolor=MISSING_COLOUR, hatch="///", label=MISSING_TEXT))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=9)
    return fig


def requirement_per_capita_chart(table: pd.DataFrame, regions: list[str], title: str) -> Figure | None:
    """Horizontal bars: each region's largest savings requirement in kr per invånare,
    with the amount and year; regions without a requirement are marked. Takes
    :func:`regionanalys.analysis.savings.largest_requirements`."""
    codes = [resolve_region(r) for r in regions]
    if not codes:
        return None
    fig, ax = new_figure(8, 0.8 + 0.75 * len(codes))
    top = float(table["kr_per_invånare"].max()) if not table.empty else 1.0
    for i, code in enumerate(codes):
        row = table[table["region"] == code]
        if row.empty:
            ax.text(0, i, f"  {MISSING_TEXT}", va="center", fontsize=9, color="#555555")
            continue
        r = row.iloc[0]
        ax.barh(i, r["kr_per_invånare"], color=region_colour(code), height=0.6, zorder=2)
        who = ("" if r["org"] == "region" else f", {r['org']}") + (f", {category_label(r['kategori']).lower()}" if r["kategori"] else "")
        ax.text(r["kr_per_invånare"] + top * 0.01, i, f"{fmt_number(r['kr_per_invånare'])} kr  ({fmt_number(r['krav_mnkr'])} mnkr {r['år']}{who})", va="center", fontsize=9)
    ax.set_yticks(range(len(codes)), [REGIONS[c].name for c in codes])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.6)
    ax.grid(axis="x", color="#DDDDDD")
    ax.grid(axis="y", visible=False)
    swedish_axis(ax, axis="x")
    ax.set_xlabel("kr per invånare")
    ax.set_title(title)
    return fig


def bridge_figures(df: pd.DataFrame, regions: list[str], year: int) -> list[dict]:
    """A result bridge from ``year - 1`` to ``year`` per region, for :func:`present.show_figures`;
    a region without the figures gets a 'missing' item saying why."""
    from regionanalys.analysis.deficits import bridge_reading, result_bridge

    def item(code: str, name: str) -> dict:
        bridge = result_bridge(df, code, year - 1, year)
        if bridge.empty:
            return {"missing": bridge_reading(bridge, code)}
        return figure_item(
            bridge_chart(bridge, f"{name}: verksamhetens resultat {year - 1} till {year}"),
            f"Vattenfallsdiagram från verksamhetens resultat {year - 1} till {year} för {name}",
            bridge_reading(bridge, code),
        )

    return per_region(regions, item)
