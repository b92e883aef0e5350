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
from dataclasses import dataclass
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from regionanalys import config
from regionanalys.data import datafiles, parsecache
from regionanalys.data.csvout import unquote_cell
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
from regionanalys.data.regions import REGIONS, UnknownRegionError, resolve_region
from regionanalys.data.validation import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    VARNING,
    DataError,
    Problem,
    check_table,
    errors,
    codes_and_uniques,
    factorize_pairs,
    pairs_of_codes,
    with_key_codes,
)

#: Columns of the table :func:`load` returns, in order.
COLUMNS = [
    "region", "org", "series", "category", "period", "kind", "value", "unit",
    "source", "note", "example", "year", "freq", "source_file", "source_line",
]

_RAW_COLUMNS = [
    "region", "org", "series", "category", "period", "kind", "value", "unit", "source", "note", "example",
    "_file", "_line", "_unit_in", "_factor", "_resolution", "_pkey",
]

_MAGIC = {b"%PDF": "en PDF-fil", b"PK\x03\x04": "en zip-fil (t.ex. .xlsx)", b"\xd0\xcf\x11\xe0": "en gammal Excel-fil (.xls)"}


def file_region(path: Path) -> str | None:
    """The region a file is reserved for by its name ("17_varmland.csv" -> "17"), else None.

    A file whose name starts with a county code and ``_`` may hold only that region's
    rows; this lets a report for one region read only the files it needs, so that a
    change to another region's file does not invalidate it.
    """
    return datafiles.region_of_name(path.name)


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
    for entry in datafiles.walk(root):
        p, rel = entry.path, entry.rel
        suffix = p.suffix.lower()
        if entry.kind == datafiles.DIR_LINK:
            problems.append(Problem(rel, 0, "", "länkad katalog: länkar till kataloger följs inte", _FILE_EXPECTED, VARNING))
        elif entry.kind == datafiles.CSV_DIR:
            problems.append(Problem(rel, 0, "", "är en katalog, inte en CSV-fil (filerna i den läses som i andra kataloger)", _FILE_EXPECTED, VARNING))
        elif entry.kind == datafiles.LOCK:
            if suffix == ".csv" or suffix in _NOT_READ:
                problems.append(Problem(rel, 0, "", "Excel-låsfil (filen är öppen i Excel): hoppas över", "ingen låsfil; stäng filen i Excel", VARNING))
        elif entry.kind == datafiles.OTHER:
            if suffix in (".xlsx", ".xlsm", ".xls"):
                problems.append(_excel_hint(p, root, rel))
            elif suffix in _NOT_READ:
                problems.append(Problem(rel, 0, "", f"läses inte: filen är {_NOT_READ[suffix]}, bara .csv-filer läses", "spara som CSV (semikolonavgränsad eller UTF-8) eller importera med regionanalys import", VARNING))
        elif entry.kind == datafiles.CSV:
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


READ_LOG_ENV = config.READ_LOG_ENV  # where load() logs the files it reads (see config)


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


def read_text(path: Path, display: str, raw: bytes | None = None) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem saying why it is not a CSV file.

    Reads at most ``config.MAX_FILE_BYTES`` bytes of a regular file (unless its bytes
    are given) and decodes it strictly (:func:`decode_text`).
    """
    if raw is None:
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
    if _looks_like_html(text[:200]):
        return None, [Problem(display, 0, "", "filen är HTML eller XML (t.ex. en webbexport sparad som .csv), inte en CSV-fil", CSV_EXPECTED)]
    return text, []


def _looks_like_html(start: str) -> bool:
    return re.match(r"\s*<(\?xml|!doctype|html|table)", start, re.IGNORECASE) is not None


def _plain_utf8(raw: bytes) -> bytes | None:
    """The bytes of a file that may be plain UTF-8 CSV (BOM removed), for :func:`_fast_table`;
    None when :func:`read_text` would refuse it or decode it otherwise (UTF-16, binary, HTML).

    Whether the bytes are valid UTF-8 is left to pyarrow, which checks every string column;
    a file it refuses is read again by :func:`read_text`, whose message names the line.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw.startswith(tuple(_MAGIC)) or b"\x00" in raw:
        return None
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if _looks_like_html(body[:200].decode("utf-8", "ignore")):
        return None
    return body


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


def _read_table(path: Path, display: str, text: str | None = None) -> tuple[int, list[str], list[tuple[int, list[str]]], list[Problem]]:
    """:func:`read_rows` plus the line the header is on (``text``: the file's text, if read)."""
    if text is None:
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


#: Columns whose cells are free text (may hold line breaks; formulas are still rejected).
_TEXT_COLUMNS = ("source", "note")


