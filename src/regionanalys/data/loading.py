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
import stat
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from regionanalys import config
from regionanalys.data.parsing import (
    CellError,
    formula_error,
    formula_prefix,
    normalize_name,
    normalize_text,
    parse_bool,
    parse_number,
    parse_period,
)
from regionanalys.data.registry import UNITS, resolve_unit, series_registry
from regionanalys.data.regions import UnknownRegionError, resolve_region
from regionanalys.data.validation import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, VARNING, DataError, Problem, check_table, errors

#: Columns of the table :func:`load` returns, in order.
COLUMNS = [
    "region", "org", "series", "category", "period", "kind", "value", "unit",
    "source", "note", "example", "year", "freq", "source_file", "source_line",
]

_RAW_COLUMNS = [
    "region", "org", "series", "category", "period", "kind", "value", "unit", "source", "note", "example",
    "_file", "_line", "_unit_in", "_factor", "_resolution",
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
    """Observation CSV files under the data directory (the top-level ``meta/`` excluded), sorted.

    With ``regions``, only files reserved for those regions and the shared files (no
    region prefix) are returned. The extension is matched without case (``X.CSV`` is
    read); hidden files and Excel lock files (``~$…``) are skipped; links are followed
    only to regular files inside the data directory (see :func:`scan_data_dir`).
    """
    return scan_data_dir(data_dir, regions)[0]


#: Extensions of files a user may have meant as data; :func:`validate` says they are not read.
_NOT_READ = {".xlsx": "en Excel-fil", ".xlsm": "en Excel-fil", ".xls": "en Excel-fil", ".ods": "ett kalkylark",
             ".tsv": "en .tsv-fil", ".txt": "en textfil"}
_FILE_EXPECTED = "en vanlig fil med ändelsen .csv inuti datakatalogen"


def scan_data_dir(
    data_dir: str | os.PathLike | None = None, regions: Iterable[str] | None = None
) -> tuple[list[Path], list[Problem]]:
    """The observation files to read, and a located problem for every entry that is not read.

    Never follows a link out of the data directory and never opens anything that is not
    a regular file (a FIFO would block, ``/dev/zero`` never ends): those are errors. Excel
    lock files and files with a spreadsheet extension are listed as warnings (``varning``).
    Directory links are not followed.
    """
    root = config.data_dir(data_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"datakatalogen {root} finns inte")
    root = root.resolve()
    wanted = None if regions is None else {resolve_region(r) for r in regions}
    files: list[Path] = []
    problems: list[Problem] = []
    seen_csv = False
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root)
        if rel_dir == Path("."):
            dirnames[:] = [d for d in dirnames if d != config.META_SUBDIR]
        dirnames.sort()
        for d in list(dirnames):
            p = here / d
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                dirnames.remove(d)
                if d.lower().endswith(".csv") or not d.startswith("."):
                    problems.append(Problem(rel, 0, "", "länkad katalog: länkar till kataloger följs inte", _FILE_EXPECTED, VARNING))
            elif d.lower().endswith(".csv"):
                problems.append(Problem(rel, 0, "", "är en katalog, inte en CSV-fil (filerna i den läses som i andra kataloger)", _FILE_EXPECTED, VARNING))
            elif d.startswith("."):
                dirnames.remove(d)  # hidden folders (.cache, .git) are not data
        for name in sorted(filenames):
            p = here / name
            rel = p.relative_to(root).as_posix()
            suffix = p.suffix.lower()
            if name.startswith("."):
                continue
            if name.startswith("~$"):
                if suffix == ".csv" or suffix in _NOT_READ:
                    problems.append(Problem(rel, 0, "", "Excel-låsfil (filen är öppen i Excel): hoppas över", "ingen låsfil; stäng filen i Excel", VARNING))
                continue
            if suffix != ".csv":
                if suffix in _NOT_READ:
                    problems.append(Problem(rel, 0, "", f"läses inte: filen är {_NOT_READ[suffix]}, bara .csv-filer läses", "spara som CSV (semikolonavgränsad eller UTF-8) eller importera med regionanalys.data.importing", VARNING))
                continue
            seen_csv = True
            problem = _not_regular(p, root, rel)
            if problem is not None:
                problems.append(problem)
                continue
            owner = file_region(p)
            if wanted is None or owner is None or owner in wanted:
                files.append(p)
    if not seen_csv:
        problems.append(Problem(".", 0, "", "datakatalogen har inga datafiler (*.csv)", "minst en CSV-fil med observationer i katalogen eller en underkatalog (utom meta/)"))
    return sorted(files), problems


