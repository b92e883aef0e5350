"""Putting results on the report page: headings, readings, tables and charts as HTML.

Notebooks call these instead of printing. A report is made with :func:`begin` (title,
example-data banner, "Det viktigaste", table of contents), :func:`section`, :func:`table`,
:func:`figure`, :func:`collapsed`, :func:`timeline`, :func:`checks`, :func:`method` and, last,
:func:`appendix` (sum checks, method, glossary, the cited sources); the older functions
(:func:`heading`, :func:`show_table`, :func:`show_figure`, :func:`sources`, …) keep working. The markup lives in Jinja templates
(``templates/fragments/*.html.j2``) rendered with autoescaping on, so every piece of text
that comes from data (org names, labels, sources, notes) is escaped by Jinja and a label
containing ``<script>`` is shown as text and never runs. The styles are the component part
of the one stylesheet, ``templates/nbconvert/rapport/rapport.css``. Charts are embedded as
PNG data URIs with alt text and a caption, so one HTML file can be e-mailed and read offline.
"""
from __future__ import annotations

import base64
import re
import struct
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd
from IPython.display import HTML, display
from matplotlib.figure import Figure

from regionanalys import config
from regionanalys.data.formatting import default_decimals, fmt_date, fmt_unit
from regionanalys.report import downloads
from regionanalys.report.appendix import Appendix, method_text
from regionanalys.report.charts.style import EXAMPLE_MARK, PRINT_DPI, close, mark_example, png_bytes
from regionanalys.report.tables import reader_table, split_sources

#: The stylesheet shared by the reports, the report index and (its components) notebooks.
STYLESHEET = config.TEMPLATES_DIR / "nbconvert" / "rapport" / "rapport.css"
_COMPONENTS_BEGIN, _COMPONENTS_END = "/* --- components: begin", "/* --- components: end"
#: Columns holding provenance text, shown small so a table stays readable.
SOURCE_COLUMNS = {"källa", "källor", "source"}


