"""No chart text is cut or overlaps: every chart the reports draw, on the project's data.

The report notebooks (``notebooks/0[1-4]_*.py``, the jupytext sources) are executed in this
process for each report the suite makes (region reports for the three first users, the
comparison), with the page output switched off. Every figure on its way to the page is
checked as it is embedded (after :func:`style.png_bytes` has wrapped long titles): each
visible text artist lies inside the figure, no two overlap (a pixel or two of
antialiasing tolerated), and no text of one panel (a bar label) runs out of its frame
towards another panel. Every public ``*_chart`` function of ``report/charts`` must have
been drawn at least once, so a new chart cannot escape the check.
"""
from __future__ import annotations

import functools
import inspect
import itertools
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from regionanalys import config  # noqa: E402
from regionanalys.report import present  # noqa: E402
from regionanalys.report.charts import comparison, deficits, economy, kolada, savings, staffing, style  # noqa: E402

CHART_MODULES = (comparison, deficits, economy, kolada, savings, staffing)
TOLERANCE = 2.0  # pixels of antialiasing and rounding
#: (notebook, parameters) as the suite runs them (notebooks/reports.toml: three regions, one comparison).
RUNS = [
    *[(nb, {"region": r, "year": 2023}) for nb in ("01_region", "03_bemanning", "04_sparande") for r in ("17", "18", "24")],
    ("02_jamforelse", {"year": 2023}),
]


def _drawn_texts(fig: Figure, renderer) -> list[tuple[str, object]]:
    """Visible, non-empty text artists that are drawn, with their extents in pixels.

    Tick labels count only for ticks inside the view (matplotlib keeps the others
    but does not draw them); the diagonal "Exempeldata" watermark is meant to lie over
    the chart and is left out."""
    out = []
    tick_labels = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            every = axis.get_major_ticks() + axis.get_minor_ticks()
            drawn = axis._update_ticks()
            tick_labels |= {id(t.label1) for t in every} | {id(t.label2) for t in every}
            for tick in drawn:
                for label in (tick.label1, tick.label2):
                    if label.get_visible() and label.get_text().strip():
                        out.append((label.get_text(), label.get_window_extent(renderer)))
    for text in fig.findobj(Text):
        if id(text) in tick_labels or not text.get_visible() or not text.get_text().strip():
            continue
        if text.get_text() == style.EXAMPLE_MARK and text.get_rotation() != 0:
            continue
        legend = next((lg for lg in [*(ax.get_legend() for ax in fig.axes), *fig.legends] if lg is not None and text in lg.get_texts()), None)
        if legend is not None and not legend.get_visible():
            continue
        out.append((text.get_text(), text.get_window_extent(renderer)))
    return out


