"""The data contract: what a valid observation table is, and how problems are reported.

Cells are parsed in :mod:`regionanalys.data.loading`; the typed table is then checked here
against a pandera schema (lazy, so every problem is collected in one pass) and against
rules that need several rows at once. Each failure is mapped back to the file, line and
column it came from, with a Swedish message and what was expected.

Two severities:

* ``fel`` (error): the data is wrong or cannot be read. :func:`regionanalys.load` raises
  :class:`DataError` and returns nothing, so a report never shows a partial table.
* ``varning`` (warning): the data is readable and each value is as the source gives it,
  but something deserves a look. :func:`regionanalys.validate` lists warnings next to
  errors; ``load`` does not stop on them.

Decisions (see also ``tests/bad_inputs/expected.csv``):

* An **unknown column** is an error, not a warning: a misspelt ``note`` or ``category``
  or a stray export column would otherwise be dropped without anyone noticing.
* **Totals** (rule :func:`check_totals`): for a series whose registry ``aggregation`` is
  ``"sum"``, when the same region, org, series, period and kind has a total row
  (category ``""``) and at least one part (another category), the parts must add up to
  the total within rounding: half a unit of the last digit shown, for the total and for
  each part (``2 394,5`` is exact to ±0,05; ``665`` to ±0,5). A difference is an error
  naming the parts' sum: it is how a lost decimal comma from OCR ("23945" for 2 394,5) is
  caught, without guessing where the comma belongs. A difference the source document
  really has (politicians adjusted a total, the breakdown is partial) is documented by
  starting the total row's ``note`` with :data:`DOCUMENTED_DIFFERENCE_MARKER`
  ("Känd avvikelse:"); it is then a warning, listed by ``validate`` but loaded.
* **A month missing** inside the covered range of a monthly series that is summed or
  averaged (``aggregation`` ``"sum"`` or ``"mean"``) is a warning: the values that are
  there are right, and rolling twelve-month (R12) figures must treat a window with a gap
  as missing, not as a sum of eleven months. Blocking every report for one missing month
  in one export would do more harm than a listed warning.
* **Real data replaces example data**: when a region has real rows (``example`` false) of a
  series, the example rows of that region and series are not loaded
  (:func:`regionanalys.data.loading.drop_superseded_examples`, before the duplicate check,
  so an import overlapping the example rows is no duplicate); ``validate`` lists each
  superseded example series as a warning, and ``load(...).attrs["example_series"]`` lists
  the series that are still example data.
* **Upper bounds between series** (:data:`AT_MOST`): e.g. sick-leave hours can never
  exceed the scheduled hours of the same region, org, category, month and kind; a row
  that does is an error.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from regionanalys.data.formatting import fmt_number, plain
from regionanalys.data.registry import CATEGORY_LABELS, KINDS, UNITS, series_registry
from regionanalys.data.regions import REGIONS

if TYPE_CHECKING:
    import pandera.pandas as pa

#: Columns every observation file must have, in this order in the files we ship.
REQUIRED_COLUMNS = ("region", "org", "series", "category", "period", "kind", "value", "unit", "source")
#: Columns a file may have.
OPTIONAL_COLUMNS = ("note", "example")
#: The key that identifies one observation; no two rows may share it.
KEY = ("region", "org", "series", "category", "period", "kind")

#: Severity of a problem that stops :func:`regionanalys.load`.
FEL = "fel"
#: Severity of a problem :func:`regionanalys.validate` lists but ``load`` accepts.
VARNING = "varning"

#: A total row whose ``note`` starts with this documents that the source's own parts do not
#: add up to its total; the difference is then a warning, not an error.
DOCUMENTED_DIFFERENCE_MARKER = "Känd avvikelse:"

#: Pairs (series, bound): a value of ``series`` may not exceed the value of ``bound`` for the
#: same region, org, category, period and kind. Pairs naming a series the registry does not
#: (yet) define are skipped.
AT_MOST: tuple[tuple[str, str], ...] = (
    # Sick leave is taken out of the ordinary (scheduled) working time: it cannot exceed it.
    ("sjukfranvaro_timmar", "ordinarie_arbetstid_timmar"),
)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as it can be."""

    file: str
    line: int  #: 1-based line in the file; the header is line 1, 0 = the file as a whole
    column: str
    message: str
    expected: str = ""
    severity: str = FEL  #: :data:`FEL` stops ``load``; :data:`VARNING` is listed only

    @property
    def is_error(self) -> bool:
        return self.severity != VARNING

    def __str__(self) -> str:
        where = f"{self.file}, rad {self.line}" if self.line else self.file
        if self.column:
            where += f", kolumn '{self.column}'"
        text = f"{where}: {'varning: ' if not self.is_error else ''}{self.message}"
        return f"{text} (förväntat: {self.expected})" if self.expected else text


