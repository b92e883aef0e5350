"""Parsing of numbers, periods and names as Swedish exports write them.

These functions take one cell's text and either return a value or raise
:class:`CellError` with what was expected; callers add the file, row and column.

Decisions (see also ``tests/bad_inputs/expected.csv``):

* **Parentheses** ``(878)`` are read as a negative amount, the accounting convention of
  the regions' exports; it is the only sign they can mean. **Two signs** (``--5``,
  ``−-5``, ``(−5)``, ``-(5)``, ``+-5``) are rejected: which one was meant cannot be known,
  and reading either would silently flip some amounts.
* **Periods**: only what is unambiguous. An impossible date (31 February, day 99) is
  rejected, not truncated to its month; ``2011/12`` (a fiscal-year span or December?)
  and ``2023.1`` (Excel's number for October, or January?) are rejected; a misspelt month
  name is rejected, not matched by its prefix; a two-digit year is read as Excel reads
  it only for 00–29 (2000–2029) and rejected otherwise (``95`` could be 1995 or 2095).
* **Names** (org, category) are NFC-normalized and their whitespace folded to single
  spaces; invisible characters (zero-width, soft hyphen, BOM) and control characters are
  rejected, since they make two names that look the same differ.
* **Formulas**: a cell that a spreadsheet would execute (``=``, ``@``, ``+`` or ``-``
  followed by text, a leading tab) is rejected in every column.
"""
from __future__ import annotations

import calendar
import math
import re
import unicodedata

import pandas as pd


