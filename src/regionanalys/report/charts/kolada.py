"""Charts of Kolada figures for all 21 regions: the standard comparison of the comparison
report (the chosen regions in their own colours, the others grey, riket as a reference line)."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from regionanalys.data.formatting import fmt_auto
from regionanalys.data.regions import REGIONS, region_name
from regionanalys.report.charts.items import figure_item
from regionanalys.report.charts.style import COLOURS, OTHER_REGION, new_figure, region_colour, swedish_axis, wrap_title

#: Axis label per unit id of :data:`regionanalys.kolada.analysis.STANDARD_MEASURES`.
_UNIT_LABEL = {"procent": "procent", "kr_per_inv": "kr per invånare"}


def _bars(ax, block: pd.DataFrame, highlight: list[str]) -> None:
    data = block.dropna(subset=["value"]).sort_values("value")
    labels = [REGIONS[r].short for r in data["region"]]
    colours = [region_colour(r) if r in highlight else OTHER_REGION for r in data["region"]]
    ax.barh(labels, data["value"], color=colours, height=0.7)
    for tick, code in zip(ax.get_yticklabels(), data["region"]):
        if code in highlight:
            tick.set_fontweight("bold")
    riket = block["riket"].iloc[0]
    if riket == riket:
        ax.axvline(riket, color=COLOURS["referens"], linestyle="--", linewidth=1.2)
    ax.axvline(0, color="#000000", linewidth=0.6)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    unit = block["unit"].iloc[0]
    swedish_axis(ax, decimals=1 if unit == "procent" else 0, axis="x")
    ax.set_xlabel(_UNIT_LABEL.get(unit, unit))
    ax.tick_params(axis="y", labelsize=7)


def standard_chart(blocks: list[pd.DataFrame], highlight: list[str]) -> Figure | None:
    """One or two measures of :func:`regionanalys.kolada.analysis.standard_comparison`, side by
    side: every region with a value as a bar (sorted), the chosen ones in their colours,
    riket as a dashed grey line."""
    blocks = [b for b in blocks if not b.empty and b["value"].notna().any()]
    if not blocks:
        return None
    n = max(int(b["value"].notna().sum()) for b in blocks)
    fig, axes = new_figure(8.2, 0.125 * n + 1.3, ncols=len(blocks), squeeze=False)
    for ax, block in zip(axes[0], blocks):
        _bars(ax, block, highlight)
        title = f"{block['label'].iloc[0]} {int(block['year'].iloc[0])}"
        ax.set_title(wrap_title(title, 36 if len(blocks) > 1 else 70), fontsize=10)
    fig.legend(handles=[Line2D([], [], color=COLOURS["referens"], linestyle="--", label="Riket")],
               loc="lower right", fontsize=8)
    return fig


def growth_chart(cost: pd.DataFrame, revenue: pd.DataFrame, highlight: list[str]) -> Figure | None:
    """Net cost growth (filled dot) against tax-and-grant growth (ring) per region, joined by
    a line: a region whose dot lies right of its ring had costs growing faster than revenue.
    Riket's two rates as reference lines."""
    if cost.empty or revenue.empty:
        return None
    both = cost[["region", "value", "riket", "year"]].merge(
        revenue[["region", "value", "riket"]], on="region", suffixes=("_cost", "_rev")).dropna(subset=["value_cost", "value_rev"])
    if both.empty:
        return None
    both = both.assign(gap=both["value_cost"] - both["value_rev"]).sort_values("gap")
    fig, ax = new_figure(8.2, 0.135 * len(both) + 1.6)
    labels = [REGIONS[r].short for r in both["region"]]
    for i, r in enumerate(both.itertuples(index=False)):
        colour = region_colour(r.region) if r.region in highlight else OTHER_REGION
        ax.plot([r.value_rev, r.value_cost], [i, i], color=colour, linewidth=1.5)
        ax.plot(r.value_cost, i, "o", color=colour, markersize=5)
        ax.plot(r.value_rev, i, "o", markerfacecolor="white", markeredgecolor=colour, markersize=5)
    ax.set_yticks(range(len(both)))
    ax.set_yticklabels(labels, fontsize=7)
    for tick, code in zip(ax.get_yticklabels(), both["region"]):
        if code in highlight:
            tick.set_fontweight("bold")
    first = both.iloc[0]
    if first["riket_cost"] == first["riket_cost"]:
        ax.axvline(first["riket_cost"], color=COLOURS["referens"], linestyle="--", linewidth=1.1)
    if first["riket_rev"] == first["riket_rev"]:
        ax.axvline(first["riket_rev"], color=COLOURS["referens"], linestyle=":", linewidth=1.1)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    swedish_axis(ax, decimals=1, axis="x")
    ax.set_xlabel("ökning mot året före, procent")
    ax.set_title(f"Nettokostnadernas och skatteintäkternas utveckling {int(first['year'])}", fontsize=10)
    ax.legend(handles=[
        Line2D([], [], marker="o", color="#555555", linestyle="", label="nettokostnader"),
        Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor="#555555", linestyle="",
               label="skatt och statsbidrag"),
        Line2D([], [], color=COLOURS["referens"], linestyle="--", label="riket, nettokostnader"),
        Line2D([], [], color=COLOURS["referens"], linestyle=":", label="riket, skatt och statsbidrag"),
    ], loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(len(both), 1)), ncols=2, fontsize=8)
    return fig


