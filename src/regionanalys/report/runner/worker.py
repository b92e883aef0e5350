"""The worker process: a warm kernel, papermill's engine on it, and the HTML export."""
from __future__ import annotations

import gc
import os
import re
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regionanalys.report.runner.kernel import KernelSession, KernelStartError
from regionanalys.report.runner.memory import PeakMeter, rss_mb
from regionanalys.report.runner.orphans import die_with_parent, kill_descendants
from regionanalys.report.runner.plan import _block_unused_imports
from regionanalys.report.runner.results import _now_iso, os_error_text
from regionanalys.report.specs import Job

#: papermill engine name of the warm-kernel engine registered in worker processes
ENGINE_NAME = "regionanalys-warm"
#: a worker's kernel is replaced when its resident memory exceeds this (MB)
KERNEL_RSS_LIMIT_MB = 1500

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
    #: the run's main process: workers (and their kernels) end when it ends
    parent_pid: int = 0


class _Worker:
    def __init__(self, cfg: WorkerConfig):
        self.cfg = cfg
        self.session = KernelSession(cfg.kernel_name, cfg.start_timeout, cfg.preimports, cfg.tmp_dir, cfg.log_env)
        self.session.watch_pid = os.getpid()  # the kernel ends when this worker ends
        self.exporter = None
        self.start_error: str | None = None
        self.used = 0  # reports run in the current kernel
        self.kernel_peak = 0.0
        self.meter = PeakMeter()
        self.meter.watch(os.getpid())

    def boot(self) -> None:
        """Start the kernel and, while it boots and pre-imports, load papermill and the template."""

        def imports() -> None:
            _block_unused_imports(worker=True)
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
        self.kernel_peak = max(self.kernel_peak, self.meter.peak(self.session.pid))
        self.meter.forget(self.session.pid)
        self.session.shutdown()
        self.used = 0
        self.session.start()

    def ensure_kernel(self) -> None:
        need_new = (
            self.session.km is None
            or not self.session.is_alive()
            or (not self.cfg.reuse_kernels and self.used > 0)
            or rss_mb(self.session.pid) > KERNEL_RSS_LIMIT_MB
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
            self.meter.watch(self.session.pid)
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
                self.kernel_peak = max(self.kernel_peak, self.meter.peak(self.session.pid))
                self.session.shutdown()
            else:
                result["status"] = "ok"
            return result
        except OSError as exc:  # full disk, read-only folder: say so, in Swedish
            result["error"] = {"ename": "Skrivfel", "evalue": f"rapporten kunde inte skrivas: {os_error_text(exc)}"}
            self.session.shutdown()
            return result
        except Exception as exc:  # noqa: BLE001 - a bug here must not take the other reports down
            result["error"] = {"ename": type(exc).__name__, "evalue": f"{exc}", "traceback": traceback.format_exc()[-2000:]}
            self.session.shutdown()
            return result
        finally:
            result["seconds"] = round(time.perf_counter() - t0, 3)
            self.kernel_peak = max(self.kernel_peak, self.meter.peak(self.session.pid))
            result["kernel_peak_mb"] = round(self.kernel_peak, 1)
            result["worker_peak_mb"] = round(self.meter.peak(os.getpid()), 1)

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
    # a killed parent must not leave this worker and its kernel writing into the output
    die_with_parent(cfg.parent_pid or None, on_orphan=kill_descendants)
    # as in the kernel: no collections while papermill, nbconvert and the template load,
    # then those long-lived objects are frozen out of later collections
    gc.disable()
    worker = _Worker(cfg)
    try:
        try:
            worker.boot()
        finally:
            gc.enable()
        gc.collect()
        gc.freeze()
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

