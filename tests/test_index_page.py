"""The landing page (reports/index.html): key figures per region from the shipped data,
"data t.o.m.", reports grouped by region with their status in words, the analysts' part
collapsed, and an index that renders even when the data cannot be loaded."""
from __future__ import annotations

import re
import shutil
from html import unescape

import pytest
from test_safe_html import IMG, SCRIPT, assert_inert, parse  # one set of hostile values and checks

from regionanalys import config
from regionanalys.report import landing
from regionanalys.report.runner import index


def _entry(spec: str, regions: list[str], *, example: bool = False, status: str = "ok", **extra) -> dict:
    rid = f"{spec}_{regions[0]}_2023" if len(regions) == 1 else f"{spec}_2023"
    entry = {
        "report": spec, "notebook": f"{spec}.ipynb", "title": f"{spec} {' '.join(regions)}",
        "regions": regions, "region_label": ", ".join(regions), "year": 2023, "order": 10,
        "status": status, "started": "2026-11-30T05:16:07+00:00", "duration_s": 2.5, "reason": "ny rapport",
        "html": f"{rid}.html", "ipynb": f"{rid}.ipynb", "example_data": example, "error": None,
        "parameters": {"data_dir": str(config.DATA_DIR), "year": 2023},
    }
    entry.update(extra)
    return entry


def _manifest() -> dict:
    reports = {}
    for code in ("17", "18", "24"):
        reports[f"region_{code}_2023"] = _entry("region", [code])
        reports[f"sparande_{code}_2023"] = _entry("sparande", [code], example=True)
        reports[f"bemanning_{code}_2023"] = _entry("bemanning", [code], example=True)
    reports["jamforelse_2023"] = _entry("jamforelse", ["17", "18", "24"], example=True)
    # a region that dropped out of the run
    reports["region_25_2023"] = _entry("region", ["25"], stale="inaktuell: 25 ingår inte längre i körningen")
    return {"reports": reports}


#: elements a browser shows on a line (or in a cell) of their own
_BLOCK = re.compile(r'<(?:p|div|li|td|th|tr|br|dt|dd|caption)\b[^>]*>|<span class="rad">')


def _plain(html: str) -> str:
    """The visible text of a piece of the page, whitespace collapsed."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "", _BLOCK.sub(" ", html))
    return " ".join(unescape(text).replace("\xa0", " ").split())


def _section(html: str, cls: str) -> str:
    m = re.search(rf'<table class="{cls}">(.*?)</table>', html, re.S)
    assert m, f"ingen tabell {cls}"
    return m[1]


def _row(html: str, rid: str) -> str:
    m = re.search(rf'<tr id="{rid}"[^>]*>(.*?)</tr>', html, re.S)
    assert m, f"ingen rad {rid}"
    return _plain(m[1])


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    landing.clear_cache()
    out = tmp_path_factory.mktemp("index")
    return index.write_index(out, _manifest(), data_dir=config.DATA_DIR).read_text(encoding="utf-8")


def _column(html: str, header: str) -> list[str]:
    """The cells of one region's column in the key-figure table, as plain text."""
    table = _section(html, "nyckeltal")
    heads = [_plain(h) for h in re.findall(r"<th scope=\"col\">(.*?)</th>", table, re.S)]
    i = next(k for k, h in enumerate(heads) if header in h)
    cells = []
    for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S):
        tds = re.findall(r"<td>(.*?)</td>", row, re.S)
        cells.append(_plain(tds[i]))
    return cells


def test_key_figures_of_each_region_side_by_side(page):
    table = _plain(_section(page, "nyckeltal"))
    for name in ("Region Värmland 2023", "Region Örebro län 2023", "Region Västerbotten 2023"):
        assert name in table
    assert "Region Norrbotten" not in table, "a region that dropped out of the run has no key figures"
    result, share, growth, requirement, through = _column(page, "Värmland")
    assert "−878 mnkr Balanserat resultat, utfall" in result and "−478 mnkr Verksamhetens resultat, utfall" in result
    assert "−937 mnkr Balanserat resultat, prognos" in result  # a forecast is named as one, never mixed in
    assert share.startswith("−7,8 %") and "beräknat" in share  # −878 / 11 298
    assert growth.startswith("+12 %") and "enligt källan" in growth  # the source's precision, not 12,0 %
    assert requirement.startswith("500 mnkr") and "hela regionen, 2024" in requirement
    assert "dokumenten: 2023" in through


