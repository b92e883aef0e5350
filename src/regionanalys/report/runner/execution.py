"""Executing a plan: the cache check, the pool, the manifest, the index and PDFs."""
from __future__ import annotations

import time
from typing import Any

from regionanalys import config
from regionanalys.report.runner.cache import (
    MANIFEST_NAME, DataFiles, _canonical, _Current, _why_stale, library_hash, read_manifest, write_manifest,
)
from regionanalys.report.runner.index import INDEX_NAME, write_index
from regionanalys.report.runner.kernel import DEFAULT_START_TIMEOUT
from regionanalys.report.runner.lock import LOCK_NAME, _Lock
from regionanalys.report.runner.pdf import _make_pdfs
from regionanalys.report.runner.plan import CHOICE_NAMES, RunPlan, plan_run
from regionanalys.report.runner.pool import _kernel_installed, _run_pool, default_jobs
from regionanalys.report.runner.record import _finish
from regionanalys.report.runner.results import Event, ReportResult, RunError, RunSummary
from regionanalys.report.runner.worker import WorkerConfig
from regionanalys.report.specs import Job, notebook_imports

TMP_DIRNAME = ".regionanalys-tmp"
#: seconds a cell may run before it is interrupted and the report fails
DEFAULT_TIMEOUT = 600

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


def run(*args: Any, **kwargs: Any) -> RunSummary:
    """Plan and execute in one call: the choices of :class:`RunChoices` go to
    :func:`plan_run`, the other keywords to :func:`execute` (jobs, force, pdf, timeout,
    start_timeout, reuse_kernels, on_event)."""
    choices = {k: kwargs.pop(k) for k in list(kwargs) if k in CHOICE_NAMES}
    return execute(plan_run(*args, **choices), **kwargs)