def is_documented_difference(note: object) -> bool:
    """Whether a row's note documents a known difference (starts with the marker)."""
    return isinstance(note, str) and note.strip().casefold().startswith(DOCUMENTED_DIFFERENCE_MARKER.casefold())


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that stop :func:`regionanalys.load` (severity ``fel``)."""
    return [p for p in problems if p.is_error]


class DataError(ValueError):
    """Raised by :func:`regionanalys.load` when the data has problems; lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        n = len(self.problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  … och {n - 50} till" if n > 50 else ""
        super().__init__(f"{n} problem i data:\n{shown}{more}")


def _series_units() -> dict[str, str]:
    return {sid: s.unit for sid, s in series_registry().items()}


def factorize(values) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=False)``, about twice as fast on text.

    pandas looks for missing values in a separate pass when asked to keep them as a
    value; the loader's text columns have none, so the sentinel pass is tried first and
    the slower one only runs when a missing value is really there.
    """
    codes, uniques = pd.factorize(values)
    if len(codes) and codes.min() < 0:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, uniques


def factorize_pairs(a, b) -> tuple[np.ndarray, list[tuple]]:
    """Codes per row and the distinct (a, b) pairs, without building a tuple per row."""
    ca, ua = factorize(np.asarray(a, dtype=object))
    cb, ub = factorize(np.asarray(b, dtype=object))
    return pairs_of_codes(ca, ua, cb, ub)


def pairs_of_codes(ca: np.ndarray, ua, cb: np.ndarray, ub) -> tuple[np.ndarray, list[tuple]]:
    """Per row the code of its (a, b) pair and the pairs, from two columns already coded
    (``ca`` indexes ``ua``, ``cb`` indexes ``ub``): integers are factorized, not the text of every row.

    Codes are unique per pair of codes; if ``ua`` or ``ub`` repeats a value, one (a, b)
    pair may get two codes.
    """
    n = max(len(ub), 1)
    codes, combined = pd.factorize(ca.astype(np.int64) * n + cb)
    return codes, [(ua[c // n], ub[c % n]) for c in combined]


def _lookup(column: pd.Series, table: dict) -> pd.Series:
    """``column.map(table)`` with one dictionary lookup per distinct value, not per row."""
    codes, uniques = factorize(column)
    found = np.empty(len(uniques), dtype=object)
    found[:] = [table.get(u) for u in uniques]
    return pd.Series(found[codes], index=column.index)


def observation_schema(check_types: bool = True, unique: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of the tidy observation table that :func:`load` returns.

    :func:`check_table` builds it with ``check_types=False, unique=False``: the loader
    makes every text column ``str`` already, and checks unique keys on ``str(period)``,
    which is much faster than pandera's element-wise type check and its hashing of Period
    objects on a million rows.
    """
    # imported here: the loader's own frames never need pandera (_schema_problems_fast), and
    # its import (with pydantic and typeguard) cost every report process ~0.3 CPU-s and 12 MB
    import pandera.pandas as pa

    text = str if check_types else None
    # Fast mode trusts the loader for types and missing values (its text columns are
    # never null); pandera's null check walks every cell of an object column.
    nullable = not check_types
    units = _series_units()
    minimums = {sid: s.minimum for sid, s in series_registry().items() if s.minimum is not None}

    def unit_fits_series(df: pd.DataFrame) -> pd.Series:
        # An unknown series or unit is reported by its own column check, not twice.
        wanted = _lookup(df["series"], units)
        return wanted.isna() | ~df["unit"].isin(list(UNITS)) | (df["unit"] == wanted)

    def above_minimum(df: pd.DataFrame) -> pd.Series:
        lowest = _lookup(df["series"], minimums).astype(float)
        return lowest.isna() | (df["value"] >= lowest)

    return pa.DataFrameSchema(
        {
            "region": pa.Column(text, pa.Check.isin(list(REGIONS), ignore_na=False), nullable=nullable),
            "org": pa.Column(text, pa.Check.str_length(min_value=1, ignore_na=False), nullable=nullable),
            "series": pa.Column(text, pa.Check.isin(list(units), ignore_na=False), nullable=nullable),
            "category": pa.Column(text, nullable=nullable),
            "period": pa.Column(object, nullable=nullable),
            "kind": pa.Column(text, pa.Check.isin(list(KINDS), ignore_na=False), nullable=nullable),
            "value": pa.Column(float, pa.Check(lambda s: pd.Series(np.isfinite(np.asarray(s, dtype=float)), index=s.index), element_wise=False, error="ändligt tal", ignore_na=False), nullable=False),
            "unit": pa.Column(text, pa.Check.isin(list(UNITS), ignore_na=False), nullable=nullable),
            "source": pa.Column(text, pa.Check.str_length(min_value=1, ignore_na=False), nullable=nullable),
            "example": pa.Column(bool, nullable=False),
        },
        checks=[
            pa.Check(unit_fits_series, error="enheten passar serien", ignore_na=False),
            pa.Check(above_minimum, error="värdet är minst seriens minimum", ignore_na=False),
        ],
        unique=list(KEY) if unique else None,
        report_duplicates="all",
        strict=False,
        coerce=False,
    )


