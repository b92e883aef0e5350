"""The comparison report with and without a Kolada cache.

The cache is made the way a user makes it: the real client fetches from a local fake
Kolada server (responses in the API's shape, numbers generated here with a fixed seed
for the test only) into a copy of data/. Then the comparison notebook runs on it.
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

pytestmark = pytest.mark.slow
NOTEBOOK = config.NOTEBOOKS_DIR / "02_jamforelse.ipynb"
KPIS = ["N60008", "N63016", "N63148", "N60030"]
LEVELS = {"N60008": (38000, 5000), "N63016": (-3.0, 2.0), "N63148": (7.0, 2.0), "N60030": (6.5, 1.0)}


def _fake_data() -> str:
    rng = np.random.default_rng(7)
    values = []
    for kpi in KPIS:
        mean, sd = LEVELS[kpi]
        for region in [r.kolada_id for r in all_regions(include_riket=True)]:
            for year in (2022, 2023):
                v = round(float(rng.normal(mean, sd)), 1)
                values.append({"kpi": kpi, "municipality": region, "period": year,
                               "values": [{"gender": "T", "count": 1, "status": "", "value": v, "isdeleted": False}]})
    return json.dumps({"count": len(values), "values": values, "next_url": None})


def _metadata() -> str:
    titles = {k: K.KPIS[k].title for k in KPIS}
    return json.dumps({"count": len(KPIS), "values": [{"id": k, "title": t} for k, t in titles.items()], "next_url": None})


def _render(data_dir, out):
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"data_dir": str(data_dir)}, kernel_name=config.KERNEL_NAME, progress_bar=False)
    body, _ = HTMLExporter(exclude_input=True).from_filename(str(out))
    return body


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(config.DATA_DIR, root, ignore=shutil.ignore_patterns("kolada.csv", "metadata.json"))
    return root


def test_without_cache_the_report_says_so(data_copy, tmp_path):
    html = _render(data_copy, tmp_path / "utan.ipynb")
    assert "Ingen Kolada-cache finns" in html


def test_with_cache_all_regions_are_ranked_and_cross_checked(data_copy, tmp_path, httpserver):
    httpserver.expect_request(re.compile(r"^/v3/kpi/.*")).respond_with_data(_metadata(), content_type="application/json")
    httpserver.expect_request(re.compile(r"^/v3/data/.*")).respond_with_data(_fake_data(), content_type="application/json")
    base = httpserver.url_for("/v3").rstrip("/")
    client = K.KoladaClient(base, backoff=0, min_interval=0, max_retries=1)
    K.fetch_kolada(KPIS, None, [2022, 2023], base_url=base, data_dir=data_copy, client=client)
    assert K.has_cache(data_copy)

    html = _render(data_copy, tmp_path / "med.ipynb")
    assert "Siffrorna för alla regioner kommer från Kolada" in html
    assert html.count("för alla regioner med riket som referenslinje") == 4
    assert "(plats " in html and "av 21)" in html
    assert "Samma mått i regionens dokument och i Kolada" in html
