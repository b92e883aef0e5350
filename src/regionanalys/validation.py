"""The data contract: what a valid observation table is, and how problems are reported.

Cells are parsed in :mod:`regionanalys.loading`; the typed table is then checked here
against a pandera schema (lazy, so every problem is collected in one pass) and each
failure is mapped back to the file, line and column it came from.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from .registry import KINDS, UNITS, series_registry
from .regions import REGIONS

#: Columns every observation file must have, in this order in the files we ship.
REQUIRED_COLUMNS = ("region", "org", "series", "category", "period", "kind", "value", "unit", "source")
#: Columns a file may have.
OPTIONAL_COLUMNS = ("note", "example")
#: The key that identifies one observation; no two rows may share it.
KEY = ("region", "org", "series", "category", "period", "kind")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as it can be."""

    file: str
    line: int  #: 1-based line in the file; the header is line 1, 0 = the file as a whole
    column: str
    message: str
    expected: str = ""

    def __str__(self) -> str:
        where = f"{self.file}, rad {self.line}" if self.line else self.file
        if self.column:
            where += f", kolumn '{self.column}'"
        text = f"{where}: {self.message}"
        return f"{text} (förväntat: {self.expected})" if self.expected else text


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


def observation_schema() -> pa.DataFrameSchema:
    """The pandera schema of the tidy observation table that :func:`load` returns."""
    units = _series_units()
    minimums = {sid: s.minimum for sid, s in series_registry().items() if s.minimum is not None}

    def unit_fits_series(df: pd.DataFrame) -> pd.Series:
        return df["unit"] == df["series"].map(units)

    def above_minimum(df: pd.DataFrame) -> pd.Series:
        lowest = df["series"].map(minimums)
        return lowest.isna() | (df["value"] >= lowest)

    return pa.DataFrameSchema(
        {
            "region": pa.Column(str, pa.Check.isin(list(REGIONS)), nullable=False),
            "org": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "series": pa.Column(str, pa.Check.isin(list(units)), nullable=False),
            "category": pa.Column(str, nullable=False),
            "period": pa.Column(object, nullable=False),
            "kind": pa.Column(str, pa.Check.isin(list(KINDS)), nullable=False),
            "value": pa.Column(float, pa.Check(lambda s: pd.Series(s).map(lambda v: v == v and abs(v) != float("inf")), element_wise=False, error="ändligt tal"), nullable=False),
            "unit": pa.Column(str, pa.Check.isin(list(UNITS)), nullable=False),
            "source": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "example": pa.Column(bool, nullable=False),
        },
        checks=[
            pa.Check(unit_fits_series, error="enheten passar serien"),
            pa.Check(above_minimum, error="värdet är minst seriens minimum"),
        ],
        unique=list(KEY),
        report_duplicates="all",
        strict=False,
        coerce=False,
    )


def _expected_for(column: str, check: str, row: pd.Series) -> tuple[str, str]:
    """Column and a Swedish 'expected' text for a pandera check failure."""
    if check.startswith("isin"):
        if column == "region":
            return column, "en länskod (01–25, 00 för riket) eller ett regionnamn, t.ex. Region Värmland"
        if column == "series":
            return column, "ett serie-id ur registret (se `regionanalys list`)"
        if column == "kind":
            return column, "en av " + ", ".join(KINDS)
        if column == "unit":
            return column, "en av " + ", ".join(u.label for u in UNITS.values())
    if "enheten passar serien" in check:
        series = series_registry().get(row.get("series"))
        if series is not None:
            fam = UNITS[series.unit].family
            ok = ", ".join(u.label for u in UNITS.values() if u.family == fam)
            return "unit", f"{ok} för serien {series.id}"
        return "unit", "en enhet som passar serien"
    if "minimum" in check:
        series = series_registry().get(row.get("series"))
        low = series.minimum if series else 0
        return "value", f"ett värde på minst {low:g} för serien {row.get('series')}"
    if check.startswith("str_length"):
        return column, "en ifylld text"
    return column, check


def check_table(df: pd.DataFrame) -> list[Problem]:
    """Validate a typed observation table; every failure becomes a located :class:`Problem`.

    ``df`` must carry ``_file`` and ``_line`` columns naming where each row came from.
    """
    if df.empty:
        return []
    problems: list[Problem] = []
    try:
        observation_schema().validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        dup_rows: set = set()
        for case in cases.itertuples(index=False):
            idx = case.index
            check = str(case.check)
            column = str(case.column) if case.column is not None else ""
            if check == "field_uniqueness" or "unique" in check.lower():
                if idx is not None and idx == idx:
                    dup_rows.add(idx)
                continue
            if idx is None or idx != idx or idx not in df.index:
                problems.append(Problem("(tabellen)", 0, column, f"kontrollen {check} misslyckades: {case.failure_case}"))
                continue
            row = df.loc[idx]
            col, expected = _expected_for(column, check, row)
            shown = row[col] if col in row.index else case.failure_case
            problems.append(
                Problem(row["_file"], int(row["_line"]), col, f"{shown!s:.60} är inte giltigt", expected)
            )
        problems.extend(_duplicate_problems(df.loc[sorted(dup_rows)] if dup_rows else df.iloc[0:0]))
    return problems


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
            others = "; ".join(f"{f} rad {ln} (värde {v:g})" for j, (f, ln, v) in enumerate(places) if j != i)
            what = "dubblett" if same else "motstridig dubblett"
            problems.append(
                Problem(
                    file, line, "",
                    f"{what}: samma nyckel (region, org, series, category, period, kind) finns också i {others}",
                    "en rad per nyckel",
                )
            )
    return problems