@lru_cache(maxsize=1 << 16)
def _num(value: float, decimals: int | None = None) -> str:
    """A number as Swedish text with plain spaces and ASCII minus (for messages).

    Cached: messages repeat the same few numbers, and the locale formatter is slow.
    """
    if not math.isfinite(value):
        return "inte ett ändligt tal" if value != value else ("-" if value < 0 else "") + "oändligt"
    if abs(value) >= 1e15:  # beyond any real amount (parsing.MAX_ABS); the locale formatter overflows
        return f"{value:.3e}".replace(".", ",")
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(6, len(f"{abs(value):.6f}".rstrip("0").split(".")[1]))
    return plain(fmt_number(value, decimals))


def _describe(column: str, check: str, row: pd.Series) -> tuple[str, str, str]:
    """Column, Swedish message and 'expected' text for a pandera check failure."""
    value = f"'{row.get(column, '')!s:.60}'"
    if check.startswith("isin"):
        if column == "region":
            return column, f"okänd region {value}", "en länskod (01–25, 00 för riket) eller ett regionnamn, t.ex. Region Värmland"
        if column == "series":
            close = difflib.get_close_matches(str(row.get(column, "")), list(series_registry()), n=1)
            hint = f" (menade du {close[0]}?)" if close else ""
            return column, f"okänd serie {value}{hint}", "ett serie-id ur registret (se `regionanalys list`)"
        if column == "kind":
            return column, f"okänd typ {value}", "en av " + ", ".join(KINDS)
        if column == "unit":
            return column, f"okänd enhet {value}", "en av " + ", ".join(u.label for u in UNITS.values())
    if "enheten passar serien" in check:
        series = series_registry().get(row.get("series"))
        unit = row.get("_unit_in") or row.get("unit")
        if series is not None:
            fam = UNITS[series.unit].family
            ok = ", ".join(u.label for u in UNITS.values() if u.family == fam)
            return "unit", f"enheten '{unit}' passar inte serien {series.id} ({series.unit_label})", f"{ok} för serien {series.id}"
        return "unit", f"enheten '{unit}' passar inte serien", "en enhet som passar serien"
    if "minimum" in check:
        series = series_registry().get(row.get("series"))
        low = series.minimum if series else 0
        return "value", f"värdet {_num(row['value'])} är lägre än seriens minsta möjliga värde {_num(low)}", f"ett värde på minst {_num(low)} för serien {row.get('series')}"
    if check.startswith("str_length"):
        return column, f"{column} saknas", "en ifylld text"
    return column, f"{value} är inte giltigt", check


def check_table(df: pd.DataFrame, incomplete: set | None = None, trusted: bool = False) -> list[Problem]:
    """Validate a typed observation table; every failure becomes a located :class:`Problem`.

    ``trusted=True`` (the loader's own frames, whose text columns are ``str`` and never
    null by construction) skips pandera's per-cell type and null checks, which dominate
    at a million rows; every value rule still runs.

    ``incomplete`` holds the keys (region, org, series, kind, period or None) of rows that
    could not be read; see :func:`check_rules`.

    ``df`` must carry ``_file`` and ``_line`` columns naming where each row came from; the
    rules use ``_resolution`` (the value of one unit of the last digit shown, in the stored
    unit) and ``_unit_in`` (the unit as the file wrote it) when present.
    """
    if df.empty:
        return []
    problems: list[Problem] = []
    dup_rows: set = set()
    df = with_key_codes(df)  # copy-on-write: the caller's frame is not touched
    dup_rows.update(df.index[df.duplicated(_k(KEY), keep=False).to_numpy()])
    if trusted:
        problems.extend(_schema_problems_fast(df))
    else:
        problems.extend(_schema_problems(df))
    problems.extend(_duplicate_problems(df.loc[sorted(dup_rows)] if dup_rows else df.iloc[0:0]))
    problems.extend(check_rules(df, incomplete))
    return problems


