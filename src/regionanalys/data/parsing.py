"""Parsing of numbers and periods as Swedish exports write them.

These functions take one cell's text and either return a value or raise
:class:`CellError` with what was expected; callers add the file, row and column.
"""
from __future__ import annotations

import re

import pandas as pd


class CellError(ValueError):
    """A cell that cannot be read; ``expected`` says what would have been accepted."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message = message
        self.expected = expected


NUMBER_EXPECTED = "ett tal, t.ex. 1 234,5 eller −478 (decimalkomma eller decimalpunkt, mellanslag som tusentalsavgränsare)"
_MINUS_SIGNS = "\u2212\u2013\u2012\u2010-"  # Unicode minus, en dash, figure dash, hyphen, ASCII
_SPACES = " \u00a0\u202f\u2009\u2007"  # space, no-break, narrow no-break, thin, figure space
_NUMBER_RE = re.compile(r"^[+-]?(\d+)([.,]\d+)?$")


def parse_number(text: str) -> float:
    """Read a number written the Swedish way.

    Accepts decimal comma or point, spaces (also no-break and thin spaces) as thousands
    separators, a Unicode minus or en dash, and parentheses for negatives as some
    accounting exports write them. Rejects everything else, in particular Excel formulas
    (``=SUM(A1:A3)``), text ("ca 76") and ambiguous grouping ("1.234,5").

    >>> parse_number("1 234,5"), parse_number("\u2212478"), parse_number("4.6")
    (1234.5, -478.0, 4.6)
    """
    raw = str(text)
    s = raw.strip()
    if not s:
        raise CellError("tom cell", NUMBER_EXPECTED)
    if s.startswith("="):
        raise CellError(f"'{raw}' är en Excel-formel, inte ett värde (spara filen med värden)", NUMBER_EXPECTED)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s and s[0] in _MINUS_SIGNS:
        negative, s = (not negative), s[1:].lstrip(_SPACES)
    elif s.startswith("+"):
        s = s[1:]
    # Thousands groups separated by a space: "1 234 567,8". Any other use of space is text.
    parts = re.split(f"[{_SPACES}]+", s)
    if len(parts) > 1:
        head, *groups = parts
        tail = groups[-1]
        body_ok = head.isdigit() and len(head) <= 3 and all(g.isdigit() and len(g) == 3 for g in groups[:-1])
        tail_ok = re.fullmatch(r"\d{3}([.,]\d+)?", tail) is not None
        if not (body_ok and tail_ok):
            raise CellError(f"'{raw}' är inte ett tal", NUMBER_EXPECTED)
        s = "".join(parts)
    m = _NUMBER_RE.match(s)
    if not m:
        raise CellError(f"'{raw}' är inte ett tal", NUMBER_EXPECTED)
    value = float(s.replace(",", "."))
    return -value if negative else value


PERIOD_EXPECTED = "ett år (2023) eller en månad (2023-01, 202301, jan 2023, januari 2023)"
MIN_YEAR, MAX_YEAR = 1990, 2100

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_MONTH_ABBR = {name[:3]: num for name, num in MONTHS.items()}
_MONTH_ABBR.update({"okt": 10, "sept": 9})


def _month(year: int, month: int, raw: str) -> pd.Period:
    if not 1 <= month <= 12:
        raise CellError(f"'{raw}': månad {month} finns inte", PERIOD_EXPECTED)
    return pd.Period(year=_year(year, raw), month=month, freq="M")


def _year(year: int, raw: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(f"'{raw}': året {year} ligger utanför {MIN_YEAR}–{MAX_YEAR}", PERIOD_EXPECTED)
    return year


def parse_period(text: str) -> pd.Period:
    """Read a year or a month as Swedish exports write it; returns a pandas Period.

    >>> parse_period("2023"), parse_period("202301"), parse_period("januari 2023")
    (Period('2023', 'Y-DEC'), Period('2023-01', 'M'), Period('2023-01', 'M'))
    """
    raw = str(text)
    if re.fullmatch(r"\d{4}\.0", raw.strip()):  # a year cell Excel stored as a float
        return pd.Period(year=_year(int(raw.strip()[:4]), raw), freq="Y")
    s = " ".join(raw.strip().lower().replace(".", " ").split())
    if not s:
        raise CellError("tom cell", PERIOD_EXPECTED)
    if re.fullmatch(r"\d{4}", s):
        return pd.Period(year=_year(int(s), raw), freq="Y")
    if m := re.fullmatch(r"(\d{4})[-/ ]?m?(\d{1,2})", s):
        if "-" in s or "/" in s or " " in s or "m" in s or len(s) == 6:
            return _month(int(m[1]), int(m[2]), raw)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})( 00:00:00)?", s):  # a date cell from Excel
        return _month(int(m[1]), int(m[2]), raw)
    if m := re.fullmatch(r"([a-zåäö]+)[ -]?(\d{4}|\d{2})", s):
        name, year = m[1], int(m[2])
        month = MONTHS.get(name) or _MONTH_ABBR.get(name[:4]) or _MONTH_ABBR.get(name[:3])
        if month and (name in MONTHS or name in _MONTH_ABBR or name[:3] in _MONTH_ABBR and len(name) <= 4):
            return _month(year + 2000 if year < 100 else year, month, raw)
    raise CellError(f"'{raw}' är ingen period", PERIOD_EXPECTED)


BOOL_EXPECTED = "sant/falskt (true/false, ja/nej, 1/0) eller tomt"


def parse_bool(text: str) -> bool:
    """Read a yes/no cell; empty means False."""
    s = str(text).strip().lower()
    if s in ("", "0", "false", "falskt", "nej", "no", "f", "n"):
        return False
    if s in ("1", "true", "sant", "ja", "yes", "t", "j", "y"):
        return True
    raise CellError(f"'{text}' är inte sant eller falskt", BOOL_EXPECTED)