def _decimals_shown(text: str) -> int:
    """Digits after the decimal separator as written ("2 394,5" -> 1, "665" -> 0)."""
    m = re.search(r"[.,](\d+)\)?\s*$", text.strip())
    return len(m[1]) if m else 0


def _fast_table(raw: bytes) -> tuple[list[str], dict[str, "pa.Array"], np.ndarray] | None:
    """Header, columns and line numbers of a plain CSV file (UTF-8 bytes, no BOM) read in one pass by pyarrow.

    Only for the common shape (no quotes, no ``sep=`` line, no blank or ragged lines, no
    unnamed columns, LF or CRLF line ends): then every physical line is one row and the
    line numbers are exact. Anything else returns None and is read row by row by
    :func:`_read_table`, whose messages name the odd line.
    """
    if not raw[:1].strip():
        return None
    first_end = raw.find(b"\n")
    try:
        header_line = raw[: first_end if first_end >= 0 else len(raw)].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if header_line.lower().lstrip().startswith("sep=") or '"' in header_line:
        return None
    delimiter = sniff_delimiter(header_line)
    header = [h.strip().lower() for h in header_line.split(delimiter)]
    if len(header) < 2 or "" in header or len(set(header)) != len(header):
        return None
    arr = np.frombuffer(raw, dtype=np.uint8)
    # Column-wise byte scans instead of bytes.count (which cost more than pyarrow's read):
    # every CR must start a CRLF, else a lone CR ends a line pyarrow would not count.
    cr = np.flatnonzero(arr == 13)
    if len(cr) and (cr[-1] == len(arr) - 1 or (arr[cr + 1] != 10).any()):
        return None
    ends = np.flatnonzero(arr == 10)
    if len(ends) == 0 or ends[-1] != len(arr) - 1:
        ends = np.append(ends, len(arr))  # no newline after the last line
    quotes = np.flatnonzero(arr == ord('"'))
    if len(quotes):
        # Quoted fields are fine as long as none spans lines: then every line still holds
        # one row (pyarrow checks the fields; a blank line shows as a missing row below).
        starts = np.concatenate(([0], ends[:-1] + 1))
        per_line = np.searchsorted(quotes, ends) - np.searchsorted(quotes, starts)
        if (per_line % 2).any():
            return None
    if len(ends) < 2:
        return None  # the header alone
    # Text columns are read dictionary-encoded: _Column needs their distinct cells anyway, and
    # a long source repeated on every row is then stored once. A ragged line makes pyarrow
    # raise (a wrong number of fields) and a blank line is skipped (one row short, below):
    # both go to the row reader, which says which line.
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=max(1 << 20, 2 * len(header_line) + 1024)),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"' if len(quotes) else False, double_quote=True, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() if h == "value" else text for h in header}, strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        if table.num_rows != len(ends) - 1:
            return None
        cols = {h: c.combine_chunks() for h, c in zip(header, table.unify_dictionaries().columns)}
        for c in cols.values():
            # pyarrow checks UTF-8 of plain string columns only: check each dictionary (every
            # distinct cell) here, so that a non-UTF-8 file still goes to read_text's message.
            if pa.types.is_dictionary(c.type):
                c.dictionary.validate(full=True)
    except pa.ArrowInvalid:
        return None  # whatever pyarrow cannot read, the row reader reports
    return header, cols, np.arange(2, table.num_rows + 2, dtype=np.int64)


class _Column:
    """One column's distinct cells (``uniques``) and, per row, the index of its cell (``codes``).

    Rules that look at one cell run once per distinct cell, not once per row: a data
    file has few distinct regions, orgs, series, periods and units.
    """

    def __init__(self, array: "pa.Array"):
        encoded = array if pa.types.is_dictionary(array.type) else array.dictionary_encode()
        self.codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        self.uniques: list[str] = encoded.dictionary.to_pylist()

    def apply(self, fn, over: list | None = None) -> tuple[list, dict[int, CellError]]:
        """``fn`` on every distinct cell (or on ``over``, one value per distinct cell; None is
        skipped): the results (None where it failed) and the errors by distinct cell."""
        out, errs = [], {}
        for i, u in enumerate(self.uniques if over is None else over):
            if u is None:
                out.append(None)
                continue
            try:
                out.append(fn(u))
            except CellError as e:
                out.append(None)
                errs[i] = e
        return out, errs

    def take(self, values: list) -> np.ndarray:
        """Per row, the value computed for its distinct cell."""
        table = np.empty(len(values), dtype=object)
        table[:] = values
        return table[self.codes]

    def rows_with(self, bad: dict[int, object]) -> np.ndarray:
        """Mask of the rows whose cell is one of ``bad``'s keys."""
        if not bad:
            return np.zeros(len(self.codes), dtype=bool)
        flags = np.zeros(len(self.uniques), dtype=bool)
        flags[list(bad)] = True
        return flags[self.codes]


