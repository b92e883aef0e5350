"""Which files in the data directory are data: the one rule the loader and the report runner share.

Standard library only, so that the runner can list and hash the data files of a run with
nothing to do without importing pandas. :func:`regionanalys.data.loading.scan_data_dir`
turns the entries into located problems; ``report.runner.cache.DataFiles`` hashes them.

The rule: a file whose extension is ``.csv`` in any case is an observation file, except
under the top-level ``meta/`` folder (metadata; a ``meta/`` deeper down is ordinary data),
Excel lock files (``~$…``), hidden files and anything in a hidden folder. Linked folders
are not followed.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from regionanalys import config

#: Kinds of :class:`Entry`.
CSV, META, LOCK, OTHER, DIR_LINK, CSV_DIR = "csv", "meta", "lock", "other", "dir_link", "csv_dir"

_PREFIX_RE = re.compile(r"^(\d{2})_")


def region_of_name(name: str) -> str | None:
    """The region a data file is reserved for by its name ("17_varmland.csv" -> "17"), else None."""
    m = _PREFIX_RE.match(name)
    return m[1] if m else None


@dataclass(frozen=True)
class Entry:
    """One entry of the data directory: its kind, path and path relative to the root (posix)."""

    kind: str
    path: Path
    rel: str


def walk(root: str | os.PathLike) -> Iterator[Entry]:
    """Every entry of the data directory ``root`` (resolved) with its kind, in sorted order.

    Kinds: :data:`CSV` (an observation file to read; it may still not be a regular file),
    :data:`META` (a file under the top-level ``meta/``), :data:`LOCK` (an Excel lock file),
    :data:`OTHER` (another visible file), :data:`DIR_LINK` (a linked folder, not followed)
    and :data:`CSV_DIR` (a folder named like a CSV file; its files are walked as usual).
    Hidden files and folders are skipped without an entry.
    """
    root = Path(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root)
        in_meta = rel_dir.parts[:1] == (config.META_SUBDIR,)
        dirnames.sort()
        for d in list(dirnames):
            p = here / d
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                dirnames.remove(d)
                if d.lower().endswith(".csv") or not d.startswith("."):
                    yield Entry(DIR_LINK, p, rel)
            elif d.startswith("."):
                dirnames.remove(d)  # hidden folders (.cache, .git) are not data
            elif d.lower().endswith(".csv"):
                yield Entry(CSV_DIR, p, rel)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = here / name
            rel = p.relative_to(root).as_posix()
            if in_meta:
                yield Entry(META, p, rel)
            elif name.startswith("~$"):
                yield Entry(LOCK, p, rel)
            elif p.suffix.lower() == ".csv":
                yield Entry(CSV, p, rel)
            else:
                yield Entry(OTHER, p, rel)
