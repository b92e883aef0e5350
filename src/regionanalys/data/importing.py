"""Importing the monthly exports analysts take from HR and finance systems.

An export is a CSV file (``;`` or ``,`` or tab separated, UTF-8 or cp1252 as Excel
saves it) or an Excel workbook (.xlsx), in one of two layouts:

* **wide**: a row per month, a column per series ("Månad; Hyrläkare; Hyrsjuksköterskor; …");
* **long**: a row per value ("Konto; Ansvar; Period; Belopp"), where ``[[rows]]`` groups
  (e.g. the accounts that make up one series) and ``aggregate = "sum"`` sum many rows
  into one value.

A *mapping* (a TOML file or a dict) says which column is which series, region, org,
category, kind and unit; every key is described in ``docs/importing.md`` and in
:class:`Mapping`, with three worked examples in ``tests/fixtures/imports/``. Numbers and
months are read with :mod:`regionanalys.data.parsing`. Anything that cannot be read is a
located :class:`~regionanalys.data.validation.Problem` (file and sheet, row, column, what
was expected, values in the export's own unit); all problems are raised together as
:class:`~regionanalys.data.validation.DataError`. Nothing is dropped quietly: ignored
columns, skipped rows and checked sum rows are listed in :attr:`ImportResult.skipped`, and
a column with numbers that the mapping does not name is an error.

The result is a tidy frame in the data contract (values in the export's unit, which the
loader converts, e.g. tkr to mnkr); :func:`import_and_write` checks it with the loader and
saves it as an observation CSV under ``data/`` atomically, with ``source`` naming the
export file, sheet, row and column of every value (or what was summed).

Command line::

    regionanalys import export.xlsx --mapping mapping.toml [--out data/imports/24_hyrpersonal.csv]
    python -m regionanalys.data.importing export.xlsx --mapping mapping.toml
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import os
import re
import shutil
import sys
import tempfile
import tomllib
import unicodedata
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from regionanalys import config
from regionanalys.data.loading import file_region, read_text, sniff_delimiter
from regionanalys.data.csvout import safe_row
from regionanalys.data.fileio import atomic_write_text
from regionanalys.data.formatting import fmt_number, plain
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

    def lookup(self, raw: str) -> str | None:
        """The contract value for an export text: an exact ``values`` key first, else the
        longest key ending in ``*`` that the text starts with ("46*" matches "4631")."""
        return match_value(self.values, raw)


def _matches(pattern: str, text: str) -> bool:
    """Whether a normalized export text matches a key: exact, or a prefix key ``"46*"``."""
    if pattern.endswith("*"):
        return text.startswith(pattern[:-1])
    return text == pattern


def match_value(values: dict[str, str], raw: str) -> str | None:
    """``values[raw]`` with prefix keys (``"50*"``); the longest matching prefix wins, so
    ``"501*"`` overrides ``"50*"`` (two prefixes of the same length cannot both match)."""
    key = _norm(raw)
    if key in values:
        return values[key]
    best = max((k for k in values if k.endswith("*") and key.startswith(k[:-1])), key=len, default=None)
    return None if best is None else values[best]


@dataclass(frozen=True)
class Group:
    """One ``[[rows]]`` entry: the rows whose ``where`` columns match, and the contract
    fields they get (e.g. the accounts that make up one series)."""

    name: str  #: as shown in messages ("rows[1] (hyrpersonal_kostnad/lakare)")
    where: dict[str, tuple[str, ...]]  #: header -> normalized keys (prefix keys end in ``*``)
    fields: dict[str, str]  #: series, category, org, region, kind, unit

    def matches(self, texts: dict[str, str]) -> bool:
        return all(any(_matches(p, _norm(texts.get(h, ""))) for p in pats) for h, pats in self.where.items())


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
                ``{ column = "Område", values = { "Läkare" = "lakare", "46*" = "ovriga" } }``
                (a key ending in ``*`` is a prefix; exact keys first, then the longest).
                ``org`` defaults to "region", ``kind`` to "utfall", ``category`` to "".
                ``unit`` is required: an export in tkr must say so.
    ``value``   (long) header of the value column.
    ``columns`` (wide) one table per value column: ``[columns."Hyrläkare"]`` with
                ``series``, optional ``category``, ``org``, ``region``, ``kind``, ``unit``.
    ``ignore``  headers of columns that are not data (comments), or 1-based numbers of
                columns without a header; they are listed as skipped. Any other column
                with values that the mapping does not name is an error.
    ``rows``    ``[[rows]]`` groups: ``where = { Konto = ["4631", "46*"] }`` and the fields
                the matching rows get (series, category, org, region, kind, unit).
    ``unmatched`` "error" (default) or "skip": rows that no group matches.
    ``aggregate`` "none" (default: two values with one key are an error) or "sum".
    ``skip_rows`` texts in the period column that mark rows to skip unchecked. Sum rows
                ("Summa", "Totalt 2023", a year between months) need no entry: they are
                checked against their months and skipped.
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
    ignore_numbers: tuple[int, ...] = ()  #: 1-based numbers of columns without a header to skip
    skip_rows: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    unmatched: str = "error"
    aggregate: str = "none"
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
            "skip_rows", "empty", "sheet", "header_row", "source", "note", "example", "rows", "unmatched", "aggregate",
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
            ignore=tuple(str(x) for x in spec.get("ignore", ()) if not isinstance(x, int)),
            ignore_numbers=tuple(x for x in spec.get("ignore", ()) if isinstance(x, int) and not isinstance(x, bool)),
            groups=_parse_groups(spec.get("rows", [])),
            unmatched=str(spec.get("unmatched", "error")),
            aggregate=str(spec.get("aggregate", "none")),
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
        if m.unmatched not in ("error", "skip"):
            raise MappingError("unmatched ska vara 'error' (en rad som ingen [[rows]] matchar är ett fel) eller 'skip' (raden hoppas över och listas)")
        if m.aggregate not in ("none", "sum"):
            raise MappingError("aggregate ska vara 'none' (två värden med samma nyckel är ett fel) eller 'sum' (de summeras)")
        if any(n < 1 for n in m.ignore_numbers):
            raise MappingError("ignore: ett kolumnnummer räknas från 1 (kolumn A = 1)")
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
            if not m.series.given and not (m.groups and all("series" in g.fields for g in m.groups)):
                raise MappingError("series saknas: ange serien (series = \"hyrpersonal_kostnad\"), en kolumn med serienamn, eller series i varje [[rows]]")
            if not m.unit.given and not (m.groups and all("unit" in g.fields for g in m.groups)):
                raise MappingError("unit saknas: ange exportens enhet, t.ex. unit = \"tkr\"")
        # Fixed values are checked now, so a typo fails before the export is read.
        fixed_series = [c.series for c in m.columns.values()] + ([m.series.value] if m.series.value else []) + list(m.series.values.values())
        fixed_series += [g.fields["series"] for g in m.groups if "series" in g.fields]
        for sid in fixed_series:
            if sid not in registry:
                raise MappingError(f"okänd serie {sid!r} i mappningen; kända: {', '.join(sorted(registry))}")
        units = [c.unit for c in m.columns.values() if c.unit] + ([m.unit.value] if m.unit.value else []) + list(m.unit.values.values())
        units += [g.fields["unit"] for g in m.groups if "unit" in g.fields]
        for u in units:
            try:
                resolve_unit(u)
            except KeyError:
                raise MappingError(f"okänd enhet {u!r} i mappningen; kända: {', '.join(sorted(UNITS))}") from None
        kinds = [c.kind for c in m.columns.values() if c.kind] + ([m.kind.value] if m.kind.value else [])
        kinds += [g.fields["kind"] for g in m.groups if "kind" in g.fields]
        for k in kinds:
            if k not in KINDS:
                raise MappingError(f"okänd kind {k!r} i mappningen; kända: {', '.join(KINDS)}")
        regions = [c.region for c in m.columns.values() if c.region] + ([m.region.value] if m.region.value else [])
        regions += [g.fields["region"] for g in m.groups if "region" in g.fields]
        for r in regions:
            try:
                resolve_region(r)
            except UnknownRegionError as exc:
                raise MappingError(str(exc)) from None
        return m

    @classmethod
    def from_toml(cls, path: str | os.PathLike) -> "Mapping":
        """A mapping from a TOML file."""
        try:
            with open(path, "rb") as fh:
                spec = tomllib.load(fh)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise MappingError(f"{Path(path).name}: går inte att läsa som TOML (UTF-8): {exc}") from None
        except OSError as exc:
            raise MappingError(f"{path}: går inte att läsa ({exc.strerror or exc})") from None
        try:
            return cls.from_dict(spec)
        except MappingError as exc:
            raise MappingError(f"{Path(path).name}: {exc}") from None


_GROUP_FIELDS = ("series", "category", "org", "region", "kind", "unit")


def _parse_groups(spec: object) -> tuple[Group, ...]:
    """The ``[[rows]]`` tables of a mapping."""
    if not isinstance(spec, (list, tuple)):
        raise MappingError("rows ska vara en lista av tabeller: [[rows]] med where = { Konto = [\"4631\", \"4632\"] } och series")
    groups = []
    for i, g in enumerate(spec, start=1):
        if not isinstance(g, MappingABC):
            raise MappingError(f"rows[{i}]: förväntat en tabell med where och series, inte {g!r}")
        extra = set(g) - {"where", *_GROUP_FIELDS}
        if extra:
            raise MappingError(f"rows[{i}]: okända nycklar {sorted(extra)}; kända: where, {', '.join(_GROUP_FIELDS)}")
        where = g.get("where")
        if not isinstance(where, MappingABC) or not where:
            raise MappingError(f"rows[{i}]: where saknas; ange vilka rader som hör hit, t.ex. where = {{ Konto = [\"4631\", \"4632\"] }}")
        pats = {}
        for header, vals in where.items():
            vals = [vals] if isinstance(vals, (str, int)) else list(vals)
            if not vals:
                raise MappingError(f"rows[{i}].where.{header}: tom lista")
            pats[str(header)] = tuple(_norm(v) for v in vals)
        fields = {k: str(g[k]) for k in _GROUP_FIELDS if k in g}
        label = "/".join(fields[k] for k in ("series", "category", "org") if fields.get(k))
        groups.append(Group(f"rows[{i}]" + (f" ({label})" if label else ""), pats, fields))
    return tuple(groups)


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


# ---------------------------------------------------------------------------------------
# Cells


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


#: First characters that make a spreadsheet execute a cell as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t")


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except CellError:
        return False
    return True


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


@dataclass
class _Cell:
    """One value read from the export, before aggregation."""

    rec: dict  #: region, org, kind, category, series, unit (resolved)
    period: pd.Period | None
    value: float  #: in the export's own unit
    row: int
    col: int  #: 0-based column
    what: dict  #: what the value is in the export ({"Konto": "4631"} or {"kolumn": "Hyrläkare"})
    resolution: float  #: the last digit shown, in the export's unit
    total: tuple[str, int | None] | None = None  #: a sum row: (its label, its year or None)
    year_row: bool = False  #: the period is a year (a year total if the export is monthly)

    @property
    def key(self) -> tuple:
        return tuple(self.rec[c] for c in ("region", "org", "series", "category", "kind", "unit"))


_TOTAL_WORDS = r"summa|totalt|total|helår|helåret|året|år|ackumulerat|ack|hittills i år"
_TOTAL_RE = re.compile(rf"^(?:(?:{_TOTAL_WORDS})\.?:?(?:\s+(?:år\s+)?(\d{{4}}))?|(\d{{4}})\s+(?:{_TOTAL_WORDS}))$")


def total_label(texts: list[str]) -> tuple[str, int | None] | None:
    """(label, year) if the period cells name a sum row ("Summa", "Totalt 2023",
    "Helår 2023", "2023 summa"), else None. A bare year is decided by the caller."""
    text = " ".join(t for t in texts if t)
    m = _TOTAL_RE.match(_norm(text))
    if not m:
        return None
    year = m[1] or m[2]
    return text, int(year) if year else None


def _decimals(text: str) -> int:
    """Digits after the decimal separator as written ("2 394,5" -> 1, "665" -> 0)."""
    m = re.search(r"[.,](\d+)\)?\s*%?\s*$", text.strip())
    return len(m[1]) if m else 0


def _cell_resolution(sheet: Sheet, n: int, j: int, raw: object) -> float:
    """The value of the last digit the export shows for a cell (for rounding tolerances)."""
    if isinstance(raw, str):
        return 10.0 ** -_decimals(raw)
    fmt = sheet.formats.get((n, j), "General")
    if fmt != "General":
        m = re.search(r"[.,](0+)", fmt)
        return 10.0 ** -(len(m[1]) if m else 0)
    return 10.0 ** -min(6, _decimals(repr(float(raw))) if not float(raw).is_integer() else 0)


def _fmt(value: float, unit: str, resolution: float = 1.0) -> str:
    """A value in the export's own unit for a message ("18 912,4 tkr")."""
    d = max(0, min(6, round(-math.log10(resolution)))) if resolution > 0 else 0
    label = UNITS[unit].label if unit in UNITS else unit
    return plain(fmt_number(value, d)) + f" {label}"