_FAST_NUMBER = r"^-?[0-9]{1,15}(?:[.,][0-9]+)?$"  # plain numbers below parsing.MAX_ABS


def _parse_values(array: "pa.Array") -> tuple[np.ndarray, np.ndarray, dict[int, CellError], np.ndarray]:
    """Values, decimals shown, errors (row -> CellError) and error mask of the value column.

    Plain numbers ("-1234", "2394,5") are converted column-wise; the rest (spaces,
    Unicode minus, parentheses, text) go through :func:`parse_number` once per distinct cell.
    """
    trimmed = pc.utf8_trim_whitespace(array)
    fast = pc.match_substring_regex(trimmed, _FAST_NUMBER).to_numpy(zero_copy_only=False)
    values = np.full(len(array), np.nan)
    decimals = np.zeros(len(array), dtype=np.int64)
    if fast.any():
        plain = pc.filter(trimmed, pa.array(fast))
        values[fast] = pc.cast(pc.replace_substring(plain, ",", "."), pa.float64()).to_numpy(zero_copy_only=False)
        at = pc.find_substring_regex(plain, "[.,]").to_numpy(zero_copy_only=False)
        length = pc.utf8_length(plain).to_numpy(zero_copy_only=False)
        decimals[fast] = np.where(at >= 0, length - at - 1, 0)
    errors: dict[int, CellError] = {}
    bad = np.zeros(len(array), dtype=bool)
    slow = np.flatnonzero(~fast)
    if len(slow):
        rest = _Column(pc.take(array, pa.array(slow)))
        parsed, errs = rest.apply(lambda u: (parse_number(u), _decimals_shown(u)))
        for j, row in enumerate(slow):
            code = rest.codes[j]
            if code in errs:
                errors[int(row)] = errs[code]
                bad[row] = True
            else:
                values[row], decimals[row] = parsed[code]
    return values, decimals, errors, bad


def _owner_check(owner: str | None):
    def check(code: str) -> None:
        if owner is not None and code in REGIONS and code != owner:
            raise CellError(f"region {code} i en fil som enligt namnet bara har region {owner}", f"region {owner}, eller ett filnamn utan länskod för delade filer")
    return check


def _resolve_or_keep(text: str) -> str:
    """A region's code, or the text itself: the schema reports an unknown region with the expected values."""
    try:
        return resolve_region(text) if text else ""
    except UnknownRegionError:
        return text


def _unit_or_keep(text: str) -> str:
    try:
        return resolve_unit(text)
    except KeyError:
        return text


def _conversion(series_id: str, unit: str) -> tuple[float, str, str]:
    """(factor, stored unit, note for ``source``) for a value of ``series_id`` written in ``unit``."""
    series = series_registry().get(series_id)
    if series is not None and unit in UNITS and unit != series.unit:
        src, dst = UNITS[unit], UNITS[series.unit]
        if src.family == dst.family:
            factor = src.factor / dst.factor
            shown = f"{factor:g}".replace(".", ",")
            return factor, series.unit, f" [omräknat från {src.label} till {dst.label}, × {shown}]"
    return 1.0, unit, ""


