"""Reading observation files from ``data/`` into one validated, tidy table.

Every value keeps its provenance: the document it came from (``source``), the data
file and line it was read from (``source_file``, ``source_line``) and any unit
conversion done on the way (appended to ``source``).
"""
from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import config
from .parsing import CellError, parse_bool, parse_number, parse_period
from .registry import UNITS, resolve_unit, series_registry
from .regions import UnknownRegionError, resolve_region
from .validation import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, DataError, Problem, check_table

#: Columns of the table :func:`load` returns, in order.
COLUMNS = [
    "region", "org", "series", "category", "period", "kind", "value", "unit",
    "source", "note", "example", "year", "freq", "source_file", "source_line",
]

_MAGIC = {b"%PDF": "en PDF-fil", b"PK\x03\x04": "en zip-fil (t.ex. .xlsx)", b"\xd0\xcf\x11\xe0": "en gammal Excel-fil (.xls)"}


_PREFIX_RE = re.compile(r"^(\d{2})_")


def file_region(path: Path) -> str | None:
    """The region a file is reserved for by its name ("17_varmland.csv" -> "17"), else None.

    A file whose name starts with a county code and ``_`` may hold only that region's
    rows; this lets a report for one region read only the files it needs, so that a
    change to another region's file does not invalidate it.
    """
    m = _PREFIX_RE.match(path.name)
    return m[1] if m else None


def observation_files(
    data_dir: str | os.PathLike | None = None, regions: Iterable[str] | None = None
) -> list[Path]:
    """Observation CSV files under the data directory (``meta/`` excluded), sorted.

    With ``regions``, only files reserved for those regions and the shared files (no
    region prefix) are returned.
    """
    root = config.data_dir(data_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"datakatalogen {root} finns inte")
    wanted = None if regions is None else {resolve_region(r) for r in regions}
    files = []
    for p in sorted(root.rglob("*.csv")):
        if config.META_SUBDIR in p.relative_to(root).parts[:-1] or p.name.startswith("."):
            continue
        owner = file_region(p)
        if wanted is None or owner is None or owner in wanted:
            files.append(p)
    return files


#: Environment variable naming a file to which :func:`load` appends every file it reads;
#: the report runner uses it to know which data files a report depends on.
READ_LOG_ENV = "REGIONANALYS_READ_LOG"


def _log_reads(paths: list[Path]) -> None:
    target = os.environ.get(READ_LOG_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.writelines(f"{p}\n" for p in paths)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8 with or without BOM, else cp1252 as Excel saves), or a problem."""
    size = path.stat().st_size
    if size > config.MAX_FILE_BYTES:
        return None, [Problem(display, 0, "", f"filen är {size / 1e6:.0f} MB, större än gränsen {config.MAX_FILE_BYTES / 1e6:.0f} MB", "en CSV-export på högst 50 MB")]
    raw = path.read_bytes()
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            return None, [Problem(display, 0, "", f"filen är {what}, inte en CSV-fil", "en textfil med kolumner separerade av ; eller ,")]
    if b"\x00" in raw[:4096]:
        return None, [Problem(display, 0, "", "filen innehåller binära data, inte text", "en textfil med kolumner separerade av ; eller ,")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), []


def sniff_delimiter(header: str) -> str:
    """The separator of a CSV header line: the most frequent of ``;``, tab and ``,``."""
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def read_rows(path: Path, display: str) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header and data rows (with their line numbers) of a CSV file, or problems."""
    text, problems = read_text(path, display)
    if text is None:
        return [], [], problems
    if not text.strip():
        return [], [], [Problem(display, 0, "", "filen är tom", "en rubrikrad och minst en datarad")]
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(reader.line_num, r) for r in reader]
    except csv.Error as exc:
        return [], [], [Problem(display, reader.line_num, "", f"filen går inte att läsa som CSV: {exc}", "en giltig CSV-fil")]
    header = [h.strip().lower() for h in rows[0][1]]
    body = [(ln, r) for ln, r in rows[1:] if any(c.strip() for c in r)]
    return header, body, []


