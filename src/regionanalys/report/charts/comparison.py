"""Charts of the comparison report built on real figures only: the results history of each
region (each bar says its measure and kind) and the savings requirements per invånare,
side by side only within one scope."""
from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Annotation

from regionanalys.analysis.comparison import bar_label
from regionanalys.data.documents import SCOPES
from regionanalys.data.formatting import fmt_number
from regionanalys.data.regions import REGIONS, region_name
from regionanalys.report.charts.style import (
    COLOURS, MAX_BARS, PRINT_DPI, _wrap_titles, apply_style, lay_out, region_colour, swedish_axis,
)


def _grid(width: float, height: float, nrows: int, **kwargs):
    """A column of ``nrows`` axes in the project style (style.new_figure makes one row)."""
    import matplotlib.pyplot as plt

    apply_style()
    return plt.subplots(nrows, 1, figsize=(width, height), layout="constrained", squeeze=False, **kwargs)


#: Bar labels of the results chart: font size (points), gap between bar end and label and the
#: margin kept between a label and its panel's frame (points).
LABEL_FONT_PT = 6.5
LABEL_GAP_PT = 3.0
LABEL_MARGIN_PT = 4.0
#: The least height (points) a results panel keeps for the bars themselves, beside the labels'
#: room, so that the bars stay long enough to compare.
BAR_ROOM_PT = 60.0


def results_history_chart(history: pd.DataFrame, regions: list[str], title: str) -> Figure | None:
    """One panel per region with a result: a bar per year, labelled with amount, measure and
    kind; prognoses hatched and never drawn in the same bar as an outcome.

    Every panel has the same y scale (the regions' bars compare) and the room above and below
    the bars, and the panels' height, are sized to the labels' drawn extents, so a long label
    ("−600 balanskravsresultat prognos per periodrapport januari–mars 2024") stays inside its
    own panel. Takes :func:`regionanalys.analysis.comparison.results_history`; None when it
    is empty.
    """
    if history.empty:
        return None
    shown = [r for r in regions if (history["region"] == r).any()]
    years = list(range(int(history["year"].min()), int(history["year"].max()) + 1))
    fig, axes, labels = _results_panels(history, shown, years, title)
    # Sizing needs the panels' laid-out height, and constrained layout costs about the same
    # for each panel (0,75 CPU-s for 22). So a tall chart is measured and laid out on a probe
    # of its first and last panel (same width, titles, legend and axes, and in the end the
    # same limits, so the same ticks): the room above, below and between panels does not
    # depend on their number, and the panels are placed from it (_place_like_probe).
    probe = None
    if len(shown) > 2:
        probe, probe_axes, _ = _results_panels(history, [shown[0], shown[-1]], years, title)
        probe.set_dpi(PRINT_DPI)  # laid out at the dpi png_bytes draws at: text extents follow the dpi
    _fit_label_room(fig, list(axes[:, 0]), labels, years, list(probe_axes[:, 0]) if probe is not None else None)
    if probe is not None:
        import matplotlib.pyplot as plt

        plt.close(probe)  # never shown: the inline backend shows the figures left open
    return fig


def _results_panels(history: pd.DataFrame, shown: list[str], years: list[int], title: str):
    """The results chart's figure for the regions ``shown``: its axes and bar labels (with the
    value each stands at)."""
    fig, axes = _grid(8.2, 1.9 * len(shown) + 0.6, len(shown), sharex=True)
    labels: list[tuple[Annotation, float]] = []
    for ax, code in zip(axes[:, 0], shown):
        rows = history[history["region"] == code]
        colour = region_colour(code)
        for _, r in rows.iterrows():
            prognos = r["kind"] == "prognos"
            ax.bar(r["year"], r["value"], width=0.62, color="white" if prognos else colour, edgecolor=colour,
                   hatch="///" if prognos else None, linewidth=1.2)
            up = r["value"] >= 0
            label = ax.annotate(bar_label(r), (r["year"], r["value"]), xytext=(0, LABEL_GAP_PT if up else -LABEL_GAP_PT),
                                textcoords="offset points", ha="center", va="bottom" if up else "top",
                                fontsize=LABEL_FONT_PT, linespacing=0.95)
            # The room for the labels is made inside the frame below (_fit_label_room); a label
            # counted by constrained layout as a decoration would instead push the panels apart
            # by however far it sticks out, which is what hid the defect.
            label.set_in_layout(False)
            labels.append((label, float(r["value"])))
        ax.axhline(0, color=COLOURS["referens"], linewidth=0.8)
        swedish_axis(ax)
        ax.set_ylabel("mnkr")
        ax.set_title(region_name(code), fontsize=10)
    last = axes[-1, 0]
    last.set_xticks(years)
    last.set_xticklabels([str(y) for y in years])
    fig.legend(handles=[Patch(facecolor=COLOURS["resultat"], label="utfall"),
                        Patch(facecolor="white", edgecolor=COLOURS["resultat"], hatch="///", label="prognos")],
               loc="upper right", ncols=2, fontsize=8)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    return fig, axes, labels


def _panel_geometry(fig: Figure, axes: list[Axes], probe: list[Axes] | None) -> tuple[float, float]:
    """The height and width (points) of each of ``axes`` when ``fig`` is laid out.

    Without a probe: lay ``fig`` out and measure. With ``probe`` (the first and last panel
    in a figure of their own, see :func:`results_history_chart`): lay the probe out and read
    the room above the first panel, below the last and between two panels; ``fig``'s panels
    share what is left of its height equally, as constrained layout shares it.
    """
    if probe is None:
        lay_out(fig)
        return axes[0].bbox.height * 72.0 / fig.dpi, axes[0].bbox.width * 72.0 / fig.dpi
    room = _probe_room(fig, axes, probe)
    return room["panel"] * 72.0, room["width"] * fig.get_figwidth() * 72.0


