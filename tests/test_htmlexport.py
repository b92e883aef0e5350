"""The report exporter parses its page once: the page is what nbconvert's HTMLExporter printed,
unlinked and finished as text, byte for byte."""
from datetime import datetime

import nbformat
import pytest
from nbconvert import HTMLExporter

from regionanalys import __version__
from regionanalys.report import htmlexport

WHEN = datetime(2026, 1, 2, 3, 4)
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def _notebook(*outputs: str, markdown: str = "") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    if markdown:
        nb.cells.append(nbformat.v4.new_markdown_cell(markdown))
    for html in outputs:
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
        nb.cells.append(cell)
    return nb


PAGES = {
    "plain report": _notebook(
        '<nav data-toc><ol></ol></nav><h2>Resultat år för år</h2>',
        f'<figure><img alt="Stapeldiagram" src="data:image/png;base64,{PNG}"></figure>',
        '<h2>Sparbeslut</h2><h3>Delar</h3><div class="ra-tablewrap"><table><tr><td>1</td></tr></table></div>',
    ),
    "image without alt text": _notebook(f'<h2>Bild</h2><img src="data:image/png;base64,{PNG}">'),
    "external links": _notebook(
        "<h2>Källor <a href='https://www.scb.se/x?a=1&amp;b=2'>SCB</a></h2><p>Se <a href=\"//kolada.se\">Kolada</a>.</p>",
        markdown="Läs [rapporten](https://example.org/rapport) och <A HREF='http://x.se'>x</A>.",
    ),
    "download and page links only": _notebook(
        '<h2>Tabell</h2><a download="t.csv" href="data:text/csv;base64,QQ==">CSV</a> <a href="#tabell">upp</a>'
    ),
    "external link without quotes": _notebook("<h2>Källa</h2><p><a href=https://www.scb.se>SCB</a></p>"),
    "anchor only in a comment": _notebook("<!-- <a href='https://x.se'>x</a> --><h2>Text</h2><p>a &lt;a href='//x'&gt;</p>"),
}


@pytest.fixture(scope="module")
def exporter():
    return htmlexport.ReportExporter()


@pytest.mark.parametrize("name", list(PAGES))
def test_one_parse_gives_the_page_of_nbconverts_text(name, exporter):
    nb = PAGES[name]
    got = exporter.export(nb, title="Rapport <1>", notebook="x.ipynb", created=WHEN)
    # The way before: nbconvert's own from_notebook_node (parse, print), then text in, text out.
    resources = {
        "metadata": {"name": "Rapport <1>", "path": str(htmlexport.config.NOTEBOOKS_DIR)},
        "rapport": {"title": "Rapport <1>", "notebook": "x.ipynb", "version": __version__, "created": WHEN.strftime("%Y-%m-%d %H:%M"),
                    "css_title": htmlexport.css_string("Rapport <1>")},
    }
    text, _ = HTMLExporter.from_notebook_node(exporter._exporter, nb, resources=resources)
    assert got == htmlexport.finish_page(htmlexport.unlink_external_anchors(text))


def test_external_anchors_are_still_unlinked(exporter):
    page = exporter.export(PAGES["external links"], title="t", notebook="x", created=WHEN)
    assert 'href="https://www.scb.se' not in page and "kolada.se" in page and 'class="extern-lank"' in page
    assert "No description has been provided" in exporter.export(PAGES["image without alt text"], title="t", notebook="x")
