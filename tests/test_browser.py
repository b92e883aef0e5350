"""The reports as a reader sees them: built with the real CLI into a temporary directory,
opened in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

For reports/index.html and every report page: no console errors or page errors, no
request leaves the machine, every image has loaded (naturalWidth > 0), every chart has
alt text or a figure caption, ``<html lang="sv">``, a title; every link from the index
resolves; a full-page screenshot goes to tests/artifacts/ (gitignored); each report is
printed to PDF once (pages counted, title checked). A report built on data with hostile
org names and sources is opened too: nothing may run.

For the reader (issue 12): at 1280 px no table or other element is wider than its column
(no sideways scrolling); printed on A4 no heading is the last line of a page, the
comparison fits in 12 pages and Örebro's region report in 5; each report is under 1,5 MB;
every table's CSV and Excel download opens in pandas with the values the table shows; and
the first screen of each report is saved as ``tests/artifacts/<report>-forsta-sidan.png``.

Skipped, with the reason, only when Chromium is missing or cannot be launched
(``bash tests/browser_setup.sh`` installs it as root on Debian).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    for cand in (os.environ.get("REGIONANALYS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


@pytest.fixture(scope="module")
def browser():
    path = _chromium_path()
    if path is None:
        pytest.skip("Chromium saknas (/usr/bin/chromium); installera med `bash tests/browser_setup.sh` (apt-get install chromium, som root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
        pytest.skip(f"Python-paketet playwright saknas: {exc}")
    pw = sync_playwright().start()
    try:
        # Playwright gives every launch a fresh temporary profile (--user-data-dir).
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, timeout=30_000)
    except Exception as exc:  # noqa: BLE001 - any launch failure means: cannot test here
        pw.stop()
        pytest.skip(f"Chromium ({path}) går inte att starta: {str(exc).splitlines()[0]}")
    yield b
    b.close()
    pw.stop()


#: A suite already built (`regionanalys run --out DIR`) to check instead of building one.
SUITE_ENV = "REGIONANALYS_BROWSER_SUITE"


@pytest.fixture(scope="module")
def suite(browser, request) -> Path:
    """The whole report suite on the shipped data (conftest.report_suite: `regionanalys run --out TMP`),
    or the one built in ``$REGIONANALYS_BROWSER_SUITE``."""
    built = os.environ.get(SUITE_ENV)
    if built:
        return Path(built)
    return request.getfixturevalue("report_suite")


_IMAGES_JS = """() => Array.from(document.images).map(img => {
  const fig = img.closest('figure');
  const cap = fig ? fig.querySelector('figcaption') : null;
  return {src: img.getAttribute('src').slice(0, 40), complete: img.complete, width: img.naturalWidth,
          alt: (img.getAttribute('alt') || '').trim(), caption: cap ? cap.textContent.trim() : ''};
})"""


#: Elements wider than the column they are in, and the page's own sideways scroll (1 px slack).
_OVERFLOW_JS = """() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) out.push(`sidan är ${doc.scrollWidth} px bred`);
  const main = document.querySelector('main') || document.body;
  const limit = main.getBoundingClientRect().right;
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (el.tagName !== 'TABLE' && el.closest('table'))) continue;  // a table is reported once
    const parent = el.parentElement;
    const scrolls = parent && parent.scrollWidth > parent.clientWidth + 1 && getComputedStyle(parent).overflowX !== 'visible';
    if (r.right > limit + 1 || (el.tagName === 'TABLE' && scrolls)) {
      const cap = el.querySelector && el.querySelector('caption');
      out.push(`${el.tagName.toLowerCase()}.${el.className || ''} ${Math.round(r.right - limit)} px för bred` + (cap ? ` («${cap.textContent.trim().slice(0, 60)}»)` : ''));
    }
  }
  return out.slice(0, 20);
}"""

#: The reader's tables: caption, headings, the cells as shown and the two downloads.
_TABLES_JS = """() => Array.from(document.querySelectorAll('.ra-tablewrap')).map(w => ({
  caption: (w.querySelector('caption') || {textContent: ''}).textContent.trim(),
  head: Array.from(w.querySelectorAll('thead th')).map(th => th.textContent.trim()),
  rows: Array.from(w.querySelectorAll('tbody tr')).map(tr => Array.from(tr.children).map(c => c.textContent.trim())),
  numeric: Array.from(w.querySelectorAll('thead th')).map(th => th.classList.contains('num')),
  csv: (w.querySelector('a[data-download=csv]') || {href: ''}).href,
  xlsx: (w.querySelector('a[data-download=xlsx]') || {href: ''}).href,
}))"""


def _visit(browser, path: Path, shot: str, pdf: bool) -> dict:
    """Open one page; return what was seen (errors, requests, images, links, title, PDF)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen: dict = {"console": [], "errors": [], "external": [], "dialogs": [], "failed": []}
    page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url[:120]))

    def on_dialog(d):
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)

    def route(r):
        if r.request.url.startswith(("http:", "https:", "ws:", "wss:", "ftp:")):
            seen["external"].append(r.request.url[:120])
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    response = page.goto(path.as_uri(), wait_until="load")
    seen["ok"] = response is None or response.ok
    page.wait_for_load_state("networkidle")
    seen["lang"] = page.evaluate("document.documentElement.getAttribute('lang')")
    seen["title"] = page.title()
    seen["h1"] = page.evaluate("(document.querySelector('h1') || {textContent: ''}).textContent.trim()")
    seen["images"] = page.evaluate(_IMAGES_JS)
    seen["links"] = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    seen["scripts"] = page.evaluate("document.querySelectorAll('script').length")
    seen["onerror_imgs"] = page.evaluate("document.querySelectorAll('img[onerror], [onload], [onclick]').length")
    seen["text"] = page.inner_text("body")
    seen["overflow"] = page.evaluate(_OVERFLOW_JS)
    seen["headings"] = page.evaluate("() => Array.from(document.querySelectorAll('main h2, main h3')).map(h => h.textContent.trim())")
    seen["tables"] = page.evaluate(_TABLES_JS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}-forsta-sidan.png"))
    page.screenshot(path=str(ARTIFACTS / f"{shot}.jpg"), full_page=True, type="jpeg", quality=80)
    if pdf:
        seen["pdf"] = page.pdf(format="A4", print_background=True)
        (ARTIFACTS / f"{shot}.pdf").write_bytes(seen["pdf"])
    page.close()
    return seen