def test_orebro_and_vasterbotten(page):
    result, share, growth, requirement, _ = _column(page, "Örebro")
    assert "−909 mnkr Balanskravsresultat, utfall" in result
    assert "−1 000 mnkr Årets resultat, prognos per 2023-10-19" in result
    assert "628 mnkr (629 i handlingsplanen" in requirement and "hela regionen" in requirement
    assert share == "Uppgift saknas" and growth == "Uppgift saknas"  # no region-level revenue or net costs
    result, *_, requirement, through = _column(page, "Västerbotten")
    assert result.lower() == "uppgift saknas"
    assert requirement.startswith("100 mnkr") and "administrationen" in requirement
    assert "dokumenten: 2024" in through


def test_no_key_figure_comes_from_example_data(page):
    # every region has example staffing data reaching December 2024; "data t.o.m." says so
    # under its own name, and no figure is built from it
    through = _column(page, "Värmland")[-1]
    assert "exempeldata: december 2024" in through
    table = _section(page, "nyckeltal")
    assert 'class="exempel">exempeldata<' in table
    for cell in _column(page, "Värmland")[:-1]:
        assert "exempel" not in cell.lower()


def test_figures_link_to_the_regions_reports(page):
    table = _section(page, "nyckeltal")
    hrefs = re.findall(r'href="([^"]+)"', table)
    for code in ("17", "18", "24"):
        assert f"region_{code}_2023.html" in hrefs
    assert "sparande_18_2023.html" in hrefs  # the requirement links to the savings report
    assert "region_25_2023.html" not in hrefs


