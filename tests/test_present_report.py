"""The reader's report API (present.begin … present.appendix) and the page's finishing in
htmlexport (table of contents, headings kept with their first block), read back with
BeautifulSoup."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from test_tables import shown  # noqa: E402, F401  (one fixture: present's output, a fresh appendix)

from regionanalys.report import htmlexport, present  # noqa: E402


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    from regionanalys import load

    return load()


def _soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def _sentences(text: str) -> int:
    return sum(1 for part in text.replace("…", ".").split(". ") if part.strip())


# --- begin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["17", "18", "24"])
def test_det_viktigaste_has_three_to_five_sentences(region, data, shown):
    present.begin("Ekonomin", data[data["region"] == region], year=2023, region=region)
    page = _soup(shown[-1])
    box = page.select_one(".ra-keypoints")
    assert box.select_one(".ra-keypoints-title").get_text() == "Det viktigaste"
    items = [li.get_text() for li in box.select("li")]
    assert 3 <= len(items) <= 5, items
    assert all(item.rstrip().endswith((".", ")")) for item in items)
    assert page.select_one("nav[data-toc] ol") is not None, "the table-of-contents placeholder"
    assert page.h1.get_text() == "Ekonomin"


def test_comparison_has_one_short_paragraph_per_region(data, shown):
    present.begin("Jämförelse", data, year=2023, regions=["17", "18", "24"])
    paragraphs = _soup(shown[-1]).select(".ra-keypoint-region")
    assert [p.strong.get_text() for p in paragraphs] == ["Region Värmland.", "Region Örebro län.", "Region Västerbotten."]
    for p in paragraphs:
        name = p.strong.extract().get_text()
        assert 1 <= _sentences(p.get_text()) <= 4, (name, p.get_text())


def test_a_year_without_data_says_so_at_the_top(data, shown):
    present.begin("Ekonomin i Region Värmland 2012", data[data["region"] == "17"], year=2012, region="17")
    top = _soup(shown[-1]).select_one("header")
    first = top.find(["p", "div", "section"])
    assert first.get_text() == "Underlaget innehåller inga uppgifter för Region Värmland 2012."
    present.begin("Ekonomin i Region Värmland 2023", data[data["region"] == "17"], year=2023, region="17")
    assert "inga uppgifter" not in _soup(shown[-1]).select_one("header").get_text()


def test_banner_follows_the_data(data, shown):
    real = data[(data["region"] == "17") & ~data["example"]]
    example = data[(data["region"] == "17") & data["example"]]
    assert not real.empty and not example.empty
    present.begin("a", real, year=2023, region="17")
    present.begin("b", example, year=2023, region="17")
    present.begin("c", pd.concat([real, example]), year=2023, region="17")
    pages = [_soup(m) for m in shown if "<header" in m]
    assert pages[0].select(".ra-banner") == []
    assert "Mall – väntar på data" in pages[1].select_one(".ra-banner[data-mall]").get_text()
    mixed = pages[2].select_one(".ra-banner")
    assert mixed["data-exempeldata"] == "true" and not mixed.has_attr("data-mall")


# --- section, figure, collapsed, timeline ----------------------------------------------------


def test_sections_get_stable_unique_ids(shown):
    present.section("Beslut och tidslinje")
    present.section("Beslut och tidslinje")
    ids = [_soup(m).h2["id"] for m in shown]
    assert ids == ["beslut-och-tidslinje", "beslut-och-tidslinje-2"]


def test_figure_is_a_compact_png_with_its_size(shown):
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(range(10), [x * x for x in range(10)])
    ax.set_title("En titel")
    present.figure(fig, alt="Linje", caption="Läsning.")
    img = _soup(shown[0]).img
    assert (img["width"], img["height"]) == ("768", "384"), "the designed size in CSS pixels"
    assert len(img["src"]) < 80_000, f"PNG för stor: {len(img['src'])} tecken base64"


def test_collapsed_is_one_line(shown):
    present.collapsed("Sparplaner per område", "Underlaget har inga områden för regionen.")
    page = _soup(shown[0])
    assert len(page.find_all(True)) == 2 and page.p.get_text() == "Sparplaner per område: Underlaget har inga områden för regionen."


def test_timeline_in_date_order_with_sources_as_footnotes(shown):
    events = pd.DataFrame({
        "region": ["17", "17"], "org": ["region", "region"],
        "start": [pd.Timestamp("2023-12-19"), pd.Timestamp("2022-11-21")], "end": [pd.NaT, pd.Timestamp("2024-11-21")],
        "event": ["plan", "stopp"], "label": ["Plan", "Anställningsstopp"], "source": ["Bilder, rad 88", "Nyhet, rad 12"],
    })
    statements = pd.DataFrame({"region": ["17"], "org": ["region"], "document_date": ["början av 2024"], "topic": ["t"],
                               "quote": ["Tidigare sparbeslut har inte gett tillräcklig effekt…"], "source": ["Bilder, rad 78"]})
    present.timeline(events, statements)
    page = _soup(shown[0])
    assert page.h2.get_text() == "Beslut och tidslinje"
    items = [li.get_text(" ", strip=True) for li in page.select(".ra-timeline li")]
    assert items[0].startswith("21 november 2022 – 21 november 2024 Anställningsstopp")
    assert items[1].startswith("19 december 2023 Plan")
    assert page.select_one(".ra-quote p").get_text() == "”Tidigare sparbeslut har inte gett tillräcklig effekt”"
    assert [a["href"] for a in page.select("a.ra-fnref")] == ["#kalla-1", "#kalla-2", "#kalla-3"]
    assert present.current_appendix().sources == {"Nyhet, rad 12": 1, "Bilder, rad 88": 2, "Bilder, rad 78": 3}


# --- appendix ------------------------------------------------------------------------------


def test_appendix_method_once_glossary_of_used_terms_and_checks(shown):
    present.section("Hyrpersonal, rullande tolv månader (R12)")
    present.method("r12")
    present.method("r12")
    present.checks(pd.DataFrame({"uppgivet": [100.0], "summa av delarna": [98.0], "skillnad": [2.0],
                                 "förklaring": ["avrundning"]}), "Sparkrav 2024")
    present.appendix(pd.DataFrame({"example": [False]}))
    page = _soup(shown[-1])
    assert page.h2.get_text() == "Bilaga"
    assert [h.get_text() for h in page.find_all("h3")] == ["Kontroller av summor", "Metod", "Ord och begrepp", "Källor"]
    assert len(page.select(".ra-method")) == 1 and "tolv månader" in page.select_one(".ra-method").get_text()
    terms = [dt.get_text() for dt in page.select(".ra-glossary dt")]
    assert "Rullande tolv månader (R12)" in terms and "Hyrpersonal" in terms
    assert "Balanskravet" not in terms, "only terms the report used"
    assert page.select_one(".ra-appendix table caption").get_text() == "Sparkrav 2024"


def test_unknown_method_key_is_a_clear_error():
    with pytest.raises(KeyError, match="okänd metodtext 'r13'.*r12"):
        present.method("r13")


def test_reader_text_avoids_the_words_a_politician_does_not_use():
    from regionanalys.report.appendix import TEXTS

    text = TEXTS.read_text(encoding="utf-8").lower()
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    for word in ("identitet", "implicit budget", "minsta kvadrat", "95 %-intervall", " åa", ".csv", "regionanalys "):
        assert word not in body, word


# --- htmlexport: table of contents and keeping headings with their first block ---------------


PAGE = """<html><body><main>
<header class="ra-top"><h1>R</h1><nav class="ra-toc" data-toc="true"><p>Innehåll</p><ol></ol></nav></header>
<div class="jp-Cell"><div class="jp-OutputArea-output"><h2 class="ra-section" id="resultat">Resultat</h2></div></div>
<div class="jp-Cell"><div class="jp-OutputArea-output"><figure class="ra-figure"><img alt="a"></figure></div></div>
<div class="jp-Cell"><div class="jp-RenderedMarkdown"><h2>Sparande &amp; plan</h2></div></div>
<div class="jp-Cell"><div class="jp-OutputArea-output"><h3>Del</h3></div></div>
<div class="jp-Cell"><div class="jp-OutputArea-output"><div class="ra-tablewrap"><table><tr><td>1</td></tr></table></div></div></div>
<div class="jp-Cell"><div class="jp-OutputArea-output"><h2>Resultat</h2><p>x</p></div></div>
</main></body></html>"""


def test_table_of_contents_lists_every_h2():
    page = _soup(htmlexport.finish_page(PAGE))
    h2s = page.find_all("h2")
    toc = page.select("nav[data-toc] ol li a")
    assert [a.get_text() for a in toc] == [h.get_text() for h in h2s] == ["Resultat", "Sparande & plan", "Resultat"]
    assert [a["href"] for a in toc] == [f"#{h['id']}" for h in h2s]
    assert len({h["id"] for h in h2s}) == 3, "ids are unique"
    assert h2s[0]["id"] == "resultat", "an id already given is kept"


def test_headings_are_kept_with_their_first_block_in_order():
    page = _soup(htmlexport.finish_page(PAGE))
    keeps = page.select("div.ra-keep")
    assert [[c.name for c in k.find_all(recursive=False)] for k in keeps] == [["h2", "figure"], ["h2", "h3", "div"], ["h2", "p"]]
    text = page.main.get_text(" ", strip=True)
    assert text.index("Sparande") < text.index("Del") < text.index("1")


def test_a_long_table_is_not_made_unbreakable():
    rows = "".join(f"<tr><td>{i}</td></tr>" for i in range(60))
    html = f"<main><h2>Lång</h2><div class='ra-tablewrap'><table>{rows}</table></div></main>"
    page = _soup(htmlexport.finish_page(html))
    assert page.select("div.ra-keep") == [], "a long table may break across pages"
    assert page.h2.find_next_sibling().name == "div", "the heading is moved right before it (break-after: avoid holds)"
    assert "ra-short" not in (page.table.get("class") or [])


@pytest.mark.parametrize("title", ['Ekonomin "x" </style><script>', "a\\b\nc"])
def test_title_for_the_printed_footer_cannot_leave_its_css_string(title):
    css = htmlexport.css_string(title)
    assert not any(ch in css for ch in '"<>\n') and "\\5c " in css or "\\" not in title
