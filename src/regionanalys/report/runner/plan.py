"""Planning a run: validate every choice and list the reports (nothing is executed)."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, fields
from pathlib import Path
from typing import Any

from regionanalys import config
from regionanalys.report.runner.cache import DataFiles, _sha256, file_region, read_manifest
from regionanalys.report.runner.outdir import check_out_dir
from regionanalys.report.specs import (
    Job,
    NotebookParameter,
    ParameterError,
    ReportSpec,
    count_code_cells,
    default_regions,
    load_specs,
    plan_jobs,
)

def _block_unused_imports(worker: bool = False) -> None:
    """Keep optional modules that papermill and nbformat would import, and never use, out of
    the runner's processes (``worker``: a worker process, which never loads data). Kernels
    are not affected.

    * jsonschema imports ``rfc3987_syntax`` (if installed) to check the "iri" format; that
      module builds a grammar at import and costs ~1.3 s. nbformat's schema has no IRI fields.
    * papermill's I/O imports ``pyarrow.fs`` for HDFS paths, which loads pyarrow and numpy:
      40 MB of resident memory and 0,4 CPU-s in every worker, for paths we never use. Only
      in workers: the main process may load data (the index's key figures) with pyarrow.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    if worker and "papermill" not in sys.modules and "pyarrow.fs" not in sys.modules:
        sys.modules["pyarrow.fs"] = None  # type: ignore[assignment]


def notebook_parameters(path: Path) -> dict[str, NotebookParameter]:
    """A notebook's parameters as papermill sees them (``papermill.inspect_notebook``)."""
    _block_unused_imports()
    import logging

    import papermill

    logging.getLogger("papermill").setLevel(logging.ERROR)
    params = papermill.inspect_notebook(str(path))
    return {
        name: NotebookParameter(name, str(p.get("inferred_type_name", "")), str(p.get("default", "")), str(p.get("help", "")))
        for name, p in params.items()
    }


class _NotebookInfo:
    """Notebook hashes, parameters and cell counts, cached in the manifest by content hash."""

    def __init__(self, cache: dict):
        self.cache = cache
        self._hash: dict[Path, str] = {}

    def hash(self, path: Path) -> str:
        path = Path(path).resolve()
        if path not in self._hash:
            self._hash[path] = _sha256(path)
        return self._hash[path]

    def _entry(self, path: Path) -> dict:
        key = self.hash(path)
        entry = self.cache.get(key)
        if entry is None:
            params = notebook_parameters(path)
            entry = {
                "parameters": {n: {"type": p.type, "default": p.default, "help": p.help} for n, p in params.items()},
                "code_cells": count_code_cells(path),
            }
            self.cache[key] = entry
        return entry

    def parameters(self, path: Path) -> dict[str, NotebookParameter]:
        return {n: NotebookParameter(n, d["type"], d["default"], d.get("help", "")) for n, d in self._entry(path)["parameters"].items()}

    def code_cells(self, path: Path) -> int:
        return int(self._entry(path)["code_cells"])

    def prune(self, keep: Iterable[str]) -> None:
        for key in set(self.cache) - set(keep):
            del self.cache[key]


# --- planning ------------------------------------------------------------------------


@dataclass
class RunPlan:
    """A validated run: the jobs and where everything is."""

    jobs: list[Job]
    notes: list[str]
    specs: dict[str, ReportSpec]
    notebooks_dir: Path
    spec_path: Path
    data_dir: Path
    out_dir: Path
    manifest: dict
    info: _NotebookInfo
    #: every region a run covers by default (reports.toml and the regions that have data);
    #: a report in the manifest for a region outside it is marked stale in the index
    region_set: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunChoices:
    """What a run makes and where: the one list of :func:`plan_run`'s and :func:`run`'s choices."""

    notebooks: Sequence[str] | None = None
    regions: Sequence[str | int] | None = None
    year: int | None = None
    parameters: Mapping[str, Any] | None = None
    _: KW_ONLY
    notebooks_dir: str | os.PathLike | None = None
    spec_path: str | os.PathLike | None = None
    data_dir: str | os.PathLike | None = None
    out_dir: str | os.PathLike | None = None


#: names of the choices, to tell them from :func:`execute`'s options in :func:`run`
CHOICE_NAMES = frozenset(f.name for f in fields(RunChoices) if f.name != "_")


def plan_run(*args: Any, **kwargs: Any) -> RunPlan:
    """Validate every choice and list the reports to make; nothing is executed.

    Takes one :class:`RunChoices`, or its fields as arguments (``notebooks``, ``regions``,
    ``year``, ``parameters``; keywords ``notebooks_dir``, ``spec_path``, ``data_dir``,
    ``out_dir``).

    Raises :class:`ParameterError` (an unknown region, notebook or parameter; the message
    names the valid choices) or :class:`SpecError` (reports.toml and the notebooks do not
    fit together).
    """
    c = args[0] if len(args) == 1 and not kwargs and isinstance(args[0], RunChoices) else RunChoices(*args, **kwargs)
    nb_dir = Path(c.notebooks_dir or config.NOTEBOOKS_DIR).resolve()
    spec = Path(c.spec_path or nb_dir / "reports.toml").resolve()
    data = config.data_dir(c.data_dir)
    out = Path(c.out_dir or config.REPORTS_DIR).resolve()
    if not data.is_dir():
        raise ParameterError(f"datakatalogen {data} finns inte")
    check_out_dir(out)
    specs = load_specs(spec, nb_dir)
    manifest = read_manifest(out)
    info = _NotebookInfo(manifest.setdefault("notebooks", {}))
    data_regions = regions_with_data(data)
    jobs, notes = plan_jobs(
        specs, nb_dir, data, info.parameters,
        notebooks=c.notebooks, regions=c.regions, year=c.year, parameters=c.parameters,
        code_cells_of=info.code_cells, data_regions=data_regions,
    )
    region_set = tuple(sorted({r for s in specs.values() for r in default_regions(s, data_regions)}))
    return RunPlan(jobs, notes, specs, nb_dir, spec, data, out, manifest, info, region_set)


def regions_with_data(data_dir: Path) -> list[str]:
    """Regions that have a data file of their own (``NN_*.csv`` anywhere under data/)."""
    return sorted({r for r in (file_region(Path(k).name) for k in DataFiles(data_dir).observations) if r})


