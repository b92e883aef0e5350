"""The worker process: imports once, then executes report after report in its own process
(papermill with the in-process engine of :mod:`.inprocess`) and exports the HTML."""
from __future__ import annotations

import contextlib
import gc
import os
import re
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regionanalys.report.patching import replaced
from regionanalys.report.runner.memory import peak_mb_self, rss_mb
from regionanalys.report.runner.orphans import die_with_parent, kill_descendants
from regionanalys.report.runner.plan import _block_unused_imports
from regionanalys.report.runner.results import _now_iso, os_error_text
from regionanalys.report.specs import Job

#: a worker ends after a report that leaves it above this resident memory (MB); the pool
#: starts a new one for the reports still waiting
WORKER_RSS_LIMIT_MB = 1500


@dataclass(frozen=True)
class WorkerConfig:
    timeout: float
    preimports: tuple[str, ...]
    tmp_dir: Path
    reuse_workers: bool
    log_env: str
    #: the run's main process: workers end when it ends
    parent_pid: int = 0


def log_path(tmp_dir: Path, pid: int) -> Path:
    """Where a worker's own output goes (C-level writes, a crash's traceback)."""
    return Path(tmp_dir) / f"worker-{pid}.log"


#: set by the pool while the fork server starts: what :mod:`.zygote` boots (JSON)
PRELOAD_ENV = "REGIONANALYS_WORKER_PRELOAD"


@dataclass
class Booted:
    """What a process needs to make reports, made once: the shell, the HTML exporter, the
    state a report may change (to reset it) and the pre-imports that failed."""

    shell: Any
    exporter: Any
    state: Any
    failed_imports: list[str]


_BOOTED: Booted | None = None
#: The collector's thresholds in a booted worker (see :func:`boot`).
GC_THRESHOLD = (20_000, 50, 100)


def boot(preimports: tuple[str, ...], log_env: str) -> Booted:
    """Import papermill, the notebooks' libraries and the HTML template, once per process.

    Runs with the garbage collector off (it would walk the imports' new objects again and
    again), then freezes those long-lived objects out of later collections, so that the
    ``gc.collect()`` of every reset between reports skips them. In the fork server
    (:mod:`.zygote`) this runs once per run and every worker forked from it has it done.
    """
    global _BOOTED
    if _BOOTED is not None:
        return _BOOTED
    import logging

    gc.disable()
    try:
        _block_unused_imports(worker=True)
        failed = []
        with _no_setter_docs():
            import papermill  # noqa: F401

            logging.getLogger("papermill").setLevel(logging.CRITICAL)
            from regionanalys.report.runner import inprocess

            for name in preimports:
                try:
                    __import__(name)
                except Exception:  # noqa: BLE001 - "from x import function" is not a module; the report says what is missing
                    failed.append(name)
        shell = inprocess.new_shell()
        from regionanalys.report.htmlexport import ReportExporter

        exporter = ReportExporter()
        state = inprocess.ProcessState(shell, log_env)
        _warm_up()
    finally:
        gc.enable()
    gc.collect()
    gc.freeze()
    # After the freeze: the reset ends with a full collection too (IPython's), which before
    # the freeze walked every imported object a second time for nothing (~0,15 s of boot).
    state.reset()
    # A report makes millions of short-lived objects; collecting the young generation every
    # 700 of them (Python's default) cost ~0,6 s of 44 CPU-s at 21 regions, every 20 000 ~0,2 s,
    # same peak memory. Each reset between reports still ends with a full collection.
    gc.set_threshold(*GC_THRESHOLD)
    _BOOTED = Booted(shell, exporter, state, failed)
    return _BOOTED


@contextlib.contextmanager
def _no_setter_docs():
    """Import matplotlib without writing the property lists into its artists' docstrings.

    Each Artist class made at import gets a ``set()`` whose docstring lists every property
    (``matplotlib.artist.kwdoc``, which inspects all the class' setters): ~0,2 s of the
    ~1,6 s boot, for help texts nobody reads in a worker. Only the text changes; ``set()``
    and its signature are matplotlib's. ``kwdoc`` is put back after the imports.
    """
    try:
        import matplotlib.artist as artist
    except Exception:  # noqa: BLE001 - no matplotlib: nothing to skip
        yield
        return
    with replaced(artist, "kwdoc", lambda _cls: ""):
        yield


def _warm_up() -> None:
    """Do once what costs most the first time in a process: load the chart fonts and lay out
    text, write an xlsx (openpyxl), render a table. In the fork server this is done once
    per run instead of in each worker's first report (~1 s of a fresh process's first
    report at 21 regions). A failure is ignored: the reports then pay the first time."""
    try:
        import matplotlib.pyplot as plt
        import pandas as pd

        from regionanalys.report import downloads
        from regionanalys.report.charts import style

        fig, ax = plt.subplots(figsize=(4, 2))
        ax.bar([2022, 2023], [1.5, -2.0])
        ax.set_title("Resultat per år, mnkr – åäö")
        ax.annotate("−2,0", (2023, -2.0))
        style.png_bytes(fig)
        plt.close(fig)
        downloads.xlsx_bytes(pd.DataFrame({"år": [2023], "mnkr": [1.5]}), "förvärmning", ["förvärmning"])
    except Exception:  # noqa: BLE001 - see the docstring
        pass