class CellError(ValueError):
    """A cell that cannot be read; ``expected`` says what would have been accepted."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message = message
        self.expected = expected


NUMBER_EXPECTED = "ett tal, t.ex. 1 234,5 eller −478 (decimalkomma eller decimalpunkt, mellanslag som tusentalsavgränsare)"
_MINUS_SIGNS = "\u2212\u2013\u2012\u2010\u2014\ufe63\uff0d-"  # Unicode minus, en/figure dash, hyphen, em dash, small/full-width minus, ASCII
_SIGNS = _MINUS_SIGNS + "+\u207a\u208a\ufe62\uff0b"
_SPACES = " \u00a0\u202f\u2009\u2007"  # space, no-break, narrow no-break, thin, figure space
_NUMBER_RE = re.compile(r"^(\d+)([.,]\d+)?$")
#: Largest magnitude accepted: no amount in the data comes near it (10^15 kr is 1 000 times
#: Sweden's GDP), and below it sums of even millions of rows stay finite.
MAX_ABS = 1e15

_FORMULA_EXPECTED = "ett värde, inte en formel (spara filen med värden)"


def _numeric_tail(s: str) -> bool:
    """Whether text after a sign looks like (the start of) a number: "5", " 5", "(5)", ",5"."""
    t = s.lstrip(_SPACES + _SIGNS + "(")
    return bool(t) and (t[0].isdigit() or t[0] in ".,")


_PLAIN_SIGNED = re.compile(r"[+\-\u2212\u2013]?[\s(]*[\d\s.,]*\)?\s*")


def formula_prefix(raw: str, strict: bool = True) -> str | None:
    """The spreadsheet-formula prefix a cell starts with, or None.

    ``=``, ``@`` and a leading tab always count. ``+`` and ``-`` count unless the cell is
    a plain signed number (``-478``); ``strict=False`` (for number cells, which the number
    parser checks anyway) only flags them when text follows the sign (``-A1``).
    Spreadsheets execute these when a CSV is opened (CSV injection, e.g. ``-2+3+cmd|…``).
    """
    text = str(raw)
    if text.startswith(("\t", "\r")):
        return "tabb" if text.startswith("\t") else "vagnretur"
    s = text.lstrip(" ")
    if not s:
        return None
    if s[0] in "=@":
        return s[0]
    if s[0] in "+-\u2212":
        if strict and not _PLAIN_SIGNED.fullmatch(s):
            return s[0]
        if not strict and not _numeric_tail(s[1:]):
            return s[0]
    return None


def formula_error(raw: str, expected: str = _FORMULA_EXPECTED) -> CellError:
    """The error for a cell that :func:`formula_prefix` flags."""
    prefix = formula_prefix(raw) or formula_prefix(raw, strict=False)
    shown = "en tabb" if prefix == "tabb" else "en vagnretur" if prefix == "vagnretur" else f"'{prefix}'"
    return CellError(f"'{str(raw).strip()[:40]}' är en Excel-formel, inte ett värde (börjar med {shown}; spara filen med värden)", expected)


def parse_number(text: str) -> float:
    """Read a number written the Swedish way.

    Accepts decimal comma or point, spaces (also no-break and thin spaces) as thousands
    separators, one minus sign (ASCII, Unicode minus or en dash) or one plus sign, and
    parentheses for negatives as accounting exports write them. Rejects everything else,
    in particular formulas (``=SUM(A1:A3)``, ``+A1``), text ("ca 76"), ambiguous grouping
    ("1.234,5"), two signs ("--5", "(−5)") and magnitudes of :data:`MAX_ABS` or more.

    >>> parse_number("1 234,5"), parse_number("\u2212478"), parse_number("4.6")
    (1234.5, -478.0, 4.6)
    """
    raw = str(text)
    if formula_prefix(raw, strict=False):
        raise formula_error(raw, NUMBER_EXPECTED)
    s = raw.strip()
    if not s:
        raise CellError("tom cell", NUMBER_EXPECTED)
    signs = 0
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, signs, s = True, 1, s[1:-1].strip(_SPACES)
    while s and s[0] in _SIGNS:  # count every sign, so that "--5" or "(−5)" is never read
        signs += 1
        negative = negative or s[0] in _MINUS_SIGNS
        s = s[1:].lstrip(_SPACES)
        if s.startswith("(") and s.endswith(")"):
            signs, s = signs + 1, s[1:-1].strip(_SPACES)
    if signs > 1:
        raise CellError(f"'{raw.strip()}' har {signs} tecken (minus, plus eller parentes); vilket som menas går inte att avgöra", NUMBER_EXPECTED + "; högst ett tecken")
    if s and s[-1] in _MINUS_SIGNS and _NUMBER_RE.match(s[:-1].replace(" ", "")):
        raise CellError(f"'{raw.strip()}' har minustecknet efter talet", NUMBER_EXPECTED + "; minustecknet före talet")
    # Thousands groups separated by a space: "1 234 567,8". Any other use of space is text.
    parts = re.split(f"[{_SPACES}]+", s)
    if len(parts) > 1:
        head, *groups = parts
        tail = groups[-1]
        body_ok = head.isdigit() and len(head) <= 3 and all(g.isdigit() and len(g) == 3 for g in groups[:-1])
        tail_ok = re.fullmatch(r"\d{3}([.,]\d+)?", tail) is not None
        if not (body_ok and tail_ok):
            raise CellError(f"'{raw.strip()}' är inte ett tal", NUMBER_EXPECTED)
        s = "".join(parts)
    if not (s.isascii() and _NUMBER_RE.match(s)):
        raise CellError(f"'{raw.strip()}' är inte ett tal", NUMBER_EXPECTED)
    value = float(s.replace(",", "."))
    if not math.isfinite(value) or abs(value) >= MAX_ABS:
        raise CellError(f"'{raw.strip()[:40]}' är orimligt stort (10^15 eller mer)", NUMBER_EXPECTED + f"; till beloppet under {MAX_ABS:.0e}")
    return -value if negative else value


PERIOD_EXPECTED = "ett år (2023) eller en månad (2023-01, 202301, jan 2023, januari 2023)"
MIN_YEAR, MAX_YEAR = 1990, 2100

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_MONTH_ABBR = {name[:3]: num for name, num in MONTHS.items()}
_MONTH_ABBR.update({"okt": 10, "sept": 9})
#: Two-digit years read as Excel reads them (00–29 -> 2000–2029); others are ambiguous.
TWO_DIGIT_YEAR_MAX = 29


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

    Only unambiguous forms are accepted (see the module docstring).

    >>> parse_period("2023"), parse_period("202301"), parse_period("januari 2023")
    (Period('2023', 'Y-DEC'), Period('2023-01', 'M'), Period('2023-01', 'M'))
    """
    raw = str(text).strip()
    if re.fullmatch(r"\d{4}\.0", raw):  # a year cell Excel stored as a float
        return pd.Period(year=_year(int(raw[:4]), raw), freq="Y")
    if re.fullmatch(r"\d{4}[.,]\d", raw):
        raise CellError(
            f"'{raw}' är tvetydigt: en månad som Excel gjort till ett tal ({raw[:4]}.1 kan vara januari eller oktober)",
            PERIOD_EXPECTED + "; månaden med två siffror (2023-10)",
        )
    if m := re.fullmatch(r"(\d{4})\s*/\s*(\d{2})", raw):
        y, n = int(m[1]), int(m[2])
        if n == (y + 1) % 100:
            raise CellError(
                f"'{raw}' ser ut som ett brutet räkenskapsår ({y}/{y + 1}), inte en månad",
                PERIOD_EXPECTED + "; ett brutet räkenskapsår delas upp i månader",
            )
    s = " ".join(raw.lower().replace(".", " ").split())
    if not s:
        raise CellError("tom cell", PERIOD_EXPECTED)
    if re.fullmatch(r"\d{4}", s):
        return pd.Period(year=_year(int(s), raw), freq="Y")
    if m := re.fullmatch(r"(\d{4})[-/ ]?m?(\d{1,2})", s):
        if "-" in s or "/" in s or " " in s or "m" in s or len(s) == 6:
            return _month(int(m[1]), int(m[2]), raw)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})( 00:00:00)?", s):  # a date cell from Excel
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if 1 <= month <= 12 and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise CellError(f"'{raw}': datumet finns inte (dag {day} i månad {month} år {year})", PERIOD_EXPECTED)
        return _month(year, month, raw)
    if m := re.fullmatch(r"([a-zåäö]+)[ -]?(\d{4}|\d{2})", s):
        name, digits = m[1], m[2]
        month = MONTHS.get(name) or _MONTH_ABBR.get(name)
        if month is None:
            raise CellError(f"'{raw}' är ingen period: '{name}' är inget månadsnamn", PERIOD_EXPECTED + "; månadens namn eller de tre första bokstäverna")
        year = int(digits)
        if len(digits) == 2:
            if year > TWO_DIGIT_YEAR_MAX:
                raise CellError(
                    f"'{raw}': tvåsiffrigt år {digits} är tvetydigt (19{digits} eller 20{digits})",
                    PERIOD_EXPECTED + "; året med fyra siffror",
                )
            year += 2000
        return _month(year, month, raw)
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


