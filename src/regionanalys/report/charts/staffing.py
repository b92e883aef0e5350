"""Charts of rental staff, the SKR measure, sick leave and närvarotid (R12 over time).

Every function takes a table from :mod:`regionanalys.analysis.staffing` (index: monthly Periods)
and returns a Figure, or None when there is nothing to draw. Dated decisions (hiring
stops, savings plans) from :func:`regionanalys.load_events` are drawn as numbered
markers on the time axis, with the decision listed under the chart.
"""
from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from regionanalys.analysis import staffing
from regionanalys.data.formatting import fmt_pct, month_abbr
from regionanalys.data.regions import region_name, resolve_region
from regionanalys.report.charts.style import (
    CATEGORY_PALETTE, COLOURS, EVENT_COLOUR, mark_events, new_figure, region_colour, swedish_axis,
)


def _x(index: pd.PeriodIndex) -> pd.DatetimeIndex:
    """Where a month is drawn: its first day."""
    return pd.PeriodIndex(index, freq="M").to_timestamp()


def month_axis(ax: Axes, start: pd.Period, end: pd.Period) -> None:
    """A time axis in Swedish: years (long spans) or "jan 2023" months (up to two years)."""
    span = (end - start).n + 1
    if span > 30:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=[4, 7, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: str(mdates.num2date(v).year)))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{month_abbr(mdates.num2date(v).month)} {mdates.num2date(v).year}"))
    ax.set_xlim(start.to_timestamp(), (end + 1).to_timestamp())


def region_events(events: pd.DataFrame | None, region: str, start: pd.Period, end: pd.Period) -> pd.DataFrame:
    """The region's events that start inside the months shown (or the day after), in date order."""
    if events is None or events.empty:
        return pd.DataFrame(columns=["region", "org", "start", "end", "event", "label", "source"])
    code = resolve_region(region)
    lo, hi = start.to_timestamp(), (end + 1).to_timestamp()
    # A decision on the first day after the last month (a budget for the coming year) is
    # still shown, at the right edge: it is what the months shown lead up to.
    rows = events[(events["region"] == code) & (events["start"] >= lo) & (events["start"] <= hi)]
    return rows.sort_values("start")


def add_events(ax: Axes, events: pd.DataFrame | None, region: str, start: pd.Period, end: pd.Period) -> list[Line2D]:
    """The region's decisions as markers on the month axis (:func:`style.mark_events`): a
    numbered dashed line each, and a shaded band while a decision with an end date is in force.

    Returns legend handles ("(1) 21 nov 2022: Anställningsstopp …") for the caller's legend.
    """
    rows = region_events(events, region, start, end)
    hi = (end + 1).to_timestamp()
    for ev in rows.itertuples(index=False):
        if isinstance(ev.end, pd.Timestamp) and not pd.isna(ev.end):
            ax.axvspan(ev.start, min(ev.end, hi), color=EVENT_COLOUR, alpha=0.06, zorder=0, linewidth=0)
    return mark_events(ax, rows)


def mark_gaps(ax: Axes, values: pd.Series) -> None:
    """Write "R12 saknas" in every gap after the first R12 value of a line (the first
    eleven months of a series never have R12 and are not marked)."""
    valid = values.dropna()
    if valid.empty:
        return
    inside = values.loc[valid.index.min():]
    missing = inside[inside.isna()].index
    if missing.empty:
        return
    runs, start = [], missing[0]
    for a, b in zip(missing[:-1], missing[1:]):
        if b != a + 1:
            runs.append((start, a))
            start = b
    runs.append((start, missing[-1]))
    for a, b in runs:
        mid = a.to_timestamp() + (((b + 1).to_timestamp() - a.to_timestamp()) / 2)
        ax.text(mid, 0.04, "R12 saknas\n(lucka i underlaget)", transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=8, color="#555555", style="italic")


def _finish(fig: Figure, ax: Axes, title: str, handles: list, event_handles: list[Line2D], ncols: int = 3) -> None:
    ax.set_title(title, pad=14 if event_handles else 6)
    items = list(handles) + list(event_handles)
    if items:
        fig.legend(handles=items, loc="outside lower left", ncols=1 if event_handles else ncols, fontsize=8.5)


def _span(table: pd.DataFrame) -> tuple[pd.Period, pd.Period] | None:
    valid = table.dropna(how="all")
    if valid.empty:
        return None
    return valid.index.min(), valid.index.max()


def _cost_lines(table: pd.DataFrame, columns, region: str, events: pd.DataFrame | None, title: str,
                total: str | None = None, ncols: int | None = None) -> Figure | None:
    """Rental-staff cost R12 lines (mnkr) for ``columns``, plus a heavier ``total`` line."""
    span = _span(table)
    if span is None:
        return None
    start, end = span
    fig, ax = new_figure(8.5, 4.6)
    x = _x(table.index)
    handles = []
    for i, col in enumerate(columns):
        handles += ax.plot(x, table[col], color=CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)], linewidth=1.8, label=col)
    if total is not None and total in table:
        handles += ax.plot(x, table[total], color=COLOURS["utfall"], linewidth=2.6, label=total)
        mark_gaps(ax, table[total])
    ax.set_ylim(bottom=0)
    ax.set_ylabel("mnkr, rullande tolv månader")
    swedish_axis(ax)
    month_axis(ax, start, end)
    extra = {"ncols": ncols} if ncols else {}
    _finish(fig, ax, title, handles, add_events(ax, events, region, start, end), **extra)
    return fig