def _not_regular(p: Path, root: Path, rel: str) -> Problem | None:
    """Why ``p`` cannot be read as a data file, or None when it can."""
    try:
        if p.is_symlink():
            target = Path(os.path.realpath(p))
            if not target.is_relative_to(root):
                return Problem(rel, 0, "", f"länken pekar utanför datakatalogen ({target}); den följs inte", _FILE_EXPECTED)
            if not target.exists():
                return Problem(rel, 0, "", "länken pekar på en fil som inte finns", _FILE_EXPECTED)
        st = p.stat()
    except FileNotFoundError:
        return Problem(rel, 0, "", "länken pekar på en fil som inte finns", _FILE_EXPECTED)
    except OSError as exc:
        return Problem(rel, 0, "", f"filen går inte att läsa ({exc.strerror})", _FILE_EXPECTED)
    if not stat.S_ISREG(st.st_mode):
        what = "en FIFO (namngiven rörledning)" if stat.S_ISFIFO(st.st_mode) else "en enhetsfil" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "en sockel" if stat.S_ISSOCK(st.st_mode) else "inte en vanlig fil"
        return Problem(rel, 0, "", f"är {what}, inte en vanlig fil; den läses inte", _FILE_EXPECTED)
    if not os.access(p, os.R_OK):
        return Problem(rel, 0, "", "filen går inte att läsa: behörighet saknas", "en fil som användaren som kör regionanalys får läsa")
    return None


#: Environment variable naming a file to which :func:`load` appends every file it reads;
#: the report runner uses it to know which data files a report depends on.
READ_LOG_ENV = "REGIONANALYS_READ_LOG"