def _month_span(periods: list[pd.Period]) -> str:
    lo, hi = min(periods), max(periods)
    names = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    show = lambda p: f"{names[p.month - 1]} {p.year}"  # noqa: E731
    return show(lo) if lo == hi else f"{show(lo)}–{show(hi)}"


def _rows_text(rows: list[int]) -> str:
    """[2, 3, 4, 9] -> "rad 2–4, 9"."""
    rows = sorted(set(rows))
    spans, start = [], rows[0]
    for a, b in zip(rows, rows[1:] + [None]):
        if b != a + 1:
            spans.append(str(start) if start == a else f"{start}–{a}")
            start = b
    return ("rad " if len(rows) == 1 else "rader ") + ", ".join(spans)


def _summed_text(cells: list[_Cell]) -> str:
    """What an aggregated value is the sum of, as kept in ``source``."""
    parts = []
    names = list(dict.fromkeys(k for c in cells for k in c.what))
    for name in names:
        vals = list(dict.fromkeys(c.what[name] for c in cells if name in c.what))
        if name == "kolumn":
            parts.append(("kolumnerna " if len(vals) > 1 else "kolumn ") + ", ".join(f"'{v}'" for v in vals))
        else:
            parts.append(f"{name} " + ", ".join(vals))
    rows = _rows_text([c.row for c in cells])
    # No ";" in the text: it is the observation files' separator (the cell would need quotes).
    return f"summa av {' och '.join(parts)} ({rows})" if parts else f"summa av {rows}"


