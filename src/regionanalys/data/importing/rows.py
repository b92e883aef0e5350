"""From cells read to contract records: sum and total rows (checked against their months
and skipped), aggregation of rows with one key (``aggregate = "sum"``), the loader's
contract checks located in the export, and the texts messages and ``source`` use."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regionanalys.data.formatting import fmt_number, plain
from regionanalys.data.importing.mapping import Mapping, _norm
from regionanalys.data.importing.readers import Sheet
from regionanalys.data.registry import UNITS, series_registry
from regionanalys.data.validation import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, VARNING, Problem, check_table

#: Columns of the frame :func:`import_file` returns and of the CSV the writer saves.
CONTRACT_COLUMNS = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]


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