def rental_chart(table: pd.DataFrame, region: str, events: pd.DataFrame | None = None, title: str | None = None) -> Figure | None:
    """Rental-staff cost R12 per staff group and in total (:func:`staffing.rental_r12`)."""
    groups = [c for c in table.columns if c != "Totalt"]
    return _cost_lines(table, groups, region, events, title or f"{region_name(region)}: kostnad för hyrpersonal, R12", total="Totalt")


def area_chart(table: pd.DataFrame, region: str, events: pd.DataFrame | None = None, title: str | None = None) -> Figure | None:
    """Rental-staff cost R12 per område (:func:`staffing.rental_r12` with ``by="org"``)."""
    if table.empty:
        return None
    last = table.iloc[-1]
    order = last.sort_values(ascending=False).index if not last.isna().all() else table.columns
    return _cost_lines(table, order, region, events, title or f"{region_name(region)}: kostnad för hyrpersonal per område, R12", ncols=2)


def skr_chart(
    table: pd.DataFrame, region: str, events: pd.DataFrame | None = None, title: str | None = None, target: float = staffing.SKR_TARGET_PCT
) -> Figure | None:
    """The SKR measure (hyrpersonal / egen personal, R12, %) with the target value line."""
    if table.empty or "andel_pct" not in table or table["andel_pct"].dropna().empty:
        return None
    start, end = _span(table[["andel_pct"]])
    code = resolve_region(region)
    fig, ax = new_figure(8.5, 4.4)
    handles = ax.plot(_x(table.index), table["andel_pct"], color=region_colour(code), linewidth=2.4, label=f"{region_name(code)}, R12")
    mark_gaps(ax, table["andel_pct"])
    ref = ax.axhline(target, color=COLOURS["referens"], linestyle="--", linewidth=1.4, label=f"Målvärde: högst {fmt_pct(target, 0)}")
    top = np.nanmax(table["andel_pct"].to_numpy())
    ax.set_ylim(0, max(top, target) * 1.2)
    ax.set_ylabel("procent av kostnaden för egen personal")
    swedish_axis(ax, decimals=1, suffix="%")
    month_axis(ax, start, end)
    _finish(fig, ax, title or f"{region_name(code)}: hyrpersonal / egen personal (SKR-mått), R12", [*handles, ref], add_events(ax, events, code, start, end))
    return fig


def sick_leave_chart(table: pd.DataFrame, region: str, events: pd.DataFrame | None = None, title: str | None = None) -> Figure | None:
    """Sick leave R12 (ratio of sums) with the monthly rate behind it for context."""
    if table.empty or table.get("r12_pct", pd.Series(dtype=float)).dropna().empty:
        return None
    start, end = _span(table)
    code = resolve_region(region)
    fig, ax = new_figure(8.5, 4.4)
    x = _x(table.index)
    handles = []
    if "manad_pct" in table:
        handles += ax.plot(x, table["manad_pct"], color="#9E9E9E", linewidth=1.0, linestyle=":", label="Månadens sjukfrånvaro")
    handles += ax.plot(x, table["r12_pct"], color=region_colour(code), linewidth=2.4, label="Rullande tolv månader")
    mark_gaps(ax, table["r12_pct"])
    ax.set_ylim(bottom=0)
    ax.set_ylabel("procent av ordinarie arbetstid")
    swedish_axis(ax, decimals=0, suffix="%")
    month_axis(ax, start, end)
    _finish(fig, ax, title or f"{region_name(code)}: sjukfrånvaro", handles, add_events(ax, events, code, start, end))
    return fig


def presence_chart(table: pd.DataFrame, region: str, events: pd.DataFrame | None = None, title: str | None = None) -> Figure | None:
    """Närvarotid R12 in årsarbetare, with and without rental staff."""
    cols = [c for c in ("med_hyrpersonal", "utan_hyrpersonal") if c in table]
    if not cols or table[cols].dropna(how="all").empty:
        return None
    start, end = _span(table[cols])
    code = resolve_region(region)
    fig, ax = new_figure(8.5, 4.4)
    x = _x(table.index)
    handles = []
    if "med_hyrpersonal" in table:
        handles += ax.plot(x, table["med_hyrpersonal"], color=region_colour(code), linewidth=2.4, label="Med hyrpersonal")
        mark_gaps(ax, table["med_hyrpersonal"])
    if "utan_hyrpersonal" in table:
        handles += ax.plot(x, table["utan_hyrpersonal"], color=region_colour(code), linewidth=1.8, linestyle="--", label="Utan hyrpersonal (egen personal)")
    lo = np.nanmin(table[cols].to_numpy())
    hi = np.nanmax(table[cols].to_numpy())
    pad = max((hi - lo) * 0.25, hi * 0.01)
    ax.set_ylim(lo - pad, hi + pad)  # a level chart: the change is the message, the axis says where it starts
    ax.set_ylabel("årsarbetare, rullande tolv månader")
    swedish_axis(ax)
    month_axis(ax, start, end)
    _finish(fig, ax, title or f"{region_name(code)}: närvarotid i årsarbetare, R12", handles, add_events(ax, events, code, start, end), ncols=2)
    return fig


COMPARISON_PANELS = (
    ("hyr_totalt", "Hyrpersonal, R12 (mnkr)", 0, ""),
    ("skr", "Hyrpersonal / egen personal, R12 (%)", 1, "%"),
    ("sjukfranvaro", "Sjukfrånvaro, R12 (%)", 1, "%"),
    ("narvarotid_med_hyr", "Närvarotid med hyrpersonal, R12 (årsarbetare)", 0, ""),
)


