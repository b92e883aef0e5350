""""Det viktigaste" of the staffing report: stated figures first, example data named, no amounts from it."""
from __future__ import annotations

import re

from regionanalys.analysis import staffing


def test_real_figures_first_and_example_named(all_df):
    points = staffing.key_points(all_df, "24")
    assert "+8 mnkr (+9 %)" in points[0].replace("\xa0", " ")
    assert any("exempeldata" in p and "anger inga belopp" in p for p in points)


def test_no_amount_when_only_example_data(all_df):
    points = staffing.key_points(all_df, "18")
    assert "anger inga belopp" in points[0]
    assert not any(re.search(r"\d", p) for p in points), points
