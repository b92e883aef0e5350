"""Putting results on the report page: headings, readings, tables and charts as HTML.

Notebooks call these instead of printing. Every piece of text that comes from data
(org names, labels, sources, notes) is escaped here, once, so a label containing
``<script>`` is shown as text and never runs. Charts are embedded as PNG data URIs
with alt text and a caption, so one HTML file can be e-mailed and read offline.
"""
from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Mapping

import pandas as pd
from IPython.display import HTML, display
from matplotlib.figure import Figure

from regionanalys.report.charts.style import EXAMPLE_MARK, close, mark_example
from regionanalys.data.formatting import default_decimals, fmt_unit

CSS = """
<style>
.ra-reading { font-size: 1.05em; margin: .3em 0 1.2em 0; max-width: 52em; }
.ra-banner { border: 2px solid #C62828; background: #FDECEA; color: #8E1B1B; padding: .6em .9em;
  margin: .5em 0 1em 0; font-weight: bold; }
.ra-note { color: #555; font-size: .9em; max-width: 52em; }
.ra-missing { border-left: 4px solid #999; padding: .3em .8em; color: #444; background: #F4F4F4; }
figure.ra-figure { margin: .5em 0 1.5em 0; break-inside: avoid; }
figure.ra-figure img { max-width: 100%; height: auto; }
figure.ra-figure figcaption { font-size: .95em; color: #222; margin-top: .3em; max-width: 52em; }
table.ra-table { border-collapse: collapse; margin: .5em 0 1.2em 0; font-size: .92em; break-inside: avoid; }
table.ra-table.ra-table th, table.ra-table.ra-table td { border-bottom: 1px solid #DDD; padding: .25em .7em; text-align: left; }
table.ra-table.ra-table th { background: #F4F6F8; }
table.ra-table.ra-table td.num, table.ra-table.ra-table th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.ra-table caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: .3em; }
table.ra-table.ra-table td.ra-src { font-size: .78em; color: #555; min-width: 18em; max-width: 30em; text-align: left; }
.ra-sources { font-size: .85em; color: #444; }
@media print { .ra-banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
</style>
"""

esc = html.escape
#: Columns holding provenance text, shown small so a table stays readable.
SOURCE_COLUMNS = {"källa", "källor", "source"}


def _show(markup: str) -> None:
    display(HTML(markup))


def page_style() -> None:
    """Emit the report CSS once at the top of a notebook."""
    _show(CSS)


def heading(text: str, level: int = 2) -> None:
    """A section heading."""
    _show(f"<h{level}>{esc(text)}</h{level}>")


def reading(text: str) -> None:
    """The one-sentence reading under a chart or table (computed text, escaped)."""
    _show(f'<p class="ra-reading">{esc(text)}</p>')


def note(text: str) -> None:
    """A small explanatory note."""
    _show(f'<p class="ra-note">{esc(text)}</p>')


def missing(text: str) -> None:
    """Say plainly that the data does not contain something the reader might expect."""
    _show(f'<p class="ra-missing">{esc(text)}</p>')


def uses_example(df: pd.DataFrame | None) -> bool:
    """Whether a table holds any generated example rows."""
    return df is not None and "example" in df and bool(df["example"].any())


def example_banner(df: pd.DataFrame | None = None, force: bool = False) -> None:
    """Show the example-data warning at the top of a report if ``df`` holds example rows.

    The marker attribute lets the runner and the index know the report uses example data.
    """
    if force or uses_example(df):
        _show(
            '<div class="ra-banner" data-exempeldata="true">'
            f"{EXAMPLE_MARK}: delar av rapporten bygger på genererade exempeldata, inte på verkliga "
            "siffror. Diagram och tabeller med exempeldata är märkta.</div>"
        )


def figure_html(fig: Figure, alt: str, caption: str, example: bool = False) -> str:
    """A matplotlib figure as an HTML ``<figure>`` with an inline PNG, alt text and caption."""
    if example:
        mark_example(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = esc(caption) + (f" <strong>({EXAMPLE_MARK})</strong>" if example else "")
    return (
        f'<figure class="ra-figure"><img src="data:image/png;base64,{data}" alt="{esc(alt, quote=True)}">'
        f"<figcaption>{cap}</figcaption></figure>"
    )


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
    head = "".join(f'<th{" class=num" if c in decimals else ""}>{esc(str(c))}</th>' for c in frame.columns)
    rows = []
    for _, row in frame.astype(object).iterrows():  # object keeps ints as ints (no "2022.0")
        cells = []
        for col, value in row.items():
            unit = unit_of[col]
            if col in decimals and isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
                cells.append(f'<td class="num">{esc(fmt_unit(value, unit, decimals[col], sign=col in signed))}</td>')
            elif value is None or (isinstance(value, float) and value != value):
                cells.append('<td class="num">–</td>')
            elif isinstance(value, float) and value.is_integer():
                cells.append(f"<td>{int(value)}</td>")
            elif str(col).lower() in SOURCE_COLUMNS:
                cells.append(f'<td class="ra-src">{esc(str(value))}</td>')
            else:
                cells.append(f"<td>{esc(str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = ""
    if caption:
        cap = f"<caption>{esc(caption)}" + (f" ({EXAMPLE_MARK})" if example else "") + "</caption>"
    return f'<table class="ra-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


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
    lis = "".join(f"<li>{esc(s)} <span class='ra-note'>({esc(f)})</span></li>" for s, f in items)
    _show(f'<details class="ra-sources" open><summary>{esc(title)} ({len(items)})</summary><ul>{lis}</ul></details>')
