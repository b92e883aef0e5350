"""The report runner: execute report notebooks in parallel, export them, keep a manifest.

From Python::

    from regionanalys.report import runner
    summary = runner.run()                                  # every report in reports.toml
    summary = runner.run(notebooks=["region"], regions=["Värmland"], year=2023)
    summary.exit_code                                      # 0 when every report is ok

or in two steps (what the CLI does, so that choices are checked before anything runs)::

    plan = runner.plan_run(regions=["17"])                 # raises ParameterError/SpecError
    summary = runner.execute(plan, jobs=2, force=True)

How a run works
---------------
* **Planning** (:func:`plan_run`): reports.toml and every choice are validated and each
  report gets an id that is also its file name (``region_17_2023``), built only from
  validated ids. By default a report covers its regions in reports.toml and every other
  region that has data (``NN_*.csv``); reports for regions no longer covered are marked
  stale. ``--out`` must be empty or already a report folder (:mod:`.outdir`).
* **Cache** (Quarto-freeze style): a report is executed again only when one of its inputs
  changed: the notebook file, the library source (``src/regionanalys/**``), its
  parameters, the versions of the packages that shape its output, or a data file it
  read (hashed before the run; a file that changes during the run makes the report
  again). The loader appends every data file it reads to
  ``$REGIONANALYS_READ_LOG`` (set per report); files named ``NN_*.csv`` belong to region
  NN only, so a report's data inputs are the shared files plus the files of the regions
  it read (or every file, if it read every file). Metadata files (``data/meta/``) count
  only for the reports that read them. ``force=True`` executes everything.
* **Execution**: ``jobs`` worker processes (default: one per core), longest report first
  (by the last duration in the manifest); the summary names the critical path. What
  the notebooks import, papermill and the HTML template are imported once (with the
  garbage collector off; then ``gc.freeze()``): on Linux once per run, in a fork server
  that forks every worker (:mod:`.zygote`), elsewhere in each spawned worker. A worker
  executes report after report **in
  its own process**, no Jupyter kernel (:mod:`.inprocess`): papermill's API injects the
  parameters and records the executed notebook, its in-process engine runs the code cells
  in an IPython shell whose outputs become the cells' outputs as a kernel's would. Between
  reports the worker resets what a report may change (user namespace, matplotlib figures
  and rc, pandas options, warnings, environment, ``sys.path``, working directory). A
  report that fails ends its worker (it may have left any state) and a new worker takes
  the next report. A cell that runs longer than ``timeout`` seconds is interrupted and
  the report fails. Reports are exported with one compiled ``HTMLExporter`` per worker;
  workers never import papermill's HDFS support (pyarrow). While reports run, the
  index's key figures are computed in a low-priority thread of the main process
  (:func:`regionanalys.report.landing.prepare`), on a core the workers leave idle.
* **Safety**: files are written to ``<out>/.regionanalys-tmp`` and moved into place
  (atomically) only on success. A failed report keeps the last good HTML, is marked
  failed in the index with the failing cell and the error, and its executed notebook is
  kept as ``<id>.failed.ipynb``. ``manifest.json`` and ``index.html`` are written
  together, atomically, with the umask's mode. A lock file (``filelock``) stops two runs
  from writing the same directory at once. Workers end with the run
  (:mod:`.orphans`); the next run stops what a killed run left and removes its files.

Modules
-------
``plan`` (choices, :func:`plan_run`), ``cache`` (hashes, manifest, why a report is
stale), ``inprocess`` (the shell, the papermill engine, the reset between reports),
``worker`` (a worker process), ``zygote`` (the boot of the fork server the workers are
forked from, on Linux), ``pool`` (the parent's side of the workers), ``record`` (a finished report into place), ``execution``
(:func:`execute`, :func:`run`), ``index`` (index.html), ``pdf``, ``lock``, ``results``,
``outdir`` (which folders we write), ``orphans`` (processes that must not outlive a
run), ``memory`` (psutil figures), ``runlog`` (``--log-file``).
Imports point one way: results → cache → plan → inprocess → worker → zygote, pool → execution.
"""
from __future__ import annotations

from regionanalys.report.runner.cache import (
    MANIFEST_FORMAT, MANIFEST_NAME, DataFiles, file_region, library_hash, read_manifest, scope_of, write_manifest,
)
from regionanalys.report.runner.execution import DEFAULT_TIMEOUT, TMP_DIRNAME, execute, run
from regionanalys.report.runner.index import INDEX_NAME, render_index, write_index
from regionanalys.report.runner.lock import LOCK_NAME, _Lock
from regionanalys.report.runner.outdir import MARKER_NAME, OutDirError, check_out_dir
from regionanalys.report.runner.plan import RunChoices, RunPlan, notebook_parameters, plan_run
from regionanalys.report.runner.results import Event, ReportResult, RunError, RunSummary, format_error, os_error_text
from regionanalys.report.specs import ParameterError, SpecError

#: names of the worker side, imported on first use (PEP 562): multiprocessing and psutil
#: are not needed by a run with nothing to do
_LAZY = {"default_jobs": "pool", "ENGINE_NAME": "inprocess", "WORKER_RSS_LIMIT_MB": "worker", "WorkerConfig": "worker"}

__all__ = [
    "ParameterError", "SpecError", "RunError", "RunChoices", "RunPlan", "RunSummary", "ReportResult", "Event",
    "plan_run", "execute", "run", "library_hash", "notebook_parameters", "write_index", "format_error",
    "DataFiles", "file_region", "scope_of", "read_manifest", "write_manifest", "default_jobs",
    "WorkerConfig", "_Lock", "OutDirError", "check_out_dir", "render_index",
    "os_error_text", "MARKER_NAME",
    "MANIFEST_NAME", "MANIFEST_FORMAT", "INDEX_NAME", "LOCK_NAME", "TMP_DIRNAME", "ENGINE_NAME",
    "DEFAULT_TIMEOUT", "WORKER_RSS_LIMIT_MB",
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value