@pytest.fixture(scope="module")
def visits(browser, suite) -> dict[str, dict]:
    """Every page of the suite visited once: name -> what was seen."""
    started = time.monotonic()
    pages = {"index.html": _visit(browser, suite / "index.html", "index", pdf=False)}
    for html in sorted(suite.glob("*.html")):
        if html.name != "index.html":
            pages[html.name] = _visit(browser, html, html.stem, pdf=True)
    print(f"\n{len(pages)} sidor i Chromium på {time.monotonic() - started:.1f} s; skärmbilder och PDF i {ARTIFACTS}")
    return pages


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _pdf_title(pdf: bytes) -> str:
    m = re.search(rb"/Title\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))", pdf)
    if not m:
        return ""
    raw = m[1]
    if raw.startswith(b"<"):
        data = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode())
    else:
        data = re.sub(rb"\\([()\\])", rb"\1", raw[1:-1])
    return data.decode("utf-16") if data.startswith((b"\xfe\xff", b"\xff\xfe")) else data.decode("latin-1")


def _report_titles(suite: Path) -> dict[str, str]:
    """Report file -> title, from the run's manifest (the index must agree)."""
    manifest = json.loads((suite / "manifest.json").read_text(encoding="utf-8"))
    out = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("html"), str) and isinstance(node.get("title"), str):
                out[Path(node["html"]).name] = node["title"]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(manifest)
    return out


def test_suite_has_reports(suite, visits):
    reports = [n for n in visits if n != "index.html"]
    assert len(reports) >= 4, reports  # three regions and the comparison, at least


def test_no_console_errors_page_errors_or_failed_requests(visits):
    bad = {n: {k: v[k] for k in ("console", "errors", "failed") if v[k]} for n, v in visits.items()}
    assert not {n: b for n, b in bad.items() if b}


def test_nothing_is_loaded_from_the_net(visits):
    assert not {n: v["external"] for n, v in visits.items() if v["external"]}


def test_every_page_is_swedish_and_titled(visits):
    for name, v in visits.items():
        assert v["ok"], name
        assert v["lang"] == "sv", f"{name}: <html lang={v['lang']!r}>"
        assert v["title"].strip(), f"{name}: ingen <title>"
        assert v["h1"], f"{name}: ingen <h1>"


