"""Data-derived text in charts is shown literally: "$...$" in an org name is not mathtext."""
from __future__ import annotations

import matplotlib.pyplot as plt

from regionanalys.report.charts import style


def test_dollar_signs_in_labels_are_literal():
    fig, ax = style.new_figure(4, 3)
    name = r"Område $\frac{a}{0}$ och $x^2$"  # invalid mathtext: would raise when drawn
    ax.bar([0], [1], label=name)
    ax.set_title(name)
    ax.legend()
    fig.canvas.draw()  # no ValueError from the mathtext parser
    assert ax.get_title(loc="left") == name  # the project style puts titles on the left
    assert not ax._left_title._preprocess_math(name)[1], "the title is not parsed as math"
    plt.close(fig)
