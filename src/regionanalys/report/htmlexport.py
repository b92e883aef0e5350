"""HTML (and PDF) export of executed report notebooks.

One :class:`ReportExporter` per worker process: nbconvert's ``HTMLExporter`` with the
project's ``rapport`` template (``templates/nbconvert/rapport``), built and compiled once
and reused for every report the worker makes.

A report page is self-contained: no code, no prompts, no anchor links, images inline as
data URIs, ``<html lang="sv">``, and no reference to anything outside the file. External
hyperlinks in notebook text are turned into plain text with the address shown (it is
printed anyway); any other external reference (an image, a script or a style sheet
loaded from the net) makes the export fail with the address named.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from datetime import datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from regionanalys import config

#: nbconvert template (a directory under templates/nbconvert/).
TEMPLATE_NAME = "rapport"
#: The marker a notebook shows when it uses generated example data (see present.example_banner).
EXAMPLE_MARKER = re.compile(r"""data-exempeldata\s*=\s*["']?true""", re.IGNORECASE)

_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//|^\s*(?:https?|ftp|wss?):", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?\s*((?:[a-z][a-z0-9+.-]*:)?//[^"')\s]*|https?:[^"')\s]*)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?\s*([^"')\s;]+)""", re.IGNORECASE)
_URL_ATTRS = {"src", "href", "srcset", "action", "formaction", "poster", "data", "background", "xlink:href", "cite", "manifest", "ping"}
_EXTERNAL_ANCHOR = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*(["'])\s*((?:https?:)?//[^"']*)\1[^>]*>(.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)


#: An href that may point outside the page once bs4 has printed it: a scheme other than
#: data:, a "//" address, or a character reference (which bs4 decodes). Never "#..." or "data:".
_MAYBE_EXTERNAL_HREF = re.compile(r"""\bhref\s*=\s*["']?\s*(?://|&|(?!data:)[a-z][a-z0-9+.-]*:)""", re.IGNORECASE)


class ExportError(RuntimeError):
    """A report could not be exported as a self-contained page."""


class _RefFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRS:
                for part in value.split(",") if name == "srcset" else [value]:
                    if _EXTERNAL.match(part):
                        self.refs.append(f"<{tag} {name}=\"{part.strip()[:120]}\">")
            elif name == "style":
                self._css(value, tag)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data, "style")

    def _css(self, css: str, tag: str) -> None:
        for m in _CSS_URL.finditer(css):
            self.refs.append(f"<{tag}> url({m[1][:120]})")
        for m in _CSS_IMPORT.finditer(css):
            self.refs.append(f"<{tag}> @import {m[1][:120]}")


def external_references(html: str) -> list[str]:
    """Every reference in ``html`` to something outside the file (empty list = self-contained)."""
    finder = _RefFinder()
    finder.feed(html)
    finder.close()
    return finder.refs


def unlink_external_anchors(html: str) -> str:
    """``<a href="https://x">text</a>`` -> ``<span class="extern-lank">text (https://x)</span>``."""

    def repl(m: re.Match) -> str:
        # The link text is already markup (from the page); the address is escaped by markupsafe.
        url, text = m[2].strip(), Markup(m[3])
        visible = re.sub(r"<[^>]+>", "", text).strip()
        if visible in (url, escape(url)):
            return Markup('<span class="extern-lank">{}</span>').format(text)
        return Markup('<span class="extern-lank">{} ({})</span>').format(text, url)

    return _EXTERNAL_ANCHOR.sub(repl, html)


def uses_example_data(nb: Any) -> bool:
    """Whether an executed notebook shows the example-data marker in any HTML output."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            data = out.get("data") or {}
            html = data.get("text/html")
            if html is None:
                continue
            text = "".join(html) if isinstance(html, list) else str(html)
            if EXAMPLE_MARKER.search(text):
                return True
    return False


def css_string(text: str) -> str:
    """``text`` as the inside of a CSS string (for the printed footer): quotes, backslashes,
    line breaks and ``<`` escaped, so it can neither end the string nor the style element."""
    return "".join(f"\\{ord(ch):x} " if ch in '\\"\'<>&\n\r' or ord(ch) < 32 else ch for ch in text)


#: Blocks a heading is kept together with in print (the heading's first chart or table).
_KEEP_BLOCKS = ("figure", "table", "div", "p", "ul", "ol", "dl", "details", "blockquote")
_KEEP_MAX_ROWS = 18


_HEADINGS = ("h1", "h2", "h3", "h4")
_KEEP_NAMES = frozenset(_KEEP_BLOCKS + _HEADINGS)


def _keep_group(heading) -> list:
    """The headings right after ``heading`` and the first content block after them
    (across notebook cells): what print keeps together. Empty when there is no block."""
    from bs4 import Tag

    group = []
    # A lazy walk, not find_all_next: that collects every later element of the page before
    # the first is looked at, for each heading (a third of finish_page's time).
    for el in heading.next_elements:
        if not isinstance(el, Tag) or el.name not in _KEEP_NAMES:
            continue
        if el.name in _HEADINGS:
            if el.name == "h1":
                return []
            group.append(el)
            continue
        classes = el.get("class") or []
        if el.name == "div" and "ra-tablewrap" not in classes:
            continue  # notebook cell wrappers, not content
        if el.find_parent(["figure", "table", "nav", "dl"]) is not None or any(h in el.parents for h in [heading, *group]):
            continue
        return [*group, el]
    return []


def finish_page(html: str) -> str:
    """Post-process an exported report page (see :func:`finish_soup`)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    finish_soup(soup)
    return str(soup)


def finish_soup(soup) -> None:
    """Post-process an exported report page, parsed, in place.

    * Every ``<h2>`` gets an id (kept if it has one) and the table of contents that
      :func:`regionanalys.report.present.begin` left empty lists them all.
    * Each ``<h2>``/``<h3>`` is wrapped with the first chart or short table after it in a
      ``div.ra-keep`` that print does not split, so a heading never ends a page. (CSS
      ``break-after: avoid`` alone does not work across notebook cells' output boxes.)
    """
    from bs4 import Tag

    from regionanalys.data.formatting import plain

    main = soup.find("main") or soup
    # One walk of the page in plain Python instead of a find_all per question: bs4's matching
    # costs more than the walk. The lists are what those find_all calls returned, in page order.
    # Nothing below adds an h2, h3 or table before they are used, so they can be gathered first.
    page = [el for el in soup.descendants if isinstance(el, Tag)]
    inside = page if main is soup else [el for el in main.descendants if isinstance(el, Tag)]
    used = {el["id"] for el in page if el.get("id") is not None}
    entries = []
    for h2 in [el for el in inside if el.name == "h2"]:
        if not h2.get("id"):
            ascii_text = unicodedata.normalize("NFKD", plain(h2.get_text()).lower()).encode("ascii", "ignore").decode()
            base = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "avsnitt"
            slug, i = base, 2
            while slug in used:
                slug, i = f"{base}-{i}", i + 1
            h2["id"] = slug
            used.add(slug)
        entries.append((h2["id"], h2.get_text(" ", strip=True)))
    # What soup.select("nav[data-toc] ol") finds.
    tocs = [el for el in page if el.name == "ol" and el.find_parent("nav", attrs={"data-toc": True}) is not None]
    for nav in tocs:
        for ident, text in entries:
            li = soup.new_tag("li")
            a = soup.new_tag("a", href=f"#{ident}")
            a.string = text
            li.append(a)
            nav.append(li)
    for table in [el for el in inside if el.name == "table"]:
        if len(table.find_all("tr")) <= _KEEP_MAX_ROWS:
            table["class"] = [*(table.get("class") or []), "ra-short"]  # printed whole
    for heading in [el for el in inside if el.name in ("h2", "h3")]:
        if heading.find_parent("div", class_="ra-keep") is not None or heading.get("data-kept"):
            continue  # already kept with the heading above it
        group = _keep_group(heading)
        if not group:
            continue
        block, headings = group[-1], [heading, *group[:-1]]
        if len(block.find_all("tr")) > _KEEP_MAX_ROWS:
            # A long table may break across pages: the headings go right before it, as its
            # siblings, where their break-after: avoid holds them to the caption and first rows.
            for el in headings:
                el["data-kept"] = "1"
                block.insert_before(el.extract())
            continue
        keep = soup.new_tag("div", attrs={"class": "ra-keep"})
        block.insert_before(keep)
        for el in [*headings, block]:
            keep.append(el.extract())
    for el in [el for el in main.descendants if isinstance(el, Tag) and el.get("data-kept") is not None]:
        del el["data-kept"]


def _mark_like_nbconvert(soup) -> None:
    """What nbconvert 7's HTMLExporter does to its parsed page: an alt text on every image
    without one, and ``tabindex="0"`` on the notebook's input and output boxes.

    nbconvert selects them with the CSS selector ``img:not([alt]), .jp-Notebook
    div.jp-Cell-inputWrapper, .jp-Notebook div.jp-OutputArea-output``; compiling a selector
    costs ~0,2 s in each new process (soupsieve's regular expressions), walking the page
    ~1 ms, so the page is walked.
    """
    from bs4 import Tag

    for elem in soup.descendants:
        if not isinstance(elem, Tag):
            continue
        if elem.name == "img":
            if "alt" not in elem.attrs:
                elem.attrs["alt"] = "No description has been provided for this image"
        elif elem.name == "div":
            classes = elem.get("class") or ()
            if ("jp-Cell-inputWrapper" in classes or "jp-OutputArea-output" in classes) and any(
                "jp-Notebook" in (parent.get("class") or ()) for parent in elem.parents
            ):
                elem.attrs["tabindex"] = "0"


def _template_cache():
    """Jinja's bytecode cache for the report template, beside the parsed-file cache; the
    file names carry the Jinja and nbconvert versions (they decide the compiled code), and
    Jinja checks each template's source. None when the cache is off or its folder cannot be
    made: then the template is compiled in each process."""
    import jinja2
    import nbconvert
    from jinja2 import FileSystemBytecodeCache

    from regionanalys.data import parsecache

    if not parsecache.enabled():
        return None
    folder = parsecache.cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder), f"jinja2-{jinja2.__version__}-nbconvert-{nbconvert.__version__}-%s.cache")


