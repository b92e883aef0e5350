"""The cache: hashes of a report's inputs, the manifest, and why a report is stale."""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regionanalys import config
from regionanalys.data import datafiles
from regionanalys.data.fileio import atomic_write_text
from regionanalys.report.runner.results import _now_iso
from regionanalys.report.specs import Job

if TYPE_CHECKING:
    from regionanalys.report.runner.plan import _NotebookInfo

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1



def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_hash(package_dir: Path | None = None) -> str:
    """Hash of the library source: every file under ``src/regionanalys`` but caches."""
    root = Path(package_dir or config.PACKAGE_DIR)
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo"):
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        h.update(rel.as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def file_region(name: str) -> str | None:
    """The region a data file belongs to by its name ("17_varmland.csv" -> "17")."""
    return datafiles.region_of_name(name)


class DataFiles:
    """The data directory's files as the loader sees them, hashed once per run.

    The listing is :func:`regionanalys.data.datafiles.walk`, the rule the loader's
    :func:`~regionanalys.data.loading.observation_files` uses too (``.csv`` in any case,
    only the top-level ``meta/`` is metadata, no lock files or hidden folders); that module
    imports no pandas, so a run with nothing to do stays fast.
    """

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._hashes: dict[str, str | None] = {}
        self.observations: list[str] = []
        self.meta: list[str] = []
        if self.root.is_dir():
            for entry in datafiles.walk(self.root):
                if entry.kind == datafiles.META and entry.path.is_file():
                    self.meta.append(entry.rel)
                elif entry.kind == datafiles.CSV and entry.path.is_file():
                    self.observations.append(entry.rel)
            self.meta.sort(key=Path)  # the loader's order (sorted paths)
            self.observations.sort(key=Path)
        #: the region of each observation file ("" for a shared file), for :meth:`in_scope`
        self._region = {k: file_region(Path(k).name) or "" for k in self.observations}

    def key(self, path: str | Path) -> str:
        """Relative posix path for a file in the data directory, else the absolute path."""
        p = Path(path).resolve()
        return p.relative_to(self.root).as_posix() if p.is_relative_to(self.root) else p.as_posix()

    def path(self, key: str) -> Path:
        return Path(key) if Path(key).is_absolute() else self.root / key

    def hash(self, key: str) -> str | None:
        if key not in self._hashes:
            p = self.path(key)
            self._hashes[key] = _sha256(p) if p.is_file() else None
        return self._hashes[key]

    def snapshot(self) -> None:
        """Hash every listed file now, before any report reads it.

        A report's manifest entry records these hashes, never ones taken after it ran: a
        file that changes while a report runs then differs from the record, and the
        report is made again (see :meth:`changed`), instead of being cached with the new
        hash over the old numbers.
        """
        for key in (*self.observations, *self.meta):
            self.hash(key)

    def changed(self, recorded: Mapping[str, str | None]) -> list[str]:
        """The recorded inputs whose file differs now (hashed afresh, not from the cache)."""
        out = []
        for key, digest in recorded.items():
            p = self.path(key)
            try:
                now = _sha256(p) if p.is_file() else None
            except OSError:
                now = None
            if now != digest:
                out.append(key)
        return out

    def in_scope(self, scope: str | Sequence[str]) -> list[str]:
        """Observation files a report with this scope reads: shared ones and its regions'."""
        if scope == "all":
            return list(self.observations)
        wanted = {*scope, ""}
        return [k for k in self.observations if self._region[k] in wanted]

    def inputs(self, scope: str | Sequence[str], extra: Iterable[str] = ()) -> dict[str, str | None]:
        """Hashes of a report's data inputs: the observation files of its scope and the
        other files it read (``extra``: metadata such as ``meta/events.csv`` counts only
        for the reports whose loader logged reading it)."""
        keys = set(self.in_scope(scope)) | set(extra)
        return {k: self.hash(k) for k in sorted(keys)}


def scope_of(reads: Sequence[str], job_regions: Sequence[str], data: DataFiles) -> str | list[str]:
    """The data scope of a report from the files it read (keys from :meth:`DataFiles.key`)."""
    read = set(reads)
    if not read or (data.observations and set(data.observations) <= read):
        return "all"
    regions = {file_region(Path(k).name) for k in read if file_region(Path(k).name)}
    return sorted(regions | set(job_regions))


def read_manifest(out_dir: Path) -> dict:
    path = Path(out_dir) / MANIFEST_NAME
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {"format": MANIFEST_FORMAT, "reports": {}, "notebooks": {}}
    if doc.get("format") != MANIFEST_FORMAT:
        return {"format": MANIFEST_FORMAT, "reports": {}, "notebooks": {}}
    doc.setdefault("reports", {})
    doc.setdefault("notebooks", {})
    return doc


def write_manifest(out_dir: Path, manifest: dict) -> None:
    manifest["updated"] = _now_iso()
    atomic_write_text(Path(out_dir) / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


#: the packages whose version changes what a report shows: an upgrade makes every report again
OUTPUT_PACKAGES = ("regionanalys", "pandas", "numpy", "matplotlib", "nbconvert", "papermill", "ipython", "jinja2")


def package_versions(names: Sequence[str] = OUTPUT_PACKAGES) -> dict[str, str]:
    """Installed versions, "-" for a package that is not installed.

    Read from the ``<name>-<version>.dist-info`` folder names on ``sys.path``, the first
    one found winning as for imports: ``importlib.metadata`` takes about 0,3 s to import,
    more than a run with nothing to do may cost.
    """
    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "_", name).lower()

    wanted = {norm(n): n for n in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.scandir(entry or ".")
        except OSError:
            continue
        with listing:
            for d in listing:
                if not d.name.endswith(".dist-info") or "-" not in d.name:
                    continue
                name, version = d.name[: -len(".dist-info")].rsplit("-", 1)
                key = norm(name)
                if key in wanted and wanted[key] not in found:
                    found[wanted[key]] = version
    return {n: found.get(n, "-") for n in names}


def python_identity() -> str:
    """The Python that executes the reports: its implementation and version."""
    return f"{sys.implementation.name} {sys.version.split()[0]}"


def _library_version() -> str:
    from regionanalys import __version__

    return __version__


@dataclass
class _Current:
    library: str
    #: the Python the workers run (``python_identity()``): the reports execute in it
    python: str
    data: DataFiles
    info: _NotebookInfo
    #: versions of the packages that shape a report's output (see :func:`package_versions`)
    packages: dict[str, str] = field(default_factory=lambda: package_versions())


def _why_stale(entry: Mapping | None, job: Job, cur: _Current, out_dir: Path) -> str | None:
    """None when the report is up to date, else the reason it must be executed."""
    if not entry:
        return "ny rapport"
    if entry.get("status") != "ok":
        return "förra körningen misslyckades"
    inputs = entry.get("inputs") or {}
    if inputs.get("notebook") != cur.info.hash(job.notebook_path):
        return f"{job.notebook} ändrad"
    if inputs.get("library") != cur.library:
        return "biblioteket ändrat"
    if inputs.get("parameters") != _canonical(job.parameters):
        return "nya parametrar"
    if inputs.get("python") != cur.python:
        return "annan Python" if "python" in inputs else "gjord av en äldre version av körningen"
    if inputs.get("packages") != cur.packages:
        was = inputs.get("packages") or {}
        changed = [f"{name} {was.get(name, '?')} → {v}" for name, v in cur.packages.items() if was.get(name) != v]
        return "nya paketversioner: " + ", ".join(changed[:3])
    for name in ("html", "ipynb"):
        if not entry.get(name) or not (out_dir / entry[name]).is_file():
            return f"{name}-filen saknas"
    recorded: dict = inputs.get("data") or {}
    scope = inputs.get("data_scope", "all")
    # files recorded but no longer listed (deleted, or read outside the listing) are re-hashed
    extra = [k for k in recorded if k not in cur.data.observations]
    now = cur.data.inputs(scope, extra)
    if now != recorded:
        changed = sorted(k for k in set(now) | set(recorded) if now.get(k) != recorded.get(k))
        shown = ", ".join(Path(k).name for k in changed[:3]) + (" …" if len(changed) > 3 else "")
        return f"data ändrade: {shown}"
    return None