def import_file(path: str | os.PathLike, mapping: "Mapping | MappingABC | str | os.PathLike") -> ImportResult:
    """Read one export with a mapping into a tidy frame in the data contract.

    Raises :class:`DataError` listing every problem (file, row, column, expected) if any
    cell cannot be read, any column with values is neither mapped nor ignored, a sum row
    does not match its months, or the rows break the contract (unknown series or region,
    wrong unit family, negative hours, duplicate keys without ``aggregate = "sum"``).
    Values stay in the export's unit; messages show them in that unit.
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
    body = [(n, cells) for n, cells in sheet.rows if n > header_row and not all(_is_empty(c) for c in cells)]
    width = max([len(headers)] + [len(c) for _, c in body])
    headers = headers + [""] * (width - len(headers))

    def colname(j: int) -> str:
        h = headers[j]
        if sheet.letters:
            return f"{_column_letter(j)} ({h})" if h else _column_letter(j)
        return h or f"kolumn {j + 1}"

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
    for name in _GROUP_FIELDS:
        f: Field = getattr(m, name)
        if f.column is not None:
            field_cols[name] = need(f.column, name)
    where_cols = {h: need(h, "where i [[rows]]") for g in m.groups for h in g.where}
    value_cols: dict[int, ValueColumn | None] = {}
    if m.layout == "wide":
        for vc in m.columns.values():
            j = need(vc.header, f"serien {vc.series}")
            if j is not None:
                value_cols[j] = vc
    else:
        j = need(m.value, "värde")
        if j is not None:
            value_cols[j] = None
    used = set(value_cols) | {j for j in [*period_cols, *field_cols.values(), *where_cols.values()] if j is not None}
    ignored = {_norm(h) for h in m.ignore}
    skipped: list[Problem] = []
    # Every column with values is mapped, ignored by the mapping, or an error: a value in a
    # column nobody named would otherwise vanish (issue 16).
    for j, h in enumerate(headers):
        if j in used:
            continue
        filled = [c[j] for _, c in body if j < len(c) and not _is_empty(c[j])]
        if h:
            if _norm(h) in ignored or (j + 1) in m.ignore_numbers:
                if filled:
                    skipped.append(Problem(sheet.display, header_row, colname(j), f"kolumnen {h!r} hoppades över (ignore i mappningen, {len(filled)} ifyllda celler)", "", VARNING))
                continue
            problems.append(Problem(
                sheet.display, header_row, colname(j), f"kolumnen {h!r} finns inte i mappningen",
                "en kolumn i mappningen (columns), eller rubriken i ignore om den inte är data",
            ))
            continue
        if not filled:
            continue
        if (j + 1) in m.ignore_numbers:
            skipped.append(Problem(sheet.display, header_row, colname(j), f"kolumn {j + 1} utan rubrik hoppades över (ignore i mappningen, {len(filled)} ifyllda celler)", "", VARNING))
            continue
        merged = next(((a, b) for r, a, b in sheet.merged if r == header_row and a < j <= b), None)
        if merged:
            why = f"rubriken {headers[merged[0]]!r} är sammanfogad över kolumnerna {_column_letter(merged[0])}–{_column_letter(merged[1])}, så kolumn {_column_letter(j)} har värden men ingen egen rubrik"
        elif sheet.rows and all(j >= len(c) or _is_empty(c[j]) for n, c in sheet.rows if n == header_row):
            why = f"kolumn {j + 1} har värden men ingen rubrik" + (" (raderna är längre än rubrikraden)" if not sheet.letters else "")
        else:
            why = f"kolumn {j + 1} har värden men ingen rubrik"
        numeric = []
        for c in filled:
            try:
                read_number(c)
                numeric.append(c)
            except CellError:
                pass
        expected = f"en rubrik per kolumn med data, eller ignore = [{j + 1}] i mappningen om kolumnen inte är data"
        if numeric:
            problems.append(Problem(sheet.display, header_row, colname(j), f"{why}; första talet: {_cell_text(numeric[0])}", expected))
        else:
            skipped.append(Problem(sheet.display, header_row, colname(j), f"{why} (bara text, hoppades över)", "", VARNING))
    if problems:
        raise DataError(problems)

    registry = series_registry()
    skip = {_norm(s) for s in m.skip_rows}
    cells_read: list[_Cell] = []
    unmatched: dict[tuple, list[int]] = {}

    def get(name: str, cells: list, vc: ValueColumn | None, group: Group | None, bad: list) -> str | None:
        if group is not None and name in group.fields:
            return group.fields[name]
        override = getattr(vc, name, None) if vc is not None else None
        if override is not None:
            return str(override)
        f: Field = getattr(m, name)
        if f.column is None:
            return f.value
        j = field_cols[name]
        raw = _cell_text(cells[j]) if j < len(cells) else ""
        # Names read as the loader reads them (NFC, single spaces), so one org is one org.
        raw = " ".join(unicodedata.normalize("NFC", raw).replace("\u00a0", " ").split())
        if raw[:1] in _FORMULA_PREFIXES and not _is_number(raw):
            bad.append(Problem(sheet.display, n, colname(j), f"{name} {raw[:40]!r} börjar som en kalkylbladsformel", "en text som inte börjar med = + - @ eller tabb"))
            return None
        if f.values:
            mapped = f.lookup(raw)
            if mapped is None:
                if raw in f.values.values():
                    return raw
                bad.append(Problem(sheet.display, n, colname(j), f"värdet {raw!r} finns inte i mappningens values för {name}", "ett av " + ", ".join(repr(k) for k in f.values)))
                return None
            return mapped
        return raw

    for n, cells in body:
        pcells = [cells[j] if j is not None and j < len(cells) else None for j in period_cols]
        ptext = " ".join(_cell_text(c) for c in pcells if not _is_empty(c))
        if _norm(ptext) in skip or any(_norm(_cell_text(c)) in skip for c in pcells if not _is_empty(c)):
            skipped.append(Problem(sheet.display, n, colname(period_cols[0]), f"raden {ptext!r} hoppades över (skip_rows i mappningen)", "", VARNING))
            continue
        group = None
        if m.groups:
            texts = {h: _cell_text(cells[j]) if j is not None and j < len(cells) else "" for h, j in where_cols.items()}
            hits = [g for g in m.groups if g.matches(texts)]
            if not hits:
                if m.unmatched == "skip":
                    unmatched.setdefault(tuple(texts.items()), []).append(n)
                else:
                    shown = ", ".join(f"{h} {t!r}" for h, t in texts.items())
                    problems.append(Problem(sheet.display, n, colname(where_cols[next(iter(texts))]), f"raden ({shown}) hör inte till någon [[rows]] i mappningen", "ett värde som en [[rows]]-tabells where tar med, eller unmatched = \"skip\" om övriga rader ska hoppas över"))
                continue
            if len(hits) > 1:
                problems.append(Problem(sheet.display, n, colname(where_cols[next(iter(texts))]), "raden matchar flera [[rows]]: " + ", ".join(g.name for g in hits), "att varje rad matchar högst en [[rows]]-tabell (ta bort överlappet)"))
                continue
            group = hits[0]
        total = total_label([_cell_text(c) for c in pcells])
        period = None
        year_row = False
        if total is None:
            try:
                period = read_month(pcells[0]) if len(pcells) == 1 else _combine_year_month(*pcells)
            except CellError as e:
                if all(_is_empty(c) for c in pcells):
                    e = CellError("perioden saknas på en rad med värden", PERIOD_EXPECTED)
                problems.append(Problem(sheet.display, n, colname(period_cols[0]), e.message, e.expected))
                continue  # a bad period is reported once per row, not per value
            year_row = not period.freqstr.startswith("M")
        for j, vc in value_cols.items():
            bad: list[Problem] = []
            raw = cells[j] if j < len(cells) else None
            if _is_empty(raw):
                formula = sheet.formulas.get((n, j))
                if formula:
                    problems.append(Problem(sheet.display, n, colname(j), f"cellen har formeln {formula!r} men inget sparat värde", "ett värde (öppna och spara filen i Excel, eller klistra in som värden)"))
                elif total is not None:
                    pass  # an empty cell in a sum row has nothing to check
                elif m.empty == "skip":
                    skipped.append(Problem(sheet.display, n, colname(j), "tom cell hoppades över (empty = \"skip\" i mappningen)", "", VARNING))
                else:
                    problems.append(Problem(sheet.display, n, colname(j), "tom cell", "ett tal; eller empty = \"skip\" i mappningen om tomma celler betyder att värdet saknas"))
                continue
            # "4,6 %" as text (a CSV saved from Excel) is 4.6 in a percent series.
            pct_text = isinstance(raw, str) and raw.strip().endswith("%")
            try:
                value = read_number(raw.strip()[:-1] if pct_text else raw)
            except CellError as e:
                bad.append(Problem(sheet.display, n, colname(j), e.message, e.expected))
                value = np.nan
            rec = {c: get(c, cells, vc, group, bad) for c in _GROUP_FIELDS}
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
            if ((n, j) in sheet.percent or pct_text) and rec["unit"] in UNITS and UNITS[rec["unit"]].family != "procent":
                how = "visas som procent i Excel" if (n, j) in sheet.percent else "står i procent"
                shown = plain(fmt_number(value, max(0, round(-math.log10(_cell_resolution(sheet, n, j, raw)))))) if value == value else str(raw)
                bad.append(Problem(sheet.display, n, colname(j), f"cellen {how} ({shown} %) men mappningen ger enheten {UNITS[rec['unit']].label}", f"ett tal i {UNITS[rec['unit']].label}, eller unit = \"procent\" för en procentserie"))
            if bad:
                problems.extend(bad)
                continue
            if m.layout == "wide":
                what = {"kolumn": headers[j]}
            elif group is not None:
                what = {h: _cell_text(cells[wj]) for h, wj in where_cols.items() if wj is not None and h in group.where}
            else:
                what = {}
            cells_read.append(_Cell(rec, period, value, n, j, what, _cell_resolution(sheet, n, j, raw), total, year_row))
    for texts, rows in unmatched.items():
        shown = ", ".join(f"{h} {t!r}" for h, t in texts)
        skipped.append(Problem(sheet.display, rows[0], colname(where_cols[texts[0][0]]), f"{len(rows)} rader ({shown}; {_rows_text(rows)}) hör inte till någon [[rows]] och hoppades över (unmatched = \"skip\")", "", VARNING))
    if problems:
        raise DataError(problems)

    values, totals = _split_totals(cells_read)
    problems.extend(_check_sum_rows(values, totals, sheet, colname, header_row, skipped))
    records, places, dup_problems = _aggregate(values, m, sheet, colname, headers, period_cols[0], field_cols)
    frame = pd.DataFrame.from_records([r for r, _ in records], columns=CONTRACT_COLUMNS)
    if frame.empty and not problems and not dup_problems:
        raise DataError([Problem(sheet.display, 0, "", "exporten innehåller inga värden", "minst en rad med en period och ett värde")])
    # The contract checks run on the keys that are not duplicated, so all problems come at once.
    checked = _check(frame, places, [res for _, res in records])
    if errors(problems + dup_problems + checked):
        raise DataError(problems + dup_problems + checked)
    frame["example"] = frame["example"].astype(bool)
    frame["value"] = frame["value"].astype(float)
    return ImportResult(frame, sorted(skipped), sheet.display, [p for p in checked if not p.is_error])


def _split_totals(cells: list[_Cell]) -> tuple[list[_Cell], list[_Cell]]:
    """Values and sum rows. A row whose period is a year is a year total when the export
    also has months (it would otherwise load as an annual value beside its own months)."""
    monthly = any(c.total is None and not c.year_row for c in cells)
    values, totals = [], []
    for c in cells:
        if c.year_row and monthly:
            c.total = (str(c.period.year), c.period.year)
        (totals if c.total is not None else values).append(c)
    return values, totals


def _check_sum_rows(values: list[_Cell], totals: list[_Cell], sheet: Sheet, colname, header_row: int, skipped: list[Problem]) -> list[Problem]:
    """Each sum row against the months it sums, in the export's own unit; a matching sum
    row is listed as skipped, a mismatch is an error."""
    problems: list[Problem] = []
    by_key: dict[tuple, list[_Cell]] = {}
    for c in values:
        by_key.setdefault(c.key, []).append(c)
    groups: dict[tuple, list[_Cell]] = {}
    for t in totals:
        groups.setdefault((t.row, t.key), []).append(t)
    total_rows: dict[tuple, list[int]] = {}
    for row, key in groups:
        total_rows.setdefault(key, []).append(row)
    ok: dict[int, tuple[str, str, list[tuple[str, str]]]] = {}
    for (row, key), tcells in sorted(groups.items(), key=lambda kv: kv[0][0]):
        label, year = tcells[0].total
        cols = ", ".join(dict.fromkeys(colname(t.col) for t in tcells))
        months = [c for c in by_key.get(key, []) if not c.year_row]
        if year is not None:
            parts = [c for c in months if c.period.year == year]
            scope = f"månaderna i {year}"
        else:
            before = max([r for r in total_rows[key] if r < row], default=header_row)
            parts = [c for c in months if before < c.row < row]
            scope = "månadsraderna ovanför"
        unit = key[-1]
        if not parts:
            problems.append(Problem(sheet.display, row, cols, f"raden {label!r} ser ut som en summarad men filen har inga {scope} för {key[2]} att jämföra med", "månadsrader som summaraden summerar, eller raden i skip_rows om den inte ska kontrolleras"))
            continue
        total = sum(t.value for t in tcells)
        psum = sum(c.value for c in parts)
        res = min(c.resolution for c in [*tcells, *parts])  # the finest digit shown
        tolerance = 0.5 * (sum(t.resolution for t in tcells) + sum(c.resolution for c in parts)) + 1e-9 * max(1.0, abs(psum))
        span = _month_span([c.period for c in parts])
        if abs(total - psum) > tolerance:
            problems.append(Problem(
                sheet.display, row, cols,
                f"summaraden {label!r} har {_fmt(total, unit, res)} men månaderna {span} ({_rows_text([c.row for c in parts])}) summerar till {_fmt(psum, unit, res)}, skillnad {_fmt(total - psum, unit, res)}",
                f"att summaraden stämmer med sina månader inom avrundning (±{_fmt(tolerance, unit, min(res, 10.0 ** -math.ceil(-math.log10(tolerance)) if tolerance > 0 else res))}); annars saknas eller är fel någon månad",
            ))
        else:
            ok.setdefault(row, (label, span, []))[2].append((cols, _fmt(psum, unit, res)))
    for row, (label, span, checked) in ok.items():
        # One note per sum row, not one per column.
        cols = ", ".join(c for c, _ in checked)
        sums = "; ".join(f"{c} {v}" for c, v in checked) if len(checked) > 1 else checked[0][1]
        skipped.append(Problem(sheet.display, row, cols, f"summaraden {label!r} hoppades över: den stämmer med summan av månaderna {span} ({sums})", "", VARNING))
    return problems


def _aggregate(values: list[_Cell], m: Mapping, sheet: Sheet, colname, headers: list[str], period_col: int, field_cols: dict[str, int | None]) -> tuple[list[tuple[dict, float]], list, list[Problem]]:
    """Contract records (and their resolution) from the cells; cells with the same key are
    summed with ``aggregate = "sum"`` (the source lists what was summed), else an error."""
    by: dict[tuple, list[_Cell]] = {}
    for c in values:
        by.setdefault((*c.key, str(c.period)), []).append(c)
    records, places, problems = [], [], []
    for _, cells in by.items():
        first = cells[0]
        if len(cells) > 1 and m.aggregate != "sum":
            for c in cells:
                others = ", ".join(f"rad {o.row} kolumn {colname(o.col)}" for o in cells if o is not c)
                problems.append(Problem(sheet.display, c.row, colname(c.col), f"samma nyckel (region, org, series, category, period, kind) som {others}", "en rad per nyckel; eller aggregate = \"sum\" i mappningen om värdena ska summeras"))
            continue
        if len(cells) == 1:
            what = "".join(f", {k} {v}" for k, v in first.what.items() if k != "kolumn")
            where = f"{sheet.where}, rad {first.row}{what}, kolumn '{headers[first.col]}'"
        else:
            where = f"{sheet.where}, {_summed_text(cells)}"
        source = f"{m.source} ({where})" if m.source else where
        total = math.fsum(c.value for c in cells)
        if len(cells) > 1:  # no float noise beyond the decimals the parts show (…679,6 not …679,60000002)
            total = round(total, max(0, min(9, round(-math.log10(min(c.resolution for c in cells))))))
        rec = dict(first.rec, period=first.period, value=float(total), source=source, note=m.note, example=m.example)
        records.append((rec, float(sum(c.resolution for c in cells))))
        cols = {"value": colname(first.col), "period": colname(period_col)}
        cols.update({name: colname(fj) for name, fj in field_cols.items() if fj is not None})
        places.append((sheet.display, first.row, cols))
    return records, places, problems


def _check(frame: pd.DataFrame, places: list[tuple[str, int, dict[str, str]]], resolutions: list[float] | None = None) -> list[Problem]:
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
    # The loader keeps the last digit shown in the stored unit; the totals check uses it.
    typed["_resolution"] = np.array(resolutions if resolutions is not None else [0.0] * len(typed)) * np.array(factors)
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
        w.writerow(safe_row([  # no cell a spreadsheet would execute (the loader reads it back)
            r.region, r.org, r.series, r.category, format_period(period), r.kind, format_value(r.value), r.unit,
            r.source, r.note if isinstance(r.note, str) else "", "true" if bool(r.example) else "false",
        ]))
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
    return _write_with_umask(path, observation_csv(frame))


def _umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_with_umask(path: Path, text: str) -> Path:
    """:func:`atomic_write_text`, then the mode a plain ``open()`` would give (the
    temporary file comes from ``mkstemp``, which is always 0600)."""
    atomic_write_text(path, text)
    if os.name == "posix":
        os.chmod(path, 0o666 & ~_umask())
    return path


def default_out(result: ImportResult, export: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Path:
    """``data/imports/NN_<export name>.csv``: prefixed with the region code when the rows
    are one region's (so a report for another region does not read it)."""
    stem = re.sub(r"[^\w-]+", "_", Path(export).stem.lower()).strip("_") or "import"
    regions = sorted(set(result.frame["region"]))
    if len(regions) == 1 and not stem.startswith(f"{regions[0]}_"):
        stem = f"{regions[0]}_{stem}"
    return config.data_dir(data_dir) / IMPORTS_SUBDIR / f"{stem}.csv"


