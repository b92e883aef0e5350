"""What the source documents say beyond the figures: savings decisions and quoted assessments.

``data/meta/decisions.csv`` ties observation rows to the decision they belong to, so that a
requirement stated in two places (Örebro's 628 and 629 mnkr) or stated as a total and its
parts (Västerbotten's 100 mnkr = 58 + 32 + 8) is counted once. Each row names an
observation by its key (region, org, series, category, period, kind) and says its role:

* ``huvud``      the amount that counts for the decision (exactly one per decision);
* ``alternativ`` the same requirement stated elsewhere, with another value;
* ``del``        a part of the decision (a nämnd's share, a phase);
* ``matt``       the same decision in another unit (tjänster, anställda).

``scope`` says whom the decision concerns: ``hela_regionen``, ``administration`` or
``namnd``; requirements of different scopes are never ranked against each other.

``data/meta/statements.csv`` holds the documents' own assessments, quoted word for word.
"""
from __future__ import annotations

import functools
import os

import pandas as pd

from regionanalys import config
from regionanalys.data.loading import _log_reads, _read_meta
from regionanalys.data.regions import UnknownRegionError, resolve_region
from regionanalys.data.registry import KINDS
from regionanalys.data.validation import DataError, Problem, errors

ROLES = ("huvud", "alternativ", "del", "matt")
SCOPES = {
    "hela_regionen": "hela regionen",
    "administration": "administrationen",
    "namnd": "en nämnd",
}
DECISION_COLUMNS = ["region", "decision", "role", "org", "series", "category", "period", "kind",
                    "scope", "label", "source"]
STATEMENT_COLUMNS = ["region", "org", "document_date", "topic", "quote", "source"]


def _region(row: dict, display: str, problems: list[Problem]) -> bool:
    try:
        row["region"] = resolve_region(row["region"])
        return True
    except UnknownRegionError:
        problems.append(Problem(display, row["_line"], "region", f"okänd region '{row['region']}'",
                                "en länskod (t.ex. 17) eller ett regionnamn"))
        return False


def _required(row: dict, cols: list[str], display: str, problems: list[Problem]) -> bool:
    ok = True
    for col in cols:
        if not row[col]:
            problems.append(Problem(display, row["_line"], col, f"{col} saknas", "en ifylld text"))
            ok = False
    return ok


def _read_decisions(data_dir) -> tuple[pd.DataFrame, list[Problem]]:
    rows, problems, display = _read_meta("decisions.csv", DECISION_COLUMNS, data_dir)
    out = []
    for row in rows:
        ok = _region(row, display, problems)
        ok &= _required(row, ["decision", "role", "org", "series", "period", "kind", "scope", "label", "source"],
                        display, problems)
        if row["role"] and row["role"] not in ROLES:
            problems.append(Problem(display, row["_line"], "role", f"okänd roll '{row['role']}'", ", ".join(ROLES)))
            ok = False
        if row["scope"] and row["scope"] not in SCOPES:
            problems.append(Problem(display, row["_line"], "scope", f"okänd omfattning '{row['scope']}'", ", ".join(SCOPES)))
            ok = False
        if row["kind"] and row["kind"] not in KINDS:
            problems.append(Problem(display, row["_line"], "kind", f"okänd typ '{row['kind']}'", ", ".join(KINDS)))
            ok = False
        if ok:
            out.append({c: row[c] for c in DECISION_COLUMNS} | {"line": row["_line"]})
    df = pd.DataFrame(out, columns=[*DECISION_COLUMNS, "line"])
    for decision, group in df.groupby("decision"):
        heads = int((group["role"] == "huvud").sum())
        if heads != 1:
            problems.append(Problem(display, int(group["line"].iloc[0]), "role",
                                    f"beslutet '{decision}' har {heads} rader med rollen huvud",
                                    "exakt en rad med rollen huvud per beslut"))
    return df, problems


def load_decisions(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Savings decisions from ``data/meta/decisions.csv`` (one row per observation linked).

    Columns: region, decision, role, org, series, category, period, kind, scope, label,
    source, line. Raises :class:`DataError` listing every problem in the file. Read once
    per version of the file in a process (a report asks for it about 25 times).
    """
    path = config.data_dir(data_dir) / config.META_SUBDIR / "decisions.csv"
    try:
        st = path.stat()
        version = (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        version = None
    if version is None:
        return _checked_decisions(data_dir)
    _log_reads([path])  # a report that reads it depends on it, also when it comes from the cache
    return _decisions_of_version(str(path), version, data_dir).copy()


def decisions_for(df: pd.DataFrame) -> pd.DataFrame:
    """:func:`load_decisions` of the data directory ``df`` was loaded from (``df.attrs``)."""
    return load_decisions(df.attrs.get("data_dir"))


@functools.lru_cache(maxsize=4)
def _decisions_of_version(path: str, version: tuple, data_dir) -> pd.DataFrame:
    return _checked_decisions(data_dir)


def _checked_decisions(data_dir) -> pd.DataFrame:
    df, problems = _read_decisions(data_dir)
    if errors(problems):
        raise DataError(errors(problems))
    return df


def load_statements(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Quoted assessments from ``data/meta/statements.csv``: region, org, document_date,
    topic, quote, source. Raises :class:`DataError` listing every problem in the file."""
    rows, problems, display = _read_meta("statements.csv", STATEMENT_COLUMNS, data_dir)
    out = []
    for row in rows:
        if _region(row, display, problems) & _required(row, STATEMENT_COLUMNS[1:], display, problems):
            out.append({c: row[c] for c in STATEMENT_COLUMNS})
    if errors(problems):
        raise DataError(errors(problems))
    return pd.DataFrame(out, columns=STATEMENT_COLUMNS)
