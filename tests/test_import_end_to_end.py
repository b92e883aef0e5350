"""An analyst's first import, end to end: copies of the three worked examples are imported
with the command line into a copy of the project's data/, and the loader returns them.

Real data replaces example data: nothing is deleted by hand, the example rows of the
imported regions and series are not loaded, and the other example series still are."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import regionanalys as ra
from regionanalys import config

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
EXAMPLES = [("hr_timmar_2023.xlsx", "hr_timmar.toml"), ("huvudbok_2023.csv", "huvudbok.toml"), ("hyrpersonal_2023.xlsx", "hyrpersonal_2023.toml")]


def test_import_the_three_examples_into_a_project_and_load_them(tmp_path):
    project = tmp_path / "projekt"
    data = project / "data"
    shutil.copytree(config.DATA_DIR, data, ignore=shutil.ignore_patterns("imports", ".*"))
    exports = project / "exporter"
    exports.mkdir()
    for export, mapping in EXAMPLES:
        shutil.copy(FIXTURES / export, exports / export)
        shutil.copy(FIXTURES / mapping, exports / mapping)
    assert (data / "example" / "17_exempel_bemanning.csv").is_file()  # kept: the loader supersedes it
    env = {**os.environ, "REGIONANALYS_DATA_DIR": str(data), "REGIONANALYS_REPORTS_DIR": str(project / "reports")}
    for export, mapping in EXAMPLES:
        res = subprocess.run(
            [sys.executable, "-m", "regionanalys.cli", "import", f"exporter/{export}", "--mapping", f"exporter/{mapping}"],
            cwd=project, env=env, capture_output=True, text=True, timeout=300,
        )
        assert res.returncode == 0, res.stdout + res.stderr
    assert sorted(p.name for p in (data / "imports").iterdir()) == ["17_hyrpersonal_2023.csv", "24_hr_timmar_2023.csv", "24_huvudbok_2023.csv"]

    df = ra.load(data)
    imported = df[df["source_file"].str.startswith("imports/")]
    assert len(imported) == 48 + 12 + 48 and not imported["example"].any()
    v = imported.set_index(["region", "org", "series", "category", "period"])["value"]
    jan = pd.Period("2023-01", "M")
    assert v[("24", "region", "hyrpersonal_kostnad", "lakare", jan)] == pytest.approx(1.7830305)  # kr -> mnkr
    assert v[("17", "region", "hyrpersonal_kostnad", "lakare", jan)] == pytest.approx(18.9124)  # tkr -> mnkr
    assert v[("24", "Regionservice", "sjukfranvaro_timmar", "", pd.Period("2023-12", "M"))] == 7990
    for region, series in [("24", "hyrpersonal_kostnad"), ("24", "egen_personalkostnad"), ("17", "hyrpersonal_kostnad")]:
        rows = df[(df["region"] == region) & (df["series"] == series)]
        assert not rows.empty and not rows["example"].any(), f"exempeldata för {region} {series} laddas fortfarande"
        assert (region, series) not in df.attrs["example_series"]
    # other regions' example data stays, and so do the imported regions' other example series
    assert df[(df["region"] == "18") & (df["series"] == "hyrpersonal_kostnad")]["example"].all()
    assert ("17", "egen_personalkostnad") in df.attrs["example_series"]
    superseded = [p for p in ra.validate(data) if "exempeldata" in p.message]
    assert {p.file for p in superseded} == {"example/17_exempel_bemanning.csv", "example/24_exempel_bemanning.csv"}

    # ... and `make reports` again gives reports on the imported data: Västerbotten's staffing
    # report reads its own hired-staff months (no example mark on those charts).
    out = project / "reports"
    res = subprocess.run(
        [sys.executable, "-m", "regionanalys.cli", "run", "--notebook", "bemanning", "--region", "24",
         "--year", "2023", "--data-dir", str(data), "--out", str(out), "--quiet"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    html = (out / "bemanning_24_2023.html").read_text(encoding="utf-8")
    from regionanalys.analysis import staffing
    assert staffing.chart_status(df, "24", "hyrpersonal") == "verklig"
    assert "Exempeldata: diagrammet visar hur kostnaden för hyrpersonal per personalgrupp" not in html
    assert "Kostnad för hyrpersonal per personalgrupp" in html