def _schema_problems_fast(df: pd.DataFrame) -> list[Problem]:
    """The checks of :func:`observation_schema` on a frame the loader built, column-wise.

    Hand-written because pandera's per-check overhead (and its backend import, 1 s with
    hypothesis installed) dominates a load of a million rows; types and nulls hold by
    construction there. Same checks and the same messages (:func:`_describe`), per row.
    """
    units = _series_units()
    minimums = {sid: s.minimum for sid, s in series_registry().items() if s.minimum is not None}
    failures: list[tuple[np.ndarray, str, str]] = []

    def isin(column: str, allowed) -> None:
        codes, uniques = codes_and_uniques(df, column)
        ok = np.array([u in allowed for u in uniques], dtype=bool)
        failures.append((~ok[codes], column, "isin"))

    def non_empty(column: str) -> None:
        codes, uniques = codes_and_uniques(df, column)
        ok = np.array([isinstance(u, str) and len(u) >= 1 for u in uniques], dtype=bool)
        failures.append((~ok[codes], column, "str_length"))

    isin("region", REGIONS)
    non_empty("org")
    isin("series", units)
    isin("kind", KINDS)
    isin("unit", UNITS)
    non_empty("source")
    value = df["value"].to_numpy(dtype=float)
    failures.append((~np.isfinite(value), "value", "ändligt tal"))
    # Unit and minimum per distinct (series, unit) pair.
    s_codes, s_uniques = codes_and_uniques(df, "series")
    pair, pairs = pairs_of_codes(s_codes, s_uniques, *codes_and_uniques(df, "unit"))
    fits = np.array([units.get(sid) is None or u not in UNITS or u == units[sid] for sid, u in pairs], dtype=bool)
    failures.append((~fits[pair], "", "enheten passar serien"))
    lowest = np.array([minimums.get(sid, np.nan) for sid in s_uniques], dtype=float)[s_codes]
    with np.errstate(invalid="ignore"):
        above = np.isnan(lowest) | (value >= lowest)
    failures.append((~above, "", "värdet är minst seriens minimum"))
    problems = []
    for mask, column, check in failures:
        for i in np.flatnonzero(mask):
            row = df.iloc[i]
            col, message, expected = _describe(column, check, row)
            problems.append(Problem(row["_file"], int(row["_line"]), col, message, expected))
    return problems


