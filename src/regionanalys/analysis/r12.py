"""The rolling-twelve-month engine: R12, year to date and the same period last year.

Monthly series in (a Series indexed by monthly Periods), window values out. Used by
:mod:`regionanalys.analysis.staffing` for every staffing indicator; it knows nothing
about series ids or regions, so it imports only pandas, numpy and the data layer's
period parsing.

* **R12** at a month is computed over the twelve months ending with that month. It
  exists only when every one of those twelve months is in the data, for every series
  the measure needs; a gap gives no value (and a reason, see :func:`r12_gaps`), never a
  shorter window.
* **Amounts** (kostnader, timmar) over a window are the sum of the months.
* **Rates** (sjukfrånvaro %, the SKR measure) over a window are a ratio of sums: the
  sum of the numerator over the months divided by the sum of the denominator over the
  same months. The mean of monthly rates is never used: it weighs a short month (July,
  few scheduled hours) as much as a long one.
* **Hours in årsarbetare** over a window are the average number of årsarbetare in it:
  the hours summed over the window divided by ``hours_per_arsarbetare`` × (months /
  12). For R12 that is the twelve-month sum divided by ``hours_per_arsarbetare``.

Year to date covers January to the month; the same period last year is the same
months one year earlier, and it too needs every month.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regionanalys.data.parsing import parse_period

#: Hours of närvarotid that count as one årsarbetare (one full-time person for a year).
#:
#: 1 700 is a convention, not an official SKR figure: a full-time employee (40 h a week)
#: has about 251 working days a year after public holidays on weekdays, ≈ 2 008 h; minus
#: 25 days' vacation (the minimum in semesterlagen and AB; older staff get up to 32) ≈
#: 1 808 h; minus ≈ 100 h of other ordinary absence (kompetensutveckling, kompledighet,
#: short leave) ≈ 1 700 h of presence. Regions use different figures (commonly 1 600–
#: 1 800); pass the region's own figure as ``hours_per_arsarbetare`` to every function
#: that converts hours, and state it in the report (:func:`staffing.method_note` does).
HOURS_PER_ARSARBETARE = 1700.0

MONTH_NAMES = [
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december",
]

# ---------------------------------------------------------------------------------------
# Months


def to_month(value: str | pd.Period | pd.Timestamp) -> pd.Period:
    """A month as a monthly Period ("2023-05", "maj 2023", Period or Timestamp)."""
    if isinstance(value, pd.Period):
        if not value.freqstr.startswith("M"):
            raise ValueError(f"{value} är inte en månad")
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_period("M")
    p = parse_period(str(value))
    if not p.freqstr.startswith("M"):
        raise ValueError(f"{value!r} är ett år, inte en månad")
    return p


def fmt_month(month: pd.Period, short: bool = False) -> str:
    """``Period('2023-05')`` -> ``maj 2023`` (``short``: ``maj 2023``/``jan 2023``)."""
    name = MONTH_NAMES[month.month - 1]
    return f"{name[:3] if short else name} {month.year}"


def fmt_months(start: pd.Period, end: pd.Period) -> str:
    """A span of months in words: ``januari–maj 2023``, ``december 2022–maj 2023``."""
    if start == end:
        return fmt_month(end)
    if start.year == end.year:
        return f"{MONTH_NAMES[start.month - 1]}–{fmt_month(end)}"
    return f"{fmt_month(start)}–{fmt_month(end)}"


def ytd_months(month: pd.Period) -> pd.PeriodIndex:
    """January to ``month`` of the same year."""
    month = to_month(month)
    return pd.period_range(pd.Period(year=month.year, month=1, freq="M"), month, freq="M")


def r12_months(month: pd.Period) -> pd.PeriodIndex:
    """The twelve months ending with ``month``."""
    month = to_month(month)
    return pd.period_range(month - 11, month, freq="M")


# ---------------------------------------------------------------------------------------
# The engine: monthly series in, window values out


def complete(values: pd.Series, start: pd.Period | None = None, end: pd.Period | None = None) -> pd.Series:
    """A monthly series on every month from its first (or ``start``) to its last (or ``end``).

    Months the data lacks become NaN, so they are visible as gaps and never shorten a window.
    """
    values = values.dropna() if start is None and end is None else values
    if values.empty and (start is None or end is None):
        return pd.Series(dtype=float, index=pd.PeriodIndex([], freq="M", name="månad"), name=values.name)
    idx = values.index
    lo = start if start is not None else idx.min()
    hi = end if end is not None else idx.max()
    full = pd.period_range(lo, hi, freq="M", name="månad")
    return values.reindex(full).astype(float).rename(values.name)


def align(*series: pd.Series | None) -> list[pd.Series | None]:
    """The series on one common run of months (the first to the last month any of them
    has), with NaN where a series lacks a month; None stays None."""
    present = [s for s in series if s is not None and not s.dropna().empty]
    if not present:
        return [None if s is None else complete(s.iloc[0:0]) for s in series]
    lo = min(s.dropna().index.min() for s in present)
    hi = max(s.dropna().index.max() for s in present)
    return [None if s is None else complete(s, lo, hi) for s in series]


def window_sum(values: pd.Series, n: int = 12) -> pd.Series:
    """Sum over the ``n`` months ending with each month; NaN unless all ``n`` are present.

    ``values`` must be on consecutive months (see :func:`complete`): the window counts rows.
    """
    # min_periods=n: rolling skips NaN, so a window with a missing month has fewer than n
    # values and stays empty instead of becoming a shorter sum.
    return values.astype(float).rolling(n, min_periods=n).sum().rename(values.name)


def r12(
    numerator: pd.Series,
    denominator: pd.Series | None = None,
    *,
    how: str = "sum",
    hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE,
    scale: float = 100.0,
) -> pd.Series:
    """Rolling twelve months at every month of a monthly series (index: monthly Periods).

    ``how``: ``"sum"`` (amounts: the twelve-month sum), ``"ratio"`` (rates: sum of
    ``numerator`` / sum of ``denominator`` × ``scale``, i.e. percent), ``"arsarbetare"``
    (hours: the twelve-month average in årsarbetare = sum / ``hours_per_arsarbetare``).
    A month whose twelve-month window is not complete gets NaN.
    """
    num, den = align(numerator, denominator)
    if num is None or num.empty:
        return pd.Series(dtype=float, index=pd.PeriodIndex([], freq="M", name="månad"))
    s = window_sum(num)
    if how == "sum":
        return s
    if how == "arsarbetare":
        return s / hours_per_arsarbetare
    if how == "ratio":
        if den is None:
            raise ValueError("ett kvotmått behöver en nämnare")
        d = window_sum(den)
        return (s / d.where(d != 0)) * scale
    raise ValueError(f"okänt sätt att räkna {how!r}; förväntat sum, ratio eller arsarbetare")


def window_value(
    numerator: pd.Series,
    denominator: pd.Series | None,
    months: Iterable[pd.Period],
    *,
    how: str = "sum",
    hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE,
    scale: float = 100.0,
) -> float:
    """The measure over exactly ``months`` (see :func:`r12` for ``how``); NaN if any is missing."""
    months = list(months)
    if not months:
        return np.nan
    num = numerator.reindex(months).astype(float)
    if num.isna().any():
        return np.nan
    total = float(num.sum())
    if how == "sum":
        return total
    if how == "arsarbetare":
        return total / (hours_per_arsarbetare * len(months) / 12.0)
    if how == "ratio":
        if denominator is None:
            raise ValueError("ett kvotmått behöver en nämnare")
        den = denominator.reindex(months).astype(float)
        if den.isna().any() or float(den.sum()) == 0:
            return np.nan
        return total / float(den.sum()) * scale
    raise ValueError(f"okänt sätt att räkna {how!r}")


@dataclass(frozen=True)
class Gap:
    """A run of months for which an R12 value cannot be computed, and why."""

    start: pd.Period
    end: pd.Period
    reason: str
    kinds: frozenset[str] = frozenset()  #: "start", "gap", "end", "none": what causes it

    @property
    def only_start(self) -> bool:
        """True for the first eleven months of a series, which never have R12."""
        return self.kinds == {"start"}

    @property
    def months(self) -> str:
        return fmt_months(self.start, self.end)


def r12_gaps(parts: Mapping[str, pd.Series], until: pd.Period | None = None, start: pd.Period | None = None) -> list[Gap]:
    """Why R12 is missing: runs of months without R12 and the months the data lacks.

    ``parts`` are the monthly series a measure needs, by a Swedish name for the text
    ("sjukfrånvarotimmar"). Months are checked from the first month any part has (or
    ``start``) to the last (or ``until``). For each month without R12 the causes are the
    months in its window that a part lacks: before the part starts, a gap inside it, or
    after it ends. Consecutive months without R12 are merged into one :class:`Gap`.
    """
    present = {k: v.dropna() for k, v in parts.items()}
    nonempty = {k: v for k, v in present.items() if not v.empty}
    if not nonempty:
        return []
    lo = start if start is not None else min(v.index.min() for v in nonempty.values())
    hi = until if until is not None else max(v.index.max() for v in nonempty.values())
    if hi < lo:
        return []
    months = pd.period_range(lo, hi, freq="M")
    info = {}
    for name, v in present.items():
        # Month ordinals (ints), not Periods: the window test below runs 12 times per month
        # and part, and Period arithmetic and hashing cost ~20 times more.
        if not v.empty and not (isinstance(v.index, pd.PeriodIndex) and v.index.freqstr == "M"):
            raise TypeError(f"r12_gaps: {name} is not a monthly series (a PeriodIndex of months), "
                            f"its index is {type(v.index).__name__}")
        have = set(v.index.asi8.tolist()) if not v.empty else set()
        first = v.index.min() if not v.empty else None
        last = v.index.max() if not v.empty else None
        info[name] = (have, first, last)
    # A cause is (rank, month, text): starts first, then missing months in time order, then ends.
    runs: list[tuple[pd.Period, pd.Period, set[tuple]]] = []
    for m in months:
        causes: set[tuple] = set()
        here = m.ordinal
        for name, (have, first, last) in info.items():
            window = [w for w in range(here - 11, here + 1) if w not in have]
            if not window:
                continue
            if first is None:
                causes.add((3, 0, f"{name} saknas helt i underlaget"))
                continue
            lo_o, hi_o = first.ordinal, last.ordinal
            if window[0] < lo_o:
                causes.add((0, lo_o, f"{name} börjar i {fmt_month(first)}, så tolv månader finns först i {fmt_month(first + 11)}"))
            causes.update((1, w, f"{name} saknas för {fmt_month(pd.Period(ordinal=w, freq='M'))}")
                          for w in window if lo_o <= w <= hi_o)
            if window[-1] > hi_o:
                causes.add((2, hi_o, f"{name} slutar i {fmt_month(last)}"))
        if not causes:
            continue
        if runs and runs[-1][1] == m - 1:
            runs[-1] = (runs[-1][0], m, runs[-1][2] | causes)
        else:
            runs.append((m, m, causes))
    kinds = ("start", "gap", "end", "none")
    return [
        Gap(a, b, "; ".join(text for *_, text in sorted(causes)) + ".", frozenset(kinds[c[0]] for c in causes))
        for a, b, causes in runs
    ]