def _log_reads(paths: list[Path]) -> None:
    target = os.environ.get(READ_LOG_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.writelines(f"{p}\n" for p in paths)


def _mb(n: float) -> str:
    if n < 1e6:
        return f"{n:.0f} byte"
    return f"{n / 1e6:.1f}".replace(".", ",") + " MB" if n < 1e7 else f"{n / 1e6:.0f} MB"


#: Text expected of a data file as a whole.
CSV_EXPECTED = "en textfil (CSV) med en rubrikrad och kolumner separerade av ; , eller tabb"


def _line_of(raw: bytes, pos: int) -> int:
    """1-based line of byte offset ``pos``."""
    return raw.count(b"\n", 0, pos) + 1


def _read_bytes(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    """At most ``config.MAX_FILE_BYTES`` bytes of a regular file, never blocking.

    Opened without following a final link and non-blocking, then checked with ``fstat``:
    a FIFO or device put in place after the directory scan is refused, not read.
    """
    limit = config.MAX_FILE_BYTES
    too_large = [Problem(display, 0, "", f"filen är större än gränsen {_mb(limit)} (config.MAX_FILE_BYTES)", f"en CSV-export på högst {_mb(limit)}")]
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if not path.is_symlink():
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, [Problem(display, 0, "", f"filen går inte att öppna ({exc.strerror})", _FILE_EXPECTED)]
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, [Problem(display, 0, "", "är inte en vanlig fil; den läses inte", _FILE_EXPECTED)]
        if st.st_size > limit:
            too_large[0] = Problem(display, 0, "", f"filen är {_mb(st.st_size)}, större än gränsen {_mb(limit)} (config.MAX_FILE_BYTES)", f"en CSV-export på högst {_mb(limit)}")
            return None, too_large
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return None, too_large
        return b"".join(chunks), []
    except OSError as exc:
        return None, [Problem(display, 0, "", f"filen går inte att läsa ({exc.strerror})", _FILE_EXPECTED)]
    finally:
        os.close(fd)


def decode_text(raw: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """Decode a data file strictly, or a problem naming the first line that cannot be.

    A file is UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252 (Excel on Swedish
    Windows) only when it is not valid UTF-8 anywhere: a file that mixes UTF-8 with
    cp1252 lines, or has a stray byte, is an error, not mojibake ("Ã¥" for "å").
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            unit = raw[2:]
            line = unit[: exc.start].decode("utf-16-le" if raw[:2] == b"\xff\xfe" else "utf-16-be", errors="replace").count("\n") + 1
            return None, [Problem(display, line, "", "filen börjar som UTF-16 men går inte att avkoda på den här raden", CSV_EXPECTED + " i en och samma kodning")]
    if b"\x00" in raw:
        return None, [Problem(display, _line_of(raw, raw.index(b"\x00")), "", "filen innehåller binära data, inte text (NUL-tecken)", CSV_EXPECTED)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        first_bad = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
    utf8_somewhere = raw.startswith(b"\xef\xbb\xbf") or any(
        not line.isascii() and _is_utf8(line) for line in raw.split(b"\n")
    )
    if utf8_somewhere:
        return None, [Problem(
            display, _line_of(raw, first_bad), "",
            "raden är inte UTF-8, men andra rader i filen är det: filen blandar teckenkodningar (t.ex. UTF-8 och Windows-1252)",
            CSV_EXPECTED + ", hela filen i en kodning (spara som CSV UTF-8)",
        )]
    try:
        return raw.decode("cp1252"), []
    except UnicodeDecodeError as exc:
        return None, [Problem(display, _line_of(raw, exc.start), "", f"byte 0x{raw[exc.start]:02X} är varken UTF-8 eller Windows-1252", CSV_EXPECTED + " i UTF-8 eller Windows-1252")]


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem saying why it is not a CSV file.

    Reads at most ``config.MAX_FILE_BYTES`` bytes of a regular file and decodes it
    strictly (:func:`decode_text`).
    """
    raw, problems = _read_bytes(path, display)
    if raw is None:
        return None, problems
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            return None, [Problem(display, 0, "", f"filen är {what}, inte en CSV-fil", CSV_EXPECTED)]
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in raw[:4096]:
        return None, [Problem(display, 0, "", "filen innehåller binära data, inte text", CSV_EXPECTED)]
    text, problems = decode_text(raw, display)
    if text is None:
        return None, problems
    if re.match(r"\s*<(\?xml|!doctype|html|table)", text[:200], re.IGNORECASE):
        return None, [Problem(display, 0, "", "filen är HTML eller XML (t.ex. en webbexport sparad som .csv), inte en CSV-fil", CSV_EXPECTED)]
    return text, []


def sniff_delimiter(header: str) -> str:
    """The separator of a CSV header line: the most frequent of ``;``, tab and ``,``."""
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def read_rows(path: Path, display: str) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header and data rows of a CSV file, each row with the line it starts on, or problems.

    Blank lines are skipped; an Excel ``sep=;`` first line is honoured; empty columns at
    the right edge (Excel keeps them once a cell was touched) are dropped when every one of
    their cells is empty.
    """
    _, header, body, problems = _read_table(path, display)
    return header, body, problems


def _read_table(path: Path, display: str) -> tuple[int, list[str], list[tuple[int, list[str]]], list[Problem]]:
    """:func:`read_rows` plus the line the header is on."""
    text, problems = read_text(path, display)
    if text is None:
        return 0, [], [], problems
    if not text.strip():
        return 0, [], [], [Problem(display, 0, "", "filen är tom", "en rubrikrad och minst en datarad")]
    lines = re.split(r"\r\n|\r|\n", text)  # as editors count lines (not str.splitlines)
    first = next(i for i, ln in enumerate(lines) if ln.strip())
    skip = first
    delimiter = None
    if m := re.fullmatch(r'"?sep=(.)"?[;,\t]*', lines[first].strip(" \r\n")):
        delimiter, skip = m[1], first + 1
    body_text = "\n".join(lines[skip:])
    if delimiter is None:
        delimiter = sniff_delimiter(body_text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(body_text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        end = 0
        for r in reader:
            rows.append((skip + end + 1, r))
            end = reader.line_num
    except csv.Error as exc:
        return 0, [], [], [Problem(display, skip + reader.line_num, "", f"filen går inte att läsa som CSV: {exc}", CSV_EXPECTED)]
    rows = [(ln, r) for ln, r in rows if any(c.strip() for c in r)]
    if not rows:
        return 0, [], [], [Problem(display, 0, "", "filen är tom", "en rubrikrad och minst en datarad")]
    header_line, header = rows[0]
    header = [h.strip().lower() for h in header]
    body = rows[1:]
    # Unnamed columns at the right edge with nothing in them: Excel's stray separators.
    while header and header[-1] == "" and all(len(r) < len(header) or not r[len(header) - 1].strip() for _, r in body):
        header.pop()
        body = [(ln, r[: len(header)] if len(r) > len(header) and not any(c.strip() for c in r[len(header):]) else r) for ln, r in body]
    return header_line, header, body, []


#: Columns whose cells are free text (may hold line breaks or start with "=").
_TEXT_COLUMNS = ("source", "note")


def _decimals_shown(text: str) -> int:
    """Digits after the decimal separator as written ("2 394,5" -> 1, "665" -> 0)."""
    m = re.search(r"[.,](\d+)\)?\s*$", text.strip())
    return len(m[1]) if m else 0


def _parse_file(path: Path, root: Path, incomplete: set | None = None) -> tuple[list[dict], list[Problem]]:
    """The valid rows of one file as records, and the problems of the others.

    The key of every row that could not be read is added to ``incomplete`` (region, org,
    series, kind, period or None), so that the rules across rows do not report a total
    or a month gap that only the unreadable row causes.
    """
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    hl, header, body, problems = _read_table(path, display)
    if problems:
        return [], problems
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing:
        problems.append(Problem(display, hl, ", ".join(missing), f"kolumn saknas: {', '.join(missing)}", "kolumnerna " + ", ".join(REQUIRED_COLUMNS)))
    if unknown:
        # An unknown column is an error, not a warning: a misspelt "note" or a stray
        # export column would otherwise be dropped without anyone noticing.
        shown = ", ".join(c if c else f"(kolumn {i + 1} utan rubrik)" for i, c in enumerate(header) if c in unknown)
        problems.append(Problem(display, hl, ", ".join(unknown), f"okänd kolumn: {shown}", "bara kolumnerna " + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)))
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        problems.append(Problem(display, hl, ", ".join(dupes), f"samma kolumnnamn förekommer flera gånger: {', '.join(dupes)}", "unika kolumnnamn"))
    if problems:
        return [], problems
    if not body:
        return [], [Problem(display, hl, "", "filen har bara en rubrikrad och inga data", "minst en datarad under rubrikraden")]

    owner = file_region(path)
    registry = series_registry()
    records: list[dict] = []
    for line, cells in body:
        if len(cells) != len(header):
            hint = ""
            if any("\n" in c or "\r" in c for c in cells):
                hint = ": ett citattecken (\") öppnas men avslutas inte, så raden fortsätter över flera rader"
            problems.append(Problem(display, line, "", f"raden har {len(cells)} fält men rubriken {len(header)}{hint}", f"{len(header)} fält separerade som rubriken (ett decimalkomma i en ,-separerad fil måste stå inom citattecken)"))
            continue
        row = {h: c.strip() for h, c in zip(header, cells)}
        bad = False

        def fail(column: str, message: str, expected: str) -> None:
            nonlocal bad
            bad = True
            problems.append(Problem(display, line, column, message, expected))

        for col, cell in zip(header, cells):
            if col == "value":
                continue  # parse_number reports formulas with what a number looks like
            if col not in _TEXT_COLUMNS and ("\n" in cell or "\r" in cell.rstrip("\r")):
                fail(col, "cellen innehåller en radbrytning: troligen ett citattecken (\") som inte avslutas", "ett värde på en rad; citattecken i par")
                continue
            if formula_prefix(cell):
                e = formula_error(cell)
                fail(col, e.message, e.expected)
                continue
            try:
                row[col] = normalize_text(cell) if col in _TEXT_COLUMNS else normalize_name(cell)
            except CellError as e:
                fail(col, e.message, e.expected)
        if bad:
            _note_incomplete(incomplete, row)
            continue
        rec: dict = {"_file": display, "_line": line, "org": row["org"], "category": row["category"], "source": row["source"], "note": row.get("note", "")}
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
        rec["_unit_in"] = unit
        factor = 1.0
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
        rec["_factor"] = factor
        rec["_resolution"] = 10.0 ** -_decimals_shown(row["value"]) * factor
        if not rec["source"]:
            fail("source", "källa saknas", "dokument och plats (fil, sida eller bild, tabell)")
        if bad:
            _note_incomplete(incomplete, row)
        else:
            records.append(rec)
    return records, problems


def _note_incomplete(incomplete: set | None, row: dict) -> None:
    if incomplete is None:
        return
    try:
        region = resolve_region(row["region"])
    except UnknownRegionError:
        region = row["region"]
    try:
        period = str(parse_period(row["period"]))
    except CellError:
        period = None
    incomplete.add((region, row["org"], row["series"], row["kind"].lower(), period))


def _read_all(data_dir: str | os.PathLike | None, regions: Iterable[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    root = config.data_dir(data_dir)
    records: list[dict] = []
    incomplete: set = set()
    files, problems = scan_data_dir(root, regions)
    if regions is not None:  # a report reading its own files is not told about the others
        problems = [p for p in problems if p.file == "." or file_region(Path(p.file)) in (None, *{resolve_region(r) for r in regions})]
    _log_reads(files)
    for path in files:
        recs, probs = _parse_file(path, root, incomplete)
        records.extend(recs)
        problems.extend(probs)
    df = pd.DataFrame.from_records(records, columns=_RAW_COLUMNS)
    df = df.astype({c: object for c in ("region", "org", "series", "category", "kind", "unit", "source", "note", "_file", "_unit_in")})
    df["_factor"] = df["_factor"].astype(float)
    df["_resolution"] = df["_resolution"].astype(float)
    df["value"] = df["value"].astype(float)
    # Years and months share the column, so it stays object even when one kind is present.
    df["period"] = pd.Series(list(df["period"]), index=df.index, dtype=object)
    df["example"] = df["example"].astype(bool)
    problems.extend(check_table(df, incomplete))
    return df, problems


def validate(data_dir: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem in a data directory, in one pass (empty list = valid).

    Covers the observation files and the metadata (``meta/orgs.csv``, ``meta/events.csv``).
    Problems with severity ``varning`` are listed too; :func:`load` accepts them.
    """
    problems = _read_all(data_dir)[1] + _read_orgs(data_dir)[1] + _read_events(data_dir)[1]
    return sorted(problems)


def load(data_dir: str | os.PathLike | None = None, regions: Iterable[str | int] | None = None) -> pd.DataFrame:
    """Every observation under ``data/`` (or ``data_dir``) as one tidy, validated table.

    ``regions`` (codes or names) limits reading to those regions' files and the shared
    files; the shared files may still hold other regions' rows (e.g. riket), which are kept.

    Columns: see :data:`COLUMNS`. ``period`` holds pandas Periods (years and months
    mixed); ``year`` and ``freq`` ("Y"/"M") make filtering and sorting easy. Money is in
    mnkr. Raises :class:`DataError` listing every error when any file read is invalid:
    nothing is silently dropped and nothing partial is returned. Warnings (see
    :mod:`regionanalys.data.validation`) do not stop loading; :func:`validate` lists them.
    """
    df, problems = _read_all(data_dir, None if regions is None else [str(r) for r in regions])
    if errors(problems):
        raise DataError(errors(problems))
    df = df.rename(columns={"_file": "source_file", "_line": "source_line"})
    df["year"] = df["period"].map(lambda p: p.year).astype(int)
    df["freq"] = df["period"].map(lambda p: "M" if p.freqstr.startswith("M") else "Y")
    df["_sort"] = df["period"].astype(str)
    df = df.sort_values(["region", "series", "org", "category", "kind", "_sort"], kind="stable")
    return df.drop(columns="_sort").reset_index(drop=True)[COLUMNS]


def _read_meta(name: str, columns: list[str], data_dir, optional: tuple[str, ...] = ()) -> tuple[list[dict], list[Problem], str]:
    """Rows of a file under ``meta/`` as dicts with ``_line``; problems for its shape."""
    path = config.data_dir(data_dir) / config.META_SUBDIR / name
    display = f"{config.META_SUBDIR}/{name}"
    if not path.exists():
        return [], [], display
    hl, header, body, problems = _read_table(path, display)
    if problems:
        return [], problems, display
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns and c not in optional]
    if missing:
        problems.append(Problem(display, hl, ", ".join(missing), f"kolumn saknas: {', '.join(missing)}", "kolumnerna " + ", ".join(columns)))
    if unknown:
        problems.append(Problem(display, hl, ", ".join(unknown), f"okänd kolumn: {', '.join(unknown)}", "bara kolumnerna " + ", ".join(columns + list(optional))))
    if problems:
        return [], problems, display
    rows = []
    for ln, cells in body:
        if len(cells) != len(header):
            problems.append(Problem(display, ln, "", f"raden har {len(cells)} fält men rubriken {len(header)}", f"{len(header)} fält separerade som rubriken"))
            continue
        row, bad = {"_line": ln}, False
        for col, cell in zip(header, cells):
            try:
                if formula_prefix(cell):
                    raise formula_error(cell)
                row[col] = normalize_name(cell) if col in ("org", "parent") else normalize_text(cell)
            except CellError as e:
                problems.append(Problem(display, ln, col, e.message, e.expected))
                bad = True
        if not bad:
            rows.append(row)
    return rows, problems, display


_ORG_COLUMNS = ["region", "org", "parent", "source"]


def _read_orgs(data_dir) -> tuple[pd.DataFrame, list[Problem]]:
    rows, problems, display = _read_meta("orgs.csv", _ORG_COLUMNS, data_dir)
    out, seen = [], {}
    for row in rows:
        ln = row["_line"]
        try:
            row["region"] = resolve_region(row["region"])
        except UnknownRegionError:
            problems.append(Problem(display, ln, "region", f"okänd region '{row['region']}'", "en länskod (t.ex. 17) eller ett regionnamn"))
            continue
        bad = False
        for col in ("org", "parent", "source"):
            if not row[col]:
                problems.append(Problem(display, ln, col, f"{col} saknas", "en ifylld text"))
                bad = True
        key = (row["region"], row["org"])
        if key in seen:
            problems.append(Problem(display, ln, "org", f"org '{row['org']}' i region {row['region']} finns redan på rad {seen[key]}", "en rad per org"))
            bad = True
        seen.setdefault(key, ln)
        if not bad:
            out.append(row)
    return pd.DataFrame(out, columns=_ORG_COLUMNS), problems


def load_orgs(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The org hierarchy from ``data/meta/orgs.csv``: region, org, parent, source.

    ``parent`` is the org a part belongs to ("region" for a nämnd of the whole region);
    reconciliation uses it to check that parts add up to the stated total.
    Raises :class:`DataError` listing every problem in the file.
    """
    df, problems = _read_orgs(data_dir)
    if errors(problems):
        raise DataError(errors(problems))
    return df


_EVENT_COLUMNS = ["region", "org", "start", "end", "event", "label", "source"]
_DATE_EXPECTED = "ett datum ÅÅÅÅ-MM-DD, t.ex. 2024-01-23"


def _date(text: str) -> pd.Timestamp:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return pd.Timestamp(text)


def _read_events(data_dir) -> tuple[pd.DataFrame, list[Problem]]:
    rows, problems, display = _read_meta("events.csv", _EVENT_COLUMNS, data_dir)
    out = []
    for row in rows:
        ln = row["_line"]
        before = len(problems)
        try:
            row["region"] = resolve_region(row["region"])
        except UnknownRegionError:
            problems.append(Problem(display, ln, "region", f"okänd region '{row['region']}'", "en länskod (t.ex. 17) eller ett regionnamn"))
        for col in ("start", "end"):
            if col == "end" and not row[col]:
                row[col] = pd.NaT
                continue
            try:
                row[col] = _date(row[col])
            except ValueError:
                problems.append(Problem(display, ln, col, f"'{row[col]}' är inget datum", _DATE_EXPECTED + (" (tomt om beslutet gäller tills vidare)" if col == "end" else "")))
        if len(problems) == before and row["end"] is not pd.NaT and row["end"] < row["start"]:
            problems.append(Problem(display, ln, "end", f"slutdatum {row['end']:%Y-%m-%d} ligger före startdatum {row['start']:%Y-%m-%d}", "ett slutdatum samma dag som start eller senare"))
        for col in ("org", "event", "label", "source"):
            if not row[col]:
                problems.append(Problem(display, ln, col, f"{col} saknas", "en ifylld text"))
        if len(problems) == before:
            out.append({c: row[c] for c in _EVENT_COLUMNS})
    return pd.DataFrame(out, columns=_EVENT_COLUMNS), problems


def load_events(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Dated decisions (hiring stops, savings plans) from ``data/meta/events.csv``.

    Columns: region, org, start, end (may be NaT), event, label, source.
    Raises :class:`DataError` listing every problem in the file.
    """
    df, problems = _read_events(data_dir)
    if errors(problems):
        raise DataError(errors(problems))
    return df