def _parse_columns(display: str, owner: str | None, header: list[str], cols: dict[str, "pa.Array"], lines: np.ndarray) -> tuple[pd.DataFrame, list[Problem], set]:
    """The typed rows of one file (raw column layout), the problems, and the keys of unreadable rows.

    Every rule of one cell runs per distinct cell (:class:`_Column`) or column-wise (numbers);
    the problems name file, line and column exactly as the row-by-row reader did.
    """
    n = len(lines)
    problems: list[Problem] = []
    parsed: dict[str, _Column] = {}
    clean: dict[str, np.ndarray] = {}
    bad = np.zeros(n, dtype=bool)

    def report(mask: np.ndarray, column: str, col: _Column | None, errs: dict, per_row: bool = False) -> None:
        for r in np.flatnonzero(mask):
            e = errs[int(r)] if per_row else errs[int(col.codes[r])]
            problems.append(Problem(display, int(lines[r]), column, e.message, e.expected))

    # Stage 1, every column: line breaks, formulas, invisible characters; names normalized.
    norm: dict[str, list] = {}
    for h in header:
        if h == "value":
            # Nearly every value is distinct: only line breaks are checked here, column-wise.
            broken = pc.match_substring_regex(cols[h], "[\r\n]").to_numpy(zero_copy_only=False)
            if broken.any():
                e = CellError("cellen innehåller en radbrytning: troligen ett citattecken (\") som inte avslutas", "ett värde på en rad; citattecken i par")
                report(broken, h, None, {int(r): e for r in np.flatnonzero(broken)}, per_row=True)
                bad |= broken
            continue
        col = parsed[h] = _Column(cols[h])

        def first_checks(u: str, h: str = h) -> str:
            if h not in _TEXT_COLUMNS and ("\n" in u or "\r" in u):
                raise CellError("cellen innehåller en radbrytning: troligen ett citattecken (\") som inte avslutas", "ett värde på en rad; citattecken i par")
            if h == "value":
                return u
            text = unquote_cell(u)  # "'=x" is how the project's writers write the text "=x"
            if text == u and formula_prefix(u):
                raise formula_error(u)
            return normalize_text(text) if h in _TEXT_COLUMNS else normalize_name(text)

        norm[h], errs = col.apply(first_checks)
        mask = col.rows_with(errs)
        report(mask, h, col, errs)
        bad |= mask
        if h != "value":
            clean[h] = col.take([v if v is not None else "" for v in norm[h]])

    # Stage 2, rows that passed stage 1: regions, periods, values, flags, units, sources.
    # Each rule runs on the distinct cells of stage 1 (norm), so once per distinct cell.
    ok1 = ~bad
    stage2 = np.zeros(n, dtype=bool)

    def rule(h: str, fn, over: list | None = None) -> list:
        results, errs = parsed[h].apply(fn, norm[h] if over is None else over)
        mask = parsed[h].rows_with(errs) & ok1
        report(mask, h, parsed[h], errs)
        nonlocal stage2
        stage2 |= mask
        return results

    codes = [None if v is None else _resolve_or_keep(v) for v in norm["region"]]
    rule("region", _owner_check(owner), codes)
    region = parsed["region"].take([c if c is not None else "" for c in codes])
    periods = rule("period", parse_period)
    period = parsed["period"].take(periods)
    pkey = parsed["period"].take([None if p is None else str(p) for p in periods])

    value, decimals, verrs, vbad = _parse_values(cols["value"])
    report(vbad & ok1, "value", None, verrs, per_row=True)
    stage2 |= vbad & ok1

    if "example" in parsed:
        example = parsed["example"].take(rule("example", parse_bool)).astype(bool)
    else:
        example = np.zeros(n, dtype=bool)
    unit_cells = [None if v is None else _unit_or_keep(v) for v in norm["unit"]]
    unit_in = parsed["unit"].take(unit_cells)
    kind = parsed["kind"].take([None if v is None else v.lower() for v in norm["kind"]])

    # Conversion per distinct (series, unit): money in tkr or kr is stored in mnkr. Pairs
    # come from the columns' cell codes (factorizing the text of every row cost more).
    series_cells = [v if v is not None else "" for v in norm["series"]]  # as in clean["series"]
    pair_codes, pairs = pairs_of_codes(parsed["series"].codes, series_cells, parsed["unit"].codes, unit_cells)
    conv = [_conversion(s, u) for s, u in pairs]
    factor = np.array([c[0] for c in conv] + [1.0], dtype=float)[pair_codes]
    unit = np.array([c[1] for c in conv] + [""], dtype=object)[pair_codes]
    value = value * factor
    source = clean["source"]
    empty_source = (source == "") & ok1
    for r in np.flatnonzero(empty_source):
        problems.append(Problem(display, int(lines[r]), "source", "källa saknas", "dokument och plats (fil, sida eller bild, tabell)"))
    stage2 |= empty_source
    converted = np.flatnonzero(factor != 1.0)
    if len(converted):
        # One annotated string per distinct (source, note), shared by its rows: a source
        # is long, and most rows of a monthly tkr export share it.
        source_cells = [v if v is not None else "" for v in norm["source"]]  # as in clean["source"]
        pc_codes, pc_pairs = pairs_of_codes(parsed["source"].codes[converted], source_cells, pair_codes[converted], [c[2] for c in conv])
        joined = np.empty(len(pc_pairs), dtype=object)
        joined[:] = [a + b for a, b in pc_pairs]
        source = source.copy()
        source[converted] = joined[pc_codes]

    bad |= stage2
    incomplete = set()
    for r in np.flatnonzero(bad):
        p = period[r]
        incomplete.add((region[r], clean["org"][r], clean["series"][r], kind[r] or "", str(p) if p is not None else None))
    keep = ~bad
    frame = _frame({
        "region": region[keep], "org": clean["org"][keep], "series": clean["series"][keep],
        "category": clean["category"][keep], "period": period[keep],
        "kind": kind[keep],
        "value": value[keep], "unit": unit[keep], "source": source[keep],
        "note": clean["note"][keep] if "note" in clean else "",
        "example": example[keep], "_file": display, "_line": lines[keep], "_unit_in": unit_in[keep],
        "_factor": factor[keep], "_resolution": (10.0 ** -decimals[keep].astype(float)) * factor[keep],
        "_pkey": pkey[keep],  # str(period), so that rules across rows never hash Period objects
    })
    return frame, problems, incomplete


