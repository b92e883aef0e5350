"""Importing the monthly exports analysts take from HR and finance systems.

An export is a CSV file (``;`` or ``,`` or tab separated, UTF-8 or cp1252 as Excel
saves it) or an Excel workbook (.xlsx), in one of two layouts:

* **wide**: a row per month, a column per series ("Månad; Hyrläkare; Hyrsjuksköterskor; …");
* **long**: a row per month and value ("Månad; Område; Personalgrupp; Kostnad tkr").

A *mapping* (a TOML file or a dict) says which column is which series, region, org,
category, kind and unit; see :class:`Mapping` and ``tests/fixtures/imports/*.toml``.
Numbers and months are read with :mod:`regionanalys.data.parsing` (decimal comma, thousands
spaces, Unicode minus; "2023-01", "202301", "jan 2023", "januari 2023", Excel date
cells). Anything that cannot be read is a located :class:`~regionanalys.data.validation.Problem`
(file and sheet, row, column, what was expected); every problem is collected and raised
together as :class:`~regionanalys.data.validation.DataError`. Nothing is dropped quietly: rows
the mapping tells the importer to skip (sum rows, empty cells if allowed) are listed in
:attr:`ImportResult.skipped`.

The result is a tidy frame in the data contract (values in the export's unit, which the
loader converts, e.g. tkr to mnkr) and :func:`write_observations` saves it as an
observation CSV under ``data/`` atomically, with ``source`` naming the export file,
sheet, row and column of every value.

Command line::

    python -m regionanalys.data.importing export.xlsx --mapping mapping.toml --out data/imports/24_hyrpersonal.csv
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import sys
import tomllib
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from regionanalys.data.loading import file_region, read_text, sniff_delimiter
from regionanalys.data.fileio import atomic_write_text
from regionanalys.data.parsing import PERIOD_EXPECTED, CellError, parse_number, parse_period
from regionanalys.data.registry import KINDS, UNITS, resolve_unit, series_registry
from regionanalys.data.regions import UnknownRegionError, resolve_region
from regionanalys.data.validation import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, VARNING, DataError, Problem, check_table, errors

#: Columns of the frame :func:`import_file` returns and of the CSV the writer saves.
CONTRACT_COLUMNS = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
#: Rows scanned for the header line when the mapping does not give ``header_row``.
HEADER_SEARCH_ROWS = 30


def _norm(text: object) -> str:
    """Header text compared case- and space-insensitively ("Hyr läkare " == "hyr läkare")."""
    return " ".join(str(text).replace("\u00a0", " ").strip().lower().split())


# ---------------------------------------------------------------------------------------
# The mapping


class MappingError(ValueError):
    """A mapping that contradicts itself or the registries (raised before any data is read)."""


@dataclass(frozen=True)
class Field:
    """A contract field's value: fixed (``value``) or read from a ``column`` of the export,
    optionally translated with ``values`` (export text -> contract value)."""

    value: str | None = None
    column: str | None = None
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: object, name: str) -> "Field":
        if spec is None:
            return cls()
        if isinstance(spec, (str, int)):
            return cls(value=str(spec))
        if isinstance(spec, MappingABC):
            unknown = set(spec) - {"column", "values", "value"}
            if unknown:
                raise MappingError(f"{name}: okända nycklar {sorted(unknown)}; förväntat column, values eller value")
            values = {_norm(k): str(v) for k, v in dict(spec.get("values", {})).items()}
            if "value" in spec:
                return cls(value=str(spec["value"]))
            if "column" not in spec:
                raise MappingError(f"{name}: ange column = \"…\" eller ett fast värde")
            return cls(column=str(spec["column"]), values=values)
        raise MappingError(f"{name}: förväntat en text eller {{ column = \"…\" }}, inte {spec!r}")

    @property
    def given(self) -> bool:
        return self.value is not None or self.column is not None


@dataclass(frozen=True)
class ValueColumn:
    """A value column of a wide export and what its values are."""

    header: str
    series: str
    category: str | None = None
    org: str | None = None
    region: str | None = None
    kind: str | None = None
    unit: str | None = None


@dataclass
class Mapping:
    """How an export's columns map to the data contract.

    Keys (TOML or dict):

    ``layout``  "wide" or "long".
    ``period``  header of the month column, or a list of two headers [år, månad].
    ``region``, ``org``, ``kind``, ``unit``, ``category``, ``series``
                a fixed value ("24", "region", "utfall", "tkr") or
                ``{ column = "Område", values = { "Läkare" = "lakare" } }``.
                ``org`` defaults to "region", ``kind`` to "utfall", ``category`` to "".
                ``unit`` is required: an export in tkr must say so.
    ``value``   (long) header of the value column.
    ``columns`` (wide) one table per value column: ``[columns."Hyrläkare"]`` with
                ``series``, optional ``category``, ``org``, ``region``, ``kind``, ``unit``.
    ``ignore``  headers of columns that are not data (comments, row sums); any other
                column the mapping does not name is an error.
    ``skip_rows`` texts in the period column that mark rows to skip ("Totalt", "Summa").
    ``empty``   "error" (default) or "skip": whether an empty value cell is an error or
                skipped (and listed in the result).
    ``sheet``   (Excel) the sheet to read; default the first.
    ``header_row`` 1-based row of the headers; default the first row with the period header.
    ``source``  what the export is ("Heroma, export 2023-06-02"); goes first in ``source``.
    ``note``, ``example`` copied to every row.
    """

    layout: str
    period: tuple[str, ...]
    unit: Field
    region: Field = field(default_factory=Field)
    org: Field = field(default_factory=lambda: Field(value="region"))
    kind: Field = field(default_factory=lambda: Field(value="utfall"))
    category: Field = field(default_factory=lambda: Field(value=""))
    series: Field = field(default_factory=Field)
    value: str | None = None
    columns: dict[str, ValueColumn] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    skip_rows: tuple[str, ...] = ()
    empty: str = "error"
    sheet: str | None = None
    header_row: int | None = None
    source: str = ""
    note: str = ""
    example: bool = False

    @classmethod
    def from_dict(cls, spec: MappingABC) -> "Mapping":
        """A mapping from a dict (the same keys as the TOML file); checks it against the registries."""
        known = {
            "layout", "period", "unit", "region", "org", "kind", "category", "series", "value", "columns", "ignore",
            "skip_rows", "empty", "sheet", "header_row", "source", "note", "example",
        }
        unknown = set(spec) - known
        if unknown:
            raise MappingError(f"okända nycklar i mappningen: {sorted(unknown)}; kända: {sorted(known)}")
        layout = str(spec.get("layout", "wide")).lower()
        if layout not in ("wide", "long"):
            raise MappingError(f"layout ska vara 'wide' (en kolumn per serie) eller 'long' (en rad per värde), inte {layout!r}")
        period = spec.get("period")
        if isinstance(period, str):
            period_cols: tuple[str, ...] = (period,)
        elif isinstance(period, (list, tuple)) and len(period) == 2 and all(isinstance(p, str) for p in period):
            period_cols = tuple(period)
        else:
            raise MappingError("period: ange rubriken på månadskolumnen, t.ex. period = \"Månad\", eller två rubriker [\"År\", \"Månad\"]")
        m = cls(
            layout=layout,
            period=period_cols,
            unit=Field.parse(spec.get("unit"), "unit"),
            region=Field.parse(spec.get("region"), "region"),
            org=Field.parse(spec.get("org", "region"), "org"),
            kind=Field.parse(spec.get("kind", "utfall"), "kind"),
            category=Field.parse(spec.get("category", ""), "category"),
            series=Field.parse(spec.get("series"), "series"),
            value=spec.get("value"),
            ignore=tuple(str(x) for x in spec.get("ignore", ())),
            skip_rows=tuple(str(x) for x in spec.get("skip_rows", ())),
            empty=str(spec.get("empty", "error")),
            sheet=spec.get("sheet"),
            header_row=spec.get("header_row"),
            source=str(spec.get("source", "")),
            note=str(spec.get("note", "")),
            example=bool(spec.get("example", False)),
        )
        if m.empty not in ("error", "skip"):
            raise MappingError("empty ska vara 'error' eller 'skip'")
        if not m.region.given:
            raise MappingError("region saknas: ange en fast region (region = \"24\") eller en kolumn")
        registry = series_registry()
        if layout == "wide":
            cols = dict(spec.get("columns", {}))
            if not cols:
                raise MappingError("columns saknas: en bred export behöver [columns.\"Rubrik\"] med series för varje värdekolumn")
            for header, c in cols.items():
                if isinstance(c, str):
                    c = {"series": c}
                extra = set(c) - {"series", "category", "org", "region", "kind", "unit"}
                if extra or "series" not in c:
                    raise MappingError(f"columns.{header!r}: ange series (och valfritt category, org, region, kind, unit); okända nycklar {sorted(extra)}")
                m.columns[_norm(header)] = ValueColumn(
                    header=header, series=str(c["series"]), category=None if c.get("category") is None else str(c["category"]),
                    org=c.get("org"), region=None if c.get("region") is None else str(c["region"]),
                    kind=c.get("kind"), unit=c.get("unit"),
                )
            if not m.unit.given and any(c.unit is None for c in m.columns.values()):
                raise MappingError("unit saknas: ange exportens enhet, t.ex. unit = \"tkr\", eller unit för varje kolumn")
        else:
            if not m.value:
                raise MappingError("value saknas: en lång export behöver rubriken på värdekolumnen, t.ex. value = \"Belopp\"")
            if not m.series.given:
                raise MappingError("series saknas: ange serien (series = \"hyrpersonal_kostnad\") eller en kolumn med serienamn")
            if not m.unit.given:
                raise MappingError("unit saknas: ange exportens enhet, t.ex. unit = \"tkr\"")
        # Fixed values are checked now, so a typo fails before the export is read.
        fixed_series = [c.series for c in m.columns.values()] + ([m.series.value] if m.series.value else []) + list(m.series.values.values())
        for sid in fixed_series:
            if sid not in registry:
                raise MappingError(f"okänd serie {sid!r} i mappningen; kända: {', '.join(sorted(registry))}")
        units = [c.unit for c in m.columns.values() if c.unit] + ([m.unit.value] if m.unit.value else []) + list(m.unit.values.values())
        for u in units:
            try:
                resolve_unit(u)
            except KeyError:
                raise MappingError(f"okänd enhet {u!r} i mappningen; kända: {', '.join(sorted(UNITS))}") from None
        kinds = [c.kind for c in m.columns.values() if c.kind] + ([m.kind.value] if m.kind.value else [])
        for k in kinds:
            if k not in KINDS:
                raise MappingError(f"okänd kind {k!r} i mappningen; kända: {', '.join(KINDS)}")
        regions = [c.region for c in m.columns.values() if c.region] + ([m.region.value] if m.region.value else [])
        for r in regions:
            try:
                resolve_region(r)
            except UnknownRegionError as exc:
                raise MappingError(str(exc)) from None
        return m

    @classmethod
    def from_toml(cls, path: str | os.PathLike) -> "Mapping":
        """A mapping from a TOML file."""
        with open(path, "rb") as fh:
            try:
                spec = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise MappingError(f"{Path(path).name}: går inte att läsa som TOML: {exc}") from None
        try:
            return cls.from_dict(spec)
        except MappingError as exc:
            raise MappingError(f"{Path(path).name}: {exc}") from None


def as_mapping(mapping: "Mapping | MappingABC | str | os.PathLike") -> Mapping:
    """A :class:`Mapping` from a Mapping, a dict or a path to a TOML file."""
    if isinstance(mapping, Mapping):
        return mapping
    if isinstance(mapping, MappingABC):
        return Mapping.from_dict(mapping)
    return Mapping.from_toml(mapping)


# ---------------------------------------------------------------------------------------
# Reading the export into rows of cells


@dataclass
class Sheet:
    display: str  #: file (and sheet) as shown in problems
    where: str  #: file and sheet as written in ``source``
    rows: list[tuple[int, list[object]]]  #: (1-based row number, cells)
    letters: bool  #: Excel: name columns by letter too
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def _read_csv(path: Path, mapping: Mapping) -> tuple[Sheet | None, list[Problem]]:
    display = path.name
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    lines = text.splitlines()
    # The separator is sniffed on the header line (exports often start with title lines).
    want = _norm(mapping.period[0])
    header_line = next((ln for ln in lines[:HEADER_SEARCH_ROWS] if want in _norm(ln)), lines[0] if lines else "")
    if mapping.header_row:
        header_line = lines[mapping.header_row - 1] if len(lines) >= mapping.header_row else ""
    delimiter = sniff_delimiter(header_line)
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
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        return None, [Problem(path.name, 0, "", f"filen går inte att öppna som Excel-arbetsbok: {exc}", "en .xlsx-fil sparad av Excel")]
    try:
        if mapping.sheet is not None:
            if mapping.sheet not in wb.sheetnames:
                return None, [Problem(path.name, 0, "", f"bladet {mapping.sheet!r} finns inte", "ett av bladen " + ", ".join(repr(s) for s in wb.sheetnames))]
            ws = wb[mapping.sheet]
        else:
            ws = wb.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
        title = ws.title
    finally:
        wb.close()
    display = f"{path.name} [blad {title}]"
    sheet = Sheet(display, f"{path.name}, blad '{title}'", rows, letters=True)
    # Formula cells without a saved value read as empty; look them up so the problem says so.
    if any(c is None for _, r in rows for c in r):
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


# ---------------------------------------------------------------------------------------
# Cells


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


# ---------------------------------------------------------------------------------------
# Import


@dataclass
class ImportResult:
    """What an import produced: the tidy frame and the rows or cells skipped on purpose."""

    frame: pd.DataFrame  #: contract columns; ``period`` holds pandas Periods, values in the export's unit
    skipped: list[Problem]  #: rows/cells skipped because the mapping said so (never silently)
    file: str
    warnings: list[Problem] = field(default_factory=list)  #: e.g. a month missing in a series

    def __len__(self) -> int:
        return len(self.frame)


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


def import_file(path: str | os.PathLike, mapping: "Mapping | MappingABC | str | os.PathLike") -> ImportResult:
    """Read one export with a mapping into a tidy frame in the data contract.

    Raises :class:`DataError` listing every problem (file, row, column, expected) if any
    cell cannot be read, any column is not in the mapping, or the rows break the
    contract (unknown series or region, wrong unit family, negative hours, duplicate keys).
    """
    m = as_mapping(mapping)
    path = Path(path)
    sheet, problems = read_export(path, m)
    if sheet is None:
        raise DataError(problems)
    header_row, headers = _find_header(sheet, m)
    if header_row is None:
        where = f"rad {m.header_row}" if m.header_row else f"de första {HEADER_SEARCH_ROWS} raderna"
        raise DataError([Problem(sheet.display, 0, "", f"hittar ingen rubrikrad med {' och '.join(repr(p) for p in m.period)} i {where}", "en rubrikrad med mappningens kolumnrubriker")])

    def colname(j: int) -> str:
        h = headers[j] if j < len(headers) else ""
        return f"{_column_letter(j)} ({h})" if sheet.letters else h or f"kolumn {j + 1}"

    index = {}
    for j, h in enumerate(headers):
        if not h:
            continue
        key = _norm(h)
        if key in index:
            problems.append(Problem(sheet.display, header_row, colname(j), f"rubriken {h!r} förekommer två gånger", "unika kolumnrubriker"))
        index[key] = j

    def need(header: str, what: str) -> int | None:
        j = index.get(_norm(header))
        if j is None:
            problems.append(Problem(sheet.display, header_row, header, f"kolumnen {header!r} ({what}) finns inte i exporten", "en av rubrikerna " + ", ".join(repr(h) for h in headers if h)))
        return j

    period_cols = [need(p, "period") for p in m.period]
    field_cols: dict[str, int | None] = {}
    for name in ("region", "org", "kind", "category", "series", "unit"):
        f: Field = getattr(m, name)
        if f.column is not None:
            field_cols[name] = need(f.column, name)
    value_cols: dict[int, ValueColumn | None] = {}
    if m.layout == "wide":
        for key, vc in m.columns.items():
            j = need(vc.header, f"serien {vc.series}")
            if j is not None:
                value_cols[j] = vc
    else:
        j = need(m.value, "värde")
        if j is not None:
            value_cols[j] = None
    used = set(value_cols) | {j for j in period_cols if j is not None} | {j for j in field_cols.values() if j is not None}
    ignored = {_norm(h) for h in m.ignore}
    for j, h in enumerate(headers):
        if h and j not in used and _norm(h) not in ignored:
            problems.append(Problem(
                sheet.display, header_row, colname(j),
                f"kolumnen {h!r} finns inte i mappningen",
                "en kolumn i mappningen (columns), eller rubriken i ignore om den inte är data",
            ))
    if problems:
        raise DataError(problems)

    registry = series_registry()
    skip = {_norm(s) for s in m.skip_rows}
    records: list[dict] = []
    places: list[tuple[str, int, dict[str, str]]] = []  # where each record came from
    skipped: list[Problem] = []

    def get(name: str, cells: list, vc: ValueColumn | None, n: int, bad: list) -> str | None:
        override = getattr(vc, name, None) if vc is not None else None
        if override is not None:
            return str(override)
        f: Field = getattr(m, name)
        if f.column is None:
            return f.value
        j = field_cols[name]
        raw = _cell_text(cells[j]) if j < len(cells) else ""
        if f.values:
            mapped = f.values.get(_norm(raw))
            if mapped is None:
                if raw in f.values.values():
                    return raw
                bad.append(Problem(sheet.display, n, colname(j), f"värdet {raw!r} finns inte i mappningens values för {name}", "ett av " + ", ".join(repr(k) for k in f.values)))
                return None
            return mapped
        return raw

    for n, cells in sheet.rows:
        if n <= header_row or all(_is_empty(c) for c in cells):
            continue
        pcells = [cells[j] if j is not None and j < len(cells) else None for j in period_cols]
        ptext = " ".join(_cell_text(c) for c in pcells)
        if _norm(ptext) in skip or any(_norm(_cell_text(c)) in skip for c in pcells if not _is_empty(c)):
            skipped.append(Problem(sheet.display, n, colname(period_cols[0]), f"raden {ptext!r} hoppades över (skip_rows i mappningen)", "", VARNING))
            continue
        row_bad: list[Problem] = []
        try:
            period = read_month(pcells[0]) if len(pcells) == 1 else _combine_year_month(*pcells)
        except CellError as e:
            if all(_is_empty(c) for c in pcells):
                e = CellError("perioden saknas på en rad med värden", PERIOD_EXPECTED)
            row_bad.append(Problem(sheet.display, n, colname(period_cols[0]), e.message, e.expected))
            period = None
        problems.extend(row_bad)  # a bad period is reported once per row, not per value
        for j, vc in value_cols.items():
            bad: list[Problem] = []
            raw = cells[j] if j < len(cells) else None
            where_col = headers[j]
            if _is_empty(raw):
                formula = sheet.formulas.get((n, j))
                if formula:
                    problems.append(Problem(sheet.display, n, colname(j), f"cellen har formeln {formula!r} men inget sparat värde", "ett värde (öppna och spara filen i Excel, eller klistra in som värden)"))
                elif m.empty == "skip":
                    skipped.append(Problem(sheet.display, n, colname(j), "tom cell hoppades över (empty = \"skip\" i mappningen)", "", VARNING))
                else:
                    problems.append(Problem(sheet.display, n, colname(j), "tom cell", "ett tal; eller empty = \"skip\" i mappningen om tomma celler betyder att värdet saknas"))
                continue
            try:
                value = read_number(raw)
            except CellError as e:
                bad.append(Problem(sheet.display, n, colname(j), e.message, e.expected))
                value = np.nan
            rec = {c: get(c, cells, vc, n, bad) for c in ("region", "org", "kind", "category", "series", "unit")}
            if rec["region"]:
                try:
                    rec["region"] = resolve_region(rec["region"])
                except UnknownRegionError as exc:
                    col = colname(field_cols["region"]) if "region" in field_cols else "region (mappningen)"
                    bad.append(Problem(sheet.display, n, col, str(exc), "en länskod eller ett regionnamn"))
            if rec["unit"]:
                try:
                    rec["unit"] = resolve_unit(rec["unit"])
                except KeyError:
                    col = colname(field_cols["unit"]) if "unit" in field_cols else "unit (mappningen)"
                    bad.append(Problem(sheet.display, n, col, f"okänd enhet {rec['unit']!r}", "en av " + ", ".join(sorted(UNITS))))
            if rec["series"] and rec["series"] not in registry:
                col = colname(field_cols["series"]) if "series" in field_cols else "series (mappningen)"
                bad.append(Problem(sheet.display, n, col, f"okänd serie {rec['series']!r}", "ett serie-id ur registret"))
            if bad or row_bad:
                problems.extend(bad)
                continue
            source = f"{sheet.where}, rad {n}, kolumn '{where_col}'"
            if m.source:
                source = f"{m.source} ({source})"
            rec.update(period=period, value=value, source=source, note=m.note, example=m.example)
            records.append(rec)
            cols = {"value": colname(j), "period": colname(period_cols[0])}
            for name, fj in field_cols.items():
                if fj is not None:
                    cols[name] = colname(fj)
            places.append((sheet.display, n, cols))
    if problems:
        raise DataError(problems)

    frame = pd.DataFrame.from_records(records, columns=CONTRACT_COLUMNS)
    if frame.empty:
        raise DataError([Problem(sheet.display, 0, "", "exporten innehåller inga värden", "minst en rad med en period och ett värde")])
    checked = _check(frame, places)
    if errors(checked):
        raise DataError(checked)
    frame["example"] = frame["example"].astype(bool)
    frame["value"] = frame["value"].astype(float)
    return ImportResult(frame, skipped, sheet.display, [p for p in checked if not p.is_error])


def _check(frame: pd.DataFrame, places: list[tuple[str, int, dict[str, str]]]) -> list[Problem]:
    """The loader's contract checks (:func:`validation.check_table`) on the imported rows,
    located in the export: file and sheet, row, and the export's column."""
    if frame.empty:
        return []
    registry = series_registry()
    typed = frame.copy()
    # Convert to the series' units as the loader does, so the same checks apply.
    factors, units = [], []
    for s, u in zip(typed["series"], typed["unit"]):
        target = registry[s].unit
        if UNITS[u].family == UNITS[target].family:
            factors.append(UNITS[u].factor / UNITS[target].factor)
            units.append(target)
        else:
            factors.append(1.0)
            units.append(u)
    typed["value"] = typed["value"].astype(float) * np.array(factors)
    typed["unit"] = units
    typed["_unit_in"] = list(frame["unit"])
    typed["_factor"] = factors
    typed["period"] = pd.Series(list(typed["period"]), index=typed.index, dtype=object)
    typed["example"] = typed["example"].astype(bool)
    typed = typed.astype({c: object for c in ("region", "org", "series", "category", "kind", "unit", "source", "note")})
    # A wide row holds several values, so the export column is part of the place.
    where = {}
    files = []
    for display, line, cols in places:
        label = f"{display}, kolumn {cols['value']}"
        where[label] = (display, cols)
        files.append(label)
    typed["_file"] = files
    typed["_line"] = [line for _, line, _ in places]
    out = []
    for p in check_table(typed):
        display, cols = where.get(p.file, (p.file, {}))
        if p.column in cols:
            column = cols[p.column]
        elif p.column in ("unit", "series", "region", "org", "kind", "category"):
            column = f"{p.column} (mappningen)"
        else:
            column = cols.get("value", p.column)
        out.append(Problem(display, p.line, column, p.message, p.expected, p.severity))
    return out


