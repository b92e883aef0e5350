"""Putting results on the report page: headings, readings, tables and charts as HTML.

Notebooks call these instead of printing. The markup lives in Jinja templates
(``templates/fragments/*.html.j2``) rendered with autoescaping on, so every piece of text
that comes from data (org names, labels, sources, notes) is escaped by Jinja and a label
containing ``<script>`` is shown as text and never runs. The styles are the component part
of the one stylesheet, ``templates/nbconvert/rapport/rapport.css``. Charts are embedded as
PNG data URIs with alt text and a caption, so one HTML file can be e-mailed and read offline.
"""
from __future__ import annotations

import base64
import io
from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd
from IPython.display import HTML, display
from matplotlib.figure import Figure

from regionanalys import config
from regionanalys.data.formatting import default_decimals, fmt_unit
from regionanalys.report.charts.style import EXAMPLE_MARK, close, mark_example

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
    _show(_render("heading", text=text, level=int(level)))


def reading(text: str) -> None:
    """The one-sentence reading under a chart or table (computed text, escaped)."""
    _show(_render("paragraph", kind="reading", text=text))


def note(text: str) -> None:
    """A small explanatory note."""
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
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    close(fig)
    png = base64.b64encode(buf.getvalue()).decode("ascii")
    return _render("figure", png=png, alt=alt, caption=caption, example=example)


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