def _frame(columns: dict) -> pd.DataFrame:
    """A frame in :data:`_RAW_COLUMNS` order; object arrays stay object (no dtype inference)."""
    n = next(len(v) for v in columns.values() if not isinstance(v, str))
    data = {}
    for c in _RAW_COLUMNS:
        v = columns[c]
        if isinstance(v, str):
            v, text = np.empty(n, dtype=object), v
            v.fill(text)  # one shared str (np.full would make a new np.str_ per row)
        data[c] = pd.Series(v, dtype=object if v.dtype == object else None, copy=False)
    return pd.DataFrame(data, copy=False)


def _read_file(path: Path, root: Path) -> tuple[str, bytes | None, list[Problem], str]:
    """A file's name as shown (relative to ``root``), its bytes (None when it cannot be
    read), the problems of reading it, and its cache key: ``""`` with the cache off, the
    problem's text when it could not be read (:mod:`regionanalys.data.parsecache`)."""
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    raw, problems = _read_bytes(path, display)
    if raw is None:
        return display, None, problems, "unreadable:" + repr(problems)
    key = parsecache.key(raw, display, config.MAX_FILE_BYTES) if parsecache.enabled() else ""
    return display, raw, problems, key


def _parse_file(path: Path, read: tuple[str, bytes | None, list[Problem], str]) -> tuple[pd.DataFrame, list[Problem], set]:
    """The valid rows of one file (``read`` as from :func:`_read_file`), the problems of the
    others, and the keys of the unreadable rows.

    The keys (region, org, series, kind, period or None) let the rules across rows skip a
    total or a month gap that only an unreadable row causes. Results are cached by the
    file's content (:mod:`regionanalys.data.parsecache`).
    """
    display, raw, problems, key = read
    if raw is None:
        return _EMPTY_FRAME(), problems, set()
    if not key:
        return _parse_bytes(raw, path, display)  # the cache is off
    hit = parsecache.get(key)
    if hit is not None:
        return hit
    result = _parse_bytes(raw, path, display)
    parsecache.put(key, result)
    return result


def _EMPTY_FRAME() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in _RAW_COLUMNS})


def _parse_bytes(raw: bytes, path: Path, display: str) -> tuple[pd.DataFrame, list[Problem], set]:
    # Plain UTF-8 goes to pyarrow as bytes: no decoding, NFC check and encoding of the whole
    # text in Python. Every cell but a value is NFC-normalized per distinct cell anyway
    # (normalize_name, normalize_text), and a value that is not NFC is no number either.
    body = _plain_utf8(raw)
    fast = _fast_table(body) if body is not None else None
    text = None
    if fast is None:
        text, problems = read_text(path, display, raw)
        if text is None:
            return _EMPTY_FRAME(), problems, set()
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            # NFC per file, not per cell: separators and line ends never combine with a neighbour.
            text = unicodedata.normalize("NFC", text)
        fast = _fast_table(text.encode("utf-8"))
    if fast is not None:
        hl, (header, cols, lines) = 1, fast
    else:
        hl, header, body, problems = _read_table(path, display, text)
        if problems:
            return _EMPTY_FRAME(), problems, set()
    problems = _header_problems(display, hl, header)
    if problems:
        return _EMPTY_FRAME(), problems, set()
    if fast is None:
        ragged = [(ln, cells) for ln, cells in body if len(cells) != len(header)]
        for line, cells in ragged:
            hint = ""
            if any("\n" in c or "\r" in c for c in cells):
                hint = ": ett citattecken (\") öppnas men avslutas inte, så raden fortsätter över flera rader"
            problems.append(Problem(display, line, "", f"raden har {len(cells)} fält men rubriken {len(header)}{hint}", f"{len(header)} fält separerade som rubriken (ett decimalkomma i en ,-separerad fil måste stå inom citattecken)"))
        body = [(ln, cells) for ln, cells in body if len(cells) == len(header)]
        cols = {h: pa.array([cells[i] for _, cells in body], type=pa.string()) for i, h in enumerate(header)}
        lines = np.array([ln for ln, _ in body], dtype=np.int64)
        if not body and not ragged:
            return _EMPTY_FRAME(), [Problem(display, hl, "", "filen har bara en rubrikrad och inga data", "minst en datarad under rubrikraden")], set()
    elif len(lines) == 0:
        return _EMPTY_FRAME(), [Problem(display, hl, "", "filen har bara en rubrikrad och inga data", "minst en datarad under rubrikraden")], set()
    if len(lines) == 0:
        return _EMPTY_FRAME(), problems, set()
    frame, more, incomplete = _parse_columns(display, file_region(path), header, cols, lines)
    return frame, problems + more, incomplete


