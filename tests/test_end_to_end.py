"""The whole suite, as `make reports` runs it, into a temporary directory: the index links
every report, the expected seed figures appear in Swedish format, no code is shown and
every chart is inside the file."""
import re
from html.parser import HTMLParser

import pytest

from regionanalys.data.formatting import plain

pytestmark = pytest.mark.slow


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.endswith(".html"):
                self.hrefs.append(href)


@pytest.fixture(scope="module")
def built(report_suite):
    """The suite `make reports` builds (conftest's ``report_suite``), with its pages."""
    out = report_suite
    index = (out / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(index)
    pages = {href: (out / href).read_text(encoding="utf-8") for href in parser.hrefs}
    return out, index, pages


def _page(pages: dict[str, str], must_contain: str) -> str:
    hits = [html for html in pages.values() if must_contain in html]
    assert hits, f"ingen rapport innehåller {must_contain!r}"
    return plain(hits[0])


def test_index_links_a_report_per_region_and_the_comparison(built):
    out, index, pages = built
    assert 'lang="sv"' in index
    assert len(pages) >= 4
    titles = " ".join(re.findall(r"<title>(.*?)</title>", "".join(pages.values())))
    for name in ("Region Värmland", "Region Örebro län", "Region Västerbotten"):
        assert name in titles
    assert "jämförelse" in titles.lower()


def test_varmland_figures_in_swedish_format(built):
    _, _, pages = built
    page = _page(pages, "<title>Ekonomin i Region Värmland")
    # Tables carry the unit in the column heading ("(mnkr)"); plain() folds the Swedish
    # no-break space and Unicode minus to ASCII for the comparison.
    for figure in ("11 776", "11 298", "-478", "-878", "4,6 %", "12 %", "948", "(mnkr)"):
        assert figure in page, figure


def test_orebro_handlingsplan_and_resultatbudget(built):
    _, _, pages = built
    page = _page(pages, "<title>Ekonomin i Region Örebro län")
    for figure in ("2 394,5", "-2 199,0", "84,8", "87,3", "Område fastigheter"):
        assert figure in page, figure


def test_no_code_no_prompts_images_inline(built):
    _, _, pages = built
    for name, html in pages.items():
        assert "jp-InputArea-editor" not in html and "highlight-ipynb" not in html, name
        assert "In&nbsp;[" not in html and "In [" not in html, name
        assert "from regionanalys" not in html, name
        imgs = re.findall(r'<img[^>]+src="([^"]+)"', html)
        assert all(src.startswith("data:image/") for src in imgs), name
    assert any('src="data:image/png;base64,' in html for html in pages.values())


def test_executed_notebooks_are_kept_as_the_run_record(built):
    out, _, pages = built
    assert len(list(out.rglob("*.ipynb"))) >= len(pages)