def _parse_file(path: Path, root: Path) -> tuple[list[dict], list[Problem]]:
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    header, body, problems = read_rows(path, display)
    if problems:
        return [], problems
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing:
        problems.append(Problem(display, 1, ", ".join(missing), f"kolumn saknas: {', '.join(missing)}", "kolumnerna " + ", ".join(REQUIRED_COLUMNS)))
    if unknown:
        # An unknown column is an error, not a warning: a misspelt "note" or a stray
        # export column would otherwise be dropped without anyone noticing.
        problems.append(Problem(display, 1, ", ".join(unknown), f"okänd kolumn: {', '.join(unknown)}", "bara kolumnerna " + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)))
    if len(set(header)) != len(header):
        problems.append(Problem(display, 1, "", "samma kolumnnamn förekommer två gånger", "unika kolumnnamn"))
    if problems:
        return [], problems
    if not body:
        return [], [Problem(display, 1, "", "filen har bara en rubrikrad och inga data", "minst en datarad")]

    owner = file_region(path)
    registry = series_registry()
    records: list[dict] = []
    for line, cells in body:
        if len(cells) != len(header):
            problems.append(Problem(display, line, "", f"raden har {len(cells)} fält men rubriken {len(header)}", f"{len(header)} fält separerade som rubriken (ett decimalkomma i en ,-separerad fil måste stå inom citattecken)"))
            continue
        row = {h: c.strip() for h, c in zip(header, cells)}
        rec: dict = {"_file": display, "_line": line, "org": row["org"], "category": row["category"], "source": row["source"], "note": row.get("note", "")}
        bad = False

        def fail(column: str, message: str, expected: str) -> None:
            nonlocal bad
            bad = True
            problems.append(Problem(display, line, column, message, expected))

        try:
            rec["region"] = resolve_region(row["region"]) if row["region"] else ""
        except UnknownRegionError:
            rec["region"] = row["region"]  # the schema reports it with the expected values
        else:
            if owner is not None and rec["region"] != owner:
                fail("region", f"region {rec['region']} i en fil som enligt namnet bara har region {owner}", f"region {owner}, eller ett filnamn utan länskod för delade filer")
        rec["series"] = row["series"]
        rec["kind"] = row["kind"].lower()
        try:
            rec["period"] = parse_period(row["period"])
        except CellError as e:
            fail("period", e.message, e.expected)
        try:
            value = parse_number(row["value"])
        except CellError as e:
            fail("value", e.message, e.expected)
            value = float("nan")
        try:
            rec["example"] = parse_bool(row.get("example", ""))
        except CellError as e:
            fail("example", e.message, e.expected)
        try:
            unit = resolve_unit(row["unit"])
        except KeyError:
            unit = row["unit"]
        series = registry.get(row["series"])
        if series is not None and unit in UNITS and unit != series.unit:
            src, dst = UNITS[unit], UNITS[series.unit]
            if src.family == dst.family:
                factor = src.factor / dst.factor
                value *= factor
                shown = f"{factor:g}".replace(".", ",")
                rec["source"] = f"{rec['source']} [omräknat från {src.label} till {dst.label}, × {shown}]"
                unit = series.unit
        rec["unit"] = unit
        rec["value"] = value
        if not rec["source"]:
            fail("source", "källa saknas", "dokument och plats (fil, sida eller bild, tabell)")
        if not bad:
            records.append(rec)
    return records, problems