# ---------------------------------------------------------------------------------------
# Writing an observation CSV


def format_value(value: float) -> str:
    """A number as the observation files write it: decimal comma, no thousands separator,
    no exponent, no trailing zeros (``1234.5`` -> ``1234,5``, ``-3.0`` -> ``-3``)."""
    v = float(value)
    if v != v or abs(v) == float("inf"):
        raise ValueError(f"{value!r} är inte ett ändligt tal")
    if v.is_integer():
        return str(int(v))
    return np.format_float_positional(v, trim="-").replace(".", ",")


def format_period(period: pd.Period) -> str:
    """``Period('2023-01', 'M')`` -> ``2023-01``; a year -> ``2023``."""
    return str(period.year) if not period.freqstr.startswith("M") else f"{period.year}-{period.month:02d}"


def observation_csv(frame: pd.DataFrame) -> str:
    """The text of an observation CSV for a contract frame (``;``, decimal comma, ``\\n``)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(CONTRACT_COLUMNS)
    for r in frame[CONTRACT_COLUMNS].itertuples(index=False):
        period = r.period if isinstance(r.period, pd.Period) else parse_period(str(r.period))
        w.writerow([
            r.region, r.org, r.series, r.category, format_period(period), r.kind, format_value(r.value), r.unit,
            r.source, r.note if isinstance(r.note, str) else "", "true" if bool(r.example) else "false",
        ])
    return buf.getvalue()


def write_observations(data: ImportResult | pd.DataFrame, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Save imported rows as an observation CSV (atomically) and return its path.

    The file name decides which region it may hold: ``24_hyrpersonal.csv`` only region
    24, as the loader requires. An existing file is replaced only with ``overwrite``.
    """
    frame = data.frame if isinstance(data, ImportResult) else data
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise ValueError(f"{path.name}: en observationsfil ska sluta på .csv")
    if path.name.startswith("."):
        raise ValueError(f"{path.name}: filnamn som börjar med punkt läses inte av load()")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} finns redan; ange overwrite=True (--overwrite) för att ersätta den")
    if frame.empty:
        raise ValueError("inga rader att skriva")
    owner = file_region(path)
    regions = sorted(set(frame["region"]))
    if owner is not None and regions != [owner]:
        raise DataError([Problem(path.name, 0, "region", f"filen är enligt namnet reserverad för region {owner} men raderna har region {', '.join(regions)}", f"bara region {owner}, eller ett filnamn som börjar med rätt länskod")])
    return atomic_write_text(path, observation_csv(frame))


def import_to_csv(
    export: str | os.PathLike, mapping: "Mapping | MappingABC | str | os.PathLike", out: str | os.PathLike, *, overwrite: bool = False
) -> ImportResult:
    """:func:`import_file` then :func:`write_observations`; returns the import result."""
    result = import_file(export, mapping)
    write_observations(result, out, overwrite=overwrite)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regionanalys.data.importing", description="Importera en månadsexport (CSV eller Excel) till en observationsfil i data/.")
    parser.add_argument("export", help="exportfilen (.csv eller .xlsx)")
    parser.add_argument("--mapping", required=True, help="mappningen (TOML)")
    parser.add_argument("--out", required=True, help="observationsfilen att skriva, t.ex. data/imports/24_hyrpersonal.csv")
    parser.add_argument("--overwrite", action="store_true", help="ersätt en befintlig fil")
    args = parser.parse_args(argv)
    try:
        result = import_to_csv(args.export, args.mapping, args.out, overwrite=args.overwrite)
    except (DataError, MappingError, FileExistsError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(result)} värden från {result.file} skrivna till {args.out}")
    for p in result.skipped:
        print(f"  hoppade över: {p}")
    for p in result.warnings:
        print(f"  {p}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