def _growth_reading(cost: pd.DataFrame, revenue: pd.DataFrame, highlight: list[str]) -> str:
    parts = []
    for code in highlight:
        c = cost.loc[cost["region"] == code, "value"]
        r = revenue.loc[revenue["region"] == code, "value"]
        if c.empty or r.empty or c.isna().all() or r.isna().all():
            parts.append(f"{region_name(code)} saknar värde")
            continue
        cv, rv = float(c.iloc[0]), float(r.iloc[0])
        # Compared as printed (one decimal), so two rates that read alike are called alike.
        pace = "lika snabb" if round(cv, 1) == round(rv, 1) else ("snabbare" if cv > rv else "långsammare")
        parts.append(f"{region_name(code)} nettokostnader {fmt_auto(cv, 'procent', sign=True)}, intäkter "
                     f"{fmt_auto(rv, 'procent', sign=True)} ({pace} kostnadsökning)")
    riket_c, riket_r = cost["riket"].iloc[0], revenue["riket"].iloc[0]
    tail = (f"; riket nettokostnader {fmt_auto(riket_c, 'procent', sign=True)}, intäkter {fmt_auto(riket_r, 'procent', sign=True)}"
            if riket_c == riket_c and riket_r == riket_r else "")
    year = int(cost["year"].iloc[0])
    return (f"Utvecklingen {year} ur Koladas belopp (invånare 31 december gånger kronor per invånare): "
            + "; ".join(parts) + tail + ".")


def standard_figures(df: pd.DataFrame, regions: list[str], year: int) -> tuple[list[dict], list[tuple[str, str]]]:
    """The standard comparison as figure items (chart, alt text, reading) for :func:`present.figure`,
    and the measures Kolada has no values for (title and one Swedish sentence, for :func:`present.collapsed`).

    Result and balanskravsresultat (as % of skatt och statsbidrag) side by side, net cost
    growth against revenue growth, sick leave. Both lists are empty without a Kolada cache.
    """
    from regionanalys.kolada.analysis import measure_reading, standard_comparison

    std = standard_comparison(df, regions, year)
    if std.empty:
        return [], []
    block = {m: std[std["measure"] == m] for m in std["measure"].unique()}
    get = block.get
    items, absent = [], []
    names = ", ".join(region_name(r) for r in regions)
    balans = get("balanskrav_andel") if get("balanskrav_andel") is not None else get("balanskrav_per_inv")
    pair = [b for b in (get("resultat_andel"), balans) if b is not None]
    if pair:
        items.append(figure_item(
            standard_chart(pair, regions),
            f"Liggande stapeldiagram för alla regioner med värde: {', '.join(b['label'].iloc[0].lower() for b in pair)}; "
            f"riket som streckad referenslinje; {names} framhävda i sina färger",
            " ".join(measure_reading(b, regions) for b in pair)))
    else:
        absent.append(("Årets resultat och balanskravsresultat", "Kolada har inga värden för dem i underlaget."))
    cost, revenue = get("nettokostnad_utveckling"), get("intakter_utveckling")
    growth = growth_chart(cost, revenue, regions) if cost is not None and revenue is not None else None
    if growth is not None:
        items.append(figure_item(
            growth, f"Punktdiagram: nettokostnadernas och skatteintäkternas ökning per region; riket som referenslinjer; "
                    f"{names} framhävda", _growth_reading(cost, revenue, regions)))
    else:
        absent.append(("Nettokostnadernas utveckling mot intäkternas",
                       "Utvecklingen kräver två år i följd i Kolada; underlaget har bara ett."))
    sick = get("sjukfranvaro")
    if sick is not None:
        items.append(figure_item(
            standard_chart([sick], regions),
            f"Liggande stapeldiagram: sjukfrånvaro för alla regioner med värde; riket som referenslinje; {names} framhävda",
            measure_reading(sick, regions)))
    else:
        absent.append(("Sjukfrånvaro", "Kolada har inga värden för sjukfrånvaron i underlaget."))
    return items, absent