def test_every_image_loaded_and_every_chart_is_described(visits):
    problems = []
    charts = 0
    for name, v in visits.items():
        for img in v["images"]:
            charts += 1
            if not img["complete"] or img["width"] <= 0:
                problems.append(f"{name}: bilden {img['src']}… laddades inte")
            if not (img["alt"] or img["caption"]):
                problems.append(f"{name}: bilden {img['src']}… saknar alt-text och bildtext")
    assert not problems, "\n".join(problems)
    assert charts >= 3, "rapporterna ska ha diagram"


def test_index_links_resolve(suite, visits):
    links = visits["index.html"]["links"]
    reports = {n for n in visits if n != "index.html"}
    linked_html = set()
    for href in links:
        parsed = urlparse(href)
        assert not parsed.scheme and not parsed.netloc, f"extern eller absolut länk i index: {href}"
        target = (suite / unquote(parsed.path)).resolve()
        assert target.is_relative_to(suite.resolve()), f"länken går ut ur rapportkatalogen: {href}"
        assert target.is_file(), f"länken går till en fil som inte finns: {href}"
        if target.suffix == ".html":
            linked_html.add(target.name)
    assert linked_html == reports, "index länkar till varje rapport, och bara till rapporter som finns"
    for name in linked_html:
        assert visits[name]["ok"] and visits[name]["title"], f"{name} laddades inte"


def test_each_report_prints_to_pdf_with_pages_and_its_title(suite, visits):
    titles = _report_titles(suite)
    for name, v in visits.items():
        if name == "index.html":
            continue
        pdf = v["pdf"]
        assert pdf.startswith(b"%PDF-"), name
        assert _pdf_pages(pdf) >= 1, f"{name}: PDF utan sidor"
        title = _pdf_title(pdf)
        assert title == v["title"], f"{name}: PDF-titeln {title!r} är inte sidans {v['title']!r}"
        if name in titles:
            assert titles[name] == v["title"], f"{name}: sidans titel är inte rapportens"


def test_screenshots_were_written(visits):
    for name in visits:
        for shot in (ARTIFACTS / f"{Path(name).stem}.jpg", ARTIFACTS / f"{Path(name).stem}-forsta-sidan.png"):
            assert shot.is_file() and shot.stat().st_size > 1000, shot


# --- for the reader: screen width, print, size, downloads (issue 12) --------------------------


def _reports(visits) -> dict[str, dict]:
    return {n: v for n, v in visits.items() if n != "index.html"}


def test_nothing_is_wider_than_its_column_at_1280_px(visits):
    wide = {n: v["overflow"] for n, v in visits.items() if v["overflow"]}
    assert not wide, "\n".join(f"{n}: {'; '.join(w)}" for n, w in wide.items())


def _pdf_page_lines(pdf: bytes) -> list[list[str]]:
    """The text lines of each printed page, without the footer (title, "3 (12)")."""
    import io

    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]
        pages.append([ln for ln in lines if not re.fullmatch(r"\d+ \(\d+\)", ln)])
    return pages


def test_no_heading_is_the_last_line_of_a_printed_page(visits):
    pytest.importorskip("pypdf")
    orphans = []
    for name, v in _reports(visits).items():
        headings = set(v["headings"])
        pages = _pdf_page_lines(v["pdf"])
        for number, lines in enumerate(pages[:-1], start=1):
            body = [ln for ln in lines if ln != v["title"]]
            if body and body[-1] in headings:
                orphans.append(f"{name} sida {number}: «{body[-1]}»")
    assert not orphans, "rubriker sist på en sida:\n" + "\n".join(orphans)


def test_the_footer_has_the_title_and_page_numbers(visits):
    pytest.importorskip("pypdf")
    import io

    from pypdf import PdfReader

    for name, v in _reports(visits).items():
        pages = PdfReader(io.BytesIO(v["pdf"])).pages
        last = pages[-1].extract_text()
        assert f"{len(pages)} ({len(pages)})" in last, f"{name}: sidnummer saknas i sidfoten"
        assert v["title"] in pages[0].extract_text().replace("\n", " "), f"{name}: titeln saknas i sidfoten"


def _pages(visits, prefix: str) -> dict[str, int]:
    pytest.importorskip("pypdf")
    return {n: len(_pdf_page_lines(v["pdf"])) for n, v in _reports(visits).items() if n.startswith(prefix)}