def log_output_to(path: Path) -> None:
    """What the process itself writes (not a cell's output: C libraries, a crash's traceback)
    goes to ``path``, as a kernel's did, and not into the terminal of the run."""
    import faulthandler

    log = open(path, "ab", buffering=0)  # noqa: SIM115 - lives as long as the process
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    faulthandler.enable(file=log)


class _Worker:
    def __init__(self, cfg: WorkerConfig):
        self.cfg = cfg
        self.booted: Booted | None = None
        #: set when this process should end after the report it just made
        self.retire = False

    def start(self) -> None:
        """Log this process's own output, and boot (unless forked from a booted fork server)."""
        log_output_to(log_path(self.cfg.tmp_dir, os.getpid()))
        self.booted = boot(self.cfg.preimports, self.cfg.log_env)

    def run(self, job: Job) -> dict:
        started = _now_iso()
        t0 = time.perf_counter()
        tmp = self.cfg.tmp_dir
        tmp_nb, tmp_html, read_log = tmp / f"{job.id}.ipynb", tmp / f"{job.id}.html", tmp / f"{job.id}.reads"
        result: dict[str, Any] = {"id": job.id, "started": started, "status": "failed", "error": None, "reads": [],
                                  "tmp_html": None, "tmp_ipynb": None, "example": False}
        try:
            for p in (tmp_nb, tmp_html):
                p.unlink(missing_ok=True)
            read_log.write_text("", encoding="utf-8")
            self.booted.state.prepare(str(read_log), str(job.notebook_path.parent))
            nb, error = self._execute(job, tmp_nb)
            result["reads"] = [line for line in read_log.read_text(encoding="utf-8").splitlines() if line.strip()]
            if nb is not None and tmp_nb.exists():
                result["tmp_ipynb"] = str(tmp_nb)
            if error is None:
                from regionanalys.report.htmlexport import ExportError, uses_example_data

                result["example"] = uses_example_data(nb)
                try:
                    html = self.booted.exporter.export(nb, title=job.title, notebook=job.notebook)
                except ExportError as exc:
                    error = {"ename": "Exportfel", "evalue": str(exc)}
                else:
                    tmp_html.write_text(html, encoding="utf-8")
                    result["tmp_html"] = str(tmp_html)
            if error is not None:
                result["error"] = error
                self.retire = True  # a report that failed may have left the process in any state
            else:
                result["status"] = "ok"
            return result
        except OSError as exc:  # full disk, read-only folder: say so, in Swedish
            result["error"] = {"ename": "Skrivfel", "evalue": f"rapporten kunde inte skrivas: {os_error_text(exc)}"}
            self.retire = True
            return result
        except Exception as exc:  # noqa: BLE001 - a bug here must not take the other reports down
            result["error"] = {"ename": type(exc).__name__, "evalue": f"{exc}", "traceback": traceback.format_exc()[-2000:]}
            self.retire = True
            return result
        finally:
            result["seconds"] = round(time.perf_counter() - t0, 3)
            result["worker_peak_mb"] = round(peak_mb_self(), 1)
            if not self.cfg.reuse_workers or rss_mb(os.getpid()) > WORKER_RSS_LIMIT_MB:
                self.retire = True

    def _execute(self, job: Job, tmp_nb: Path):
        """Execute with papermill in this process; returns (notebook, error or None)."""
        import papermill
        from papermill.exceptions import PapermillExecutionError

        from regionanalys.report.runner.inprocess import ENGINE_NAME

        timeout = self.cfg.timeout
        try:
            nb = papermill.execute_notebook(
                str(job.notebook_path), str(tmp_nb), parameters=job.parameters, engine_name=ENGINE_NAME,
                request_save_on_cell_execute=False, progress_bar=False, log_output=False,
                shell=self.booted.shell, execution_timeout=timeout,
            )
            return nb, None
        except PapermillExecutionError as exc:
            import nbformat

            nb = nbformat.read(str(tmp_nb), as_version=4) if tmp_nb.exists() else None
            err = {
                "cell": exc.cell_index,
                "execution_count": exc.exec_count,
                "cell_first_line": _first_line(exc.source),
                "ename": exc.ename,
                "evalue": _strip_ansi(str(exc.evalue))[:500],
            }
            from regionanalys.report.runner.inprocess import CellTimeout

            if exc.ename == CellTimeout.__name__:
                err["ename"] = "Tidsgräns"
                err["evalue"] = f"cellen kördes längre än {timeout:g} s och avbröts"
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
    """Entry point of a worker process: boot, then run jobs until the sentinel (None) or
    until it should end (a failed report, too much memory, ``reuse_workers`` off)."""

    def on_term(signum, frame):
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    # a killed parent must not leave this worker writing into the output
    die_with_parent(cfg.parent_pid or None, on_orphan=kill_descendants)
    worker = _Worker(cfg)
    try:
        worker.start()
        results.put(("ready", index, os.getpid()))
        while True:
            job = tasks.get()
            if job is None:
                break
            results.put(("start", index, job.id))
            res = worker.run(job)
            if worker.retire:
                res["retired"] = True
            results.put(("done", index, res))
            if worker.retire:
                break
            worker.booted.state.reset()  # after the result is sent: the report is recorded meanwhile
    except BaseException as exc:  # noqa: BLE001
        results.put(("crash", index, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-2000:]}"))
    finally:
        results.put(("exit", index, None))
