"""Charts whose size grows with the number of orgs or decisions stay about one A4 page:
the largest ones are drawn and the title says how many of how many (30× today's data made
a build-up chart of 90 panels, 400 inches wide, and 2 GB of memory)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from regionanalys.report.charts import savings as charts  # noqa: E402
from regionanalys.report.charts.style import close  # noqa: E402


def _title(fig) -> str:
    return fig._suptitle.get_text() if fig._suptitle is not None else fig.axes[0].get_title(loc="left")


def test_buildup_chart_draws_the_six_largest_plans_in_rows_of_three():
    n = 40
    table = pd.DataFrame({
        "region": "18", "org": [f"Förvaltning {i}" for i in range(n)], "år": 2024,
        "plan_delar_mnkr": np.nan, "justering_mnkr": np.nan, "plan_mnkr": np.arange(n, dtype=float) + 1,
        "krav_mnkr": 100.0, "andel_av_krav_pct": np.nan,
    })
    fig = charts.buildup_chart(table, "Uppbyggnad")
    shown = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    assert shown == [f"Förvaltning {i}" for i in range(34, 40)], "the six largest, in table order"
    assert fig.get_size_inches()[0] <= 4.5 * 3 + 2 and "de 6 största planerna av 40" in _title(fig)
    close(fig)
    one = charts.buildup_chart(table.iloc[:1], "Uppbyggnad")
    assert len(one.axes) == 1 and "största" not in _title(one), "one org: one panel, no note"
    close(one)


def test_coverage_chart_keeps_each_decision_with_its_parts():
    rows = []
    for i in range(40):
        rows.append({"rad": "beslut", "region": "18", "org": "region", "år": 2024, "omfattning": "hela regionen",
                     "krav_mnkr": float(i + 1), "plan_mnkr": float(i), "fördelat_mnkr": np.nan, "täckning_pct": 50.0})
        if i % 10 == 9:
            rows.append({**rows[-1], "rad": "varav", "org": f"Nämnd {i}", "krav_mnkr": 0.5})
    table = pd.DataFrame(rows)
    picked = charts._largest_decisions(table, charts.MAX_BARS)
    assert len(picked) <= charts.MAX_BARS
    heads = picked[picked["rad"] == "beslut"]["krav_mnkr"]
    assert heads.min() > table[(table["rad"] == "beslut") & ~table.index.isin(picked.index)]["krav_mnkr"].max()
    for i in picked.index[picked["rad"] == "varav"]:
        assert i - 1 in picked.index, "a part is never drawn without its decision"
    fig = charts.coverage_chart(table, "Täckning")
    assert len(fig.axes[0].get_yticks()) == len(picked) and "största kraven av 40" in _title(fig)
    close(fig)


def test_per_post_chart_draws_the_largest_amounts():
    n = 50
    table = pd.DataFrame({"region": "18", "org": [f"Org {i}" for i in range(n)], "år": 2024, "status": "plan",
                          "belopp_mnkr": np.arange(n, dtype=float) + 1, "antal": 10.0, "enhet": "tjänster",
                          "tkr_per_post": (np.arange(n, dtype=float) + 1) * 100})
    fig = charts.per_post_chart(table, "Per post")
    assert len(fig.axes[0].get_yticks()) == charts.MAX_BARS and "30 största beloppen av 50" in _title(fig)
    close(fig)


def test_requirements_chart_draws_the_largest_per_scope():
    from regionanalys.report.charts import comparison

    rows = [{"code": "17", "år": 2024, "scope": scope, "kr_per_inv": float(i + 1), "mnkr": float(i)}
            for scope, n in (("hela_regionen", 45), ("administration", 5)) for i in range(n)]
    fig = comparison.requirements_chart(pd.DataFrame(rows), "Krav")
    bars = [len(ax.patches) for ax in fig.axes]
    assert bars == [30, 5] and "35 av 50" in _title(fig)
    assert min(p.get_width() for p in fig.axes[0].patches) == 16.0, "the 30 largest of 45"
    close(fig)
