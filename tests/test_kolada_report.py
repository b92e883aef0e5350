"""The comparison report with and without a Kolada cache.

The cache is made the way a user makes it: the real client fetches from a local fake
Kolada server (responses in the API's v3 shape) into a copy of data/. Two caches: the
recorded default-set fixture (tests/fixtures/kolada/data_default_page{1,2}.json: the three
first users and riket, 2023, over two pages) and a generated one with every KPI of the
default set for all 21 regions and riket in 2022 and 2023 (numbers drawn here with a fixed
seed, for the test only), which is what a user with network access gets.
"""
import json
import re
import shutil

import numpy as np
import papermill as pm
import pytest
from nbconvert import HTMLExporter

from regionanalys import config
from regionanalys.kolada import client as K
from regionanalys.data.regions import all_regions
from test_kolada import client, metadata_for
from test_kolada_comparison import serve_default

pytestmark = pytest.mark.slow
NOTEBOOK = config.NOTEBOOKS_DIR / "02_jamforelse.ipynb"
#: (mean, sd) per KPI of the default set; N63012 is negative by definition.
LEVELS = {
    "N60008": (38000, 5000), "N63012": (-39000, 3000), "N63148": (6.0, 2.0), "N63010": (30000, 2000),
    "N63011": (9000, 2000), "N63009": (101.0, 2.0), "N63019": (-900, 900), "N63016": (-2.0, 2.0),
    "N63132": (-800, 900), "N63147": (-2.0, 2.0), "N63142": (-1.5, 2.0), "N63000": (-300, 200),
    "N63001": (-0.8, 0.5), "N60030": (6.5, 1.0), "N60065": (9000, 3000), "N01951": (480000, 300000),
}


def _full_data() -> str:
    rng = np.random.default_rng(7)
    values = []
    for kpi, (mean, sd) in LEVELS.items():
        for region in [r.kolada_id for r in all_regions(include_riket=True)]:
            base = float(rng.normal(mean, sd))
            if kpi == "N01951":
                base = abs(base) + 60000
            growth = float(rng.normal(0.05, 0.02))  # amounts grow a few percent a year, differently per region
            for year in (2022, 2023):
                v = base * (1 + growth * (year - 2022)) if kpi in ("N63012", "N63010", "N63011") else base
                values.append({"kpi": kpi, "municipality": region, "period": year, "values": [
                    {"gender": "T", "count": 1, "status": "", "value": round(v, 1), "isdeleted": False}]})
    return json.dumps({"count": len(values), "values": values, "next_url": None})


def _render(data_dir, out):
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"data_dir": str(data_dir)},
                        kernel_name=config.KERNEL_NAME, progress_bar=False)
    body, _ = HTMLExporter(exclude_input=True).from_filename(str(out))
    return body


def _copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(config.DATA_DIR, root, ignore=shutil.ignore_patterns("kolada.csv", "metadata.json"))
    return root


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    return _copy(tmp_path_factory)


def test_without_cache_the_report_opens_with_what_can_be_compared(data_copy, tmp_path):
    html = _render(data_copy, tmp_path / "utan.ipynb")
    assert "Koladas siffror för alla 21 regioner och riket finns inte i underlaget" in html
    assert html.index("Vad kan jämföras?") < html.index("Resultatet år för år")
    assert "Alla 21 regioner i Kolada" not in html
    assert K.NOT_IN_KOLADA in html


def test_with_the_recorded_fixture_the_standard_comparison_comes_first(tmp_path_factory, tmp_path, httpserver):
    data = _copy(tmp_path_factory)
    base = httpserver.url_for("/v3").rstrip("/")
    serve_default(httpserver, base)
    K.refresh_cache(regions=["17", "18", "24", "00"], years=[2023], data_dir=data, client=client(base))
    assert K.has_cache(data)

    html = _render(data, tmp_path / "med.ipynb")
    assert html.index("Alla 21 regioner i Kolada") < html.index("Vad kan jämföras?")
    assert "Siffrorna för alla regioner kommer från Kolada" in html
    assert html.count("riket som streckad referenslinje") == 1  # result and balanskrav side by side
    assert "Sjukfrånvaro bland anställda 2023, högst värde först" in html
    assert "riket 6,1" in html  # the fixture's riket value, as the reference in the reading
    # One year only: the growth comparison says it needs two, instead of an empty chart.
    assert "Utvecklingen kräver två år i följd i Kolada" in html
    # The cross-check in the appendix: Värmland's slide figure against Kolada's N63019 × N01951.
    bilaga = html[html.index("Bilaga"):]
    assert "Samma mått i regionernas dokument, offentliga källor och Kolada" in bilaga
    assert "Balanserat resultat i dokumentet mot årets resultat i Kolada" in bilaga


def test_with_all_regions_every_standard_chart_and_riket_appear(tmp_path_factory, tmp_path, httpserver):
    data = _copy(tmp_path_factory)
    httpserver.expect_request(re.compile(r"^/v3/kpi/.*")).respond_with_data(
        metadata_for(list(K.KPIS)), content_type="application/json")
    httpserver.expect_request(re.compile(r"^/v3/data/.*")).respond_with_data(_full_data(), content_type="application/json")
    base = httpserver.url_for("/v3").rstrip("/")
    K.fetch_kolada(list(K.KPIS), None, [2022, 2023], base_url=base, data_dir=data, client=client(base, max_retries=1))

    html = _render(data, tmp_path / "alla.ipynb")
    report = html.split("Bilaga")[0]
    assert "Punktdiagram: nettokostnadernas och skatteintäkternas ökning per region" in report
    assert "riket som referenslinje" in report
    assert "(plats " in report and "av 21)" in report
    assert "Utvecklingen kräver två år" not in report
    # No benchmark line or "2 %" target: no source for it has been found.
    assert "god ekonomisk hushållning" not in report