def _schema_problems(df: pd.DataFrame) -> list[Problem]:
    """The checks of :func:`observation_schema` run by pandera, as located problems."""
    from pandera.errors import SchemaErrors

    problems: list[Problem] = []
    try:
        observation_schema(check_types=True, unique=False).validate(df, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        seen: set = set()
        for case in cases.itertuples(index=False):
            idx = case.index
            check = str(case.check)
            column = str(case.column) if case.column is not None else ""
            if idx is None or idx != idx or idx not in df.index:
                problems.append(Problem("(tabellen)", 0, column, f"kontrollen {check} misslyckades: {case.failure_case}"))
                continue
            if (idx, check) in seen:  # a table-wide check reports every column of a row
                continue
            seen.add((idx, check))
            row = df.loc[idx]
            col, message, expected = _describe(column, check, row)
            problems.append(Problem(row["_file"], int(row["_line"]), col, message, expected))
    return problems


def _place(row: pd.Series) -> str:
    return f"{row['_file']} rad {int(row['_line'])}"


def _duplicate_problems(dups: pd.DataFrame) -> list[Problem]:
    """One problem per duplicated row, naming the other places with the same key."""
    problems = []
    if dups.empty:
        return problems
    keyed = dups.assign(_key=dups[list(KEY)].astype(str).agg("|".join, axis=1))
    for _, group in keyed.groupby("_key", sort=False):
        places = [(r["_file"], int(r["_line"]), r["value"]) for _, r in group.iterrows()]
        same = len({v for _, _, v in places}) == 1
        for i, (file, line, value) in enumerate(places):
            others = "; ".join(f"{f} rad {ln} (värde {_num(v)})" for j, (f, ln, v) in enumerate(places) if j != i)
            what = "dubblett" if same else f"motstridig dubblett (värde {_num(value)})"
            problems.append(
                Problem(
                    file, line, "",
                    f"{what}: samma nyckel (region, org, series, category, period, kind) finns också i {others}",
                    "en rad per nyckel",
                )
            )
    return problems


# --- rules across rows ------------------------------------------------------------------


def check_rules(df: pd.DataFrame, incomplete: set | None = None) -> list[Problem]:
    """Every rule that needs several rows: totals, bounds between series, month gaps.

    Rows whose key is duplicated are left out (the duplicate is the problem), and so are
    the groups a row that could not be read would belong to (``incomplete``: keys region,
    org, series, kind, period or None when the period itself was unreadable): a total
    that only misses an unreadable part is not a second problem.
    """
    if df.empty:
        return []
    df = with_key_codes(df)  # copy-on-write: the caller's frame is not touched
    dup = df.duplicated(_k(KEY), keep=False).to_numpy()
    keyed = df[~dup] if dup.any() else df  # duplicates are reported already
    per_row = check_categories(df) + check_case_variants(df)
    if not incomplete:
        return per_row + check_totals(keyed) + check_at_most(keyed) + check_month_gaps(keyed)
    series_keys = {k[:4] for k in incomplete}  # an unreadable row's series (its months may gap)
    exact = {k for k in incomplete if k[4] is not None}
    unknown_period = {k[:4] for k in incomplete if k[4] is None}
    keys = list(zip(keyed["region"], keyed["org"], keyed["series"], keyed["kind"]))
    periods = keyed["_pkey"]
    same_row = pd.Series([k in unknown_period or (*k, p) in exact for k, p in zip(keys, periods)], index=keyed.index, dtype=bool)
    same_series = pd.Series([k in series_keys for k in keys], index=keyed.index, dtype=bool)
    return per_row + check_totals(keyed[~same_row]) + check_at_most(keyed[~same_row]) + check_month_gaps(keyed[~same_series])


def _per_distinct(column: pd.Series, fn, key: pd.Series | None = None) -> pd.Series:
    """``fn`` applied once per distinct value of ``column`` (periods repeat thousands of times).

    ``key``, a column that is equal exactly where ``column`` is (e.g. ``str(period)``), is
    factorized instead when given: strings hash much faster than Period objects.
    """
    codes, uniques = factorize(column if key is None else key)
    if key is not None:
        first = np.full(len(uniques), -1, dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes))[::-1]
        uniques = column.to_numpy()[first]
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(u) for u in uniques]
    return pd.Series(mapped[codes], index=column.index)


#: Columns that identify groups in the rules; each is factorized once into ``_k_<column>``.
_KEY_COLUMNS = ("region", "org", "series", "category", "kind", "_pkey", "unit", "source")


