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
  validated ids.
* **Cache** (Quarto-freeze style): a report is executed again only when one of its inputs
  changed: the notebook file, the library source (``src/regionanalys/**``), its
  parameters, or a data file it read. The loader appends every data file it reads to
  ``$REGIONANALYS_READ_LOG`` (set per report); files named ``NN_*.csv`` belong to region
  NN only, so a report's data inputs are the shared files plus the files of the regions
  it read (or every file, if it read every file). Metadata files (``data/meta/``) count
  as inputs of every report. ``force=True`` executes everything.
* **Execution**: ``jobs`` worker processes (default: one per core). Each worker starts
  one kernel, pre-imports what the notebooks import, and reuses the kernel for report
  after report, resetting it in between (user namespace, matplotlib figures and rc,
  pandas options, warnings, environment, working directory); a failed report gets a new
  kernel. Notebooks are executed with papermill's API (parameters injected, executed
  notebook recorded) and exported with one compiled ``HTMLExporter`` per worker.
  A kernel that dies at start is started once more with a longer start-up timeout; a cell
  that runs longer than ``timeout`` seconds is interrupted and the report fails.
* **Safety**: files are written to ``<out>/.regionanalys-tmp`` and moved into place
  (atomically) only on success. A failed report keeps the last good HTML, is marked
  failed in the index with the failing cell and the error, and its executed notebook is
  kept as ``<id>.failed.ipynb``. ``manifest.json`` and ``index.html`` are written
  atomically. A lock file stops two runs from writing the same directory at once.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import queue
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from regionanalys import config
from regionanalys.data.fileio import atomic_write_text
from regionanalys.report.specs import (
    Job,
    NotebookParameter,
    ParameterError,
    ReportSpec,
    SpecError,
    count_code_cells,
    load_specs,
    notebook_imports,
    plan_jobs,
)

__all__ = [
    "ParameterError", "SpecError", "RunError", "RunPlan", "RunSummary", "ReportResult",
    "plan_run", "execute", "run", "library_hash", "notebook_parameters", "write_index",
]

MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"
LOCK_NAME = ".regionanalys.lock"
TMP_DIRNAME = ".regionanalys-tmp"
MANIFEST_FORMAT = 1
#: papermill engine name of the warm-kernel engine registered in worker processes
ENGINE_NAME = "regionanalys-warm"
#: seconds a cell may run before it is interrupted and the report fails
DEFAULT_TIMEOUT = 600
#: seconds a kernel may take to start; the one retry gets RETRY_START_FACTOR times as long
DEFAULT_START_TIMEOUT = 60
RETRY_START_FACTOR = 3
#: a worker's kernel is replaced when its resident memory exceeds this (MB)
KERNEL_RSS_LIMIT_MB = 1500

_PREFIX_RE = re.compile(r"^(\d{2})_")


class RunError(RuntimeError):
    """The run cannot start (kernel not installed, Chromium missing, directory locked …)."""


# --- hashing and inputs --------------------------------------------------------------


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
    m = _PREFIX_RE.match(name)
    return m[1] if m else None


class DataFiles:
    """The data directory's files as the loader sees them, hashed once per run.

    The listing rule mirrors :func:`regionanalys.data.loading.observation_files` (every
    ``*.csv`` except under ``meta/`` and hidden files; the test suite checks they agree);
    it is repeated here so that a run with nothing to do does not import pandas.
    """

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._hashes: dict[str, str | None] = {}
        self.observations: list[str] = []
        self.meta: list[str] = []
        if self.root.is_dir():
            for p in sorted(self.root.rglob("*")):
                if not p.is_file() or p.name.startswith("."):
                    continue
                rel = p.relative_to(self.root)
                if config.META_SUBDIR in rel.parts[:-1]:
                    self.meta.append(rel.as_posix())
                elif p.suffix == ".csv":
                    self.observations.append(rel.as_posix())

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

    def in_scope(self, scope: str | Sequence[str]) -> list[str]:
        """Observation files a report with this scope reads: shared ones and its regions'."""
        if scope == "all":
            return list(self.observations)
        wanted = set(scope)
        return [k for k in self.observations if (file_region(Path(k).name) or "") in wanted or file_region(Path(k).name) is None]

    def inputs(self, scope: str | Sequence[str], extra: Iterable[str] = ()) -> dict[str, str | None]:
        keys = set(self.in_scope(scope)) | set(self.meta) | set(extra)
        return {k: self.hash(k) for k in sorted(keys)}


def scope_of(reads: Sequence[str], job_regions: Sequence[str], data: DataFiles) -> str | list[str]:
    """The data scope of a report from the files it read (keys from :meth:`DataFiles.key`)."""
    read = set(reads)
    if not read or (data.observations and set(data.observations) <= read):
        return "all"
    regions = {file_region(Path(k).name) for k in read if file_region(Path(k).name)}
    return sorted(regions | set(job_regions))


# --- manifest ------------------------------------------------------------------------


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


def _now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _library_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("regionanalys")
    except PackageNotFoundError:
        return "0.0.0"


# --- notebook parameters (papermill), cached by notebook hash -------------------------


def _block_slow_jsonschema_plugin() -> None:
    """jsonschema imports ``rfc3987_syntax`` (if installed) to check the "iri" format; that
    module builds a grammar at import and costs ~1.3 s. nbformat's schema has no IRI
    fields, so the runner's processes do without it. Kernels are not affected."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def notebook_parameters(path: Path) -> dict[str, NotebookParameter]:
    """A notebook's parameters as papermill sees them (``papermill.inspect_notebook``)."""
    _block_slow_jsonschema_plugin()
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


def plan_run(
    notebooks: Sequence[str] | None = None,
    regions: Sequence[str | int] | None = None,
    year: int | None = None,
    parameters: Mapping[str, Any] | None = None,
    *,
    notebooks_dir: str | os.PathLike | None = None,
    spec_path: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    out_dir: str | os.PathLike | None = None,
) -> RunPlan:
    """Validate every choice and list the reports to make; no kernel is started.

    Raises :class:`ParameterError` (an unknown region, notebook or parameter; the message
    names the valid choices) or :class:`SpecError` (reports.toml and the notebooks do not
    fit together).
    """
    nb_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve()
    spec = Path(spec_path or nb_dir / "reports.toml").resolve()
    data = config.data_dir(data_dir)
    out = Path(out_dir or config.REPORTS_DIR).resolve()
    if not data.is_dir():
        raise ParameterError(f"datakatalogen {data} finns inte")
    specs = load_specs(spec, nb_dir)
    manifest = read_manifest(out)
    info = _NotebookInfo(manifest.setdefault("notebooks", {}))
    jobs, notes = plan_jobs(
        specs, nb_dir, data, info.parameters,
        notebooks=notebooks, regions=regions, year=year, parameters=parameters,
        code_cells_of=info.code_cells,
    )
    return RunPlan(jobs, notes, specs, nb_dir, spec, data, out, manifest, info)


# --- results -------------------------------------------------------------------------


@dataclass
class ReportResult:
    """What happened to one report in a run."""

    job: Job
    status: str  #: "ok" or "failed"
    cached: bool  #: True: inputs unchanged, not executed
    seconds: float  #: execution time (for a cached report: of the run that made it)
    reason: str = ""  #: why it was executed (or "oförändrad")
    error: dict | None = None
    example_data: bool = False
    html: Path | None = None
    ipynb: Path | None = None
    failed_ipynb: Path | None = None
    pdf: Path | None = None
    kernel_peak_mb: float = 0.0
    worker_peak_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def error_text(self) -> str:
        return format_error(self.error) if self.error else ""


def format_error(error: Mapping[str, Any]) -> str:
    """One line: where the report failed and why."""
    where = ""
    if error.get("cell") is not None:
        where = f"cell {int(error['cell']) + 1}"  # stored 0-based (papermill), shown 1-based
        if error.get("execution_count"):
            where += f" (In [{error['execution_count']}])"
        if error.get("cell_first_line"):
            where += f" «{error['cell_first_line']}»"
        where += ": "
    what = error.get("ename") or "Fel"
    msg = error.get("evalue") or ""
    return f"{where}{what}: {msg}" if msg else f"{where}{what}"


@dataclass
class RunSummary:
    results: list[ReportResult]
    out_dir: Path
    index: Path
    manifest: Path
    seconds: float
    workers: int = 0
    notes: list[str] = field(default_factory=list)
    pdf_errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[ReportResult]:
        return [r for r in self.results if not r.ok]

    @property
    def executed(self) -> list[ReportResult]:
        return [r for r in self.results if not r.cached]

    @property
    def exit_code(self) -> int:
        """0: every report ok; 1: at least one report (or PDF) failed."""
        return 1 if self.failed or self.pdf_errors else 0

    @property
    def peak_rss_per_worker_mb(self) -> float:
        """Largest worker + kernel peak resident memory seen (MB)."""
        return max((r.kernel_peak_mb + r.worker_peak_mb for r in self.executed), default=0.0)


Event = Callable[[str, Job, "ReportResult | None"], None]


# --- cache check ---------------------------------------------------------------------


@dataclass
class _Current:
    library: str
    kernel: str
    data: DataFiles
    info: _NotebookInfo


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
    if inputs.get("kernel") != cur.kernel:
        return "annan kärna"
    for name in ("html", "ipynb"):
        if not entry.get(name) or not (out_dir / entry[name]).is_file():
            return f"{name}-filen saknas"
    recorded: dict = inputs.get("data") or {}
    scope = inputs.get("data_scope", "all")
    # files recorded but no longer listed (deleted, or read outside the listing) are re-hashed
    extra = [k for k in recorded if k not in cur.data.observations and k not in cur.data.meta]
    now = cur.data.inputs(scope, extra)
    if now != recorded:
        changed = sorted(k for k in set(now) | set(recorded) if now.get(k) != recorded.get(k))
        shown = ", ".join(Path(k).name for k in changed[:3]) + (" …" if len(changed) > 3 else "")
        return f"data ändrade: {shown}"
    return None


# --- the kernel session (worker side) ------------------------------------------------

_KERNEL_SETUP = r'''
def __regionanalys_setup(preimports, log_env):
    import os, sys, types, warnings
    state = types.ModuleType("_regionanalys_runner_state")
    sys.modules["_regionanalys_runner_state"] = state
    state.failed = []
    for name in preimports:
        try:
            __import__(name)
        except Exception:
            state.failed.append(name)
    import matplotlib
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        state.rc = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    state.env = dict(os.environ)
    state.env.pop(log_env, None)
    state.path = list(sys.path)
    state.filters = list(warnings.filters)

    def cleanup():
        """After a report: forget everything it did (runs while the worker exports HTML)."""
        from IPython import get_ipython
        ip = get_ipython()
        if ip is not None:
            ip.reset(new_session=True)  # user namespace, Out cache, counter; ends with gc.collect()
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(state.rc)
            if "pandas" in sys.modules:
                try:
                    sys.modules["pandas"].reset_option("all")
                except Exception:
                    pass
        os.environ.clear()
        os.environ.update(state.env)
        sys.path[:] = state.path
        warnings.filters[:] = state.filters
        warnings._filters_mutated()
        for mod in list(sys.modules.values()):
            reg = getattr(mod, "__warningregistry__", None)
            if isinstance(reg, dict):
                reg.clear()

    def prepare(read_log, cwd):
        """Before a report: where the loader logs its reads, and the working directory."""
        os.environ[log_env] = read_log
        os.chdir(cwd)

    state.cleanup = cleanup
    state.prepare = prepare
__regionanalys_setup(%(preimports)r, %(log_env)r)
del __regionanalys_setup
'''

_KERNEL_CLEANUP = '__import__("sys").modules["_regionanalys_runner_state"].cleanup()'
_KERNEL_PREPARE = '__import__("sys").modules["_regionanalys_runner_state"].prepare(%(read_log)r, %(cwd)r)'


class KernelStartError(RuntimeError):
    """The kernel did not start, even on the retry."""


class KernelSession:
    """One kernel a worker keeps for report after report (async jupyter_client API).

    Every method runs its coroutine on the worker thread's event loop via
    ``jupyter_core.utils.run_sync``: the loop nbclient uses too, so the kernel client's
    sockets are shared with papermill's notebook client.

    Starting is split in :meth:`launch` (process and sockets), :meth:`ready` (wait for the
    kernel, then send the set-up code) and :meth:`wait` (the set-up's reply) so that a
    worker can import papermill and compile its HTML template while the kernel boots and
    pre-imports the notebooks' libraries. Likewise :meth:`cleanup` is sent after a report
    and only waited for before the next one, so the kernel cleans up while the worker
    exports.
    """

    def __init__(self, kernel_name: str, start_timeout: float, preimports: Sequence[str], cwd: Path, log_env: str):
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self.preimports = list(preimports)
        self.cwd = Path(cwd)
        self.log_env = log_env
        self.km = None
        self.kc = None
        self.starts = 0
        self.attempts = 0
        self.log_path: Path | None = None
        self._sock_dir: str | None = None
        self._pending: tuple[str, str] | None = None  # (msg_id, what) of a request not yet answered

    # -- starting ----------------------------------------------------------------
    def start(self, timeouts: Sequence[float] | None = None) -> None:
        """Start the kernel (blocking); a failed start is retried once with a longer timeout."""
        timeouts = list(timeouts or [self.start_timeout, self.start_timeout * RETRY_START_FACTOR])
        errors = []
        for timeout in timeouts:
            try:
                self.launch()
                self.ready(timeout)
                self.wait(timeout + 300)
                return
            except Exception as exc:  # noqa: BLE001 - any start failure is retried once
                errors.append(self._describe(exc))
                self.shutdown()
        raise KernelStartError(
            f"kärnan {self.kernel_name!r} startade inte (försök med "
            + " och ".join(f"{t:.0f} s" for t in timeouts) + "): " + " / ".join(errors)
        )

    def start_overlapped(self, work: Callable[[], None]) -> None:
        """Start the kernel while ``work()`` runs in this process; retry once like :meth:`start`."""
        first_error = None
        try:
            self.launch()
        except Exception as exc:  # noqa: BLE001
            first_error = self._describe(exc)
            self.shutdown()
        work()
        if first_error is None:
            try:
                self.ready(self.start_timeout)
                self.wait(self.start_timeout + 300)
                return
            except Exception as exc:  # noqa: BLE001
                first_error = self._describe(exc)
                self.shutdown()
        try:
            self.start([self.start_timeout * RETRY_START_FACTOR])
        except KernelStartError as exc:
            raise KernelStartError(f"{exc} (första försöket, {self.start_timeout:.0f} s: {first_error})") from None

    def _describe(self, exc: BaseException) -> str:
        tail = self.log_tail()
        return f"{type(exc).__name__}: {exc}" + (f" [kärnans logg: {tail}]" if tail else "")

    def launch(self) -> None:
        """Start the kernel process and connect the client; returns at once."""
        from jupyter_core.utils import run_sync

        run_sync(self._alaunch)()

    async def _alaunch(self) -> None:
        import tempfile

        from jupyter_client.manager import AsyncKernelManager

        # IPC sockets rather than TCP on localhost: nothing listens on the network and
        # ipykernel does not warn about unencrypted TCP. Socket paths must be short
        # (108 bytes), hence the system temp dir.
        self._sock_dir = tempfile.mkdtemp(prefix="ra-k-")
        # the connection file goes there too, not to Jupyter's runtime dir in $HOME
        km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc", ip=os.path.join(self._sock_dir, "k"),
                                connection_file=os.path.join(self._sock_dir, "kernel.json"))
        self.km = km
        env = {k: v for k, v in os.environ.items() if k != self.log_env}
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        # the kernel process's own log (cell output comes over the sockets, not here)
        self.attempts += 1
        self.log_path = self.cwd / f"kernel-{os.getpid()}-{self.attempts}.log"
        with open(self.log_path, "ab") as log:
            await km.start_kernel(cwd=str(self.cwd), env=env, extra_arguments=["--HistoryManager.enabled=False"],
                                  stdout=log, stderr=log)
        kc = km.client()
        kc.start_channels()
        self.kc = kc

    def ready(self, timeout: float) -> None:
        """Wait until the kernel answers, then send the set-up code (pre-imports) without waiting."""
        from jupyter_core.utils import run_sync

        async def go():
            await self.kc.wait_for_ready(timeout=timeout)
            self.kc.allow_stdin = False
            self._send(_KERNEL_SETUP % {"preimports": self.preimports, "log_env": self.log_env}, "set-up")

        run_sync(go)()

    # -- requests ------------------------------------------------------------------
    def _send(self, code: str, what: str) -> None:
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        self._pending = (msg_id, what)

    def wait(self, timeout: float = 300) -> None:
        """Wait for the reply to the request sent last; raise if it failed."""
        from jupyter_core.utils import run_sync

        if self._pending is None:
            return
        msg_id, what = self._pending

        async def go():
            deadline = time.monotonic() + timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"kärnan svarade inte på {what} inom {timeout:.0f} s")
                try:
                    msg = await self.kc.get_shell_msg(timeout=min(remaining, 5))
                except queue.Empty:
                    if not await self.km.is_alive():
                        raise RuntimeError(f"kärnan dog under {what}") from None
                    continue
                if msg["parent_header"].get("msg_id") == msg_id:
                    return msg["content"]

        content = run_sync(go)()
        self._pending = None
        if content.get("status") != "ok":
            raise RuntimeError(f"{what} i kärnan misslyckades: {content.get('ename')}: {content.get('evalue')}")
        if what == "set-up":
            self.starts += 1

    def cleanup(self) -> None:
        """Ask the kernel to forget the last report; answered before the next :meth:`prepare`."""
        self._send(_KERNEL_CLEANUP, "städning")

    def prepare(self, read_log: Path, cwd: Path, timeout: float = 120) -> None:
        """Make the kernel ready for the next report (waits for a pending clean-up first)."""
        self.wait(timeout)
        self._send(_KERNEL_PREPARE % {"read_log": str(read_log), "cwd": str(cwd)}, "förberedelse")
        self.wait(timeout)

    def is_alive(self) -> bool:
        from jupyter_core.utils import run_sync

        if self.km is None:
            return False
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    @property
    def pid(self) -> int | None:
        try:
            return self.km.provisioner.process.pid  # type: ignore[union-attr]
        except AttributeError:
            return None

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        kc, km = self.kc, self.km
        self.kc = self.km = None
        self._pending = None
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:  # noqa: BLE001
                pass
        if km is not None:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001
                pass
        if self._sock_dir:
            import shutil

            shutil.rmtree(self._sock_dir, ignore_errors=True)
            self._sock_dir = None

    def log_tail(self, lines: int = 5) -> str:
        """The last lines of the kernel process's log (for a kernel that would not start)."""
        try:
            text = Path(self.log_path).read_text(encoding="utf-8", errors="replace")  # type: ignore[arg-type]
        except (TypeError, OSError):
            return ""
        return " / ".join(text.strip().splitlines()[-lines:])


def _peak_rss_mb(pid: int | None) -> float:
    """Peak resident memory (VmHWM) of a process in MB, 0 if unknown."""
    if not pid:
        return 0.0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except Exception:  # noqa: BLE001
        return 0.0


def _rss_mb(pid: int | None) -> float:
    if not pid:
        return 0.0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- papermill engine that uses the worker's running kernel -----------------------------

_ENGINE = None


def _warm_engine():
    """Register (once) a papermill engine that executes in an already running kernel."""
    global _ENGINE
    if _ENGINE is not None:
        return _ENGINE
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmClient(PapermillNotebookClient):
        def __init__(self, nb_man, km=None, kc=None, **kw):
            super().__init__(nb_man, km=km, **kw)
            self.kc = kc  # nbclient starts no new client when one is set
            self.timed_out = False

        async def _async_handle_timeout(self, timeout, cell=None):
            self.timed_out = True
            return await super()._async_handle_timeout(timeout, cell)

    class WarmEngine(NBClientEngine):
        last_client = None
        last_nb_man = None

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            for name in ("input_path", "timeout", "startup_timeout"):
                kwargs.pop(name, None)
            cls.last_nb_man = nb_man
            client = WarmClient(
                nb_man, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                log=logger, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file, **kwargs,
            )
            cls.last_client = client
            return client.execute()

    papermill_engines.register(ENGINE_NAME, WarmEngine)
    _ENGINE = WarmEngine
    return WarmEngine


# --- the worker process ----------------------------------------------------------------


@dataclass(frozen=True)
class WorkerConfig:
    kernel_name: str
    start_timeout: float
    timeout: float
    preimports: tuple[str, ...]
    tmp_dir: Path
    reuse_kernels: bool
    log_env: str


class _Worker:
    def __init__(self, cfg: WorkerConfig):
        self.cfg = cfg
        self.session = KernelSession(cfg.kernel_name, cfg.start_timeout, cfg.preimports, cfg.tmp_dir, cfg.log_env)
        self.exporter = None
        self.start_error: str | None = None
        self.used = 0  # reports run in the current kernel
        self.kernel_peak = 0.0

    def boot(self) -> None:
        """Start the kernel and, while it boots and pre-imports, load papermill and the template."""

        def imports() -> None:
            _block_slow_jsonschema_plugin()
            import logging

            import papermill  # noqa: F401

            logging.getLogger("papermill").setLevel(logging.CRITICAL)
            _warm_engine()

        def exporter() -> None:
            from regionanalys.report.htmlexport import ReportExporter

            self.exporter = ReportExporter()

        try:
            self.session.start_overlapped(imports)
        except KernelStartError as exc:
            self.start_error = str(exc)
            imports()
        if self.session.km is not None and self.session._pending is not None:
            # the set-up (pre-imports) runs in the kernel while the template compiles here
            exporter()
            try:
                self.session.wait(self.cfg.start_timeout + 300)
            except Exception as exc:  # noqa: BLE001
                self.start_error = f"kärnans förberedelse misslyckades: {exc}"
                self.session.shutdown()
        else:
            exporter()

    def _fresh_kernel(self) -> None:
        self.kernel_peak = max(self.kernel_peak, _peak_rss_mb(self.session.pid))
        self.session.shutdown()
        self.used = 0
        self.session.start()

    def ensure_kernel(self) -> None:
        need_new = (
            self.session.km is None
            or not self.session.is_alive()
            or (not self.cfg.reuse_kernels and self.used > 0)
            or _rss_mb(self.session.pid) > KERNEL_RSS_LIMIT_MB
        )
        if need_new:
            self._fresh_kernel()

    def run(self, job: Job) -> dict:
        started = _now_iso()
        t0 = time.perf_counter()
        tmp = self.cfg.tmp_dir
        tmp_nb, tmp_html, read_log = tmp / f"{job.id}.ipynb", tmp / f"{job.id}.html", tmp / f"{job.id}.reads"
        for p in (tmp_nb, tmp_html):
            p.unlink(missing_ok=True)
        read_log.write_text("", encoding="utf-8")
        result: dict[str, Any] = {"id": job.id, "started": started, "status": "failed", "error": None, "reads": [],
                                  "tmp_html": None, "tmp_ipynb": None, "example": False}
        try:
            try:
                self.ensure_kernel()
            except KernelStartError as exc:
                msg = str(exc) if not self.start_error else f"{exc} (vid uppstarten: {self.start_error})"
                self.start_error = None
                result["error"] = {"ename": "Kärnan startade inte", "evalue": msg}
                return result
            try:
                self.session.prepare(read_log, job.notebook_path.parent)
            except Exception:  # noqa: BLE001 - the clean-up of the last report failed: new kernel
                self._fresh_kernel()
                self.session.prepare(read_log, job.notebook_path.parent)
            self.used += 1
            nb, error = self._execute(job, tmp_nb)
            if error is None and self.cfg.reuse_kernels:
                self.session.cleanup()  # the kernel forgets this report while we export it
            result["reads"] = [line for line in read_log.read_text(encoding="utf-8").splitlines() if line.strip()]
            if nb is not None and tmp_nb.exists():
                result["tmp_ipynb"] = str(tmp_nb)
            if error is None:
                from regionanalys.report.htmlexport import ExportError, uses_example_data

                result["example"] = uses_example_data(nb)
                try:
                    html = self.exporter.export(nb, title=job.title, notebook=job.notebook)
                except ExportError as exc:
                    error = {"ename": "Exportfel", "evalue": str(exc)}
                else:
                    tmp_html.write_text(html, encoding="utf-8")
                    result["tmp_html"] = str(tmp_html)
            if error is not None:
                result["error"] = error
                # a report that failed may have left the kernel in any state
                self.kernel_peak = max(self.kernel_peak, _peak_rss_mb(self.session.pid))
                self.session.shutdown()
            else:
                result["status"] = "ok"
            return result
        except Exception as exc:  # noqa: BLE001 - a bug here must not take the other reports down
            result["error"] = {"ename": type(exc).__name__, "evalue": f"{exc}", "traceback": traceback.format_exc()[-2000:]}
            self.session.shutdown()
            return result
        finally:
            result["seconds"] = round(time.perf_counter() - t0, 3)
            self.kernel_peak = max(self.kernel_peak, _peak_rss_mb(self.session.pid))
            result["kernel_peak_mb"] = round(self.kernel_peak, 1)
            result["worker_peak_mb"] = round(_peak_rss_mb(os.getpid()), 1)

    def _execute(self, job: Job, tmp_nb: Path):
        """Execute with papermill in the warm kernel; returns (notebook, error or None)."""
        import papermill
        from papermill.exceptions import PapermillExecutionError

        engine = _warm_engine()
        engine.last_client = engine.last_nb_man = None
        timeout = self.cfg.timeout
        try:
            nb = papermill.execute_notebook(
                str(job.notebook_path), str(tmp_nb), parameters=job.parameters,
                engine_name=ENGINE_NAME, kernel_name=self.cfg.kernel_name,
                request_save_on_cell_execute=False, progress_bar=False, log_output=False,
                start_timeout=self.cfg.start_timeout, execution_timeout=timeout,
                km=self.session.km, kc=self.session.kc, interrupt_on_timeout=True,
                error_on_timeout={"ename": "Tidsgräns", "evalue": f"cellen kördes längre än {timeout:g} s och avbröts", "traceback": []},
            )
            return nb, None
        except PapermillExecutionError as exc:
            import nbformat

            nb = nbformat.read(str(tmp_nb), as_version=4) if tmp_nb.exists() else None
            client = engine.last_client
            err = {
                "cell": exc.cell_index,
                "execution_count": exc.exec_count,
                "cell_first_line": _first_line(exc.source),
                "ename": exc.ename,
                "evalue": _strip_ansi(str(exc.evalue))[:500],
            }
            if client is not None and client.timed_out:
                err["ename"] = "Tidsgräns"
                err["evalue"] = f"cellen kördes längre än {timeout:g} s och avbröts"
            return nb, err
        except Exception as exc:  # noqa: BLE001 - kernel died, output timeout …
            nb_man = engine.last_nb_man
            nb = None
            err: dict[str, Any] = {"ename": type(exc).__name__, "evalue": _strip_ansi(str(exc))[:500]}
            client = engine.last_client
            if client is not None and client.timed_out:
                err["ename"] = "Tidsgräns"
                err["evalue"] = f"cellen kördes längre än {timeout:g} s och avbröts"
            if nb_man is not None:
                from papermill.iorw import write_ipynb

                nb = nb_man.nb
                for index, cell in enumerate(nb.cells):
                    status = cell.get("metadata", {}).get("papermill", {}).get("status")
                    if status in ("running", "failed"):
                        err.update(cell=index, execution_count=cell.get("execution_count"), cell_first_line=_first_line(cell.source))
                        break
                try:
                    write_ipynb(nb, str(tmp_nb))
                except Exception:  # noqa: BLE001
                    pass
            return nb, err


def _first_line(source: str) -> str:
    for line in str(source).splitlines():
        if line.strip() and not line.strip().startswith("#"):
            return line.strip()[:120]
    return str(source).strip()[:120]


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _worker_main(cfg: WorkerConfig, tasks, results, index: int) -> None:
    """Entry point of a worker process: boot, then run jobs until the sentinel (None)."""

    def on_term(signum, frame):
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    worker = _Worker(cfg)
    try:
        worker.boot()
        results.put(("ready", index, worker.session.pid))
        while True:
            job = tasks.get()
            if job is None:
                break
            results.put(("start", index, (job.id, worker.session.pid)))
            res = worker.run(job)
            results.put(("done", index, res))
    except BaseException as exc:  # noqa: BLE001
        results.put(("crash", index, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-2000:]}"))
    finally:
        worker.session.shutdown()
        results.put(("exit", index, None))


# --- the parent: pool, bookkeeping, index --------------------------------------------


def _kernel_installed(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise RunError(
            f"kärnan {name!r} är inte installerad; kör `make setup` eller "
            f"`python -m ipykernel install --sys-prefix --name {name}`"
        ) from None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


class _Lock:
    def __init__(self, path: Path):
        self.path = path
        self.fh = None

    def __enter__(self):
        import fcntl

        self.fh = open(self.path, "a+")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.fh.close()
            raise RunError(f"en annan körning skriver redan i {self.path.parent} (låsfilen {self.path.name})") from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(f"{os.getpid()}\n")
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


@contextmanager
def _main_module_hidden():
    """Start spawned workers without re-running the caller's ``__main__``.

    ``multiprocessing``'s spawn re-imports the parent's main script in every child (as
    ``__mp_main__``). For workers that need nothing from it this costs start-up time (the
    CLI would import typer and its sub-commands again) and, in a script that calls
    :func:`run` without an ``if __name__ == "__main__"`` guard, starts runs recursively.
    The preparation data is computed in ``Process.start()``, so hiding the main module's
    file and spec for that call is enough; they are restored right after.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    try:
        main.__dict__.pop("__file__", None)
        main.__dict__["__spec__"] = None
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _run_pool(jobs: list[Job], n_workers: int, cfg: WorkerConfig, on_start: Callable[[Job], None],
              on_done: Callable[[Job, dict], None]) -> None:
    """Run jobs on ``n_workers`` worker processes; every job gets exactly one result."""
    ctx = mp.get_context("spawn")
    tasks, results = ctx.Queue(), ctx.Queue()
    by_id = {j.id: j for j in jobs}
    for job in jobs:
        tasks.put(job)
    for _ in range(n_workers):
        tasks.put(None)
    procs: dict[int, Any] = {}
    current: dict[int, tuple[str, float, int | None]] = {}
    pending = set(by_id)
    exited: set[int] = set()
    next_index = 0

    def spawn() -> None:
        nonlocal next_index
        p = ctx.Process(target=_worker_main, args=(cfg, tasks, results, next_index), name=f"regionanalys-worker-{next_index}", daemon=True)
        with _main_module_hidden():
            p.start()
        procs[next_index] = p
        next_index += 1

    def fail(index: int, why: str) -> None:
        job_id, _, kpid = current.pop(index)
        if kpid:
            try:
                os.kill(kpid, signal.SIGKILL)
            except OSError:
                pass
        if job_id in pending:
            pending.discard(job_id)
            on_done(by_id[job_id], {"id": job_id, "status": "failed", "started": _now_iso(), "seconds": 0.0,
                                    "error": {"ename": "Avbruten", "evalue": why}, "reads": []})

    def limit(job: Job) -> float:
        return cfg.timeout * (max(job.code_cells, 1) + 2) + cfg.start_timeout * (1 + RETRY_START_FACTOR) + 60

    boot_crashes = 0
    for _ in range(n_workers):
        spawn()
    finished = False
    try:
        while pending:
            try:
                kind, index, payload = results.get(timeout=0.5)
            except queue.Empty:
                kind = None
            if kind == "start":
                job_id, kpid = payload
                current[index] = (job_id, time.monotonic(), kpid)
                on_start(by_id[job_id])
            elif kind == "done":
                current.pop(index, None)
                if payload["id"] in pending:
                    pending.discard(payload["id"])
                    on_done(by_id[payload["id"]], payload)
            elif kind == "crash":
                if index in current:
                    fail(index, f"arbetsprocessen kraschade: {payload.splitlines()[0]}")
                else:  # crashed while starting: do not start replacements for ever
                    boot_crashes += 1
                    if boot_crashes >= 2 * n_workers:
                        for job_id in sorted(pending):
                            on_done(by_id[job_id], {"id": job_id, "status": "failed", "started": _now_iso(), "seconds": 0.0,
                                                    "error": {"ename": "Arbetsprocessen startade inte", "evalue": payload.splitlines()[0]}, "reads": []})
                        pending.clear()
                        break
            elif kind == "exit":
                exited.add(index)
            # dead workers and reports over their time limit
            for index, proc in list(procs.items()):
                if index in current and time.monotonic() - current[index][1] > limit(by_id[current[index][0]]):
                    proc.kill()
                    proc.join(5)
                    fail(index, f"rapporten stoppades efter {limit(by_id[current[index][0]]):.0f} s")
                    del procs[index]
                    if pending:
                        spawn()
                elif not proc.is_alive() and index not in exited and proc.exitcode != 0:
                    # died without saying goodbye (killed, out of memory, segfault)
                    if index in current:
                        fail(index, f"arbetsprocessen dog (kod {proc.exitcode})")
                    del procs[index]
                    if pending:
                        spawn()
                elif not proc.is_alive():
                    del procs[index]
            if pending and not procs:
                spawn()
        finished = True
    finally:
        if not finished:  # Ctrl-C or an error here: stop the workers (they shut their kernels down)
            for proc in procs.values():
                proc.terminate()
        for proc in procs.values():
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
        tasks.cancel_join_thread()
        results.cancel_join_thread()


def execute(
    plan: RunPlan,
    *,
    jobs: int | None = None,
    force: bool = False,
    pdf: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    start_timeout: float = DEFAULT_START_TIMEOUT,
    reuse_kernels: bool = True,
    kernel_name: str = config.KERNEL_NAME,
    on_event: Event | None = None,
) -> RunSummary:
    """Make the planned reports (see the module docstring); raises :class:`RunError` if the
    run cannot start. Report failures do not raise: see :attr:`RunSummary.exit_code`."""
    t0 = time.perf_counter()
    out = plan.out_dir
    out.mkdir(parents=True, exist_ok=True)
    emit = on_event or (lambda *a: None)
    chromium = None
    if pdf:
        from regionanalys.report.htmlexport import ChromiumMissing, find_chromium

        try:
            chromium = find_chromium()
        except ChromiumMissing as exc:
            raise RunError(str(exc)) from None
    with _Lock(out / LOCK_NAME):
        manifest = read_manifest(out)  # re-read under the lock
        as_read = _canonical({k: v for k, v in manifest.items() if k != "updated"})
        manifest["notebooks"] = plan.manifest.get("notebooks", {})
        entries: dict = manifest["reports"]
        cur = _Current(library_hash(), kernel_name, DataFiles(plan.data_dir), plan.info)
        results: dict[str, ReportResult] = {}
        to_run: list[tuple[Job, str]] = []
        for job in plan.jobs:
            reason = "tvingad (--force)" if force else _why_stale(entries.get(job.id), job, cur, out)
            if reason is None:
                e = entries[job.id]
                res = ReportResult(job, "ok", True, float(e.get("duration_s", 0.0)), "oförändrad", None,
                                   bool(e.get("example_data")), out / e["html"], out / e["ipynb"])
                results[job.id] = res
                emit("cached", job, res)
            else:
                to_run.append((job, reason))
        n_workers = 0
        if to_run:
            from regionanalys.data.loading import READ_LOG_ENV

            _kernel_installed(kernel_name)
            tmp_dir = out / TMP_DIRNAME
            tmp_dir.mkdir(exist_ok=True)
            for stale in tmp_dir.iterdir():
                if stale.is_file():
                    stale.unlink()
            # longest first keeps the workers evenly busy: the last known duration, else a
            # guess from the notebook's size and the number of regions it covers
            def expected(job: Job) -> float:
                known = (entries.get(job.id) or {}).get("duration_s")
                return float(known) if known else 0.2 * max(job.code_cells, 1) * len(job.regions)

            to_run.sort(key=lambda jr: -expected(jr[0]))
            reasons = {j.id: r for j, r in to_run}
            cfg = WorkerConfig(kernel_name, start_timeout, timeout,
                               tuple(notebook_imports({j.notebook_path for j, _ in to_run})),
                               tmp_dir, reuse_kernels, READ_LOG_ENV)
            n_workers = max(1, min(jobs or default_jobs(), len(to_run)))
            for job, _ in to_run:
                emit("queued", job, None)

            def on_start(job: Job) -> None:
                emit("started", job, None)

            def on_done(job: Job, payload: dict) -> None:
                res = _finish(job, payload, reasons[job.id], entries, cur, out)
                results[job.id] = res
                write_manifest(out, manifest)
                emit("finished", job, res)

            _run_pool([j for j, _ in to_run], n_workers, cfg, on_start, on_done)
            import shutil

            shutil.rmtree(tmp_dir, ignore_errors=True)  # kernel logs, read logs, leftovers of failures
        ordered = [results[j.id] for j in plan.jobs]
        pdf_errors: list[str] = []
        if pdf:
            pdf_errors = _make_pdfs(ordered, entries, out, chromium, jobs or default_jobs(), emit)
        plan.info.prune({cur.info.hash(p) for p in {j.notebook_path for j in plan.jobs}} | {e.get("inputs", {}).get("notebook") for e in entries.values()})
        index = out / INDEX_NAME
        # a run that changed nothing rewrites nothing (and stays well under a second)
        if _canonical({k: v for k, v in manifest.items() if k != "updated"}) != as_read or not (out / MANIFEST_NAME).exists():
            write_manifest(out, manifest)
            index = write_index(out, manifest, plan.specs)
        elif not index.exists():
            index = write_index(out, manifest, plan.specs)
    return RunSummary(ordered, out, index, out / MANIFEST_NAME, time.perf_counter() - t0, n_workers, list(plan.notes), pdf_errors)


def _finish(job: Job, payload: dict, reason: str, entries: dict, cur: _Current, out: Path) -> ReportResult:
    """Move a finished report into place (or keep the old one) and update its manifest entry."""
    html, ipynb, failed_nb = out / f"{job.id}.html", out / f"{job.id}.ipynb", out / f"{job.id}.failed.ipynb"
    previous = entries.get(job.id) or {}
    reads = [cur.data.key(p) for p in dict.fromkeys(payload.get("reads") or [])]
    scope = scope_of(reads, job.regions, cur.data)
    extra = [k for k in reads if k not in cur.data.observations]
    entry = {
        "report": job.spec_id,
        "notebook": job.notebook,
        "title": job.title,
        "regions": list(job.regions),
        "region_label": job.region_label,
        "year": job.year,
        "order": job.order,
        "parameters": job.parameters,
        "library_version": _library_version(),
        "started": payload.get("started"),
        "duration_s": payload.get("seconds", 0.0),
        "status": payload["status"],
        "reason": reason,
        "html": f"{job.id}.html",
        "ipynb": f"{job.id}.ipynb",
        "example_data": bool(payload.get("example")),
        "inputs": {
            "notebook": cur.info.hash(job.notebook_path),
            "library": cur.library,
            "parameters": _canonical(job.parameters),
            "kernel": cur.kernel,
            "data_scope": scope,
            "data": cur.data.inputs(scope, extra),
        },
        "error": None,
        # peak resident memory of the worker process and of its kernel so far (MB)
        "peak_rss_mb": {"worker": payload.get("worker_peak_mb", 0.0), "kernel": payload.get("kernel_peak_mb", 0.0)},
    }
    res = ReportResult(job, payload["status"], False, float(payload.get("seconds", 0.0)), reason,
                       kernel_peak_mb=float(payload.get("kernel_peak_mb", 0.0)),
                       worker_peak_mb=float(payload.get("worker_peak_mb", 0.0)))
    if payload["status"] == "ok" and payload.get("tmp_html") and payload.get("tmp_ipynb"):
        os.replace(payload["tmp_ipynb"], ipynb)
        os.replace(payload["tmp_html"], html)
        failed_nb.unlink(missing_ok=True)
        entry["last_ok"] = {"started": entry["started"], "duration_s": entry["duration_s"]}
        res.html, res.ipynb, res.example_data = html, ipynb, entry["example_data"]
    else:
        if res.status == "ok":  # cannot happen; never claim success without files
            res.status = entry["status"] = "failed"
            payload["error"] = payload.get("error") or {"ename": "Fel", "evalue": "rapportens filer skrevs inte"}
        if payload.get("tmp_ipynb") and Path(payload["tmp_ipynb"]).exists():
            os.replace(payload["tmp_ipynb"], failed_nb)
            entry["failed_ipynb"] = failed_nb.name
            res.failed_ipynb = failed_nb
        if payload.get("tmp_html"):
            Path(payload["tmp_html"]).unlink(missing_ok=True)
        entry["error"] = {k: v for k, v in (payload.get("error") or {}).items() if k != "traceback"}
        entry["error"]["text"] = format_error(entry["error"])
        # the last good report stays in place and in the index
        last_ok = previous.get("last_ok") or (
            {"started": previous.get("started"), "duration_s": previous.get("duration_s")} if previous.get("status") == "ok" else None
        )
        if last_ok and html.exists():
            entry["last_ok"] = last_ok
            entry["example_data"] = bool(previous.get("example_data"))
            res.html = html
        else:
            entry["html"] = None
        entry["ipynb"] = ipynb.name if ipynb.exists() else None
        res.error = entry["error"]
    if "pdf" in previous and res.ok is False:
        entry["pdf"] = previous["pdf"]
    entries[job.id] = entry
    return res


def _make_pdfs(results: list[ReportResult], entries: dict, out: Path, chromium: str, jobs: int, emit: Event) -> list[str]:
    """Print every good report whose PDF is missing or older than its HTML."""
    from concurrent.futures import ThreadPoolExecutor

    from regionanalys.report.htmlexport import ExportError, print_pdf

    todo = []
    for res in results:
        if not res.ok or res.html is None:
            continue
        entry = entries[res.job.id]
        pdf = out / f"{res.job.id}.pdf"
        html_hash = _sha256(res.html)
        if pdf.exists() and (entry.get("pdf") or {}).get("html") == html_hash:
            res.pdf = pdf
            continue
        todo.append((res, pdf, html_hash))
    errors: list[str] = []

    def one(item):
        res, pdf, html_hash = item
        try:
            print_pdf(res.html, pdf, chromium)
        except ExportError as exc:
            return res, None, str(exc)
        return res, (pdf, html_hash), None

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for res, done, err in pool.map(one, todo):
            if err:
                errors.append(f"{res.job.id}: {err}")
            else:
                res.pdf = done[0]
                entries[res.job.id]["pdf"] = {"file": done[0].name, "html": done[1]}
            emit("pdf", res.job, res)
    return errors


def write_index(out_dir: Path, manifest: Mapping, specs: Mapping[str, ReportSpec] | None = None) -> Path:
    """Write ``index.html`` (atomically) from the manifest: one row per report."""
    import jinja2

    from regionanalys import __version__

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.TEMPLATES_DIR)),
        autoescape=True,  # titles, names and error messages come from notebooks and data
        trim_blocks=True,
        lstrip_blocks=True,
    )
    order = {sid: s.order for sid, s in (specs or {}).items()}
    rows = []
    for rid, e in manifest.get("reports", {}).items():
        rows.append({
            "id": rid,
            "title": e.get("title") or rid,
            "region": e.get("region_label") or ", ".join(e.get("regions", [])),
            "regions": e.get("regions", []),
            "year": e.get("year"),
            "ok": e.get("status") == "ok",
            "duration": e.get("duration_s"),
            "started": _short_time(e.get("started")),
            "example": bool(e.get("example_data")),
            "html": e.get("html"),
            "ipynb": e.get("ipynb"),
            "pdf": (e.get("pdf") or {}).get("file") if e.get("status") == "ok" else None,
            "failed_ipynb": e.get("failed_ipynb") if e.get("status") != "ok" else None,
            "error": (e.get("error") or {}),
            "last_ok": _short_time((e.get("last_ok") or {}).get("started")) if e.get("status") != "ok" else None,
            "sort": (order.get(e.get("report"), e.get("order", 1000)), -(e.get("year") or 0), e.get("regions", []), rid),
        })
    rows.sort(key=lambda r: r["sort"])
    html = env.get_template("index.html.j2").render(
        rows=rows,
        n_ok=sum(r["ok"] for r in rows),
        n_failed=sum(not r["ok"] for r in rows),
        n_example=sum(r["example"] for r in rows),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
    )
    path = Path(out_dir) / INDEX_NAME
    atomic_write_text(path, html)
    return path


def _short_time(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def run(
    notebooks: Sequence[str] | None = None,
    regions: Sequence[str | int] | None = None,
    year: int | None = None,
    parameters: Mapping[str, Any] | None = None,
    *,
    notebooks_dir: str | os.PathLike | None = None,
    spec_path: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    out_dir: str | os.PathLike | None = None,
    **options: Any,
) -> RunSummary:
    """Plan and execute in one call; ``options`` go to :func:`execute` (jobs, force, pdf,
    timeout, start_timeout, reuse_kernels, on_event)."""
    plan = plan_run(notebooks, regions, year, parameters, notebooks_dir=notebooks_dir,
                    spec_path=spec_path, data_dir=data_dir, out_dir=out_dir)
    return execute(plan, **options)