def test_comparison_prints_in_at_most_12_pages(visits):
    counts = _pages(visits, "jamforelse_")
    assert counts and all(n <= 12 for n in counts.values()), counts


def test_orebro_region_report_prints_in_at_most_5_pages(visits):
    counts = _pages(visits, "region_18_")
    assert counts and all(n <= 5 for n in counts.values()), counts


def test_every_report_is_under_1_5_mb(suite, visits):
    sizes = {n: (suite / n).stat().st_size for n in _reports(visits)}
    assert all(size < 1_500_000 for size in sizes.values()), {n: f"{s / 1e6:.2f} MB" for n, s in sizes.items()}


def _number(text: str) -> float | None:
    """A number as a table shows it (``−1 234,5``, ``+4,6 %``) as a float; None for ``–``."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").replace("%", "").replace(",", ".")
    if cleaned in ("–", "-", ""):
        return None
    return float(cleaned)


def test_every_table_download_opens_in_pandas_with_the_values_shown(visits):
    import base64
    import io

    import pandas as pd

    checked = 0
    for name, v in _reports(visits).items():
        for table in v["tables"]:
            where = f"{name}: «{table['caption']}»"
            if not table["csv"] and not table["xlsx"]:
                continue  # the notebook chose present.table(..., download=False)
            assert table["csv"].startswith("data:text/csv") and table["xlsx"].startswith("data:application/"), where
            csv = pd.read_csv(io.BytesIO(base64.b64decode(table["csv"].split(",", 1)[1])), sep=";", decimal=",", encoding="utf-8-sig")
            xlsx = pd.read_excel(io.BytesIO(base64.b64decode(table["xlsx"].split(",", 1)[1])), sheet_name="Tabell")
            assert len(csv) == len(xlsx) == len(table["rows"]), where
            pd.testing.assert_frame_equal(csv, xlsx, check_dtype=False, obj=where)
            for col, (head, numeric) in enumerate(zip(table["head"], table["numeric"])):
                base = re.sub(r" \([^)]*\)$", "", head)
                if not numeric or base not in csv.columns:
                    continue
                for row, shown in zip(csv[base], (r[col] for r in table["rows"])):
                    value = _number(shown)
                    if value is None:
                        assert pd.isna(row), f"{where}, {head}: visar – men filen har {row}"
                        continue
                    decimals = len(re.search(r",(\d+)", shown)[1]) if "," in shown else 0
                    assert abs(float(row) - value) <= 0.5 * 10 ** -decimals + 1e-9, f"{where}, {head}: visar {shown}, filen har {row}"
            checked += 1
    if checked == 0:
        pytest.skip("ingen rapport använder ännu present.table (notebookarna flyttas över)")


def test_hostile_data_runs_nothing_in_the_browser(browser, hostile_report):
    report = next(p for p in hostile_report.out.glob("*.html") if p.name != "index.html")
    seen = _visit(browser, report, "xss_" + report.stem, pdf=False)
    assert seen["dialogs"] == [], "ett alert() kördes: data har tolkats som HTML"
    assert seen["scripts"] == 0 and seen["onerror_imgs"] == 0
    assert not seen["errors"] and not seen["console"] and not seen["external"]
    assert all(img["src"].startswith("data:image/png") for img in seen["images"])
    assert hostile_report.org in seen["text"], "the hostile org name is shown as text"


def test_the_checks_catch_a_broken_page(browser, tmp_path):
    """The harness itself: a page with every fault it looks for is caught."""
    bad = tmp_path / "trasig.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title>'
        '<script src="https://cdn.example.invalid/x.js"></script></head><body>'
        '<img src="data:image/png;base64,AAAA"><figure><img src="saknas.png"></figure>'
        "<script>console.error('fel'); alert('x')</script></body></html>",
        encoding="utf-8",
    )
    seen = _visit(browser, bad, "självtest", pdf=False)
    (ARTIFACTS / "självtest.jpg").unlink()
    (ARTIFACTS / "självtest-forsta-sidan.png").unlink()
    assert seen["external"] == ["https://cdn.example.invalid/x.js"]
    assert seen["console"] and seen["dialogs"] == ["x"] and seen["lang"] == "en"
    assert [i["width"] for i in seen["images"]] == [0, 0]
    assert not any(i["alt"] or i["caption"] for i in seen["images"])