def _probe_room(fig: Figure, axes: list[Axes], probe: list[Axes]) -> dict[str, float]:
    """Lay the probe out and read, in inches, the room above its first panel, below its last
    and between the two (widened by the excess of ``fig``'s tallest panel title over the
    probe's: "Ö" is taller than "R"), and the height each of ``axes`` then gets in ``fig``;
    the left edge and width as fractions of the figure's width (both figures are as wide)."""
    pfig = probe[0].figure
    lay_out(pfig)
    renderer, prenderer = fig.canvas.get_renderer(), pfig.canvas.get_renderer()
    pheight = pfig.get_figheight()
    top, bottom = probe[0].get_position(), probe[-1].get_position()
    taller = max(ax.title.get_window_extent(renderer).height / fig.dpi for ax in axes[1:])
    excess = max(0.0, taller - probe[-1].title.get_window_extent(prenderer).height / pfig.dpi)
    room = {"above": (1 - top.y1) * pheight, "below": bottom.y0 * pheight,
            "between": (top.y0 - bottom.y1) * pheight + excess, "left": top.x0, "width": top.width}
    room["panel"] = (fig.get_figheight() - room["above"] - room["below"] - (len(axes) - 1) * room["between"]) / len(axes)
    return room


def _fit_label_room(fig: Figure, axes: list[Axes], labels: list[tuple[Annotation, float]], years: list[int],
                    probe: list[Axes] | None = None) -> None:
    """Give the results panels the height and the common y limits their bar labels need.

    A label's height in points does not change with the data, so it is measured as drawn;
    the panels are made tall enough for the tallest label above plus the tallest below plus
    :data:`BAR_ROOM_PT` (never lower than the default), and the one y range shared by every
    panel is the least that puts each label, with :data:`LABEL_MARGIN_PT`, inside the frame.
    The x range likewise leaves half the widest end label beside the first and last bar.
    The panels' laid-out size comes from :func:`_panel_geometry`; with a probe, the probe
    gets the limits found and is measured again (the ticks' room follows the limits), once.
    """
    renderer = fig.canvas.get_renderer()
    to_pt = 72.0 / fig.dpi
    # (value, points the label needs beyond the bar end) above and below; the zero line
    # itself keeps a margin from the frame on both sides.
    above, below = [(0.0, LABEL_MARGIN_PT)], [(0.0, LABEL_MARGIN_PT)]
    half_width = 0.0
    for label, value in labels:
        box = label.get_window_extent(renderer)
        need = LABEL_GAP_PT + box.height * to_pt + LABEL_MARGIN_PT
        (above if value >= 0 else below).append((value, need))
        if label.xy[0] in (years[0], years[-1]):
            half_width = max(half_width, box.width * to_pt / 2 + LABEL_MARGIN_PT)
    wanted = max(n for _, n in above) + max(n for _, n in below) + BAR_ROOM_PT
    for attempt in range(2 if probe is not None else 1):
        height, width = _panel_geometry(fig, axes, probe)
        if wanted > height:
            # Constrained layout keeps the titles' and ticks' room, so each panel grows by the
            # figure's growth divided among the panels (they have equal heights): the panels
            # are then `wanted` high without laying the figure out again (png_bytes does).
            w, h = fig.get_size_inches()
            fig.set_size_inches(w, h + len(axes) * (wanted - height) / 72.0)
            height = wanted
        # The y range L = high - low with high >= v + n·L/H for each label above (v, n) and
        # low <= v - n·L/H for each below, H the panel's height: the least L is the largest
        # (v_a - v_b) / (1 - (n_a + n_b)/H) over pairs (wanted keeps the denominator positive).
        span = max((va - vb) / (1 - (na + nb) / height) for va, na in above for vb, nb in below)
        span = max(span, 1.0)
        high = max(v + n * span / height for v, n in above)
        low = min(v - n * span / height for v, n in below)
        high = max(high, low + span)  # only when the 1-mnkr floor widened the range
        gaps = len(years) - 1
        margin = max(0.6, half_width * gaps / max(width - 2 * half_width, 1.0))
        for ax in axes + (probe or []):
            ax.set_ylim(low, high)
            ax.set_xlim(years[0] - margin, years[-1] + margin)
    if probe is not None:
        _place_like_probe(fig, axes, probe)


def _place_like_probe(fig: Figure, axes: list[Axes], probe: list[Axes]) -> None:
    """Place ``axes`` (one column of equal panels) as constrained layout would, from the
    probe laid out with the same limits (:func:`_probe_room`): the same left edge and width,
    the same room above, below and between the panels, which share the rest; the suptitle
    the same distance from the top. The figure then keeps these positions (no layout
    engine). If a title is wider than the figure (it will be wrapped to more lines),
    constrained layout stays in charge instead.
    """
    renderer = fig.canvas.get_renderer()
    if _wrap_titles(fig, renderer):
        return
    pfig = probe[0].figure
    room = _probe_room(fig, axes, probe)
    height, pheight, panel = fig.get_figheight(), pfig.get_figheight(), room["panel"]
    for i, ax in enumerate(axes):
        y1 = height - room["above"] - i * (panel + room["between"])
        ax.set_position([room["left"], (y1 - panel) / height, room["width"], panel / height])
    if getattr(fig, "_suptitle", None) is not None and getattr(pfig, "_suptitle", None) is not None:
        fig._suptitle.set_y(1 - (1 - pfig._suptitle.get_position()[1]) * pheight / height)
        fig._suptitle.set_verticalalignment(pfig._suptitle.get_verticalalignment())
    fig.set_layout_engine("none")


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
        # a cap per scope, so not style.cap_note's "de N största av M"
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
