"""The caches of png_bytes (text layouts, text bitmaps, the tick memo): the same pixels and
ticks as matplotlib's own, and only while a chart is laid out and drawn."""
from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text
from PIL import Image

from regionanalys.report.charts import style


def _chart():
    fig, ax = style.new_figure(6, 3)
    ax.plot([2019, 2020, 2021, 2022], [120.5, -80, 300, 45], label="Resultat")
    ax.set_title("Region Värmland: resultat per år, en lång rubrik som får brytas om den inte ryms i bilden")
    ax.annotate("−478\nverksamhetens\nresultat", (2021, 300), ha="center", va="bottom", fontsize=6.5, rotation=10)
    ax.set_xlabel("år")
    style.swedish_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return fig


def _pixels(png: bytes) -> np.ndarray:
    import io

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _chart_with_more_text():
    fig = _chart()
    ax = fig.axes[0]
    ax.text(2020, 0, "lodrätt −12,5", rotation=90, fontsize=7)
    ax.text(2020.5, 50, "snett åäö", rotation=33, weight="bold")
    ax.text(2019.5, -40, "utan kantutjämning", antialiased=False)
    return fig


@pytest.mark.parametrize(("cache", "store"), [("_cached_text_layout", "_LAYOUTS"), ("_cached_glyphs", "_GLYPHS")])
def test_cache_draws_the_same_pixels(monkeypatch, cache, store):
    """Text layouts and text bitmaps (rotated, small, bold, not antialiased) from the
    caches give the pixels of matplotlib's own, when new and when hit."""
    getattr(style, store).clear()
    cached = style.png_bytes(_chart_with_more_text())
    again = style.png_bytes(_chart_with_more_text())  # every text now a cache hit
    assert len(getattr(style, store)) > 5
    monkeypatch.setattr(style, cache, contextlib.nullcontext)
    plain = style.png_bytes(_chart_with_more_text())
    assert np.array_equal(_pixels(cached), _pixels(plain))
    assert np.array_equal(_pixels(again), _pixels(plain))


def _draw_text_method():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg.draw_text


@pytest.mark.parametrize(("cache", "method"), [("_cached_text_layout", lambda: Text._get_layout),
                                               ("_cached_glyphs", _draw_text_method)])
def test_cache_is_active_only_while_drawing(cache, method):
    original = method()
    style.png_bytes(_chart())
    assert method() is original
    with getattr(style, cache)():
        assert method() is not original
    assert method() is original


def test_key_separates_what_changes_the_layout():
    fig, ax = style.new_figure(4, 2)
    renderer = fig.canvas.get_renderer()
    a = ax.text(0, 0, "1 000")
    b = ax.text(0, 0, "1 000", fontsize=14)
    c = ax.text(0, 0, "1 000", rotation=90)
    d = ax.text(0, 0, "1 000", wrap=True)
    keys = [style._layout_key(t, renderer, ()) for t in (a, b, c)]
    assert len(set(keys)) == 3
    assert style._layout_key(d, renderer, ()) is None  # wrapped text depends on its place


def _ticks(axis):
    return [(t.get_loc(), t.label1.get_text()) for t in axis._update_ticks()]


def test_tick_memo_gives_the_ticks_of_a_fresh_update_after_the_axes_move():
    """A date axis keeps its ticks when the layout moves its axes; a MaxNLocator axis,
    whose number of ticks follows its length, updates them."""
    import matplotlib.dates as mdates

    fig, ax = style.new_figure(8, 4)
    months = pd.period_range("2021-01", "2024-06", freq="M").to_timestamp()
    ax.plot(months, range(len(months)))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=[4, 7, 10]))
    fig.canvas.draw()
    style._memo_ticks(fig)
    before = _ticks(ax.xaxis), _ticks(ax.yaxis)
    key_x, key_y = style._tick_key(ax.xaxis), style._tick_key(ax.yaxis)
    ax.set_position([0.1, 0.1, 0.3, 0.15])  # a much smaller axes: fewer y ticks fit
    assert style._tick_key(ax.xaxis) == key_x  # date locators: the place is not in the key
    assert style._tick_key(ax.yaxis) != key_y
    memo_x, memo_y = _ticks(ax.xaxis), _ticks(ax.yaxis)
    fresh = type(ax.yaxis)._update_ticks  # the class' own update, without the memo
    assert memo_x == before[0] == [(t.get_loc(), t.label1.get_text()) for t in fresh(ax.xaxis)]
    assert memo_y == [(t.get_loc(), t.label1.get_text()) for t in fresh(ax.yaxis)] != before[1]


