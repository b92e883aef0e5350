"""The command line (``regionanalys import``, ``python -m regionanalys.data.importing``):
its arguments, what it prints after an import, and the hint ``validate`` shows for a
spreadsheet dropped into ``data/``."""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from regionanalys.data.importing.mapping import MappingError
from regionanalys.data.importing.writer import IMPORTS_SUBDIR, Written, import_and_write
from regionanalys.data.validation import DataError

#: Suffixes of spreadsheet files that ``validate`` should point to the importer.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _as_typed(p: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    if p.is_absolute():
        try:
            return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            pass
    return p.as_posix()


def import_hint(path: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> str:
    """The message ``validate`` shows for a spreadsheet dropped into ``data/``: it is not
    read as data, and the command that imports it. ``path`` and ``data_dir`` may be
    absolute; they are shown relative to the working directory when inside it.

    >>> import_hint("data/Heroma timmar 2023.xlsx", "data")  # doctest: +NORMALIZE_WHITESPACE
    'Excel-filen läses inte som data; importera den till en observationsfil med: regionanalys import "data/Heroma timmar 2023.xlsx" --mapping MAPPNING.toml --out data/imports/heroma_timmar_2023.csv (mappningen beskrivs i docs/importing.md)'
    """
    p = Path(path)
    shown = _as_typed(p)
    quoted = f'"{shown}"' if re.search(r"\s", shown) else shown
    stem = re.sub(r"[^\w-]+", "_", p.stem.lower()).strip("_") or "import"
    root = _as_typed(Path(data_dir)) if data_dir is not None else "data"
    root = f'"{root}"' if re.search(r"\s", root) else root
    cmd = f"regionanalys import {quoted} --mapping MAPPNING.toml --out {root}/{IMPORTS_SUBDIR}/{stem}.csv"
    first = "Excel-filen läses inte som data"
    if p.suffix.lower() == ".xls":
        first = "Excel-filen (gammalt .xls-format) läses inte som data; spara den som .xlsx i Excel och"
        return f"{first} importera den sedan med: {cmd.replace(p.suffix, '.xlsx', 1)} (mappningen beskrivs i docs/importing.md)"
    return f"{first}; importera den till en observationsfil med: {cmd} (mappningen beskrivs i docs/importing.md)"


#: Skipped rows and columns the command prints before summarizing the rest.
MAX_SKIPPED_SHOWN = 30


def print_written(written: Written, echo=print) -> None:
    """The lines the command line prints after an import (shared by both entry points)."""
    r = written.result
    shown = written.path
    try:
        shown = written.path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        pass  # outside the working directory: the full path
    echo(f"{len(r)} värden från {r.file} skrivna till {shown}")
    # A ledger can skip hundreds of accounts; the first ones show what happened.
    for p in r.skipped[:MAX_SKIPPED_SHOWN]:
        echo(f"  hoppade över: {p}")
    if len(r.skipped) > MAX_SKIPPED_SHOWN:
        echo(f"  … och {len(r.skipped) - MAX_SKIPPED_SHOWN} till (ImportResult.skipped i Python listar alla)")
    for p in [*r.warnings, *written.problems]:
        echo(f"  {p}")


def main(argv: list[str] | None = None) -> int:
    """``python -m regionanalys.data.importing`` (the same as ``regionanalys import``)."""
    parser = argparse.ArgumentParser(prog="python -m regionanalys.data.importing", description="Importera en månadsexport (CSV eller Excel) till en observationsfil i data/.")
    parser.add_argument("export", help="exportfilen (.csv eller .xlsx)")
    parser.add_argument("--mapping", required=True, help="mappningen (TOML)")
    parser.add_argument("--out", help="observationsfilen att skriva; standard data/imports/NN_<exportens namn>.csv")
    parser.add_argument("--overwrite", action="store_true", help="ersätt en befintlig fil")
    args = parser.parse_args(argv)
    try:
        written = import_and_write(args.export, args.mapping, args.out, overwrite=args.overwrite)
    except (DataError, MappingError, FileExistsError, ValueError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print_written(written)
    return 0

