"""The savings report as a reader sees it: the HTML of 04_sparande for the three regions,
built by the real CLI on the shipped data (issues 11 and 12)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

bs4 = pytest.importorskip("bs4")

pytestmark = pytest.mark.slow

YEAR = 2023


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, bs4.BeautifulSoup]:
    out = tmp_path_factory.mktemp("sparande")
    cli = Path(sys.executable).with_name("regionanalys")
    proc = subprocess.run([str(cli), "run", "--notebook", "sparande", "--out", str(out), "--force", "--year", str(YEAR)],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return {code: bs4.BeautifulSoup((out / f"sparande_{code}_{YEAR}.html").read_text(encoding="utf-8"), "html.parser")
            for code in ("17", "18", "24")}


def _text(soup) -> str:
    return re.sub(r"\s+", " ", soup.get_text(" ")).replace("\u00a0", " ").replace("\u202f", " ")


def _reader(soup) -> str:
    """The text the reader sees before the appendix ("Bilaga")."""
    copy = bs4.BeautifulSoup(str(soup), "html.parser")
    for node in copy.find_all(class_="ra-appendix"):
        node.decompose()
    return _text(copy)


def _rows(soup, caption_start: str) -> list[str]:
    for table in soup.find_all("table"):
        cap = table.find("caption")
        if cap and cap.get_text(" ", strip=True).startswith(caption_start):
            return [re.sub(r"\s+", " ", tr.get_text(" ", strip=True)).replace("\u00a0", " ") for tr in table.find_all("tr")[1:]]
    raise AssertionError(f"ingen tabell med rubriken '{caption_start}'")


def test_orebro_requirement_is_one_row(pages):
    rows = _rows(pages["18"], "Sparkraven: ett beslut per rad")
    with_628 = [r for r in rows if "628 mnkr" in r]
    assert len(with_628) == 1 and "629 i handlingsplanen" in with_628[0]
    assert not any(r.split(" ")[0] == "629" or "629 mnkr" in r for r in rows)
    assert len(rows) == 2 and rows[1].startswith("varav Servicenämndens del")


def test_orebro_plan_is_84_8_with_the_adjustment_as_its_own_segment(pages):
    rows = _rows(pages["18"], "Sparplanen 2024 som antagen")
    adjustment = [r for r in rows if "Politisk justering" in r]
    assert len(adjustment) == 1 and "−2,6" in adjustment[0]
    assert any("Antagen plan" in r and "84,8" in r for r in rows)
    text = _text(pages["18"])
    assert "84,8 mnkr som antagen" in text and "87,3 mnkr" in text


def test_varmland_fas_1_is_allocated_not_identified(pages):
    text = _text(pages["17"])
    assert "100 mnkr är fördelat" in text
    assert "identifierat" not in _reader(pages["17"]).lower()


def test_no_wrong_counts(pages):
    for soup in pages.values():
        text = _text(soup)
        assert "2 av 3 krav" not in text and "7 av 9 krav" not in text


def test_effect_readings_on_example_data_give_no_amount(pages):
    seen = 0
    for soup in pages.values():
        for cap in soup.find_all("figcaption"):
            text = cap.get_text(" ", strip=True)
            if "exempeldata" in text and "metoden" in text:
                seen += 1
                assert not re.search(r"\d[\d  ,]*\s*(mnkr|timmar|årsarbetare)", text), text
                assert "större än osäkerheten" not in text
    assert seen >= 1


def test_scope_mismatch_is_refused_and_names_the_series_needed(pages):
    varmland, orebro = _text(pages["17"]), _text(pages["18"])
    assert "”Anställningsstopp för administrativ personal” gäller administrationen" in varmland
    assert "personalkostnad för administratörer och handläggare per månad" in varmland
    assert "personalkostnad för Servicenämnden per månad" in orebro


def test_words_and_appendix(pages):
    for code, soup in pages.items():
        reader = _reader(soup)
        for word in ("minsta kvadratmetoden", "%-intervall", "identitet", "implicit", ".csv", " åa "):
            assert word not in reader, (code, word)
        # The method paragraph is in the appendix once, not beside each chart.
        assert _text(soup).count("Vi drar en rak linje") == 1, code
    # The sum checks are tables in the appendix; the reader's view has one sentence.
    orebro = pages["18"]
    appendix = orebro.find(class_="ra-appendix")
    assert appendix is not None and "84 754 tkr mot 87 349 tkr" in _text(appendix)
    assert "redovisas med förklaring i bilagan" in _reader(orebro)
    assert "84 754" not in _reader(orebro)


def test_headings_match_content(pages):
    headings = {code: [h.get_text(" ", strip=True) for h in soup.find_all("h2")] for code, soup in pages.items()}
    assert "Sparplanen per år och område" in headings["18"]
    assert not any("område" in h for h in headings["17"] + headings["24"])