def with_key_codes(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``_pkey`` and an integer code column ``_k_<c>`` per key column.

    Grouping and duplicate detection on integers is many times faster than on strings
    and Period objects; codes are equal exactly where the values are.
    """
    if "_k_region" in df:
        return df
    if "_pkey" not in df:
        df = df.assign(_pkey=period_keys(df))
    return df.assign(**{f"_k_{c}": factorize(df[c].to_numpy(dtype=object))[0] for c in _KEY_COLUMNS if c in df})


def codes_and_uniques(df: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Per row the code of its value, and the distinct values (from ``_k_<column>`` if there)."""
    if f"_k_{column}" not in df:
        codes, uniques = factorize(df[column].to_numpy(dtype=object))
        return codes, np.asarray(uniques, dtype=object)
    codes = df[f"_k_{column}"].to_numpy()
    first = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    return codes, df[column].to_numpy(dtype=object)[first]


def _k(columns) -> list[str]:
    return [f"_k_{'_pkey' if c == 'period' else c}" for c in columns]


def period_keys(df: pd.DataFrame) -> pd.Series:
    """``str(period)`` per row ("2023", "2023-01"), computed once per distinct period."""
    if "_pkey" in df:
        return df["_pkey"]
    return _per_distinct(df["period"], str)


def _resolution(df: pd.DataFrame) -> pd.Series:
    if "_resolution" in df:
        return df["_resolution"].astype(float).fillna(0.0)
    return pd.Series(0.0, index=df.index)


def _decimals_of(row: pd.Series) -> int:
    """Decimals the file wrote a row's value with (from its resolution and unit factor)."""
    factor = float(row.get("_factor", 1.0) or 1.0)
    res = float(row.get("_resolution", 0.0) or 0.0) / factor
    return max(0, min(6, round(-math.log10(res)))) if res > 0 else 0


def _shown(value: float, row: pd.Series, decimals: int | None = None) -> str:
    """A stored value written in the unit the file used for ``row`` (``84 754 tkr``)."""
    factor = float(row.get("_factor", 1.0) or 1.0)
    unit = row.get("_unit_in") or row["unit"]
    if unit not in UNITS or UNITS[unit].family != UNITS.get(row["unit"], UNITS["mnkr"]).family:
        unit, factor = row["unit"], 1.0
    label = UNITS[unit].label if unit in UNITS else str(unit)
    shown = value / factor
    if decimals == -1:  # as many decimals as the number needs
        return f"{_num(round(shown, 6))} {label}"
    return f"{_num(shown, _decimals_of(row) if decimals is None else decimals)} {label}"


def _group_ids(df: pd.DataFrame, columns: list[str], at: np.ndarray) -> np.ndarray:
    """Per position in ``at``, the id of its group (equal codes in every ``_k_`` column),
    numbered in order of first appearance like ``groupby(sort=False).ngroup()``.

    The codes are combined into one integer per row (mixed radix) and factorized once: a
    fraction of the memory of a key frame and its groupby at a million rows.
    """
    key = np.zeros(len(at), dtype=np.int64)
    span = 1
    for c in columns:
        codes = df[c].to_numpy()[at]
        n = int(codes.max()) + 1 if len(codes) else 1
        if span > (1 << 62) // n:  # too many combinations for one int64: group the frame instead
            keys = pd.DataFrame({c: df[c].to_numpy()[at] for c in columns})
            return keys.groupby(columns, sort=False).ngroup().to_numpy()
        key *= n
        key += codes
        span *= n
    return pd.factorize(key)[0]


def check_totals(df: pd.DataFrame) -> list[Problem]:
    """A stated total (category ``""``) must equal the sum of its parts within rounding.

    Applies to series with ``aggregation = "sum"``. The problem is put on the total row
    and names the parts and their sum; a total whose note starts with
    :data:`DOCUMENTED_DIFFERENCE_MARKER` gives a warning instead of an error.
    """
    summed = [sid for sid, s in series_registry().items() if s.aggregation == "sum"]
    df = with_key_codes(df)
    at = np.flatnonzero(df["series"].isin(summed).to_numpy())  # positions; no copy of the frame
    if len(at) == 0:
        return []
    is_total = (df["category"].to_numpy(dtype=object)[at] == "")
    gid = _group_ids(df, _k(["region", "org", "series", "period", "kind"]), at)
    # Per group, column-wise: number of totals, size, the parts' sum and rounding.
    ngroups = int(gid.max()) + 1
    n_total = np.bincount(gid, weights=is_total, minlength=ngroups)
    size = np.bincount(gid, minlength=ngroups)
    value = df["value"].to_numpy(dtype=float)[at]
    res = _resolution(df).to_numpy(dtype=float)[at]
    part = ~is_total
    parts_sum = np.bincount(gid, weights=np.where(part, value, 0.0), minlength=ngroups)
    parts_res = np.bincount(gid, weights=np.where(part, res, 0.0), minlength=ngroups)
    total_value = np.bincount(gid, weights=np.where(is_total, value, 0.0), minlength=ngroups)
    total_res = np.bincount(gid, weights=np.where(is_total, res, 0.0), minlength=ngroups)
    # A non-finite part makes bincount's sum inf or NaN; the comparison below then fails.
    has_inf = np.bincount(gid, weights=~np.isfinite(value), minlength=ngroups) > 0
    with np.errstate(invalid="ignore", over="ignore"):
        diff = total_value - parts_sum
        tolerance = 0.5 * (total_res + parts_res)
        # Slightly stricter than the exact check below, so that no group it would flag is skipped.
        within = np.abs(diff) <= (1 - 1e-9) * (tolerance + 1e-9 * np.maximum(1.0, np.abs(parts_sum)))
    checked = (n_total == 1) & (size > 1)  # only groups with one total and at least one part
    failing = checked & ~(within & ~has_inf)
    flagged = failing[gid]
    if not flagged.any():
        return []
    # The few groups that fail get their message from plain records (no per-group frames).
    columns = [c for c in ("category", "value", "unit", "note", "_file", "_line", "_factor", "_resolution", "_unit_in") if c in df]
    sub = df.iloc[at[flagged]][columns].assign(_res=res[flagged], _is_total=is_total[flagged])
    records = sub.to_dict("records")
    groups: dict[int, list[dict]] = {}
    for g, rec in zip(gid[flagged], records):
        groups.setdefault(int(g), []).append(rec)
    problems = []
    for group in groups.values():
        total = next(r for r in group if r["_is_total"])
        parts = [r for r in group if not r["_is_total"]]
        with np.errstate(invalid="ignore", over="ignore"):
            parts_sum = float(np.sum([p["value"] for p in parts]))
            diff = float(total["value"]) - parts_sum
            tolerance = 0.5 * (float(total["_res"]) + float(np.sum([p["_res"] for p in parts])))
        finite = math.isfinite(diff) and math.isfinite(tolerance)
        # Written so that inf or NaN anywhere fails the check instead of passing it.
        if finite and abs(diff) <= tolerance + 1e-9 * max(1.0, abs(parts_sum)):
            continue
        d = max(_decimals_of(r) for r in group)
        listed = " + ".join(f"{p['category']} {_shown(p['value'], p)}" for p in parts)
        if all(p["_file"] == total["_file"] for p in parts):
            where = "rad " + ", ".join(str(int(p["_line"])) for p in parts)
        else:
            where = ", ".join(_place(p) for p in parts)
        documented = is_documented_difference(total.get("note", ""))
        problems.append(
            Problem(
                total["_file"], int(total["_line"]), "value",
                f"summan {_shown(total['value'], total)} stämmer inte med summan av delarna "
                f"{_shown(parts_sum, total, d)} ({listed}; {where}), skillnad {_shown(diff, total, d)}",
                f"att delarna summerar till totalen inom avrundning (±{_shown(tolerance, total, -1)}); "
                f"en avvikelse som finns i källan dokumenteras med en note som börjar med '{DOCUMENTED_DIFFERENCE_MARKER}'",
                VARNING if documented else FEL,
            )
        )
    return problems


def check_at_most(df: pd.DataFrame) -> list[Problem]:
    """Values of a series may not exceed its bound series (:data:`AT_MOST`)."""
    registry = series_registry()
    problems = []
    key = ["region", "org", "category", "_period", "kind"]
    frame = df[df["series"].isin([s for pair in AT_MOST for s in pair])]
    frame = frame.assign(_period=period_keys(frame))
    for part_id, bound_id in AT_MOST:
        if part_id not in registry or bound_id not in registry:
            continue
        part = frame[frame["series"] == part_id]
        bound = frame[frame["series"] == bound_id]
        if part.empty or bound.empty:
            continue
        both = part.reset_index().merge(bound, on=key, suffixes=("", "_b"))
        res = _resolution(both) + (both["_resolution_b"].astype(float) if "_resolution_b" in both else 0.0)
        over = both[both["value"] > both["value_b"] + 0.5 * res + 1e-9]
        p_label, b_label = registry[part_id].label, registry[bound_id].label
        unit = registry[part_id].unit_label
        for _, r in over.iterrows():
            problems.append(
                Problem(
                    r["_file"], int(r["_line"]), "value",
                    f"{p_label} ({_num(r['value'])} {unit}) är större än {b_label.lower()} "
                    f"({_num(r['value_b'])} {registry[bound_id].unit_label}, {r['_file_b']} rad {int(r['_line_b'])}) "
                    f"för {r['_period']}",
                    f"högst {b_label.lower()} ({bound_id}) för samma region, org, kategori, period och typ",
                )
            )
    return problems


def check_month_gaps(df: pd.DataFrame) -> list[Problem]:
    """Missing months inside the covered range of a monthly summed or averaged series (warnings).

    One warning per gap, on the first row after it: R12 windows that cover the gap must be
    treated as missing.
    """
    registry = series_registry()
    flows = [sid for sid, s in registry.items() if s.aggregation in ("sum", "mean")]
    df = with_key_codes(df)
    problems: list[Problem] = []
    # One value per distinct period (by its code): monthly or not, and its ordinal.
    pcodes = df["_k__pkey"].to_numpy()
    first = np.full(int(pcodes.max()) + 1 if len(pcodes) else 0, -1, dtype=np.int64)
    first[pcodes[::-1]] = np.arange(len(pcodes))[::-1]
    distinct = df["period"].to_numpy()[first]
    is_month = np.array([isinstance(p, pd.Period) and p.freqstr.startswith("M") for p in distinct], dtype=bool)
    ordinals = np.array([p.ordinal if m else 0 for p, m in zip(distinct, is_month)], dtype=np.int64)
    at = np.flatnonzero(df["series"].isin(flows).to_numpy() & is_month[pcodes])  # positions; no copy
    if len(at) == 0:
        return problems
    ordinal = ordinals[pcodes[at]]
    gid = _group_ids(df, _k(["region", "org", "series", "category", "kind"]), at)
    rows = df
    order = np.lexsort((ordinal, gid))
    g, o = gid[order], ordinal[order]
    gap = np.flatnonzero((g[1:] == g[:-1]) & (o[1:] - o[:-1] > 1)) + 1  # positions in `order`
    for i in gap:
        row, previous = rows.iloc[at[order[i]]], rows.iloc[at[order[i - 1]]]
        n = int(o[i] - o[i - 1] - 1)
        first, last = previous["period"] + 1, row["period"] - 1
        missing = str(first) if n == 1 else f"{first}–{last}"
        what = f"{row['series']}" + (f", kategori {row['category']}" if row["category"] else "") + f" (org {row['org']}, {row['kind']})"
        problems.append(
            Problem(
                row["_file"], int(row["_line"]), "period",
                f"{'en månad' if n == 1 else f'{n} månader'} saknas i månadsserien {what}: {missing} "
                f"(mellan {previous['period']} på {_place(previous)} och {row['period']})",
                "en rad per månad utan luckor; R12 och årssummor som täcker luckan kan inte räknas",
                VARNING,
            )
        )
    return problems

#: Category texts that mean "the total", which is written as an empty category.
_TOTAL_WORDS = {"totalt", "total", "summa", "samtliga", "alla", "hela", "sum"}


def _category_hint(category: str, allowed: tuple[str, ...]) -> str:
    folded = category.casefold().strip()
    if folded in _TOTAL_WORDS:
        return " (totalen skrivs med tom kategori)"
    by_label = {label.casefold(): cid for cid, label in CATEGORY_LABELS.items() if cid in allowed}
    if folded in by_label:
        return f" (menade du {by_label[folded]}? '{category}' är visningsnamnet, inte id:t)"
    close = difflib.get_close_matches(folded, list(allowed), n=1)
    return f" (menade du {close[0]}?)" if close else ""


def check_categories(df: pd.DataFrame) -> list[Problem]:
    """Every category must be ``""`` (the total) or one the registry lists for the series.

    An unknown category (a typo, the display label instead of the id, a "Totalt" row beside
    its parts) would otherwise drop out of every per-group view without a word. Rows of
    an unknown series are left to the series check.
    """
    registry = series_registry()
    if df.empty:
        return []
    # Checked once per distinct (series, category) pair; the rows of a bad pair are then found.
    if "_k_series" in df:
        pair_codes, pairs = pairs_of_codes(*codes_and_uniques(df, "series"), *codes_and_uniques(df, "category"))
    else:
        pair_codes, pairs = factorize_pairs(df["series"], df["category"])
    bad_pairs = [i for i, (sid, c) in enumerate(pairs) if c != "" and sid in registry and c not in registry[sid].categories]
    if not bad_pairs:
        return []
    flags = np.zeros(len(pairs), dtype=bool)
    flags[bad_pairs] = True
    problems = []
    for i in df.index[flags[pair_codes]]:
        sid, category = df.at[i, "series"], df.at[i, "category"]
        allowed = registry[sid].categories
        if allowed:
            expected = f"tom kategori (= totalen) eller en av {', '.join(allowed)} för serien {sid}"
        else:
            expected = f"tom kategori: serien {sid} har inga delar i registret (data/series/{registry[sid].domain}.toml)"
        problems.append(Problem(
            df.at[i, "_file"], int(df.at[i, "_line"]), "category",
            f"okänd kategori '{category}' för serien {sid}{_category_hint(category, allowed)}", expected,
        ))
    return problems


def check_case_variants(df: pd.DataFrame) -> list[Problem]:
    """Org names (per region) and categories (per series) that differ only in case.

    They would show as two orgs or groups that read the same; the data must use one
    spelling. Reported on the first row of every spelling but the first met.
    """
    problems = []
    for scope, column in (("region", "org"), ("series", "category")):
        if df.empty:
            break
        cols = _k([scope, column]) if "_k_region" in df else [scope, column]
        firsts = df.drop_duplicates(cols)[[scope, column, "_file", "_line"]]
        folded = firsts[column].astype(str).str.casefold()
        clash = folded.duplicated(keep=False) & firsts.assign(_f=folded).duplicated([scope, "_f"], keep=False)
        if not clash.any():
            continue
        groups = firsts[clash].assign(_f=folded[clash]).groupby([scope, "_f"], sort=False)
        for _, group in groups:
            first = group.iloc[0]
            for _, other in group.iloc[1:].iterrows():
                where = "i region" if scope == "region" else "i serien"
                problems.append(Problem(
                    other["_file"], int(other["_line"]), column,
                    f"{column} '{other[column]}' {where} {other[scope]} skiljer sig bara i versaler/gemener från "
                    f"'{first[column]}' ({_place(first)})",
                    f"samma stavning av samma {'org' if column == 'org' else 'kategori'} i alla rader",
                ))
    return problems
