"""The shared chart style: colours, fonts, Swedish tick labels and the example-data mark.

Every chart in every report is made through this module so the reports look alike and
a reader learns the colours once: each region keeps its colour in every chart.
"""
from __future__ import annotations

# No matplotlib.use() here: the backend is the caller's choice (inline in JupyterLab);
# the report runner selects a headless one for its kernels (MPLBACKEND=Agg).
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from regionanalys.data.formatting import axis_formatter

#: Colour per region: the three first users get strong, colour-blind-safe colours.
REGION_COLOURS = {"17": "#0072B2", "18": "#D55E00", "24": "#009E73", "00": "#444444"}
OTHER_REGION = "#B8B8B8"
#: Colours with a meaning, used the same way in every chart.
COLOURS = {
    "kostnad": "#C0392B",
    "intakt": "#2E86C1",
    "resultat": "#34495E",
    "positiv": "#2E7D32",
    "negativ": "#C62828",
    "budget": "#7F8C8D",
    "plan": "#8E6C8A",
    "krav": "#E67E22",
    "utfall": "#2C3E50",
    "referens": "#555555",
}
CATEGORY_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]

EXAMPLE_MARK = "Exempeldata"


def region_colour(code: str) -> str:
    return REGION_COLOURS.get(code, OTHER_REGION)


def apply_style() -> None:
    """Set the project's matplotlib defaults (idempotent)."""
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#DDDDDD",
            "grid.linewidth": 0.8,
            "axes.axisbelow": True,
            "legend.frameon": False,
            "axes.formatter.use_locale": False,
        }
    )


def new_figure(width: float = 8.0, height: float = 4.0, ncols: int = 1, **kwargs) -> tuple[Figure, Axes]:
    """A figure in the project style (one axes, or ``ncols`` side by side sharing y)."""
    apply_style()
    fig, ax = plt.subplots(1, ncols, figsize=(width, height), layout="constrained", **kwargs)
    return fig, ax


def swedish_axis(ax: Axes, decimals: int = 0, suffix: str = "", axis: str = "y") -> None:
    """Swedish tick labels on an axis (``1 000``, ``−2,5 %``)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(axis_formatter(decimals, suffix))


def mark_example(fig: Figure) -> None:
    """Stamp 'Exempeldata' across a figure built on generated example data."""
    fig.text(
        0.5, 0.5, EXAMPLE_MARK, fontsize=42, color="#C62828", alpha=0.18,
        ha="center", va="center", rotation=20, weight="bold", zorder=100,
    )
    fig.text(0.995, 0.005, f"{EXAMPLE_MARK} – inte verkliga siffror", fontsize=8, color="#C62828", ha="right", va="bottom")


def close(fig: Figure) -> None:
    plt.close(fig)
