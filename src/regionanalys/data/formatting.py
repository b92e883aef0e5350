"""Swedish number formats for reports: ``11 776 mnkr``, ``4,6 %``, ``−478``.

Thousands are grouped with a no-break space (so a figure never wraps across lines) and
negative numbers use the Unicode minus sign, as Swedish typography does.
"""
from __future__ import annotations

import math

NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "–"  #: shown for a value the data does not contain

UNIT_SUFFIX = {
    "mnkr": "mnkr", "tkr": "tkr", "kr": "kr", "kr_per_inv": "kr/inv", "procent": "%",
    "procentenheter": "procentenheter", "personer": "", "arsarbetare": "åa",
    "tjanster": "tjänster", "anstallda": "anställda", "timmar": "tim",
}


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | int | None, decimals: int = 0, sign: bool = False) -> str:
    """``11776`` -> ``11 776``; ``-478`` -> ``−478``; ``4.6, 1`` -> ``4,6``; None/NaN -> ``–``.

    ``sign=True`` writes ``+`` before positive numbers (for changes).
    """
    if is_missing(value):
        return MISSING
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "−0"
    text = f"{abs(rounded):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    if rounded < 0:
        return MINUS + text
    return ("+" + text) if sign and rounded > 0 else text


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
    suffix = UNIT_SUFFIX.get(unit, unit)
    number = fmt_number(value, decimals, sign)
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

    def _fmt(x: float, _pos: int) -> str:
        text = fmt_number(x, decimals)
        return f"{text}{NBSP}{suffix}" if suffix else text

    return FuncFormatter(_fmt)


def plain(text: str) -> str:
    """Text with no-break spaces and Unicode minus replaced by ASCII (for tests and logs)."""
    return text.replace(NBSP, " ").replace("\u202f", " ").replace(MINUS, "-")
