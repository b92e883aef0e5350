"""Generic indicators on the tidy table: selection, annual series, growth, per invånare,
shares. Domain analyses (deficits, savings, staffing) build on these."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from regionanalys.data.regions import resolve_region


def _as_list(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


def _in(values: np.ndarray | pd.api.extensions.ExtensionArray, wanted: list) -> np.ndarray:
    """``Series.isin(wanted)`` on bare column values, as a boolean array.

    Plain numpy comparisons where they mean the same (a few strings against Python
    objects, integers against integers): a pandas ``isin`` costs about 0,1 ms per call,
    most of a select on a small table.
    """
    if isinstance(values, np.ndarray):
        if values.dtype == object and len(wanted) <= 8 and all(type(w) is str for w in wanted):
            hit = np.zeros(len(values), dtype=bool)
            for w in wanted:
                hit |= values == w
            return hit
        if values.dtype.kind in "iu" and all(isinstance(w, (int, np.integer)) and not isinstance(w, bool)
                                             for w in wanted):
            return np.isin(values, np.asarray(wanted, dtype=np.int64))
        # The dtype given: without it pandas would infer a string dtype for object arrays (slow).
        return pd.Series(values, dtype=values.dtype, copy=False).isin(wanted).to_numpy()
    return np.asarray(values.isin(wanted), dtype=bool)


def select(
    df: pd.DataFrame,
    *,
    region: str | Iterable[str] | None = None,
    org: str | Iterable[str] | None = None,
    series: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    freq: str | None = None,
    year: int | Iterable[int] | None = None,
) -> pd.DataFrame:
    """Rows matching every given filter; each filter takes one value or a list.

    Regions may be given by code or name.
    """
    return df.take(_positions(df, region, series, org, kind, category, year, freq))


def _positions(df: pd.DataFrame, region, series, org, kind, category, year, freq) -> np.ndarray:
    """The row positions :func:`select` takes, in table order."""
    regions = _as_list(region)
    wanted = [("region", None if regions is None else [resolve_region(r) for r in regions]),
              *((col, _as_list(v)) for col, v in (("series", series), ("org", org), ("kind", kind),
                                                  ("category", category), ("year", year))),
              ("freq", None if freq is None else [freq])]
    # Narrowed filter by filter, each looking only at the rows still in (region and series
    # first: they keep the fewest): reports call this dozens of times on their whole table.
    positions = np.arange(len(df))
    for col, values in wanted:
        if values is None:
            continue
        column = df[col]
        column = column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array
        if len(positions) < len(df):
            column = column[positions] if isinstance(column, np.ndarray) else column.take(positions)
        positions = positions[_in(column, values)]
    return positions


def annual(
    df: pd.DataFrame, series: str, region: str, *, org: str = "region", kind: str = "utfall", category: str = ""
) -> pd.Series:
    """One annual series as values indexed by year (sorted); empty if the data has none."""
    positions = _positions(df, region, series, org, kind, category, None, "Y")
    # From the two columns of the selected rows, not whole rows and pandas' set_index and
    # sort_index: those were ~1 ms of a ~1,4 ms call, and reports ask ~950 per 21-region
    # run. (The index is an Index of the years in their column's dtype; pandas 3 would make
    # a RangeIndex of evenly spaced years in table order: equal values and lookups.)
    years = df["year"].array.take(positions)
    order = years.argsort(kind="stable")
    index = pd.Index(years.take(order), name="year")
    if index.has_duplicates:
        raise ValueError(f"flera värden per år för {series} {region} {org} {kind} {category!r}")
    return pd.Series(df["value"].array.take(positions).take(order), index=index, name=series)


def value_at(
    df: pd.DataFrame, series: str, region: str, year: int, *, org: str = "region", kind: str = "utfall", category: str = ""
) -> float:
    """The annual value for one year, or NaN if the data does not contain it."""
    s = annual(df, series, region, org=org, kind=kind, category=category)
    return float(s.get(year, np.nan))


def growth_pct(current: float, previous: float) -> float:
    """Percentage change from ``previous`` to ``current`` (NaN when undefined)."""
    if previous is None or np.isnan(previous) or previous == 0 or current is None or np.isnan(current):
        return np.nan
    return (current - previous) / abs(previous) * 100.0


def yearly_growth(values: pd.Series) -> pd.Series:
    """Growth in percent against the previous *calendar* year (a gap gives NaN, not a
    longer comparison)."""
    prev = values.reindex(values.index - 1).to_numpy()
    return pd.Series([growth_pct(c, p) for c, p in zip(values.to_numpy(), prev)], index=values.index)


def per_capita(amount_mnkr: float | pd.Series, population: float | pd.Series) -> float | pd.Series:
    """Kronor per invånare from an amount in mnkr and a population."""
    return amount_mnkr * 1e6 / population


def share_pct(part: float | pd.Series, whole: float | pd.Series) -> float | pd.Series:
    """``part`` as a percentage of ``whole``."""
    return part / whole * 100.0


def population(df: pd.DataFrame, region: str) -> pd.Series:
    """Population 31 December by year (SCB), from the data."""
    return annual(df, "befolkning", region)


def forecast_as_of(note: str) -> str:
    """When a forecast was made, as its row's note states it ("Prognos per 2023-10-19 (…)"
    -> "2023-10-19"; "Prognos per periodrapport januari–mars 2024" -> that text), else ""."""
    import re

    match = re.search(r"[Pp]rognos per ([^(:;,.]+(?:\d{4}-\d{2}-\d{2})?)", note or "")
    return match.group(1).strip() if match else ""


def population_source(df: pd.DataFrame, year: int) -> str:
    """The source of the population figures of ``year`` as the data states it (the SCB
    table and the reference date), for the caption of every per-invånare figure."""
    rows = df[(df["series"] == "befolkning") & (df["year"] == year) & (df["freq"] == "Y")]
    sources = sorted(set(rows["source"]))
    return "; ".join(sources) if sources else f"folkmängd {year} saknas i underlaget"


def budget_from_deviation(outcome: float, deviation: float) -> float:
    """Budget implied by an outcome and its stated deviation from budget (utfall − avvikelse)."""
    return outcome - deviation


def coverage(df: pd.DataFrame) -> pd.DataFrame:
    """What the data holds: rows, first and last period and kinds per region and series."""
    keyed = df.assign(_p=df["period"].astype(str))
    out = keyed.groupby(["region", "series"], as_index=False).agg(
        rader=("value", "size"), från=("_p", "min"), till=("_p", "max"),
        slag=("kind", lambda k: ", ".join(sorted(set(k)))), exempeldata=("example", "any"),
    )
    return out