NAME_EXPECTED = "synlig text utan osynliga tecken eller styrtecken"
#: Characters allowed in free text (source, note) although they are control characters.
_TEXT_CONTROLS = "\n\r\t"


def _bad_char(text: str, allowed: str = "") -> str | None:
    for ch in text:
        if ch in allowed:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn") or cat in ("Zl", "Zp"):
            return ch
    return None


def _describe_char(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def normalize_name(text: str) -> str:
    """A name (org, category) as it is compared and shown: NFC, whitespace folded.

    Raises :class:`CellError` for invisible characters (zero-width space, soft hyphen,
    BOM) and control characters (NUL), which make names that look the same differ.

    >>> normalize_name("Omra\u030ade\u00a0 IT ")
    'Område IT'
    """
    s = unicodedata.normalize("NFC", str(text))
    if ch := _bad_char(s):
        raise CellError(f"'{s.strip()[:40]}' innehåller ett osynligt tecken eller styrtecken ({_describe_char(ch)})", NAME_EXPECTED)
    return " ".join(s.split())


def normalize_text(text: str) -> str:
    """Free text (source, note): NFC and stripped; line breaks and tabs inside are kept.

    Raises :class:`CellError` for invisible and other control characters.
    """
    s = unicodedata.normalize("NFC", str(text))
    if ch := _bad_char(s, _TEXT_CONTROLS):
        raise CellError(f"texten innehåller ett osynligt tecken eller styrtecken ({_describe_char(ch)})", NAME_EXPECTED)
    return s.strip()