def _header_problems(display: str, hl: int, header: list[str]) -> list[Problem]:
    problems = []
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
    return problems


def _read_all(data_dir: str | os.PathLike | None, regions: Iterable[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    root = config.data_dir(data_dir)
    files, problems = scan_data_dir(root, regions)
    if regions is not None:  # a report reading its own files is not told about the others
        problems = [p for p in problems if p.file == "." or file_region(Path(p.file)) in (None, *{resolve_region(r) for r in regions})]
    _log_reads(files)
    return _read_files(files, root, problems)


def _read_files(files: list[Path], root: Path, problems: list[Problem]) -> tuple[pd.DataFrame, list[Problem]]:
    """The checked table of ``files`` (names shown relative to ``root``) and every problem.

    The checked table is cached too, keyed by the files' cache keys (their bytes) and the
    problems found before reading: the three reports of a region load the same files, and
    the checks across rows cost more than reading the parsed files back.
    """
    table_key = None
    reads: list = [None] * len(files)
    if parsecache.enabled():
        # Every file is read (and hashed) first: on a hit the table comes back without a
        # parse, on a miss the same bytes are parsed (read once, kept until parsed).
        reads = [_read_file(path, root) for path in files]
        table_key = parsecache.table_key([read[3] for read in reads], repr(sorted(problems)))
        hit = parsecache.get(table_key)
        if hit is not None:
            return hit
    incomplete: set = set()
    problems = list(problems)
    frames = []
    for i, path in enumerate(files):
        read, reads[i] = reads[i] or _read_file(path, root), None  # the bytes go once parsed
        frame, probs, keys = _parse_file(path, read)
        del read
        pa.default_memory_pool().release_unused()  # give the file's buffers back before the next
        frames.append(frame)
        problems.extend(probs)
        incomplete |= keys
    df = pd.concat(frames, ignore_index=True) if frames else _EMPTY_FRAME()
    del frames  # the per-file frames are copied into df: free them before the checks
    df = df.astype({c: object for c in ("region", "org", "series", "category", "kind", "unit", "source", "note", "_file", "_unit_in", "period", "_pkey")})
    df = df.astype({"_factor": float, "_resolution": float, "value": float, "example": bool, "_line": np.int64})
    df, notes = drop_superseded_examples(df)
    problems.extend(notes)
    df = with_key_codes(df)  # integer codes per key column, shared by the checks and the sort
    problems.extend(check_table(df, incomplete, trusted=True))
    if table_key is not None:
        parsecache.put(table_key, (df, problems))
    return df, problems


def validate_file(path: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> tuple[list[Problem], bool]:
    """Every problem of one file, and whether it was checked against the rest of the data directory.

    A file inside the data directory is checked as :func:`validate` checks it, rules across
    files included (duplicate keys, totals, superseded example data); only its own
    problems are returned. A file elsewhere is checked alone: its cells, its header and the
    rules across its own rows.
    """
    root = config.data_dir(data_dir).resolve()
    p = Path(path)
    target = Path(os.path.abspath(p))
    if target.is_relative_to(root) and root.is_dir():
        rel = target.relative_to(root).as_posix()
        own = [q for q in validate(root) if q.file == rel or (q.file != rel and q.severity == VARNING and rel in q.message)]
        if not p.exists() and not p.is_symlink():
            own.append(Problem(rel, 0, "", "filen finns inte", _FILE_EXPECTED))
        return sorted(own), True
    display = p.name
    if not p.exists() and not p.is_symlink():
        return [Problem(display, 0, "", "filen finns inte", _FILE_EXPECTED)], False
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return [_excel_hint(p, root, display)], False
    if p.is_dir():
        return [Problem(display, 0, "", "är en katalog, inte en fil", _FILE_EXPECTED)], False
    return sorted(_read_files([target], target.parent, [])[1]), False


def _excel_hint(path: Path, root: Path, display: str) -> Problem:
    """The warning for a workbook in the data directory: not read, and the command that imports it."""
    from regionanalys.data.importing import import_hint  # importing imports this module

    return Problem(display, 0, "", import_hint(path, root), "en observationsfil (.csv) skriven av regionanalys import", VARNING)


def drop_superseded_examples(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Real data replaces example data: the example rows of every (region, series) that has
    real rows (``example`` false) are dropped, and a warning per example file says so.

    Runs before the checks across rows, so that an import overlapping the example rows is
    not a duplicate key. The rows must have the raw loader layout (``_file``, ``_line``).
    """
    example = df["example"].to_numpy(dtype=bool)
    if not example.any() or example.all():
        return df, []
    codes, pairs = factorize_pairs(df["region"], df["series"])
    has_real = np.zeros(len(pairs), dtype=bool)
    has_real[codes[~example]] = True
    drop = example & has_real[codes]
    if not drop.any():
        return df, []
    notes = []
    gone = df.loc[drop, ["region", "series", "_file"]].drop_duplicates()
    real = df.loc[~example, ["region", "series", "_file"]].drop_duplicates()
    for (file,), group in gone.groupby(["_file"], sort=True):
        for region, series in sorted(zip(group["region"], group["series"])):
            by = sorted(real.loc[(real["region"] == region) & (real["series"] == series), "_file"])
            notes.append(Problem(
                file, 0, "",
                f"exempeldata för region {region}, serien {series} läses inte: verkliga data finns i {', '.join(by)}",
                "verkliga data ersätter exempeldata för samma region och serie (inget att åtgärda)", VARNING,
            ))
    return df[~drop].reset_index(drop=True), notes


class PairList(list):
    """A read-only list of (region, series) pairs, kept in ``DataFrame.attrs``.

    pandas deep-copies ``attrs`` on every operation (``__finalize__``); at 21 regions a
    plain list of a few hundred tuples made that copy 70 % of the comparison report's
    time. The list is never changed after it is made, so its deep copy is itself.
    """

    def __deepcopy__(self, memo: dict) -> "PairList":
        return self

    def __reduce__(self):  # pickle through the constructor, not append()
        return (PairList, (list(self),))

    def _read_only(self, *args, **kwargs):
        raise TypeError("listan är skrivskyddad (den delas mellan tabeller)")

    append = extend = insert = remove = pop = clear = sort = reverse = _read_only
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only


def still_example(df: pd.DataFrame) -> PairList:
    """The (region, series) pairs of a loaded table that are still example data, sorted."""
    example = df["example"].to_numpy(dtype=bool)
    if "_k_region" in df and "_k_series" in df:
        # The loader's frame has integer codes per column: pairs of codes, not of texts.
        rc, ru = codes_and_uniques(df, "region")
        sc, su = codes_and_uniques(df, "series")
        _, pairs = pairs_of_codes(rc[example], ru, sc[example], su)
        return PairList(sorted(pairs))
    rows = df.loc[example, ["region", "series"]].drop_duplicates()
    return PairList(sorted(zip(rows["region"], rows["series"])))


def validate(data_dir: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem in a data directory, in one pass (empty list = valid).

    Covers the observation files and the metadata (``meta/orgs.csv``, ``meta/events.csv``).
    Problems with severity ``varning`` are listed too; :func:`load` accepts them.
    """
    problems = _read_all(data_dir)[1] + _read_orgs(data_dir)[1] + _read_events(data_dir)[1]
    return sorted(problems)


@dataclass(frozen=True)
class RegionData:
    """What a per-region report starts from: the region's code and name, the data loaded
    for it (``df``: its own files and the shared ones) and its own rows (``own``)."""

    code: str
    name: str
    df: pd.DataFrame
    own: pd.DataFrame


def load_region(region: str | int, data_dir: str | os.PathLike | None = None) -> RegionData:
    """Load the data of one region (by code or name) the way every per-region report does."""
    from regionanalys.data.regions import region_name

    code = resolve_region(region)
    df = load(data_dir, regions=[code])
    return RegionData(code, region_name(code), df, df[df["region"] == code])


def load(data_dir: str | os.PathLike | None = None, regions: Iterable[str | int] | None = None) -> pd.DataFrame:
    """Every observation under ``data/`` (or ``data_dir``) as one tidy, validated table.

    ``regions`` (codes or names) limits reading to those regions' files and the shared
    files; the shared files may still hold other regions' rows (e.g. riket), which are kept.

    Columns: see :data:`COLUMNS`. ``period`` holds pandas Periods (years and months
    mixed); ``year`` and ``freq`` ("Y"/"M") make filtering and sorting easy. Money is in
    mnkr. Raises :class:`DataError` listing every error when any file read is invalid:
    nothing is silently dropped and nothing partial is returned. Warnings (see
    :mod:`regionanalys.data.validation`) do not stop loading; :func:`validate` lists them.

    Real data replaces example data: the example rows of a region and series with real
    rows are not loaded; ``df.attrs["example_series"]`` lists the (region, series) pairs
    that are still example data (:func:`still_example` computes it for any filtered table).
    """
    df, problems = _read_all(data_dir, None if regions is None else [str(r) for r in regions])
    if errors(problems):
        raise DataError(errors(problems))
    # Stable sort by region, series, org, category, kind and str(period): one integer rank
    # per column (ranks follow str order), then lexsort, instead of comparing strings.
    order = np.lexsort([_str_rank(*codes_and_uniques(df, c)) for c in ("_pkey", "kind", "category", "org", "series", "region")])
    # Year and frequency per distinct period (str(period) identifies it).
    codes, _ = codes_and_uniques(df, "_pkey")
    first = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    periods = df["period"].to_numpy()[first]
    codes = codes[order]
    years = np.array([p.year for p in periods], dtype=np.int64)[codes]
    freqs = np.array(["M" if p.freqstr.startswith("M") else "Y" for p in periods], dtype=object)[codes]
    # The result is built column by column from the rows in order; the loader's helper
    # columns (codes, factors, resolutions) are dropped first and never copied.
    # Which series are still example data (real data has replaced the rest); see
    # still_example. Taken before the key codes are dropped below: the rows are the same.
    example_series = still_example(df)
    source = {"source_file": "_file", "source_line": "_line"}
    df = df[[source.get(c, c) for c in COLUMNS if c not in ("year", "freq")]]
    columns = {}
    for c in COLUMNS:
        if c == "year":
            columns[c] = pd.Series(years, copy=False)
        elif c == "freq":
            columns[c] = pd.Series(freqs)
        else:
            values = df[source.get(c, c)].to_numpy()[order]
            columns[c] = pd.Series(values, dtype=object if values.dtype == object else None, copy=False)
    del df
    out = pd.DataFrame(columns, copy=False)
    out.attrs["example_series"] = example_series
    # Where it came from: metadata files (decisions.csv) are read from the same folder.
    out.attrs["data_dir"] = str(config.data_dir(data_dir))
    return out


def _str_rank(codes: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """Per row, the rank of its value among the distinct values in string order."""
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(np.asarray(uniques, dtype=object), kind="stable")] = np.arange(len(uniques))
    return rank[codes]


def _read_meta(name: str, columns: list[str], data_dir, optional: tuple[str, ...] = ()) -> tuple[list[dict], list[Problem], str]:
    """Rows of a file under ``meta/`` as dicts with ``_line``; problems for its shape."""
    path = config.data_dir(data_dir) / config.META_SUBDIR / name
    display = f"{config.META_SUBDIR}/{name}"
    _log_reads([path])  # also when missing: the report depends on it once it appears
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
                text = unquote_cell(cell)
                if text == cell and formula_prefix(cell):
                    raise formula_error(cell)
                row[col] = normalize_name(text) if col in ("org", "parent") else normalize_text(text)
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
_DATE_EXPECTED = "ett datum ÅÅÅÅ-MM-DD, t.ex. 2024-01-23, eller en månad ÅÅÅÅ-MM när källan inte anger dagen"


def _date(text: str) -> tuple[pd.Timestamp, str]:
    """A date and its precision ("dag" or "månad"): a source that names only the month
    ("Juni 2023") is written 2023-06, and no day is invented for it."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return pd.Timestamp(text), "dag"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return pd.Timestamp(f"{text}-01"), "månad"
    raise ValueError(text)


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
                row[col], row[f"{col}_precision"] = _date(row[col])
            except ValueError:
                problems.append(Problem(display, ln, col, f"'{row[col]}' är inget datum", _DATE_EXPECTED + (" (tomt om beslutet gäller tills vidare)" if col == "end" else "")))
        if len(problems) == before and row["end"] is not pd.NaT and row["end"] < row["start"]:
            problems.append(Problem(display, ln, "end", f"slutdatum {row['end']:%Y-%m-%d} ligger före startdatum {row['start']:%Y-%m-%d}", "ett slutdatum samma dag som start eller senare"))
        for col in ("org", "event", "label", "source"):
            if not row[col]:
                problems.append(Problem(display, ln, col, f"{col} saknas", "en ifylld text"))
        if len(problems) == before:
            out.append({c: row[c] for c in _EVENT_COLUMNS} | {"start_precision": row["start_precision"]})
    return pd.DataFrame(out, columns=[*_EVENT_COLUMNS, "start_precision"]), problems


def load_events(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Dated decisions (hiring stops, savings plans) from ``data/meta/events.csv``.

    Columns: region, org, start, end (may be NaT), event, label, source, and
    start_precision ("dag", or "månad" when the source names only the month: start is
    then the first of that month and must not be shown as a day).
    Raises :class:`DataError` listing every problem in the file.
    """
    df, problems = _read_events(data_dir)
    if errors(problems):
        raise DataError(errors(problems))
    return df