def _read_all(data_dir: str | os.PathLike | None, regions: Iterable[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    root = config.data_dir(data_dir)
    records: list[dict] = []
    problems: list[Problem] = []
    files = observation_files(root, regions)
    _log_reads(files)
    for path in files:
        recs, probs = _parse_file(path, root)
        records.extend(recs)
        problems.extend(probs)
    df = pd.DataFrame.from_records(records, columns=["region", "org", "series", "category", "period", "kind", "value", "unit", "source", "note", "example", "_file", "_line"])
    df = df.astype({c: object for c in ("region", "org", "series", "category", "kind", "unit", "source", "note", "_file")})
    df["value"] = df["value"].astype(float)
    # Years and months share the column, so it stays object even when one kind is present.
    df["period"] = pd.Series(list(df["period"]), index=df.index, dtype=object)
    df["example"] = df["example"].astype(bool)
    problems.extend(check_table(df))
    return df, problems


def validate(data_dir: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem in a data directory, in one pass (empty list = valid)."""
    return sorted(_read_all(data_dir)[1])


def load(data_dir: str | os.PathLike | None = None, regions: Iterable[str | int] | None = None) -> pd.DataFrame:
    """Every observation under ``data/`` (or ``data_dir``) as one tidy, validated table.

    ``regions`` (codes or names) limits reading to those regions' files and the shared
    files; the shared files may still hold other regions' rows (e.g. riket), which are kept.

    Columns: see :data:`COLUMNS`. ``period`` holds pandas Periods (years and months
    mixed); ``year`` and ``freq`` ("Y"/"M") make filtering and sorting easy. Money is in
    mnkr. Raises :class:`DataError` listing every problem when any file is invalid:
    nothing is silently dropped.
    """
    df, problems = _read_all(data_dir, None if regions is None else [str(r) for r in regions])
    if problems:
        raise DataError(problems)
    df = df.rename(columns={"_file": "source_file", "_line": "source_line"})
    df["year"] = df["period"].map(lambda p: p.year).astype(int)
    df["freq"] = df["period"].map(lambda p: "M" if p.freqstr.startswith("M") else "Y")
    df["_sort"] = df["period"].astype(str)
    df = df.sort_values(["region", "series", "org", "category", "kind", "_sort"], kind="stable")
    return df.drop(columns="_sort").reset_index(drop=True)[COLUMNS]


def _read_meta(name: str, columns: list[str], data_dir) -> tuple[list[dict], list[Problem], str]:
    path = config.data_dir(data_dir) / config.META_SUBDIR / name
    if not path.exists():
        return [], [], name
    display = f"{config.META_SUBDIR}/{name}"
    header, body, problems = read_rows(path, display)
    missing = [c for c in columns if c not in header]
    if missing and not problems:
        problems.append(Problem(display, 1, ", ".join(missing), "kolumn saknas", "kolumnerna " + ", ".join(columns)))
    if problems:
        return [], problems, display
    return [{"_line": ln, **dict(zip(header, (c.strip() for c in cells)))} for ln, cells in body], [], display


def load_orgs(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The org hierarchy from ``data/meta/orgs.csv``: region, org, parent, source.

    ``parent`` is the org a part belongs to ("region" for a nämnd of the whole region);
    reconciliation uses it to check that parts add up to the stated total.
    """
    cols = ["region", "org", "parent", "source"]
    rows, problems, display = _read_meta("orgs.csv", cols, data_dir)
    out = []
    for row in rows:
        try:
            row["region"] = resolve_region(row["region"])
        except UnknownRegionError as exc:
            problems.append(Problem(display, row["_line"], "region", str(exc), "en länskod eller ett regionnamn"))
            continue
        out.append(row)
    if problems:
        raise DataError(problems)
    return pd.DataFrame(out, columns=cols)


def load_events(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Dated decisions (hiring stops, savings plans) from ``data/meta/events.csv``.

    Columns: region, org, start, end (may be NaT), event, label, source.
    """
    path = config.data_dir(data_dir) / config.META_SUBDIR / "events.csv"
    if not path.exists():
        return pd.DataFrame(columns=["region", "org", "start", "end", "event", "label", "source"])
    header, body, problems = read_rows(path, path.name)
    rows = []
    for line, cells in body:
        row = dict(zip(header, (c.strip() for c in cells)))
        try:
            row["region"] = resolve_region(row["region"])
            row["start"] = pd.Timestamp(row["start"])
            row["end"] = pd.Timestamp(row["end"]) if row.get("end") else pd.NaT
        except (UnknownRegionError, ValueError) as exc:
            problems.append(Problem(path.name, line, "", str(exc), "region, start (ÅÅÅÅ-MM-DD), end (tomt eller datum)"))
            continue
        rows.append(row)
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows, columns=["region", "org", "start", "end", "event", "label", "source"])
