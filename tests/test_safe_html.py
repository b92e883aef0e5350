"""Safe output: every data-derived string that reaches a report page is escaped, report
file names come only from validated ids, and a report loads nothing from the net.

The unit tests feed hostile org names, labels, sources and captions to every function
in :mod:`regionanalys.report.present`; the end-to-end test (``slow``) runs the region report
through the real CLI on data with hostile org names, categories, sources and notes and
checks the HTML that comes out.
"""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from markupsafe import Markup  # noqa: E402

from regionanalys import config, present  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = (SCRIPT, IMG)


class _Page(HTMLParser):
    """What a browser would build from the markup: elements, attributes and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


def assert_inert(markup: str, allow_scripts: int = 0) -> _Page:
    """No script element, no event handler, no javascript: URL, only inline PNG images."""
    page = parse(markup)
    scripts = [a for t, a in page.tags if t == "script"]
    assert len(scripts) <= allow_scripts, f"<script> i utdata: {markup[:300]}"
    for tag, attrs in page.tags:
        assert tag not in ("iframe", "object", "embed"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), f"händelseattribut {name} på <{tag}>"
            assert not value.strip().lower().startswith("javascript:"), f"javascript:-adress på <{tag}>"
        if tag == "img":
            assert attrs.get("src", "").startswith("data:image/png;base64,"), f"bild som inte är en inbäddad PNG: {attrs.get('src', '')[:80]}"
    return page


# --- external references ------------------------------------------------------------------

_URL_ATTR = re.compile(r"""\b(?:src|href|srcset|action|poster|data|background|xlink:href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?\s*((?:https?:)?//[^"')\s]*)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+["']((?:https?:)?//[^"']*)""", re.IGNORECASE)


def external_urls(html: str) -> list[str]:
    """Every http(s) or protocol-relative URL in src/href-like attributes, CSS url() or @import."""
    return [m[1] for rx in (_URL_ATTR, _CSS_URL, _CSS_IMPORT) for m in rx.finditer(html)]


def test_external_url_scanner_finds_what_it_must():
    assert external_urls('<script src="https://cdn.example/x.js"></script>') == ["https://cdn.example/x.js"]
    assert external_urls("<link href='//fonts.example/css'>") == ["//fonts.example/css"]
    assert external_urls("<style>body{background:url( 'http://x.example/a.png')}</style>") == ["http://x.example/a.png"]
    assert external_urls('<style>@import "https://x.example/s.css";</style>') == ["https://x.example/s.css"]
    assert external_urls('<img src="data:image/png;base64,AAA"> <p>se https://kolada.se</p> <a href="#x">') == []


def test_report_css_loads_nothing_from_the_net(shown):
    present.page_style()
    assert external_urls(shown[0]) == []
    stylesheets = list(config.TEMPLATES_DIR.rglob("*.css"))
    assert stylesheets
    for css in stylesheets:
        assert external_urls(css.read_text(encoding="utf-8")) == [], css


# --- every function in present ---------------------------------------------------------------


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """Markup the present functions emit, instead of displaying it."""
    out: list[str] = []
    monkeypatch.setattr(present, "_show", out.append)
    return out


def _text(markup: str) -> str:
    return "".join(parse(markup).text)


@pytest.mark.parametrize("evil", HOSTILE)
@pytest.mark.parametrize("fn", [present.heading, present.reading, present.note, present.missing])
def test_text_functions_escape(fn, evil, shown):
    fn(f"Område {evil} 2024")
    (markup,) = shown
    page = assert_inert(markup)
    assert f"Område {evil} 2024" in "".join(page.text), "texten visas som text, tecken för tecken"


@pytest.mark.parametrize("evil", HOSTILE)
def test_figure_alt_and_caption_escape(evil, shown):
    for example in (False, True):
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([1, 2], [1, 2])
        present.show_figure(fig, alt=f"Diagram för {evil}", caption=f"Läsning: {evil} ökade.", example=example)
    for markup in shown:
        page = assert_inert(markup)
        imgs = [a for t, a in page.tags if t == "img"]
        assert [a["alt"] for a in imgs] == [f"Diagram för {evil}"], "alt-texten är hel och i sitt attribut"
        assert f"Läsning: {evil} ökade." in "".join(page.text)
    present.show_figure(None, alt=evil, caption=evil)  # no chart: nothing shown
    assert len(shown) == 2
    fig, ax = plt.subplots(figsize=(2, 1))
    present.show_figures([{"fig": fig, "alt": f"Diagram för {evil}", "caption": f"Läsning: {evil} ökade."}], example=True)
    assert len(shown) == 3
    page = assert_inert(shown[2])
    assert [a["alt"] for t, a in page.tags if t == "img"] == [f"Diagram för {evil}"]


@pytest.mark.parametrize("evil", HOSTILE)
def test_table_cells_columns_index_and_caption_escape(evil, shown):
    df = pd.DataFrame({"org": [evil, "Område IT"], evil: [1.5, 2.0], "kategori": ["a", evil]}).set_index("kategori")
    df.index.name = f"index {evil}"
    present.show_table(df, caption=f"Tabell för {evil}", units={evil: "mnkr"}, index=True, example=True)
    present.show_table(df.iloc[0:0], caption=evil, empty=f"Inga data för {evil}")
    present.show_tables({evil: df.reset_index(drop=True)}, caption="Tabell {name}")
    assert len(shown) == 3
    for markup in shown:
        assert_inert(markup)
    table_text = _text(shown[0])
    assert table_text.count(evil) >= 5  # caption, index name, column name, two cells
    assert f"Inga data för {evil}" in _text(shown[1])
    assert f"Tabell {evil}" in _text(shown[2])
    assert present.table_html(df, caption=evil).count("<caption>") == 1


def test_table_cells_are_escaped_even_when_marked_safe(shown):
    """A cell or column name that is already ``Markup`` (Jinja's "safe") is still data: escaped."""
    df = pd.DataFrame({Markup(SCRIPT): [Markup(SCRIPT)], "källa": [Markup(IMG)]})
    markup = present.table_html(df)
    assert_inert(markup)
    assert _text(markup).count(SCRIPT) == 2 and IMG in _text(markup)


@pytest.mark.parametrize("evil", HOSTILE)
def test_sources_escape(evil, shown):
    df = pd.DataFrame({"source": [f"Dok {evil}, sid 3", "Dok B [omräknat från tkr till mnkr, × 0,001]"],
                       "source_file": [f"seeds/{evil}.csv", "seeds/b.csv"]})
    present.sources(df, title=f"Källor {evil}")
    (markup,) = shown
    assert_inert(markup)
    text = _text(markup)
    assert f"Dok {evil}, sid 3" in text and f"seeds/{evil}.csv" in text and f"Källor {evil}" in text


def test_example_banner_and_page_style_are_constant_markup(shown):
    present.page_style()
    present.example_banner(pd.DataFrame({"example": [True], "org": [SCRIPT]}))
    present.example_banner(pd.DataFrame({"example": [False]}))
    assert len(shown) == 2
    assert SCRIPT not in "".join(shown)
    assert 'data-exempeldata="true"' in shown[1]
    assert_inert(shown[1])


@pytest.mark.parametrize("evil", HOSTILE)
def test_reader_api_escapes_every_text(evil, shown):
    """begin, section, table (cells, columns, caption, sources, downloads), figure, collapsed,
    timeline, checks and appendix: hostile text is shown as text and nothing runs."""
    from regionanalys import load

    real = load(regions=["17"])
    hostile = real.iloc[:1].assign(org=evil, source=f"Dok {evil}")
    data = pd.concat([real, hostile], ignore_index=True)
    present.begin(f"Rapport {evil}", data, year=2023, region="17")
    present.section(f"Avsnitt {evil}")
    table = pd.DataFrame({"område": [evil, "IT"], evil: [1.5, -2.0], "källa": [f"Dok {evil}", "Dok B"]})
    present.table(table, f"Tabell {evil}", units="mnkr", row_header="område")
    fig, ax = plt.subplots(figsize=(2, 1))
    present.figure(fig, alt=f"Diagram {evil}", caption=f"Läsning {evil}")
    present.collapsed(f"Rubrik {evil}", f"Inget att visa {evil}")
    events = pd.DataFrame({"region": ["17"], "org": [evil], "start": [pd.Timestamp("2023-01-02")], "end": [pd.NaT],
                           "event": ["x"], "label": [f"Beslut {evil}"], "source": [f"Protokoll {evil}"]})
    statements = pd.DataFrame({"region": ["17"], "org": [evil], "document_date": [evil], "topic": ["t"],
                               "quote": [f"Citat {evil}"], "source": [f"Dok {evil}"]})
    present.timeline(events, statements)
    present.checks(pd.DataFrame({"uppgivet": [1.0], "förklaring": [evil]}), f"Kontroll {evil}")
    present.appendix(data)
    markup = "".join(shown)
    assert_inert(markup)
    text = _text(markup)
    for expected in (f"Rapport {evil}", f"Avsnitt {evil}", f"Tabell {evil}", f"Läsning {evil}", f"Inget att visa {evil}",
                     f"Beslut {evil}", f"Citat {evil}", f"Kontroll {evil}", f"Dok {evil}", f"Protokoll {evil}"):
        assert expected in text, expected
    page = parse(markup)
    for tag, attrs in page.tags:
        if tag == "a" and "download" in attrs:
            assert attrs["href"].startswith(("data:text/csv;", "data:application/vnd.openxml")), attrs["href"][:60]


def test_present_has_no_unchecked_output_function():
    """A new function that writes HTML must get a test here."""
    checked = {"page_style", "heading", "reading", "note", "missing", "example_banner", "figure_html", "show_figure", "show_figures",
               "table_html", "show_table", "show_tables", "sources", "uses_example",
               "begin", "section", "table", "figure", "collapsed", "timeline", "checks", "method", "appendix",
               "current_appendix"}
    public = {n for n, f in vars(present).items() if callable(f) and not n.startswith("_") and getattr(f, "__module__", "") == present.__name__}
    assert public <= checked, f"present har nya funktioner utan säkerhetstest: {sorted(public - checked)}"


# --- output names come only from validated ids (the real CLI) ---------------------------------


@pytest.fixture
def small_suite(tmp_path) -> list[str]:
    """A notebooks dir with only the region report, so the CLI's checks do not depend on
    every notebook of the suite being present."""
    nb = tmp_path / "nb"
    nb.mkdir()
    shutil.copy(config.NOTEBOOKS_DIR / "01_region.ipynb", nb)
    (nb / "reports.toml").write_text(
        '[region]\nnotebook = "01_region.ipynb"\ntitle = "Ekonomin i {region_name} {year}"\nper_region = true\nregions = ["17"]\norder = 10\n',
        encoding="utf-8",
    )
    return ["--notebooks-dir", str(nb), "--out", str(tmp_path / "out" / "rapporter")]


@pytest.mark.parametrize(
    "args",
    [
        ["--region", "../x"], ["--region", "../../etc/passwd"], ["--region", "17/../18"],
        ["--notebook", "../x"], ["--notebook", "../nb/01_region.ipynb"], ["--notebook", "region/../region"],
        ["--notebook", "/etc/passwd"], ["-p", "region=../x"], ["-p", "../x=1"],
    ],
    ids=lambda a: " ".join(a),
)
def test_cli_rejects_paths_as_region_or_notebook(args, small_suite, tmp_path):
    from typer.testing import CliRunner

    from regionanalys.cli import app

    result = CliRunner().invoke(app, ["run", *args, *small_suite])
    assert result.exit_code == 2, result.output
    assert "fel:" in result.output
    # nothing was written anywhere: no report, no x, not even the output directory
    written = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if not p.is_relative_to(tmp_path / "nb")]
    assert written == [], written


# --- end to end: hostile data through the real report (fixture hostile_report in conftest) ---


@pytest.mark.slow
def test_hostile_data_is_shown_as_text_in_the_report(hostile_report):
    pages = sorted(hostile_report.out.glob("*.html"))
    report = [p for p in pages if p.name != "index.html"]
    assert report, pages
    html = report[0].read_text(encoding="utf-8")
    assert hostile_report.script not in html and "<img src=x" not in html
    page = assert_inert(html)
    text = "".join(page.text)
    assert hostile_report.org in text, "the hostile org name is shown, as text"
    # The source list holds only the sources of figures the report shows; where the hostile
    # source is cited it is text (assert_inert above), and test_tables covers footnotes.
    if "Dok " in text:
        assert f"Dok {hostile_report.img}" in text, "the hostile source is shown, as text"
    for p in pages:
        assert_inert(p.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_report_files_are_named_from_ids_and_self_contained(hostile_report):
    out = hostile_report.out
    for path in out.rglob("*"):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(out).parts):
            assert re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", path.name), f"filnamn som inte kommer från ett id: {path.name}"
    for html in out.glob("*.html"):
        assert external_urls(html.read_text(encoding="utf-8")) == [], html.name
