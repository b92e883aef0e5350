"""Swedish number formats for reports: ``11 776 mnkr``, ``4,6 %``, ``−478``, ``januari``.

Babel's Swedish locale (CLDR data) groups thousands, writes the decimal comma, places the
percent sign and names the months. Thousands are grouped with a no-break space (so a figure
never wraps across lines) and negative numbers use the Unicode minus sign, as Swedish
typography does.
"""
from __future__ import annotations

import copy
import math
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import NumberPattern

LOCALE = Locale.parse("sv_SE")
NBSP = "\u00a0"  #: CLDR's Swedish group separator; also between a number and its unit
MINUS = "\u2212"  #: CLDR's Swedish minus sign (tests check Babel agrees)
MISSING = "–"  #: shown for a value the data does not contain

#: Unit suffixes: hand-written because CLDR has no units like "mnkr" or "åa" (årsarbetare).
UNIT_SUFFIX = {
    "mnkr": "mnkr", "tkr": "tkr", "kr": "kr", "kr_per_inv": "kr/inv", "procent": "%",
    "procentenheter": "procentenheter", "personer": "", "arsarbetare": "åa",
    "tjanster": "tjänster", "anstallda": "anställda", "timmar": "tim",
}


def is_missing(value: object) -> bool:
    """Whether ``value`` is None or NaN (shown as ``–``, never as 0)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


@lru_cache(maxsize=None)
def _pattern(percent: bool, decimals: int) -> NumberPattern:
    """The locale's decimal or percent pattern with exactly ``decimals`` decimals."""
    pattern = copy.copy(LOCALE.percent_formats[None] if percent else LOCALE.decimal_formats[None])
    pattern.frac_prec = (decimals, decimals)
    return pattern


def _format(value: float | int, decimals: int, sign: bool, percent: bool = False) -> str:
    return _format_float(float(value), decimals, sign, percent)


@lru_cache(maxsize=8192)
def _format_float(value: float, decimals: int, sign: bool, percent: bool) -> str:
    # Cached because Babel's pattern costs ~15 µs a number and reports repeat their numbers:
    # a staffing report formats ~1 500 numbers (mostly axis ticks), ~200 of them distinct.
    # The key is a float, so 5, 5.0 and numpy's 5.0 share an entry (they format alike).
    #
    # Python's round() first, so halves round as they always have (binary floats, half to
    # even); Babel then only lays out the digits. The sign is written here because Babel's
    # pattern writes an ASCII hyphen, not the locale's minus, and has no "+ on positives".
    rounded = round(value, decimals)
    number = Decimal(repr(abs(rounded)))
    text = _pattern(percent, decimals).apply(number.scaleb(-2) if percent else number, LOCALE)
    if rounded < 0:  # -0.04 rounds to -0.0, which is not < 0: no "−0,0"
        return MINUS + text
    return ("+" + text) if sign and rounded > 0 else text


def fmt_number(value: float | int | None, decimals: int = 0, sign: bool = False) -> str:
    """``11776`` -> ``11 776``; ``-478`` -> ``−478``; ``4.6, 1`` -> ``4,6``; None/NaN -> ``–``.

    ``sign=True`` writes ``+`` before positive numbers (for changes).
    """
    return MISSING if is_missing(value) else _format(value, decimals, sign)


def fmt_mnkr(value: float | None, decimals: int = 0, sign: bool = False) -> str:
    """``11776`` -> ``11 776 mnkr``."""
    return fmt_unit(value, "mnkr", decimals, sign)


def fmt_pct(value: float | None, decimals: int = 1, sign: bool = False) -> str:
    """``4.6`` -> ``4,6 %`` (the value is already in percent)."""
    return fmt_unit(value, "procent", decimals, sign)


def fmt_unit(value: float | None, unit: str, decimals: int = 0, sign: bool = False) -> str:
    """A number with its unit's Swedish suffix; missing values are ``–`` without unit."""
    if is_missing(value):
        return MISSING
    if unit == "procent":
        return _format(value, decimals, sign, percent=True)
    return with_suffix(_format(value, decimals, sign), UNIT_SUFFIX.get(unit, unit))


def with_suffix(number: str, suffix: str) -> str:
    """``number`` and ``suffix`` joined by a no-break space (``number`` alone if no suffix)."""
    return f"{number}{NBSP}{suffix}" if suffix else number


def default_decimals(value: float | None, unit: str) -> int:
    """Decimals a value of this unit is shown with: one for percent and small amounts."""
    if unit in ("procent", "procentenheter"):
        return 1
    if unit in ("mnkr", "arsarbetare") and not is_missing(value) and abs(value) < 100 and float(value) != int(value):
        return 1
    return 0


def fmt_auto(value: float | None, unit: str, sign: bool = False) -> str:
    """Format with the unit's default number of decimals."""
    return fmt_unit(value, unit, default_decimals(value, unit), sign)


def axis_formatter(decimals: int = 0, suffix: str = ""):
    """A matplotlib tick formatter that writes Swedish numbers (``1 000``, ``−2,5``)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: with_suffix(fmt_number(x, decimals), suffix))


def month_name(month: int) -> str:
    """``1`` -> ``januari``: the Swedish month name (Babel/CLDR)."""
    return get_month_names("wide", locale=LOCALE)[month]


def fmt_date(when, precision: str = "dag", short: bool = False) -> str:
    """``2022-11-21`` -> ``21 november 2022`` (``21 nov 2022`` with ``short``); with
    ``precision="månad"`` (a source that names only the month) ``juni 2023``: no day is
    invented."""
    import pandas as pd  # only where a date is formatted; the module stays light otherwise

    ts = pd.Timestamp(when)
    month = month_abbr(ts.month) if short else month_name(ts.month)
    return f"{month} {ts.year}" if precision == "månad" else f"{ts.day} {month} {ts.year}"


def month_abbr(month: int) -> str:
    """``1`` -> ``jan``, ``3`` -> ``mar``: three letters, for chart axes and short dates.

    Cut from the full name because CLDR's Swedish abbreviations ("jan.", "mars", "juni")
    are of uneven length and carry a full stop, which crowds a time axis.
    """
    return month_name(month)[:3]


def plain(text: str) -> str:
    """Text with no-break spaces and Unicode minus replaced by ASCII (for tests and logs)."""
    return text.replace(NBSP, " ").replace("\u202f", " ").replace(MINUS, "-")