@cache
def _page_exporter():
    """nbconvert's HTMLExporter, but handing over the page it has parsed instead of the text.

    ``HTMLExporter.from_notebook_node`` parses its own output with BeautifulSoup (to fill
    missing image alt texts and focus order) and prints it again; :func:`finish_page` then
    parsed that text once more. Parsing is most of an export, so the report takes the parsed
    page as it is. (A class made on first use: nbconvert is a heavy import.)
    """
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class PageExporter(HTMLExporter):
        def page_soup(self, nb: Any, resources: dict) -> tuple[Any, str, dict]:
            """``from_notebook_node`` of nbconvert 7's HTMLExporter, ending before ``str(soup)``:
            the parsed page, the template's text it was parsed from, the resources."""
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources)
            soup = BeautifulSoup(html, features="html.parser")
            _mark_like_nbconvert(soup)
            return soup, html, resources

        def _create_environment(self):
            """nbconvert's Jinja environment, with compiled templates kept between processes."""
            env = super()._create_environment()
            env.bytecode_cache = _template_cache()
            return env

    return PageExporter


class ReportExporter:
    """nbconvert's HTMLExporter with the report template, compiled once, reused per report."""

    def __init__(self) -> None:
        self._exporter = _page_exporter()(
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(config.TEMPLATES_DIR / "nbconvert")],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_anchor_links=True,
            exclude_output_stdin=True,
            embed_images=True,
            language_code="sv",
            # Validate the notebook once, after the preprocessors, not after each of the twelve
            # (enabled or not): the same check, a twelfth of nbformat's cost.
            optimistic_validation=True,
        )
        # Compile the template now, so the first report does not pay for it.
        import nbformat

        self.export(nbformat.v4.new_notebook(), title="uppvärmning", notebook="-")

    def export(self, nb: Any, *, title: str, notebook: str, created: datetime | None = None) -> str:
        """The report page for an executed notebook; raises :class:`ExportError` if not self-contained."""
        from bs4 import BeautifulSoup

        from regionanalys import __version__

        resources = {
            "metadata": {"name": title, "path": str(config.NOTEBOOKS_DIR)},
            "rapport": {
                "title": title,
                "notebook": notebook,
                "version": __version__,
                "created": (created or datetime.now()).strftime("%Y-%m-%d %H:%M"),
            },
        }
        resources["rapport"]["css_title"] = css_string(title)
        soup, raw, _ = self._exporter.page_soup(nb, resources)
        # External anchors are unlinked in the page as printed (the rule works on text). The
        # printed page has a "<a" only where the template's text has one (bs4 escapes "<" in
        # text and attributes and copies comments, styles and scripts verbatim), and an
        # external address only where the text has an href that may be one; without both there
        # is nothing to unlink and the page needs neither printing nor parsing again. (Every
        # report has anchors: its tables' download links and the sources' footnotes.)
        if "<a" in raw.lower() and _MAYBE_EXTERNAL_HREF.search(raw):
            body = str(soup)
            unlinked = unlink_external_anchors(body)
            if unlinked != body:
                soup = BeautifulSoup(unlinked, "html.parser")
        finish_soup(soup)
        body = str(soup)
        refs = external_references(body)
        if refs:
            shown = "; ".join(dict.fromkeys(refs))
            raise ExportError(f"rapporten hämtar något utifrån, vilket en fristående rapport inte får: {shown}")
        return body


