"""The staffing report as a reader gets it (issue 11): the real figures first and marked as
real, the example-based charts read as method only, and the example-data text computed
from the data (a region's own monthly data is never called example data).

Slow: runs 03_bemanning through the CLI for Värmland and Västerbotten on the shipped data,
and for Region Dalarna on a data folder with real monthly rows only.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from regionanalys import config

pytestmark = pytest.mark.slow

CLI = Path(sys.executable).with_name("regionanalys")
#: Words that state a level, a ranking or a significance: never in a reading of example data.
FINDING_WORDS = ("mnkr", "%", "störst", "högst", "lägst", "större än", "över målvärdet", "inom målvärdet", "ökade", "minskade")


def _run(out: Path, *args: str) -> None:
    proc = subprocess.run([str(CLI), "run", "--force", "--notebook", "bemanning", "--out", str(out), "--jobs", "1", *args],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bemanning")
    _run(out, "--region", "24", "--region", "17")
    return out


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).replace("\u2212", "-").replace("\u00a0", " ")


def _section(soup: BeautifulSoup, heading_id: str) -> str:
    """The text from the ``<h2>`` with ``heading_id`` to the next ``<h2>``."""
    h2 = soup.find("h2", id=heading_id)
    assert h2 is not None, heading_id
    parts = []
    for node in h2.find_all_next(string=True):
        parent = node.find_parent("h2")
        if parent is not None and parent is not h2:
            break
        parts.append(str(node))
    return re.sub(r"\s+", " ", " ".join(parts)).replace("\u2212", "-").replace("\u00a0", " ")


def test_vasterbotten_real_figures_come_first_marked_as_real(shipped):
    soup = _soup(shipped / "bemanning_24_2023.html")
    real = _section(soup, "verkliga-uppgifter-om-hyrpersonal")
    for figure in ("+8 mnkr (+9 %)", "+3,9 mnkr (+14 %)"):
        assert figure in real
    assert "januari–maj 2023" in real and "verkliga uppgifter" in real.lower()
    assert "exempeldata" not in real.lower()  # nothing in the real section is example-based
    # The section comes before every chart, and its rows cite the seed document.
    headings = [h["id"] for h in soup.find_all("h2", id=True)]
    assert headings.index("verkliga-uppgifter-om-hyrpersonal") < headings.index("kostnad-for-hyrpersonal-per-personalgrupp")
    assert "004_7558975c560e3342.txt" in _text(soup.find(class_="ra-appendix"))
    # The example data is not presented as confirming the document's figures.
    page = _text(soup)
    assert "kalibrerade mot källan" not in page and "Beräknat ur månadsdata" not in page
    assert "bekräftar inte" in page


def test_varmland_public_figures_are_shown_with_their_own_scope(shipped):
    real = _section(_soup(shipped / "bemanning_17_2023.html"), "verkliga-uppgifter-om-hyrpersonal")
    assert "-79 mnkr" in real and "Hälso- och sjukvården" in real and "helåret 2024" in real
    assert "76,5 mnkr" in real and "74,3 mnkr" in real and "januari–juni 2019" in real


@pytest.mark.parametrize("region", ["24", "17"])
def test_readings_of_example_charts_give_no_amounts_or_rankings(shipped, region):
    soup = _soup(shipped / f"bemanning_{region}_2023.html")
    captions = [_text(f.figcaption) for f in soup.find_all("figure")]
    example = [c for c in captions if "(Exempeldata)" in c]
    assert len(example) >= 4, captions
    for caption in example:
        assert caption.startswith("Exempeldata:"), caption
        bare = re.sub(r"\b20\d\d\b|R12", "", caption)
        assert not re.search(r"\d", bare), caption
        for word in FINDING_WORDS:
            assert word not in caption, (word, caption)


def test_terms_are_written_out_first(shipped):
    soup = _soup(shipped / "bemanning_24_2023.html")
    assert not re.search(r"\båa\b", _text(soup.find("body")))
    soup.find(class_="ra-appendix").decompose()  # the glossary and method may repeat the terms
    body = _text(soup.find("body"))
    first = body.index("R12")
    assert body[first - len("rullande tolv månader ("): first] == "rullande tolv månader (", body[first - 80: first + 10]
    assert "nationella målet" not in body  # the documents do not say who set the 2 % target


def _dalarna_data(root: Path) -> Path:
    data = root / "data"
    shutil.copytree(config.DATA_DIR / "meta", data / "meta")
    rows = []
    for m in pd.period_range("2022-01", "2023-12", freq="M"):
        src = "Region Dalarnas lönesystem, månadsexport"
        for cat, value in (("lakare", 6.5), ("sjukskoterskor_barnmorskor", 3.0), ("ovriga", 1.0)):
            rows.append(("20", "region", "hyrpersonal_kostnad", cat, str(m), "utfall", value, "mnkr", src, "", "false"))
        rows += [
            ("20", "region", "egen_personalkostnad", "", str(m), "utfall", 600, "mnkr", src, "", "false"),
            ("20", "region", "sjukfranvaro_timmar", "", str(m), "utfall", 60000, "timmar", src, "", "false"),
            ("20", "region", "ordinarie_arbetstid_timmar", "", str(m), "utfall", 1000000, "timmar", src, "", "false"),
            ("20", "region", "narvarotid_timmar", "egen_personal", str(m), "utfall", 900000, "timmar", src, "", "false"),
            ("20", "region", "narvarotid_timmar", "hyrpersonal", str(m), "utfall", 30000, "timmar", src, "", "false"),
        ]
    columns = "region;org;series;category;period;kind;value;unit;source;note;example".split(";")
    pd.DataFrame(rows, columns=columns).to_csv(data / "20_bemanning.csv", sep=";", index=False, decimal=",")
    return data


def test_a_regions_own_monthly_data_is_not_called_example_data(tmp_path):
    data = _dalarna_data(tmp_path)
    out = tmp_path / "out"
    _run(out, "--data-dir", str(data), "--region", "20")
    soup = _soup(out / "bemanning_20_2023.html")
    text = _text(soup.find("body"))
    assert "exempeldata" not in text.lower()  # no banner, no note, no chart mark, no "siffrorna ovan är exempeldata"
    captions = [_text(f.figcaption) for f in soup.find_all("figure")]
    assert len(captions) == 4  # no områden in this data: that chart is one line
    # Real data: the readings state the level.
    assert any("126 mnkr" in c for c in captions), captions
    assert any("1,8 % av kostnaden för egen personal" in c for c in captions), captions