def test_tick_memo_key_changes_with_a_new_locator():
    from matplotlib.ticker import MultipleLocator

    fig, ax = style.new_figure(4, 2)
    ax.plot([0, 10], [0, 10])
    key = style._tick_key(ax.yaxis)
    ax.yaxis.set_major_locator(MultipleLocator(5))
    assert style._tick_key(ax.yaxis) != key


def _same(a, b) -> bool:
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - objects that cannot say
        return False


def test_line_update_from_copies_what_matplotlibs_copies():
    """``style._line_update_from`` leaves a line as matplotlib's ``Line2D.update_from``
    does, attribute by attribute, except that the marker is the source's own object. A
    matplotlib that copies one more attribute fails here."""
    from matplotlib.lines import Line2D
    from matplotlib.markers import MarkerStyle

    fig, ax = style.new_figure(4, 2)
    sources = [
        Line2D([0, 1], [1, 0], color="#c0392b", linewidth=2.5, linestyle=(0, (4, 3)), gapcolor="yellow",
               marker="o", markersize=9, markerfacecolor="white", markerfacecoloralt="red", markeredgecolor="blue",
               markeredgewidth=1.7, fillstyle="left", drawstyle="steps-post", dash_capstyle="round",
               dash_joinstyle="bevel", solid_capstyle="projecting", solid_joinstyle="miter", alpha=0.4,
               label="källa", visible=False, clip_on=False),
        ax.xaxis.get_major_ticks()[0].tick1line,
        ax.yaxis.get_major_ticks()[0].gridline,
    ]
    per_instance = {k for k, v in vars(Line2D([], [])).items() if not _same(v, vars(Line2D([], []))[k])}
    for src in sources:
        theirs, ours = Line2D([], []), Line2D([], [])
        Line2D.update_from(theirs, src)
        style._line_update_from(ours, src)
        assert ours._marker is src._marker
        assert isinstance(theirs._marker, MarkerStyle) and theirs._marker is not src._marker
        assert (theirs._marker.get_marker(), theirs._marker.get_fillstyle()) == (src._marker.get_marker(), src._marker.get_fillstyle())
        assert np.array_equal(theirs._marker.get_path().vertices, src._marker.get_path().vertices)
        assert np.array_equal(theirs._marker.get_transform().get_matrix(), src._marker.get_transform().get_matrix())
        a, b = vars(theirs), vars(ours)
        assert a.keys() == b.keys()
        differ = [k for k in a if k not in per_instance | {"_marker"} and not _same(a[k], b[k])]
        assert differ == []


def test_shared_markers_draw_the_same_pixels(monkeypatch):
    """Ticks made while a chart is laid out share their first tick's marker: the same pixels
    as with matplotlib's copies (a monthly date axis with minor ticks, many y ticks)."""
    from matplotlib.lines import Line2D

    def chart():
        fig, ax = style.new_figure(6, 3)
        months = pd.date_range("2019-01-01", "2024-12-01", freq="MS")
        ax.plot(months, np.sin(np.arange(len(months)) / 5) * 100)
        style.swedish_axis(ax)
        return fig

    original = Line2D.update_from
    shared = style.png_bytes(chart())
    assert Line2D.update_from is original  # shared only while a chart is laid out and drawn
    monkeypatch.setattr(style, "_line_update_from", Line2D.update_from)
    copied = style.png_bytes(chart())
    assert np.array_equal(_pixels(shared), _pixels(copied))
