"""The region report's points (issues 11 and 12), read from the generated HTML.

Runs the region notebook through the CLI once per session (the three regions for 2023,
Västerbotten for 2019) and checks what the reader sees.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _run(out: Path, *args: str) -> None:
    cli = Path(sys.executable).with_name("regionanalys")
    proc = subprocess.run([str(cli), "run", "--force", "--notebook", "region", "--out", str(out), *args],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _text(path: Path) -> str:
    """The report's visible text, with no-break spaces and Unicode minus made plain."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"|href="data:[^"]*"', "", html)
    text = re.sub(r"<[^>]+>", " ", html)
    for a, b in (("&nbsp;", " "), ("\u00a0", " "), ("\u202f", " "), ("\u2212", "-"), ("&amp;", "&"), ("&#39;", "'"), ("&quot;", '"')):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="session")
def region_reports(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("region")
    _run(out)
    return {code: _text(out / f"region_{code}_2023.html") for code in ("17", "18", "24")}


@pytest.fixture(scope="session")
def report_2019(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("region2019")
    _run(out, "--region", "24", "--year", "2019")
    files = sorted(out.glob("region_24_2019.html"))
    assert files, list(out.iterdir())
    return _text(files[0])


def _cells(text: str, label: str) -> str:
    """The text that follows a row label, up to the next 60 characters."""
    i = text.find(label)
    assert i >= 0, f"{label!r} saknas"
    return text[i + len(label): i + len(label) + 60]


def test_varmland_deviation_seen_from_the_result(region_reports):
    t = region_reports["17"]
    assert "-948" in _cells(t, "Verksamhetens nettokostnader 11 776")
    assert "+343" in _cells(t, "Skatteintäkter och generella statsbidrag 11 298")
    assert "varav ej förklarat" in t and "-8" in _cells(t, "varav ej förklarat")
    assert "budget (utfall - avvikelse)" not in t and "utfall − avvikelse" not in t


def test_varmland_balanserat_resultat_timeline_and_plan(region_reports):
    t = region_reports["17"]
    assert "Balanserat resultat" in t and "Resultat efter finansiella poster, utan orealiserade vinster" not in t
    assert "Beslut och tidslinje" in t
    assert "21 november 2022" in t and "19 december 2023" in t
    assert "Tidigare sparbeslut har inte gett tillräcklig effekt" in t
    assert "fördelat" in t and "identifierat" not in t
    assert "-937" in t and "-878" in t


def test_orebro_region_bridge_and_servicenamnden(region_reports):
    t = region_reports["18"]
    for figure in ("569", "76", "628", "-1 000", "-909", "75,8"):
        assert figure in t, figure
    assert "inte en prognos" in t
    # The nämnd's statement keeps the document's signs: 181 positive, costs negative.
    row = _cells(t, "Verksamhetens nettokostnader")
    assert re.match(r"\s*181,0 118,4 103,0", row), row
    assert "84,8" in t and "87,3" in t and "-2,6" in t
    assert "Servicenämndens resultatbudget" in t and "Servicenämndens handlingsplan per område och år" in t
    assert "koncern" not in t.lower().split("källor")[0]


def test_vasterbotten_assessments_and_history(region_reports):
    t = region_reports["24"]
    assert "utmaningar att under 2023 uppnå kravet fullt ut" in t
    assert "anställningsstoppet bör kvarstå" in t
    assert "+1 398" in t and "100 mnkr" in t and "70 tjänster" in t


def test_a_year_without_data_says_so_and_shows_no_later_year(report_2019):
    t = report_2019
    assert "Underlaget innehåller inga uppgifter för Region Västerbotten 2019" in t
    body = t.split("Bilaga")[0]
    for later in ("2021", "2022", "2023", "2024"):
        assert later not in body, later