def text_problems(fig: Figure) -> list[str]:
    """Texts outside the figure, pairs of texts that overlap and texts of one panel that run
    towards another (empty list: all clear)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    texts = _drawn_texts(fig, renderer)
    problems = []
    for text, box in texts:
        if box.x0 < -TOLERANCE or box.y0 < -TOLERANCE or box.x1 > width + TOLERANCE or box.y1 > height + TOLERANCE:
            problems.append(f"utanför figuren: {text!r} ({box.x0:.0f}, {box.y0:.0f})–({box.x1:.0f}, {box.y1:.0f}) av {width:.0f}×{height:.0f}")
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if w > TOLERANCE and h > TOLERANCE:
            problems.append(f"överlappar: {a!r} och {b!r} ({w:.0f}×{h:.0f} px)")
    problems += _panel_crossings(fig, renderer)
    return problems


def _panel_title(ax) -> str:
    """The heading a reader knows the panel by (its first non-empty title)."""
    return next((t.get_text() for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()), "utan rubrik")


def _overlap(a, b) -> tuple[float, float]:
    """Width and height (pixels) that two boxes share; either is <= 0 when they do not meet."""
    return min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)


def _panel_crossings(fig: Figure, renderer) -> list[str]:
    """Texts of one axes (bar labels, notes: ``ax.text``/``ax.annotate``) that cross out of
    their own panel towards another panel of the figure.

    The overlap check above compares texts with texts only: a label that runs below its
    panel into the gap above the next panel (or into that panel's heading or frame) overlaps
    no other text, yet a reader cannot tell which panel it belongs to. For each pair of axes
    A and B, the part of the figure between them is the smallest box holding A's frame and
    B's frame, heading and tick labels, less A's frame; a text of A reaching into it (more
    than :data:`TOLERANCE`) is reported, when B lies on the side of the edge the text
    passes. A text above the top panel of a column lies towards no other panel and is left
    alone (event numbers sit on the frame)."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if len(axes) < 2:
        return []
    # B's own area: its frame, ticks, tick labels and titles, without its texts (those may
    # be the very labels that spill; they must not widen B).
    areas = {id(b): Bbox.union([b.bbox, b.get_tightbbox(renderer, bbox_extra_artists=[])]) for b in axes}
    problems = []
    for a in axes:
        frame = a.bbox
        for text in a.texts:
            if not text.get_visible() or not text.get_text().strip():
                continue
            box = text.get_window_extent(renderer)
            # The part of the text beyond each edge of its own frame, how deep it reaches
            # there, and whether another frame lies on that side.
            sides = [
                (Bbox.from_extents(box.x0, box.y0, box.x1, min(box.y1, frame.y0)), lambda o: o[1], lambda f: f.y1 <= frame.y0),  # below
                (Bbox.from_extents(box.x0, max(box.y0, frame.y1), box.x1, box.y1), lambda o: o[1], lambda f: f.y0 >= frame.y1),  # above
                (Bbox.from_extents(box.x0, box.y0, min(box.x1, frame.x0), box.y1), lambda o: o[0], lambda f: f.x1 <= frame.x0),  # left
                (Bbox.from_extents(max(box.x0, frame.x1), box.y0, box.x1, box.y1), lambda o: o[0], lambda f: f.x0 >= frame.x1),  # right
            ]
            for b in axes:
                if b is a:
                    continue
                between = Bbox.union([frame, areas[id(b)]])
                reach = 0.0
                for part, depth, facing in sides:
                    if part.width <= 0 or part.height <= 0 or not facing(b.bbox):
                        continue
                    shared = _overlap(part, between)
                    if min(shared) > TOLERANCE:
                        reach = max(reach, depth(shared))
                if reach > TOLERANCE:
                    problems.append(f"ur sin panel: {text.get_text()!r} i {_panel_title(a)!r} når {reach:.0f} px mot {_panel_title(b)!r}")
    return problems


def _cells(source: str) -> tuple[str, list[str]]:
    """The notebook's parameters cell and the code cells after it (jupytext percent format)."""
    parts = re.split(r"^(# %%.*)$", source, flags=re.MULTILINE)
    cells = list(zip(parts[1::2], parts[2::2]))
    at = next(i for i, (marker, _) in enumerate(cells) if "parameters" in marker)
    return cells[at][1], [body for marker, body in cells[at + 1:] if "[markdown]" not in marker]


@pytest.fixture(scope="module")
def drawn() -> dict:
    """Run every report notebook in-process; collect the text problems of each chart and
    which chart functions were called."""
    called: dict[str, int] = {}
    problems: dict[str, list[str]] = {}
    failed: dict[str, str] = {}
    originals = []
    for module in CHART_MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and name.endswith("_chart"):
                key = f"{module.__name__.rsplit('.', 1)[1]}.{name}"
                called[key] = 0

                def counted(*a, __fn=fn, __key=key, **k):
                    called[__key] += 1
                    return __fn(*a, **k)

                originals.append((module, name, fn))
                setattr(module, name, functools.wraps(fn)(counted))
    encode = present.png_bytes
    current = {"run": ""}

    def checked(fig: Figure, *a, **k) -> bytes:
        data = encode(fig, *a, **k)  # wraps long titles, then saves at print resolution
        found = text_problems(fig)
        if found:
            title = next((t.get_text() for ax in fig.axes for t in (ax.title, ax._left_title) if t.get_text()), "")
            problems[f"{current['run']}: {title or fig._suptitle.get_text() if fig._suptitle else title}"] = found
        return data

    present.png_bytes = checked
    show = present._show
    present._show = lambda markup: None
    try:
        for notebook, params in RUNS:
            current["run"] = f"{notebook} {params}"
            source = (config.NOTEBOOKS_DIR / f"{notebook}.py").read_text(encoding="utf-8")
            parameters, cells = _cells(source)
            namespace: dict = {}
            exec(compile(parameters, notebook, "exec"), namespace)
            namespace.update(params)  # as papermill injects them after the parameters cell
            try:
                for cell in cells:
                    if not cell.strip().replace("#", "").strip():
                        continue
                    exec(compile(cell, notebook, "exec"), namespace)
            except Exception as exc:  # noqa: BLE001 - reported by its own test; the other notebooks still run
                failed[current["run"]] = f"{type(exc).__name__}: {exc}"
            plt.close("all")
    finally:
        present.png_bytes = encode
        present._show = show
        for module, name, fn in originals:
            setattr(module, name, fn)
    return {"called": called, "problems": problems, "failed": failed}


@pytest.mark.slow
def test_every_report_notebook_ran(drawn):
    assert not drawn["failed"], "\n".join(f"{run}: {err}" for run, err in drawn["failed"].items())


@pytest.mark.slow
def test_no_chart_text_is_cut_or_overlaps(drawn):
    lines = [f"{chart}:\n  " + "\n  ".join(found) for chart, found in drawn["problems"].items()]
    assert not lines, "\n".join(lines)


#: Drawn only when a Kolada cache exists; tests/test_kolada_report.py renders them from a
#: generated 21-region cache (the shipped data has no cache, so the runs above cannot).
KOLADA_CACHE_ONLY = {"kolada.standard_chart", "kolada.growth_chart"}


@pytest.mark.slow
def test_every_chart_function_was_drawn(drawn):
    never = sorted(k for k, n in drawn["called"].items() if n == 0 and k not in KOLADA_CACHE_ONLY)
    assert not never, f"diagramfunktioner som ingen rapport ritar (och som därför inte kontrolleras): {never}"


def test_the_check_finds_overlap_and_text_outside():
    fig, ax = style.new_figure(4, 3)
    ax.text(0.5, 0.5, "en text", transform=ax.transAxes)
    ax.text(0.5, 0.5, "en annan", transform=ax.transAxes)
    ax.set_title("En mycket lång titel " * 8)
    found = text_problems(fig)
    assert any(p.startswith("överlappar: 'en text'") for p in found)
    assert any(p.startswith("utanför figuren: 'En mycket") for p in found)
    style.fit_titles(fig)
    assert not any(p.startswith("utanför figuren") for p in text_problems(fig)), "fit_titles wraps the title"
    plt.close(fig)


def test_the_check_finds_a_label_crossing_into_another_panel():
    """A bar label of the upper panel that runs down past its frame (the comparison chart's
    Örebro 2024 label did) is found, though it overlaps no other text; a label inside its
    frame and an event number on top of the upper frame are not."""
    fig, axes = plt.subplots(2, 1, figsize=(4, 4), layout="constrained")
    top, bottom = axes
    top.set_title("Övre")
    bottom.set_title("Nedre")
    for ax in axes:
        ax.set_ylim(-10, 10)
        ax.bar([1], [-8])
    long = top.annotate("\n".join(["−600", "balanskravs-", "resultat", "prognos per", "periodrapport", "januari–mars", "2024"]),
                        (1, -8), xytext=(0, -3), textcoords="offset points", ha="center", va="top", fontsize=8)
    long.set_in_layout(False)  # as drawn by a layout that does not make room for it
    top.annotate("ryms", (1, 5), ha="center", fontsize=8)
    top.annotate("1", xy=(1, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2), textcoords="offset points",
                 ha="center", va="bottom", annotation_clip=False)
    found = text_problems(fig)
    crossing = [p for p in found if p.startswith("ur sin panel")]
    assert crossing and all(p.startswith("ur sin panel: '−600") and "mot 'Nedre'" in p for p in crossing), found
    long.set_visible(False)
    assert not [p for p in text_problems(fig) if p.startswith("ur sin panel")]
    plt.close(fig)


def test_example_footer_has_its_own_band_below_the_chart():
    """The footer is a band added below the picture: the chart above it is unchanged, so
    it cannot touch axis labels or a legend below the axes."""
    import io

    from PIL import Image

    def picture(example: bool) -> Image.Image:
        fig, ax = style.new_figure(6, 3)
        ax.plot([1, 2, 3], [1, 3, 2])
        fig.legend(["serie"], loc="outside lower center")
        if example:
            style.mark_example(fig)
        return Image.open(io.BytesIO(style.png_bytes(fig))).convert("RGB")

    plain, marked = picture(False), picture(True)
    band = round(style.FOOTER_IN * style.PRINT_DPI)
    assert marked.height == plain.height + band
    strip = marked.crop((0, plain.height, marked.width, marked.height))
    reds = [px for px in strip.get_flattened_data() if px[0] > 150 and px[1] < 120]
    assert reds, "the footer text is in the band"


def test_mark_events_on_monthly_and_annual_axes():
    import pandas as pd

    events = pd.DataFrame({"start": [pd.Timestamp("2022-11-21"), pd.Timestamp("2023-12-19"), pd.Timestamp("2030-01-01")],
                           "label": ["Anställningsstopp för administrativ personal", "Plan: 750 anställda", "Utanför"]})
    fig, ax = style.new_figure(8, 3)
    months = pd.date_range("2022-01-01", "2024-06-01", freq="MS")
    ax.plot(months, range(len(months)))
    handles = style.mark_events(ax, events)
    assert [h.get_label() for h in handles] == ["(1) 21 nov 2022: Anställningsstopp för administrativ personal",
                                                "(2) 19 dec 2023: Plan: 750 anställda"], "only events inside the axis"
    assert len(ax.lines) == 3, "one thin line per decision shown"
    fig.legend(handles=handles, loc="outside lower left")
    assert text_problems(fig) == []
    fig2, ax2 = style.new_figure(8, 3)
    ax2.bar([2022, 2023, 2024], [1, 2, 3])
    handles = style.mark_events(ax2, events)
    x = ax2.lines[0].get_xdata()[0]
    assert len(handles) == 2 and 2022.3 < x < 2022.45, "21 Nov 2022 drawn late in the 2022 bar's year"
    plt.close(fig)
    plt.close(fig2)


def test_a_long_decision_is_cut_at_a_word_in_the_legend():
    """A label over 60 characters ends with " …" after a whole word (the source's text in
    full is in the report's timeline); a shorter one is kept whole."""
    import pandas as pd

    long = "Sparbeslut (bilden anger månaden, inte dagen eller innehållet i beslutet)"
    events = pd.DataFrame({"start": [pd.Timestamp("2023-03-01"), pd.Timestamp("2023-05-01")],
                           "label": [long, "Anställningsstopp"]})
    fig, ax = style.new_figure(8, 3)
    months = pd.date_range("2023-01-01", "2023-12-01", freq="MS")
    ax.plot(months, range(len(months)))
    first, second = (h.get_label() for h in style.mark_events(ax, events))
    label = first.split(": ", 1)[1]
    assert label == "Sparbeslut (bilden anger månaden, inte dagen eller …"
    assert len(label) <= 60 and long.startswith(label[:-2])
    assert second.endswith(": Anställningsstopp")
    plt.close(fig)


def test_the_effect_chart_cuts_its_decision_label_the_same_way():
    """The effect chart's decision label is cut by the same rule (it had textwrap's " [...]")."""
    label = "Plan: minska personalkostnaden motsvarande 750 anställda"
    assert style.short_label(label, 48) == "Plan: minska personalkostnaden motsvarande 750 …"
    assert style.short_label("Anställningsstopp", 48) == "Anställningsstopp"


def test_every_region_and_riket_has_its_own_colour():
    from regionanalys.data.regions import REGIONS

    colours = [style.region_colour(code) for code in REGIONS]
    assert len(set(colours)) == len(REGIONS) == 22
    assert style.OTHER_REGION not in colours and not set(colours) & set(style.CATEGORY_PALETTE)
    assert (style.region_colour("17"), style.region_colour("18"), style.region_colour("24")) == ("#0072B2", "#D55E00", "#009E73")
    for key in ("krav", "referens", "budget"):
        r, g, b = (int(style.COLOURS[key][i:i + 2], 16) for i in (1, 3, 5))
        assert max(r, g, b) - min(r, g, b) < 8, f"{key} is grey or black"


def _event_line_xs(ax) -> list[float]:
    """Pixel x of each decision line :func:`style.mark_events` drew on ``ax``."""
    return [ax.transData.transform((ln.get_xdata(orig=False)[0], 0.0))[0] for ln in ax.lines if ln.get_gid() == style.EVENT_GID]


def _touching(box, xs: list[float], gap: float) -> list[float]:
    """The lines (pixel x) that come closer than ``gap`` pixels to ``box`` (less half a pixel of rounding)."""
    return [x for x in xs if box.x0 - gap + 0.5 < x < box.x1 + gap - 0.5]


def test_results_history_value_labels_keep_clear_of_decision_lines():
    """Örebro's "uppgivna resultat per år" (region report 2023): the rotated labels −155 and
    −909 sat on the dashed lines of the decisions of 21 June and 19 October 2023. Every value
    label now keeps :data:`style.EVENT_GAP` points from every decision line, says the same,
    and still stands over its own bar; labels no line comes near are where they were."""
    from regionanalys import load_events, load_region
    from regionanalys.analysis import deficits, region_story as story
    from regionanalys.analysis.indicators import select
    from regionanalys.data.formatting import fmt_number

    data = load_region("18")
    loaded = deficits.with_annual_from_monthly(data.df, data.code)
    annual = select(story.economy_rows(story.report_scope(loaded[loaded["region"] == data.code], 2023)), freq="Y")
    history = story.results_history(annual, data.code)
    fig = economy.results_history_chart(history, "Region Örebro län: uppgivna resultat per år", data.code,
                                        story.events_in_scope(load_events(), data.code, 2023))
    style.png_bytes(fig)  # as the report embeds it
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    xs = _event_line_xs(ax)
    gap = renderer.points_to_pixels(style.EVENT_GAP)
    labels = [t for t in ax.texts if isinstance(t, style.ClearOfEvents)]
    assert len(xs) == 2 and len(labels) == len(history)
    assert sorted(t.get_text() for t in labels) == sorted(fmt_number(v, 0, sign=True) for v in history["belopp"])
    moved = []
    for label in labels:
        box = label.get_window_extent(renderer)
        assert not _touching(box, xs, gap), f"{label.get_text()!r} ({box.x0:.1f}–{box.x1:.1f} px) touches a decision line at {xs}"
        bar = next(p for p in ax.patches if abs(p.get_x() + p.get_width() / 2 - label.xy[0]) < 1e-9 and p.get_height() == label.xy[1])
        left, right = (ax.transData.transform((x, 0.0))[0] for x in (bar.get_x(), bar.get_x() + bar.get_width()))
        assert left <= (box.x0 + box.x1) / 2 <= right, f"{label.get_text()!r} has left its bar"
        if tuple(label.xyann) != label._asked:
            moved.append(label.get_text())
    assert {"−155", "−909"} <= set(moved), moved
    assert set(moved) <= {"−155", "−909", "−1 000"}, "labels far from the lines stay where they were"
    plt.close(fig)


def test_a_label_on_a_decision_line_moves_sideways_the_least():
    """A label with a decision line through its middle moves to the nearer side, keeping
    :data:`style.EVENT_GAP` points; one with a line drawn later far away does not move."""
    import pandas as pd

    fig, ax = style.new_figure(6, 3)
    ax.bar([2022, 2023], [-500, -800], 0.6)
    ax.set_xlim(2021.5, 2023.5)
    ax.set_ylim(-1500, 100)
    ax.set_xticks([2022, 2023], ["2022", "2023"])
    on = style.label_clear_of_events(ax, "−800", (2023, -800), (0, -2), ha="center", va="top", rotation=90, fontsize=7)
    far = style.label_clear_of_events(ax, "−500", (2022, -500), (0, -2), ha="center", va="top", rotation=90, fontsize=7)
    # 2 July is a hair right of the middle of the year on the annual axis: the label goes left.
    style.mark_events(ax, pd.DataFrame({"start": [pd.Timestamp("2023-07-03")], "label": ["Beslut"]}))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (x,) = _event_line_xs(ax)
    box = on.get_window_extent(renderer)
    assert box.x1 <= x - renderer.points_to_pixels(style.EVENT_GAP) + 0.5 and on.xyann[0] < 0 and on.xyann[1] == -2
    assert box.x1 >= x - renderer.points_to_pixels(style.EVENT_GAP) - 0.5, "no further than needed"
    assert tuple(far.xyann) == (0, -2)
    assert text_problems(fig) == []
    plt.close(fig)