@cache
def _env():
    """The Jinja environment for the fragments; built on first use so importing stays cheap."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.TEMPLATES_DIR)),
        autoescape=True,  # all text in the fragments comes from data
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates are package files; no mtime check on every fragment
    )


def _render(fragment: str, **values) -> str:
    return _env().get_template(f"fragments/{fragment}.html.j2").render(mark=EXAMPLE_MARK, **values)


def _show(markup: str) -> None:
    display(HTML(markup))


@cache
def _component_css() -> str:
    """The rules of the stylesheet between its "components" markers (what present's markup uses)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    begin, end = css.find(_COMPONENTS_BEGIN), css.find(_COMPONENTS_END)
    if not 0 <= begin < end:
        raise ValueError(f"{STYLESHEET}: förväntade raderna '{_COMPONENTS_BEGIN} ...' och '{_COMPONENTS_END} ...' i den ordningen")
    return css[css.index("\n", begin) + 1:end].strip()


def page_style() -> None:
    """Emit the report components' CSS once at the top of a notebook.

    The exported report has the whole stylesheet in its head already; this is for the
    notebook itself (JupyterLab, the executed .ipynb), where the page rules would restyle
    JupyterLab and so are left out.
    """
    from markupsafe import Markup

    css = _component_css()
    if "</" in css:  # the only thing that could end the style element early
        raise ValueError(f"{STYLESHEET}: stilmallen innehåller '</', vilket inte får finnas i ett <style>-element")
    _show(_render("style", css=Markup(css)))


def heading(text: str, level: int = 2) -> None:
    """A section heading."""
    _report.saw(text)
    _show(_render("heading", text=text, level=int(level)))


def reading(text: str) -> None:
    """The one-sentence reading under a chart or table (computed text, escaped)."""
    _report.saw(text)
    _show(_render("paragraph", kind="reading", text=text))


def note(text: str) -> None:
    """A small explanatory note."""
    _report.saw(text)
    _show(_render("paragraph", kind="note", text=text))


def missing(text: str) -> None:
    """Say plainly that the data does not contain something the reader might expect."""
    _show(_render("paragraph", kind="missing", text=text))


def uses_example(df: pd.DataFrame | None) -> bool:
    """Whether a table holds any generated example rows."""
    return df is not None and "example" in df and bool(df["example"].any())


def example_banner(df: pd.DataFrame | None = None, force: bool = False) -> None:
    """Show the example-data warning at the top of a report if ``df`` holds example rows.

    The marker attribute lets the runner and the index know the report uses example data.
    """
    if force or uses_example(df):
        _show(_render("example_banner"))


def figure_html(fig: Figure, alt: str, caption: str, example: bool = False) -> str:
    """A matplotlib figure as an HTML ``<figure>`` with an inline PNG, alt text and caption."""
    if example:
        mark_example(fig)
    data = png_bytes(fig)
    close(fig)
    png = base64.b64encode(data).decode("ascii")
    # CSS pixels at 96 per inch (the chart's designed size on screen, scaled down to the
    # column); the PNG's own size (IHDR) includes the example-data footer band.
    width, height = (round(n * 96 / PRINT_DPI) for n in struct.unpack(">II", data[16:24]))
    return _render("figure", png=png, alt=alt, caption=caption, example=example, width=width, height=height)


def show_figure(fig: Figure | None, alt: str, caption: str, example: bool = False) -> None:
    """Show a chart with its alt text and its one-sentence reading as caption.

    ``fig`` None (a chart function had no data) shows nothing: the table beside it
    already says what is missing.
    """
    if fig is not None:
        _show(figure_html(fig, alt, caption, example))


def table_html(
    df: pd.DataFrame,
    caption: str | None = None,
    units: Mapping[str, str] | str | None = None,
    index: bool = False,
    example: bool = False,
    sign_columns: Iterable[str] = (),
) -> str:
    """An HTML table in Swedish number format; all cell text is escaped.

    ``units`` gives the unit of each numeric column (or one unit for all); numbers are
    formatted with one number of decimals per column. ``sign_columns`` get an explicit ``+`` (changes).
    """
    frame = df.reset_index() if index else df
    signed = set(sign_columns)
    unit_of = {c: (units.get(c) if isinstance(units, Mapping) else units) for c in frame.columns}
    decimals = {c: _column_decimals(frame[c], u) for c, u in unit_of.items() if u and pd.api.types.is_numeric_dtype(frame[c])}
    head = [(str(c), c in decimals) for c in frame.columns]
    rows = [
        [_cell(value, col, unit_of[col], decimals.get(col), col in signed) for col, value in row.items()]
        for _, row in frame.astype(object).iterrows()  # object keeps ints as ints (no "2022.0")
    ]
    return _render("table", caption=caption, example=example, head=head, rows=rows)


def _cell(value: object, col: object, unit: str | None, decimals: int | None, sign: bool) -> tuple[str, str]:
    """A table cell as (CSS class, text): numbers of unit columns in Swedish format, missing as ``–``."""
    if decimals is not None and isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        if unit == "arsarbetare":  # the reader's word, not the abbreviation "åa"
            return "num", fmt_unit(value, "", decimals, sign=sign) + "\u00a0årsarbetare"
        return "num", fmt_unit(value, unit, decimals, sign=sign)
    if value is None or (isinstance(value, float) and value != value):
        return "num", "–"
    if isinstance(value, float) and value.is_integer():
        return "", str(int(value))
    return ("ra-src" if str(col).lower() in SOURCE_COLUMNS else ""), str(value)


def _column_decimals(values: pd.Series, unit: str) -> int:
    """One number of decimals per column, so 2 381,4 and 62,3 line up and neither is rounded away."""
    nums = pd.to_numeric(values, errors="coerce").dropna()
    if nums.empty:
        return 0
    return max(default_decimals(v, unit) if unit in ("procent", "procentenheter") else (1 if round(v, 1) != round(v) else 0) for v in nums)


def show_table(df: pd.DataFrame, caption: str | None = None, empty: str | None = None, **kwargs) -> None:
    """Show a table (see :func:`table_html`); an empty one shows ``empty`` instead, if given."""
    if df.empty:
        if empty:
            missing(empty)
        return
    _show(table_html(df, caption, **kwargs))


def show_figures(figures: Iterable[Mapping], example: bool = False) -> None:
    """Show a sequence of items made by the chart modules' ``*_figures`` functions.

    Each item is a mapping: ``fig``, ``alt``, ``caption`` (and optional ``example``,
    ``note``) for a chart; ``missing`` for a sentence on what the data lacks;
    ``heading`` for a sub-heading.
    """
    for item in figures:
        if "heading" in item:
            heading(item["heading"], 3)
        if "missing" in item:
            missing(item["missing"])
        if "fig" in item:
            show_figure(item["fig"], item["alt"], item["caption"], item.get("example", example))
        if item.get("note"):
            note(item["note"])


def show_tables(tables: Mapping[str, pd.DataFrame], caption: str, **kwargs) -> None:
    """Show several tables; ``caption`` is formatted with ``{name}`` = the mapping's key."""
    for name, table in tables.items():
        show_table(table, caption.format(name=name), **kwargs)


def sources(df: pd.DataFrame, title: str = "Källor") -> None:
    """List the distinct sources of the rows a report used, with the data file they came from."""
    if df.empty:
        return
    base = df["source"].str.replace(r" \[omräknat.*\]$", "", regex=True)
    items = sorted(set(zip(base, df["source_file"])))
    _show(_render("sources", title=title, items=items))


# --- the reader's report (phase-2 API) --------------------------------------------------------

#: What the current report has cited and queued for its appendix; :func:`begin` starts a new one.
_report = Appendix()
_section_ids: set[str] = set()
#: A table with more rows than this may break across printed pages (its header repeats).
LONG_TABLE_ROWS = 18


def current_appendix() -> Appendix:
    """The appendix the current report is filling (for tests and the analyst's notebook)."""
    return _report


def _slug(text: str) -> str:
    """A stable, unique id for a heading: ``Beslut och tidslinje`` -> ``beslut-och-tidslinje``."""
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "avsnitt"
    slug, n = base, 2
    while slug in _section_ids:
        slug, n = f"{base}-{n}", n + 1
    _section_ids.add(slug)
    return slug


def _region_codes(df: pd.DataFrame, region: str | None, regions: Iterable[str] | None) -> list[str]:
    from regionanalys.data.regions import resolve_region

    if region is not None:
        return [resolve_region(region)]
    if regions:
        return [resolve_region(r) for r in regions]
    return sorted(df["region"].unique()) if "region" in df else []


def _key_sentences(df: pd.DataFrame, code: str, year: int) -> list[str]:
    """3–5 sentences for one region: :func:`key_points`, and what the data reaches when that is fewer than 3."""
    from regionanalys.analysis.indicators import select
    from regionanalys.analysis.keyfigures import data_through, key_figures, key_points, real
    from regionanalys.data.regions import region_name

    if real(select(df, region=code)).empty:
        # A template waiting for data: nothing real to state (and decisions need real rows).
        points = [f"Rapporten är en mall: underlaget innehåller ännu inga verkliga siffror för {region_name(code)}."]
    else:
        points = key_points(key_figures(df, code, year))
    if len(points) < 3:
        reach = data_through(df, code)
        if reach:
            points.append("Underlaget sträcker sig till och med " + ", ".join(f"{v} ({k})" for k, v in reach.items()) + ".")
    if len(points) < 3:
        points.append("Fler nyckeltal visas när regionens årsredovisning eller månadsrapporter läggs in i underlaget.")
    return points[:5]


def begin(title: str, df: pd.DataFrame, *, year: int, region: str | None = None, regions: list[str] | None = None,
          points: list[str] | None = None) -> None:
    """The top of a report: stylesheet, ``<h1>``, example-data banner, "Det viktigaste" and
    the table-of-contents placeholder (filled from the ``<h2>`` headings by the HTML export).

    ``points`` replaces the finance key figures in "Det viktigaste" for a report about
    something else (the staffing report gives its own, from the analysis layer).
    ``df`` is the data the report shows. The banner says "Mall – väntar på data" when every
    row is example data, and warns about example data when some rows are. If ``df`` has no
    real row for ``year`` and a region, the top says so instead of showing other years.
    """
    global _report
    from regionanalys.analysis.keyfigures import real
    from regionanalys.data.regions import region_name

    _report = Appendix()
    _section_ids.clear()
    codes = _region_codes(df, region, regions)
    scope = df[df["region"].isin(codes)] if codes and "region" in df else df
    banner = ""
    if uses_example(scope):
        banner = "mall" if bool(scope["example"].astype(bool).all()) else "example"
    actual = real(scope)
    in_year = actual[actual["year"] == year] if "year" in actual else actual
    no_data = [f"Underlaget innehåller inga uppgifter för {region_name(c)} {year}." for c in codes if (in_year["region"] == c).sum() == 0]
    if points is not None:
        points, per_region = list(points)[:5], []
    elif len(codes) == 1:
        points, per_region = _key_sentences(df, codes[0], year), []
    else:
        points = []
        per_region = [(region_name(c), _key_sentences(df, c, year)[:3]) for c in codes]
    _report.saw(title, *points, *(s for _, ss in per_region for s in ss))
    page_style()
    _show(_render("begin", title=title, banner=banner, no_data=no_data, points=points, per_region=per_region))


def section(title: str) -> None:
    """A section heading (``<h2>``) with a stable id for the table of contents; in print
    it is kept with what follows."""
    _report.saw(title)
    _show(_render("section", id=_slug(title), text=title))


def _table_markup(df: pd.DataFrame, caption: str, *, units=None, sign_columns: Iterable[str] = (),
                  source_column: str | None = "källa", hide: Iterable[str] = (), row_header: str | None = None,
                  download: bool = True) -> str:
    view = reader_table(df, caption, _report.cite, units=units, sign_columns=sign_columns, source_column=source_column,
                        hide=hide, row_header=row_header)
    _report.saw(caption, *(text for text, _ in view.head))
    example = "example" in df and bool(df["example"].astype(bool).any())
    links = []
    if download:
        stem = downloads.file_stem(caption)
        links = [
            ("Ladda ned CSV", f"{stem}.csv", downloads.data_uri(downloads.csv_bytes(df), downloads.CSV_MIME)),
            ("Ladda ned Excel", f"{stem}.xlsx", downloads.data_uri(downloads.xlsx_bytes(df, caption, view.cited), downloads.XLSX_MIME)),
        ]
    return _render("reader_table", caption=caption, table=view, example=example, downloads=links,
                   long=len(view.rows) > LONG_TABLE_ROWS)


def table(
    df: pd.DataFrame,
    caption: str,
    *,
    units: Mapping[str, str] | str | None = None,
    sign_columns: Iterable[str] = (),
    source_column: str | None = "källa",
    hide: Iterable[str] = (),
    row_header: str | None = None,
    download: bool = True,
    empty: str | None = None,
) -> None:
    """A reader's table: caption, header cells with ``scope``, numbers right-aligned in
    Swedish format (the unit in the heading), ``hide`` and the source column left out of
    the view, each row's source as a footnote number into the report's source list, and
    links to download the full table (every column, full precision) as CSV and Excel.
    An empty ``df`` shows ``empty`` (as :func:`missing`), or nothing."""
    if df.empty:
        if empty:
            missing(empty)
        return
    _show(_table_markup(df, caption, units=units, sign_columns=sign_columns, source_column=source_column,
                        hide=hide, row_header=row_header, download=download))


def figure(fig: Figure | None, *, alt: str, caption: str, example: bool = False) -> None:
    """A chart as a compact PNG at print resolution, with alt text and its reading as caption
    (None shows nothing, as :func:`show_figure`)."""
    _report.saw(caption)
    show_figure(fig, alt, caption, example)


def collapsed(title: str, text: str) -> None:
    """A section with nothing real to show, as one line (no empty charts)."""
    _report.saw(title, text)
    _show(_render("collapsed", title=title, text=text))


def _date_text(value: object) -> str:
    from regionanalys.data.formatting import month_name

    when = pd.Timestamp(value) if not isinstance(value, str) else None
    if when is None:
        try:
            when = pd.Timestamp(value)
        except (ValueError, TypeError):
            return str(value)  # "början av 2024": the document's own words
    return f"{when.day} {month_name(when.month)} {when.year}"


def _cite_all(source: object) -> list[int]:
    return [_report.cite(s) for s in split_sources(source)]


def timeline(events: pd.DataFrame, statements: pd.DataFrame | None = None) -> None:
    """"Beslut och tidslinje": dated decisions (from :func:`regionanalys.load_events`) in date
    order, and the documents' own assessments quoted (from
    :func:`regionanalys.data.documents.load_statements`), with their sources as footnotes."""
    rows = []
    if events is not None and not events.empty:
        for ev in events.sort_values("start").itertuples(index=False):
            when = fmt_date(ev.start, getattr(ev, "start_precision", "dag"))
            end = getattr(ev, "end", None)
            if end is not None and not pd.isna(end):
                when += f" – {_date_text(end)}"
            org = "" if ev.org in ("", "region") else ev.org
            rows.append({"when": when, "text": ev.label, "org": org, "notes": _cite_all(ev.source)})
    quotes = []
    if statements is not None and not statements.empty:
        for st in statements.itertuples(index=False):
            who = "hela regionen" if st.org in ("", "region") else st.org
            quotes.append({"quote": st.quote.rstrip("…").strip(), "who": who, "when": st.document_date,
                           "notes": _cite_all(st.source)})
    _report.saw("Beslut och tidslinje", *(r["text"] for r in rows), *(q["quote"] for q in quotes))
    _show(_render("timeline", id=_slug("Beslut och tidslinje"), events=rows, statements=quotes))


def checks(table: pd.DataFrame, caption: str) -> None:
    """Queue a sum check (stated, sum of parts, difference, explanation) for the appendix."""
    from regionanalys.report.appendix import Check

    if not table.empty:
        _report.checks.append(Check(table, caption))


def method(key: str) -> None:
    """Queue the method paragraph ``key`` (``r12``, ``effekt``, ``kr_per_inv``,
    ``budgetavvikelse``, …) for the appendix; each is shown once."""
    _report.method(key)


def appendix(df: pd.DataFrame) -> None:
    """The last call of a report: "Bilaga" with the queued sum checks, the method paragraphs,
    "Ord och begrepp" (the terms the report used) and "Källor" (only the sources cited by
    footnotes; collapsed on screen, printed in full)."""
    from markupsafe import Markup

    from regionanalys.analysis.keyfigures import data_through

    if uses_example(df):
        _report.method("exempeldata")
    checks_markup = [Markup(_table_markup(c.table, c.caption, units="mnkr")) for c in _report.checks]
    reach = data_through(df) if not df.empty and {"source_file", "kind", "period", "region"} <= set(df.columns) else {}
    _show(_render(
        "appendix",
        checks=checks_markup,
        data_through=", ".join(f"{v} ({k})" for k, v in reach.items()),
        methods=[method_text(k) for k in _report.methods],
        glossary=_report.glossary(),
        sources=[(n, text) for text, n in sorted(_report.sources.items(), key=lambda kv: kv[1])],
    ))
