"""``import_file``: one export and its mapping to a tidy frame in the data contract
(:class:`ImportResult`), with every problem located in the export and raised together."""
from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from regionanalys.data.formatting import fmt_number, plain
from regionanalys.data.importing.mapping import _GROUP_FIELDS, Field, Group, Mapping, ValueColumn, _norm, as_mapping
from regionanalys.data.importing.readers import (
    HEADER_SEARCH_ROWS, _cell_text, _column_letter, _combine_year_month, _find_header, _is_empty,
    read_export, read_month, read_number,
)
from regionanalys.data.importing.rows import (
    CONTRACT_COLUMNS, _Cell, _aggregate, _cell_resolution, _check, _check_sum_rows, _rows_text, _split_totals, total_label,
)
from regionanalys.data.parsing import PERIOD_EXPECTED, CellError, formula_prefix
from regionanalys.data.registry import UNITS, resolve_unit, series_registry
from regionanalys.data.regions import UnknownRegionError, resolve_region
from regionanalys.data.validation import VARNING, DataError, Problem, errors


@dataclass
class ImportResult:
    """What an import produced: the tidy frame and the rows or cells skipped on purpose."""

    frame: pd.DataFrame  #: contract columns; ``period`` holds pandas Periods, values in the export's unit
    skipped: list[Problem]  #: rows/cells skipped because the mapping said so (never silently)
    file: str
    warnings: list[Problem] = field(default_factory=list)  #: e.g. a month missing in a series

    def __len__(self) -> int:
        return len(self.frame)



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
        if vc is not None and name in vc.fields:
            return vc.fields[name]
        f: Field = getattr(m, name)
        if f.column is None:
            return f.value
        j = field_cols[name]
        raw = _cell_text(cells[j]) if j < len(cells) else ""
        # Names read as the loader reads them (NFC, single spaces), so one org is one org.
        raw = " ".join(unicodedata.normalize("NFC", raw).replace("\u00a0", " ").split())
        if formula_prefix(raw):
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
