"""The text-layout cache of png_bytes: the same pixels as matplotlib's own layout, and only
while a chart is laid out and drawn."""
from __future__ import annotations

import contextlib

import numpy as np
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


def test_cached_layout_draws_the_same_pixels(monkeypatch):
    style._LAYOUTS.clear()
    cached = style.png_bytes(_chart())
    again = style.png_bytes(_chart())  # every text now a cache hit
    assert len(style._LAYOUTS) > 5
    monkeypatch.setattr(style, "_cached_text_layout", contextlib.nullcontext)
    plain = style.png_bytes(_chart())
    assert np.array_equal(_pixels(cached), _pixels(plain))
    assert np.array_equal(_pixels(again), _pixels(plain))


def test_cache_is_active_only_while_drawing():
    original = Text._get_layout
    style.png_bytes(_chart())
    assert Text._get_layout is original
    with style._cached_text_layout():
        assert Text._get_layout is not original
    assert Text._get_layout is original


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
