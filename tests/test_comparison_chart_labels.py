"""The comparison report's results chart keeps every bar label inside its own panel.

On the shipped data Örebro's 2024 prognosis has a seven-line label ("−600 balanskravs-
resultat prognos per periodrapport januari–mars 2024"); with a fixed room of 0,9 of the data
span below the bars it ran out of the Örebro panel towards Västerbotten's. The chart is
drawn as the comparison notebook draws it (``notebooks/02_jamforelse.py``) and embedded as
the report embeds it (:func:`style.png_bytes`), then measured.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from test_chart_text import TOLERANCE, text_problems  # noqa: E402

from regionanalys import load  # noqa: E402
from regionanalys.analysis import comparison  # noqa: E402
from regionanalys.report.charts import comparison as comparison_charts  # noqa: E402
from regionanalys.report.charts import style  # noqa: E402

REGIONS = ["17", "18", "24"]
YEAR = 2023


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    """The notebook's results history: its regions, years year-7 … year+1, the shipped data."""
    df = load(None, regions=REGIONS)
    return comparison.results_history(df[df["region"].isin(REGIONS)], REGIONS, list(range(YEAR - 7, YEAR + 2)))


def _drawn(history: pd.DataFrame):
    fig = comparison_charts.results_history_chart(history, REGIONS, "Resultat per region och år, mnkr")
    style.png_bytes(fig)  # as the report embeds it: titles fitted, laid out at print resolution
    fig.canvas.draw()
    return fig


def _outside_own_frame(fig) -> list[str]:
    """Bar labels whose drawn extent leaves their own panel's frame (pixels beyond it)."""
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        frame = ax.bbox
        for text in ax.texts:
            box = text.get_window_extent(renderer)
            beyond = max(frame.x0 - box.x0, box.x1 - frame.x1, frame.y0 - box.y0, box.y1 - frame.y1)
            if beyond > TOLERANCE:
                found.append(f"{ax.get_title(loc='left')}: {text.get_text()!r} {beyond:.0f} px")
    return found


def test_the_long_prognosis_label_is_in_the_data(history):
    """The case the chart must hold: Örebro's 2024 label has seven lines."""
    row = history[(history["region"] == "18") & (history["year"] == 2024)].iloc[0]
    assert comparison.bar_label(row).count("\n") + 1 >= 7


def test_every_label_stays_inside_its_own_panel(history):
    fig = _drawn(history)
    assert not _outside_own_frame(fig)
    assert not text_problems(fig)
    plt.close(fig)


def test_panels_keep_one_scale_and_labels_keep_their_text(history):
    """One y scale for every panel (the regions' bars compare: same limits, same height) and
    each bar's label is bar_label's text, every word of it."""
    fig = _drawn(history)
    assert len({ax.get_ylim() for ax in fig.axes}) == 1
    assert len({round(ax.bbox.height, 3) for ax in fig.axes}) == 1
    expected = sorted(comparison.bar_label(r) for _, r in history.iterrows())
    assert sorted(t.get_text() for ax in fig.axes for t in ax.texts) == expected
    plt.close(fig)


def test_panels_are_where_constrained_layout_puts_them(history):
    """With more than two panels the chart places them from a probe of two (see
    _place_like_probe); the positions are constrained layout's own, at print resolution."""
    fig = comparison_charts.results_history_chart(history, REGIONS, "Resultat per region och år, mnkr")
    fig.set_dpi(style.PRINT_DPI)
    ours = [ax.get_position().bounds for ax in fig.axes]
    fig.set_layout_engine("constrained")
    style.lay_out(fig)
    theirs = [ax.get_position().bounds for ax in fig.axes]
    width, height = fig.get_figwidth() * 72, fig.get_figheight() * 72
    worst = max(max(abs(a[0] - b[0]) * width, abs(a[1] - b[1]) * height, abs(a[2] - b[2]) * width, abs(a[3] - b[3]) * height)
                for a, b in zip(ours, theirs))
    assert worst < 0.05, f"{worst:.2f} pt"
    plt.close(fig)