def test_reports_grouped_by_region_with_status_in_swedish(page):
    listing = _section(page, "rapporter")
    groups = [_plain(g) for g in re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>', listing, re.S)]
    assert groups == ["Region Värmland", "Region Örebro län", "Region Västerbotten", "Region Norrbotten", "Flera regioner"]
    # Örebro has no real staffing row: its staffing report is a template; Värmland and
    # Västerbotten have real hired-staff figures, so theirs are only partly example
    assert "Mall – väntar på data" in _row(listing, "bemanning_18_2023")
    for rid in ("bemanning_17_2023", "bemanning_24_2023", "sparande_17_2023", "jamforelse_2023"):
        assert "Mall" not in _row(listing, rid) and "Exempeldata i vissa delar" in _row(listing, rid)
    assert _row(listing, "region_17_2023") == "region 17 2023 Klar"
    assert "Inaktuell" in _row(listing, "region_25_2023")
    assert "Inaktuell" not in _row(listing, "region_24_2023")
    summary = _plain(re.search(r'<p class="sammanfattning">.*?</p>', page, re.S)[0])
    assert "1 mall som väntar på data" in summary and "1 inaktuella" in summary


def test_technical_links_are_in_a_collapsed_analysts_part(page):
    details = [a for t, a in parse(page).tags if t == "details"]
    assert len(details) == 1 and "open" not in details[0]
    analyst = page[page.index("<details"):page.index("</details>")]
    assert "<summary>För analytiker</summary>" in analyst
    for link in ('href="manifest.json"', 'href="region_17_2023.ipynb"', "regionanalys run --notebook bemanning --region 18 --year 2023"):
        assert link in analyst
    before = page[:page.index("<details")]
    assert ".ipynb" not in before and "manifest.json" not in before and "regionanalys run" not in before
    assert "2,5 s" not in before  # run times are for analysts


def test_page_is_swedish_self_contained_and_printable(page):
    assert '<html lang="sv" class="register">' in page
    assert not re.search(r'(src|href)="\s*(https?:)?//', page)
    css = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    assert re.search(r"@page register \{ size: A4", css)


def test_failed_report_details_are_for_analysts(tmp_path):
    manifest = _manifest()
    manifest["reports"]["region_17_2023"].update(
        status="failed", html=None, error={"cell": 2, "ename": "ValueError", "evalue": "trasig kolumn"})
    html = index.write_index(tmp_path, manifest, data_dir=config.DATA_DIR).read_text(encoding="utf-8")
    assert "Misslyckades" in _row(html, "region_17_2023") and "trasig kolumn" not in _row(html, "region_17_2023")
    assert "trasig kolumn" in _row(html, "analys-region_17_2023") and "cell 3" in _row(html, "analys-region_17_2023")


def test_index_renders_when_the_data_cannot_be_loaded(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    with (data / "seeds" / "17_varmland.csv").open("a", encoding="utf-8") as fh:
        fh.write("17;region;nettokostnader;;2023;utfall;inte ett tal;mnkr;källa;\n")
    html = index.write_index(tmp_path, _manifest(), data_dir=data).read_text(encoding="utf-8")
    line = _plain(re.search(r'<p class="nyckeltal-fel">.*?</p>', html, re.S)[0])
    assert line.startswith("Nyckeltalen kunde inte beräknas: 1 problem i data: seeds/17_varmland.csv, rad")
    assert "−878" not in html
    listing = _section(html, "rapporter")  # the list stays; what cannot be known is not claimed
    assert 'id="region_17_2023"' in listing and "Mall" not in listing and "Exempeldata i vissa delar" in listing
    # the data folder fixed: the figures come back (the cache follows the files)
    shutil.copy(config.DATA_DIR / "seeds" / "17_varmland.csv", data / "seeds" / "17_varmland.csv")
    html = index.write_index(tmp_path, _manifest(), data_dir=data).read_text(encoding="utf-8")
    assert '<p class="nyckeltal-fel">' not in html and "−878" in html


def test_missing_data_folder_is_said_in_swedish(tmp_path):
    html = index.render_index(_manifest(), data_dir=tmp_path / "finns-inte")
    line = _plain(re.search(r'<p class="nyckeltal-fel">.*?</p>', html, re.S)[0])
    assert "finns inte" in line


def test_key_figures_are_computed_once_per_data_state(monkeypatch):
    landing.clear_cache()
    calls = []
    real = landing._region_figures
    monkeypatch.setattr(landing, "_region_figures", lambda *a: calls.append(a[1:]) or real(*a))
    for _ in range(3):
        index.render_index(_manifest(), data_dir=config.DATA_DIR)
    assert sorted(calls) == [("17", 2023), ("18", 2023), ("24", 2023)]


def test_hostile_names_and_sources_are_escaped(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    path = data / "seeds" / "17_varmland.csv"
    text = path.read_text(encoding="utf-8")
    assert "rad 74 ('Balanserat resultat -878 mnkr')" in text
    path.write_text(text.replace("rad 74 ('Balanserat resultat -878 mnkr')", f"rad 74 {SCRIPT}"), encoding="utf-8")
    manifest = _manifest()
    manifest["reports"]["region_18_2023"].update(title=f"Örebro {IMG}", reason=SCRIPT)
    manifest["reports"]["sparande_18_2023"].update(
        status="failed", error={"cell": 1, "cell_first_line": "<b>x</b>", "ename": "E", "evalue": IMG})
    (tmp_path / "ut").mkdir()
    html = index.write_index(tmp_path / "ut", manifest, data_dir=data).read_text(encoding="utf-8")
    page = assert_inert(html)  # no script, no handler, no image from the data
    assert not [t for t, _ in page.tags if t in ("img", "b")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert SCRIPT in _plain(html)  # shown as text: the source in the analysts' list, the reason
    assert "−878" in html  # the figure itself is still there
