"""A reader's table: what :func:`regionanalys.report.present.table` shows, as plain values.

:func:`reader_table` turns a DataFrame into header and row cells for the ``reader_table``
fragment: numbers right-aligned in Swedish format with the unit in the column heading
(percent keeps its ``%`` in the cell), technical columns left out, one row-header column,
and each row's source replaced by footnote numbers that point into the report's source
list. The markup itself is in the template; nothing here is HTML.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from regionanalys.data.formatting import MISSING, default_decimals, fmt_number, fmt_unit

#: Columns never shown to a reader (provenance bookkeeping and flags); they stay in the download.
TECHNICAL_COLUMNS = {"source_file", "source_line", "example", "line", "_line"}
#: Columns whose integers are years or periods: no thousands separator, not right-aligned as amounts.
PERIOD_COLUMNS = {"år", "year", "period", "månad", "month", "från", "till"}
#: The unit as a column heading says it ("(mnkr)"); percent is written in the cell instead.
HEADER_UNITS = {
    "mnkr": "mnkr", "tkr": "tkr", "kr": "kr", "kr_per_inv": "kr per invånare", "arsarbetare": "årsarbetare",
    "tjanster": "tjänster", "anstallda": "anställda", "timmar": "timmar", "procentenheter": "procentenheter",
    "personer": "",
}
IN_CELL_UNITS = {"procent"}
#: Kronor (per invånare) are shown in whole kronor.
WHOLE_UNITS = {"kr", "kr_per_inv"}
#: A source as the text to cite: the loader's conversion note ("[omräknat från tkr]") is not part of it.
_CONVERTED = re.compile(r"\s*\[omräknat[^\]]*\]$")


@dataclass
class Cell:
    """One cell: its text, whether it is a number, a row header, and footnote numbers."""

    text: str
    numeric: bool = False
    row_header: bool = False
    notes: list[int] = field(default_factory=list)
    nowrap: bool = False  # a year or period: never broken across lines


@dataclass
class ReaderTable:
    """Header cells (text, numeric) and rows of :class:`Cell`; ``cited`` the sources in first-cited order."""

    head: list[tuple[str, bool]]
    rows: list[list[Cell]]
    has_notes: bool
    cited: list[str]


def source_text(source: object) -> str:
    """The citable text of a row's source ("" for none)."""
    if source is None or (isinstance(source, float) and source != source):
        return ""
    return _CONVERTED.sub("", str(source)).strip()


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def numeric_columns(frame: pd.DataFrame) -> set[str]:
    """Columns whose every non-missing value is a number (not bool, not a period column)."""
    out = set()
    for col in frame.columns:
        if str(col).lower() in PERIOD_COLUMNS:
            continue
        values = frame[col].dropna()
        if pd.api.types.is_bool_dtype(frame[col]) or values.empty:
            continue
        if pd.api.types.is_numeric_dtype(frame[col]) or all(is_number(v) for v in values):
            out.add(col)
    return out


def column_decimals(values: pd.Series, unit: str | None) -> int:
    """One number of decimals per column, so 2 381,4 and 62,3 line up and neither is rounded away."""
    nums = pd.to_numeric(values, errors="coerce").dropna()
    if nums.empty or unit in WHOLE_UNITS:
        return 0
    if unit in ("procent", "procentenheter"):
        return max(default_decimals(v, unit) for v in nums)
    return 1 if any(round(v, 1) != round(v) for v in nums) else 0


def header_text(col: object, unit: str | None, caption: str) -> str:
    """The column heading, with the unit in parentheses unless the heading or caption already says it."""
    text = str(col)
    shown = HEADER_UNITS.get(unit or "", unit or "") if unit not in IN_CELL_UNITS else ""
    if shown and shown not in text and f"({shown})" not in caption:
        text = f"{text} ({shown})"
    return text


def cell_text(value: object, unit: str | None, decimals: int, sign: bool) -> str:
    if not is_number(value):
        return MISSING
    if unit in IN_CELL_UNITS:
        return fmt_unit(float(value), unit, decimals, sign=sign)
    return fmt_number(float(value), decimals, sign=sign)


def reader_table(df: pd.DataFrame, caption: str, cite: Callable[[str], int], *, row_header: str | None = None,
                 hide: Iterable[str] = (), units: Mapping[str, str] | str | None = None,
                 sign_columns: Iterable[str] = (), source_column: str | None = "källa") -> ReaderTable:
    """The reader's view of ``df``; ``cite(source)`` gives a source's footnote number."""
    frame = df.reset_index(drop=True)
    hidden = set(hide) | TECHNICAL_COLUMNS
    has_sources = source_column is not None and source_column in frame.columns
    if has_sources:
        hidden.add(source_column)
    shown = [c for c in frame.columns if c not in hidden]
    unknown = [c for c in [row_header] if c is not None and c not in shown]
    if unknown:
        raise KeyError(f"row_header '{row_header}' finns inte bland tabellens visade kolumner: {', '.join(map(str, shown))}")
    numeric = numeric_columns(frame[shown])
    unit_of = {c: (units.get(c) if isinstance(units, Mapping) else units) if c in numeric else None for c in shown}
    decimals = {c: column_decimals(frame[c], unit_of[c]) for c in numeric}
    signed = set(sign_columns)
    head = [(header_text(c, unit_of[c], caption), c in numeric) for c in shown]
    rows: list[list[Cell]] = []
    cited: list[str] = []
    for _, row in frame.astype(object).iterrows():  # object keeps ints as ints (no "2022.0")
        cells = []
        for col in shown:
            value = row[col]
            if col in numeric:
                cells.append(Cell(cell_text(value, unit_of[col], decimals[col], col in signed), numeric=True, row_header=col == row_header))
            elif value is None or (isinstance(value, float) and value != value):
                cells.append(Cell(MISSING, row_header=col == row_header))
            else:
                text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
                cells.append(Cell(text, row_header=col == row_header, nowrap=str(col).lower() in PERIOD_COLUMNS))
        if has_sources:
            notes = []
            for source in split_sources(row[source_column]):
                n = cite(source)
                if n not in notes:
                    notes.append(n)
                if source not in cited:
                    cited.append(source)
            cells.append(Cell("", notes=notes))
        rows.append(cells)
    if has_sources:
        head.append(("Källa", False))
    return ReaderTable(head, rows, has_sources, cited)


def split_sources(value: object) -> list[str]:
    """A row's sources: one, or several joined by `` | `` (as tables that merge rows write them)."""
    text = source_text(value)
    return [s for s in (source_text(p) for p in text.split(" | ")) if s] if text else []