@dataclass
class Written:
    """What :func:`import_and_write` did."""

    result: ImportResult
    path: Path
    problems: list[Problem]  #: the loader's warnings for the written file (errors roll the write back)


def import_and_write(
    export: str | os.PathLike,
    mapping: "Mapping | MappingABC | str | os.PathLike",
    out: str | os.PathLike | None = None,
    *,
    data_dir: str | os.PathLike | None = None,
    overwrite: bool = False,
) -> Written:
    """Import an export, check the observation file with the loader, and write it.

    The file is first checked on its own with :func:`regionanalys.data.loading.validate`
    (in a temporary folder); then, when it lands inside the data directory, the whole
    directory is validated with it in place, so that conflicts with other files (a
    duplicate key) are found. Problems in the written file roll the write back (the old
    file, if any, is restored) and are raised as :class:`DataError`.
    """
    from regionanalys.data.loading import validate

    result = import_file(export, mapping)
    path = Path(out) if out is not None else default_out(result, export, data_dir)
    frame = result.frame
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} finns redan; ange --overwrite för att ersätta den")
    with tempfile.TemporaryDirectory(prefix="regionanalys-import-") as tmp:
        trial = write_observations(frame, Path(tmp) / path.name)
        alone = [p for p in validate(tmp) if p.file == trial.name]
    if errors(alone):
        raise DataError(alone)
    root = config.data_dir(data_dir)
    inside = path.resolve().is_relative_to(root)
    # The previous file (if any) is kept under a hidden name (the loader skips dot files)
    # until the directory has been validated with the new one, then dropped or put back.
    backup = None
    if path.is_file():
        backup = path.with_name(f".{path.name}.{os.getpid()}.bak")
        shutil.copy2(path, backup)
    try:
        write_observations(frame, path, overwrite=True)
        mine = alone
        if inside:
            rel = path.resolve().relative_to(root).as_posix()
            mine = [p for p in validate(root) if p.file == rel or rel in p.message]
        if errors(mine):
            raise DataError(mine)
    except BaseException:
        if backup is not None:
            os.replace(backup, path)
            backup = None
        else:
            path.unlink(missing_ok=True)
        raise
    finally:
        if backup is not None:
            backup.unlink(missing_ok=True)
    return Written(result, path, mine)