# --- PDF -----------------------------------------------------------------------------

CHROMIUM_ENV = "REGIONANALYS_CHROMIUM"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


class ChromiumMissing(RuntimeError):
    """No headless Chromium to print PDFs with."""


def find_chromium() -> str:
    """Path of the Chromium binary (``$REGIONANALYS_CHROMIUM`` first); raises :class:`ChromiumMissing`."""
    wanted = os.environ.get(CHROMIUM_ENV)
    for cand in ([wanted] if wanted else []) + list(CHROMIUM_CANDIDATES):
        found = shutil.which(cand) if not os.path.isabs(cand) else (cand if os.access(cand, os.X_OK) else None)
        if found:
            return found
    raise ChromiumMissing(
        "PDF kräver Chromium, men det finns inte (sökte "
        + ", ".join(([wanted] if wanted else []) + list(CHROMIUM_CANDIDATES))
        + "). Installera med `sudo apt-get install chromium` eller ange sökvägen i "
        + f"${CHROMIUM_ENV}."
    )


def print_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None, timeout: float = 120) -> None:
    """Print a report page to PDF with headless Chromium; the PDF is moved into place atomically."""
    chromium = chromium or find_chromium()
    pdf_path = Path(pdf_path)
    tmp_pdf = pdf_path.with_name(f".{pdf_path.name}.{os.getpid()}.tmp")
    with tempfile.TemporaryDirectory(prefix="regionanalys-chromium-") as profile:
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--no-pdf-header-footer",
            f"--user-data-dir={profile}", f"--print-to-pdf={tmp_pdf}",
            Path(html_path).resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            tmp_pdf.unlink(missing_ok=True)
            raise ExportError(f"Chromium blev inte klar med {Path(html_path).name} på {timeout:.0f} s") from None
    if proc.returncode != 0 or not tmp_pdf.exists() or tmp_pdf.stat().st_size == 0:
        tmp_pdf.unlink(missing_ok=True)
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise ExportError(f"Chromium kunde inte skriva PDF för {Path(html_path).name}: {' / '.join(tail)}")
    os.replace(tmp_pdf, pdf_path)
