"""Reading an export into rows of cells: CSV (separator and encoding found) or an Excel
sheet (number formats, percent cells, merged headers, formulas without a saved value), and
reading one cell as a number or a month."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from regionanalys.data.importing.mapping import Mapping, _norm
from regionanalys.data.loading import read_text, sniff_delimiter
from regionanalys.data.parsing import PERIOD_EXPECTED, CellError, parse_number, parse_period
from regionanalys.data.validation import Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
#: Rows scanned for the header line when the mapping does not give ``header_row``.
HEADER_SEARCH_ROWS = 30


@dataclass
class Sheet:
    display: str  #: file (and sheet) as shown in problems
    where: str  #: file and sheet as written in ``source``
    rows: list[tuple[int, list[object]]]  #: (1-based row number, cells)
    letters: bool  #: Excel: name columns by letter too
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    #: Excel cells shown as percent ((row, 0-based column) -> the stored fraction); their
    #: value in ``rows`` is already × 100, as the analyst sees it ("4,6 %" -> 4.6).
    percent: dict[tuple[int, int], float] = field(default_factory=dict)
    #: Excel number formats of numeric cells, for the decimals shown ((row, column) -> format).
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    #: Merged ranges in the header area: (row, first column, last column), 0-based columns.
    merged: list[tuple[int, int, int]] = field(default_factory=list)


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def _read_csv(path: Path, mapping: Mapping) -> tuple[Sheet | None, list[Problem]]:
    display = path.name
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    lines = text.splitlines()
    # The separator is the one that splits the header line into cells that include the
    # period header(s); exports often start with title lines that mention "period" too.
    want = {_norm(p) for p in mapping.period}
    candidates = lines[mapping.header_row - 1: mapping.header_row] if mapping.header_row else lines[:HEADER_SEARCH_ROWS]
    delimiter = None
    for ln in candidates:
        for d in (";", "\t", ","):
            if want <= {_norm(c) for c in next(csv.reader([ln], delimiter=d), [])}:
                delimiter = d
                break
        if delimiter:
            break
    if delimiter is None:
        delimiter = sniff_delimiter(candidates[0] if candidates else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, list(cells)))
    except csv.Error as exc:
        return None, [Problem(display, reader.line_num, "", f"filen går inte att läsa som CSV: {exc}", "en giltig CSV-fil")]
    return Sheet(display, path.name, rows, letters=False), []


def _read_excel(path: Path, mapping: Mapping) -> tuple[Sheet | None, list[Problem]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile

    try:
        # Not read-only: the number formats (percent) and merged header cells are needed,
        # and exports are small (the loader's size limit applies first).
        wb = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        return None, [Problem(path.name, 0, "", f"filen går inte att öppna som Excel-arbetsbok: {exc}", "en .xlsx-fil sparad av Excel")]
    try:
        if mapping.sheet is not None:
            if mapping.sheet not in wb.sheetnames:
                return None, [Problem(path.name, 0, "", f"bladet {mapping.sheet!r} finns inte", "ett av bladen " + ", ".join(repr(s) for s in wb.sheetnames))]
            ws = wb[mapping.sheet]
        else:
            ws = wb.worksheets[0]
        title = ws.title
        display = f"{path.name} [blad {title}]"
        sheet = Sheet(display, f"{path.name}, blad '{title}'", [], letters=True)
        for i, row in enumerate(ws.iter_rows(), start=1):
            values = []
            for j, c in enumerate(row):
                v = c.value
                fmt = c.number_format or "General"
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    sheet.formats[(i, j)] = fmt
                    if "%" in fmt.replace('"%"', "").replace("\\%", ""):
                        sheet.percent[(i, j)] = float(v)
                        # Decimal arithmetic: 0.046 × 100 is 4.6, not 4.6000000000000005.
                        v = float(Decimal(repr(float(v))) * 100)
                values.append(v)
            sheet.rows.append((i, values))
        sheet.merged = [(r.min_row, r.min_col - 1, r.max_col - 1) for r in ws.merged_cells.ranges if r.max_col > r.min_col]
    finally:
        wb.close()
    # Formula cells without a saved value read as empty; look them up so the problem says so.
    if any(c is None for _, r in sheet.rows for c in r):
        wbf = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            for i, r in enumerate(wbf[title].iter_rows(values_only=True), start=1):
                for j, c in enumerate(r):
                    if isinstance(c, str) and c.startswith("="):
                        sheet.formulas[(i, j)] = c
        finally:
            wbf.close()
    return sheet, []


def read_export(path: str | os.PathLike, mapping: Mapping) -> tuple[Sheet | None, list[Problem]]:
    """The export's rows of cells (CSV text or Excel values), or the problems that prevent it."""
    path = Path(path)
    if not path.is_file():
        return None, [Problem(str(path), 0, "", "filen finns inte", "en exportfil (.csv eller .xlsx)")]
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, mapping)
    if suffix == ".xls":
        return None, [Problem(path.name, 0, "", "filen är i det gamla Excel-formatet (.xls)", "spara om filen som .xlsx eller CSV")]
    return _read_csv(path, mapping)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()




def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_number(value: object) -> float:
    """A number cell: Excel numbers as they are, text the Swedish way (see parse_number)."""
    if isinstance(value, bool):
        raise CellError(f"{value!r} är ett sanningsvärde, inte ett tal", "ett tal")
    if isinstance(value, (int, float, np.number)):
        v = float(value)
        if v != v or abs(v) == float("inf"):
            raise CellError(f"{value!r} är inte ett ändligt tal", "ett tal")
        return v
    if isinstance(value, (dt.date, dt.datetime)):
        raise CellError(f"{value} är ett datum, inte ett tal", "ett tal (kontrollera cellformatet i Excel)")
    return parse_number(str(value))


def read_month(value: object) -> pd.Period:
    """A month cell: an Excel date, 202301 as a number, or text ("2023-01", "jan 2023", …)."""
    if isinstance(value, (dt.datetime, dt.date)):
        return pd.Period(year=value.year, month=value.month, freq="M")
    if isinstance(value, bool):
        raise CellError(f"{value!r} är ingen period", PERIOD_EXPECTED)
    if isinstance(value, (int, float, np.number)):
        if float(value).is_integer():
            return parse_period(str(int(value)))
        raise CellError(f"{value!r} är ingen period", PERIOD_EXPECTED)
    return parse_period(str(value))


def _combine_year_month(year: object, month: object) -> pd.Period:
    y = _cell_text(year)
    m = _cell_text(month)
    if isinstance(month, (dt.datetime, dt.date)):
        return read_month(month)
    if m.isdigit():
        return parse_period(f"{y}-{int(m):02d}")
    try:
        return parse_period(m)  # the month column already holds "jan 2023"
    except CellError:
        return parse_period(f"{m} {y}")



def _find_header(sheet: Sheet, mapping: Mapping) -> tuple[int | None, list[str]]:
    if mapping.header_row:
        for n, cells in sheet.rows:
            if n == mapping.header_row:
                return n, [_cell_text(c) for c in cells]
        return None, []
    want = {_norm(p) for p in mapping.period}
    for n, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        texts = [_cell_text(c) for c in cells]
        if want <= {_norm(t) for t in texts}:
            return n, texts
    return None, []