#: Sub-folder of ``data/`` the importer writes to by default.
IMPORTS_SUBDIR = "imports"

#: Suffixes of spreadsheet files that ``validate`` should point to the importer.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _as_typed(p: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    if p.is_absolute():
        try:
            return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            pass
    return p.as_posix()


def import_hint(path: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> str:
    """The message ``validate`` shows for a spreadsheet dropped into ``data/``: it is not
    read as data, and the command that imports it. ``path`` and ``data_dir`` may be
    absolute; they are shown relative to the working directory when inside it.

    >>> import_hint("data/Heroma timmar 2023.xlsx", "data")  # doctest: +NORMALIZE_WHITESPACE
    'Excel-filen läses inte som data; importera den till en observationsfil med: regionanalys import "data/Heroma timmar 2023.xlsx" --mapping MAPPNING.toml --out data/imports/heroma_timmar_2023.csv (mappningen beskrivs i docs/importing.md)'
    """
    p = Path(path)
    shown = _as_typed(p)
    quoted = f'"{shown}"' if re.search(r"\s", shown) else shown
    stem = re.sub(r"[^\w-]+", "_", p.stem.lower()).strip("_") or "import"
    root = _as_typed(Path(data_dir)) if data_dir is not None else "data"
    root = f'"{root}"' if re.search(r"\s", root) else root
    cmd = f"regionanalys import {quoted} --mapping MAPPNING.toml --out {root}/{IMPORTS_SUBDIR}/{stem}.csv"
    first = "Excel-filen läses inte som data"
    if p.suffix.lower() == ".xls":
        first = "Excel-filen (gammalt .xls-format) läses inte som data; spara den som .xlsx i Excel och"
        return f"{first} importera den sedan med: {cmd.replace(p.suffix, '.xlsx', 1)} (mappningen beskrivs i docs/importing.md)"
    return f"{first}; importera den till en observationsfil med: {cmd} (mappningen beskrivs i docs/importing.md)"


def import_to_csv(
    export: str | os.PathLike, mapping: "Mapping | MappingABC | str | os.PathLike", out: str | os.PathLike, *, overwrite: bool = False
) -> ImportResult:
    """:func:`import_file` then :func:`write_observations`; returns the import result."""
    result = import_file(export, mapping)
    write_observations(result, out, overwrite=overwrite)
    return result


#: Skipped rows and columns the command prints before summarizing the rest.
MAX_SKIPPED_SHOWN = 30


def print_written(written: Written, echo=print) -> None:
    """The lines the command line prints after an import (shared by both entry points)."""
    r = written.result
    shown = written.path
    try:
        shown = written.path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        pass  # outside the working directory: the full path
    echo(f"{len(r)} värden från {r.file} skrivna till {shown}")
    # A ledger can skip hundreds of accounts; the first ones show what happened.
    for p in r.skipped[:MAX_SKIPPED_SHOWN]:
        echo(f"  hoppade över: {p}")
    if len(r.skipped) > MAX_SKIPPED_SHOWN:
        echo(f"  … och {len(r.skipped) - MAX_SKIPPED_SHOWN} till (ImportResult.skipped i Python listar alla)")
    for p in [*r.warnings, *written.problems]:
        echo(f"  {p}")


def main(argv: list[str] | None = None) -> int:
    """``python -m regionanalys.data.importing`` (the same as ``regionanalys import``)."""
    parser = argparse.ArgumentParser(prog="python -m regionanalys.data.importing", description="Importera en månadsexport (CSV eller Excel) till en observationsfil i data/.")
    parser.add_argument("export", help="exportfilen (.csv eller .xlsx)")
    parser.add_argument("--mapping", required=True, help="mappningen (TOML)")
    parser.add_argument("--out", help="observationsfilen att skriva; standard data/imports/NN_<exportens namn>.csv")
    parser.add_argument("--overwrite", action="store_true", help="ersätt en befintlig fil")
    args = parser.parse_args(argv)
    try:
        written = import_and_write(args.export, args.mapping, args.out, overwrite=args.overwrite)
    except (DataError, MappingError, FileExistsError, ValueError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print_written(written)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
