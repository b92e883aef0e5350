"""Figure items: what the ``*_figures`` functions hand to :func:`present.show_figures`."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from matplotlib.figure import Figure

from regionanalys.data.regions import region_name


def figure_item(fig: Figure | None, alt: str, caption: str, **more) -> dict:
    """One figure with its alt text and its reading (``more``: e.g. ``example``, ``note``)."""
    return {"fig": fig, "alt": alt, "caption": caption, **more}


def per_region(regions: Iterable[str], item: Callable[[str, str], dict]) -> list[dict]:
    """``item(code, name)`` for each region code in order (``name``: the region's name)."""
    return [item(code, region_name(code)) for code in regions]
