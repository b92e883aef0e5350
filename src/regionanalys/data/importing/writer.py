"""Writing imported rows as an observation CSV under ``data/`` (atomically, checked by the
loader first, rolled back on errors): :func:`import_and_write` is what the command runs."""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from regionanalys import config
from regionanalys.data.csvout import safe_row
from regionanalys.data.fileio import atomic_write_text
from regionanalys.data.importing.frame import ImportResult, import_file
from regionanalys.data.importing.mapping import Mapping
from regionanalys.data.importing.rows import CONTRACT_COLUMNS
from regionanalys.data.loading import file_region
from regionanalys.data.parsing import parse_period
from regionanalys.data.validation import DataError, Problem, errors

#: Sub-folder of ``data/`` the importer writes to by default.
IMPORTS_SUBDIR = "imports"


def format_value(value: float) -> str:
    """A number as the observation files write it: decimal comma, no thousands separator,
    no exponent, no trailing zeros (``1234.5`` -> ``1234,5``, ``-3.0`` -> ``-3``)."""
    v = float(value)
    if v != v or abs(v) == float("inf"):
        raise ValueError(f"{value!r} är inte ett ändligt tal")
    if v.is_integer():
        return str(int(v))
    return np.format_float_positional(v, trim="-").replace(".", ",")


def format_period(period: pd.Period) -> str:
    """``Period('2023-01', 'M')`` -> ``2023-01``; a year -> ``2023``."""
    return str(period.year) if not period.freqstr.startswith("M") else f"{period.year}-{period.month:02d}"


def observation_csv(frame: pd.DataFrame) -> str:
    """The text of an observation CSV for a contract frame (``;``, decimal comma, ``\\n``)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(CONTRACT_COLUMNS)
    for r in frame[CONTRACT_COLUMNS].itertuples(index=False):
        period = r.period if isinstance(r.period, pd.Period) else parse_period(str(r.period))
        w.writerow(safe_row([  # no cell a spreadsheet would execute (the loader reads it back)
            r.region, r.org, r.series, r.category, format_period(period), r.kind, format_value(r.value), r.unit,
            r.source, r.note if isinstance(r.note, str) else "", "true" if bool(r.example) else "false",
        ]))
    return buf.getvalue()


def write_observations(data: ImportResult | pd.DataFrame, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Save imported rows as an observation CSV (atomically) and return its path.

    The file name decides which region it may hold: ``24_hyrpersonal.csv`` only region
    24, as the loader requires. An existing file is replaced only with ``overwrite``.
    """
    frame = data.frame if isinstance(data, ImportResult) else data
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise ValueError(f"{path.name}: en observationsfil ska sluta på .csv")
    if path.name.startswith("."):
        raise ValueError(f"{path.name}: filnamn som börjar med punkt läses inte av load()")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} finns redan; ange overwrite=True (--overwrite) för att ersätta den")
    if frame.empty:
        raise ValueError("inga rader att skriva")
    owner = file_region(path)
    regions = sorted(set(frame["region"]))
    if owner is not None and regions != [owner]:
        raise DataError([Problem(path.name, 0, "region", f"filen är enligt namnet reserverad för region {owner} men raderna har region {', '.join(regions)}", f"bara region {owner}, eller ett filnamn som börjar med rätt länskod")])
    return atomic_write_text(path, observation_csv(frame))




def default_out(result: ImportResult, export: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Path:
    """``data/imports/NN_<export name>.csv``: prefixed with the region code when the rows
    are one region's (so a report for another region does not read it)."""
    stem = re.sub(r"[^\w-]+", "_", Path(export).stem.lower()).strip("_") or "import"
    regions = sorted(set(result.frame["region"]))
    if len(regions) == 1 and not stem.startswith(f"{regions[0]}_"):
        stem = f"{regions[0]}_{stem}"
    return config.data_dir(data_dir) / IMPORTS_SUBDIR / f"{stem}.csv"


@dataclass
class Written:
    """What :func:`import_and_write` did."""

    result: ImportResult
    path: Path
    problems: list[Problem]  #: the loader's warnings for the written file (errors roll the write back)


def import_and_write(
    export: str | os.PathLike,
    mapping: "Mapping | MappingABC | str | os.PathLike",
    out: str | os.PathLike | None = None,
    *,
    data_dir: str | os.PathLike | None = None,
    overwrite: bool = False,
) -> Written:
    """Import an export, check the observation file with the loader, and write it.

    The file is first checked on its own with :func:`regionanalys.data.loading.validate`
    (in a temporary folder); then, when it lands inside the data directory, the whole
    directory is validated with it in place, so that conflicts with other files (a
    duplicate key) are found. Problems in the written file roll the write back (the old
    file, if any, is restored) and are raised as :class:`DataError`.
    """
    from regionanalys.data.loading import validate

    result = import_file(export, mapping)
    path = Path(out) if out is not None else default_out(result, export, data_dir)
    frame = result.frame
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} finns redan; ange --overwrite för att ersätta den")
    with tempfile.TemporaryDirectory(prefix="regionanalys-import-") as tmp:
        trial = write_observations(frame, Path(tmp) / path.name)
        alone = [p for p in validate(tmp) if p.file == trial.name]
    if errors(alone):
        raise DataError(alone)
    root = config.data_dir(data_dir)
    inside = path.resolve().is_relative_to(root)
    # The previous file (if any) is kept under a hidden name (the loader skips dot files)
    # until the directory has been validated with the new one, then dropped or put back.
    backup = None
    if path.is_file():
        backup = path.with_name(f".{path.name}.{os.getpid()}.bak")
        shutil.copy2(path, backup)
    try:
        write_observations(frame, path, overwrite=True)
        mine = alone
        if inside:
            rel = path.resolve().relative_to(root).as_posix()
            mine = [p for p in validate(root) if p.file == rel or rel in p.message]
        if errors(mine):
            raise DataError(mine)
    except BaseException:
        if backup is not None:
            os.replace(backup, path)
            backup = None
        else:
            path.unlink(missing_ok=True)
        raise
    finally:
        if backup is not None:
            backup.unlink(missing_ok=True)
    return Written(result, path, mine)


def import_to_csv(
    export: str | os.PathLike, mapping: "Mapping | MappingABC | str | os.PathLike", out: str | os.PathLike, *, overwrite: bool = False
) -> ImportResult:
    """:func:`import_file` then :func:`write_observations`; returns the import result."""
    result = import_file(export, mapping)
    write_observations(result, out, overwrite=overwrite)
    return result
