"""Executing a plan: the cache check, the pool, the manifest, the index and PDFs."""
from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from regionanalys import config
from regionanalys.report.runner.cache import (
    MANIFEST_NAME,
    DataFiles,
    _canonical,
    _Current,
    _why_stale,
    library_hash,
    python_identity,
    read_manifest,
)
from regionanalys.report.runner.index import INDEX_NAME, render_index
from regionanalys.report.runner.lock import LOCK_NAME, _Lock
from regionanalys.report.runner.outdir import check_out_dir, claim_out_dir, remove_leftovers
from regionanalys.report.runner.plan import CHOICE_NAMES, RunPlan, plan_run
from regionanalys.report.runner.results import Event, ReportResult, RunError, RunSummary, _now_iso, os_error_text
from regionanalys.report.specs import Job, notebook_imports

TMP_DIRNAME = ".regionanalys-tmp"
#: seconds a cell may run before it is interrupted and the report fails: the slowest cell
#: of today's reports took 2,5 s on a quiet machine and 41 s on a heavily shared one
#: (docs/scheduling.md); 120 s leaves room for that while a hung cell blocks a nightly
#: run for 2 minutes, not 10
DEFAULT_TIMEOUT = 120


def _safe_emit(on_event: Event | None) -> Event:
    """The caller's event callback, made harmless: an error in it (a progress display
    that cannot print a message, say) is reported once and never stops the run."""
    if on_event is None:
        return lambda *a: None
    broken: list[str] = []

    def emit(kind: str, job: Job, res: ReportResult | None) -> None:
        if broken:
            return
        try:
            on_event(kind, job, res)
        except Exception as exc:  # noqa: BLE001 - a display problem must not stop the reports
            broken.append(f"utskriften av förloppet slutade fungera: {type(exc).__name__}: {exc}")

    emit.broken = broken  # type: ignore[attr-defined]
    return emit


#: seconds between two writes of the manifest and index while reports finish: both are
#: rewritten whole (indented JSON, the index page), and once per report that was ~0,4 of
#: the main process's ~3 CPU-s in a cold run at 64 reports; the run's end always writes them
SAVE_INTERVAL = 2.0


class _Books:
    """The manifest and the index, always written together (both or neither)."""

    def __init__(self, out: Path, manifest: dict, specs: Mapping):
        self.out, self.manifest, self.specs = out, manifest, specs
        self.error: str | None = None
        self.unsaved = False
        self._saved_at = float("-inf")

    def save_soon(self) -> None:
        """Save now if the last save is :data:`SAVE_INTERVAL` old, else mark the books unsaved
        (a report finished since the last save is made again by a run that was killed)."""
        if time.monotonic() - self._saved_at >= SAVE_INTERVAL:
            self.save()
        else:
            self.unsaved = True

    def save(self) -> bool:
        from regionanalys.data.fileio import atomic_write_texts

        self.manifest["updated"] = _now_iso()
        text = json.dumps(self.manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        try:
            atomic_write_texts({self.out / MANIFEST_NAME: text, self.out / INDEX_NAME: render_index(self.manifest, self.specs)})
        except OSError as exc:
            self.error = (f"manifest.json och index.html kunde inte skrivas i {self.out}: {os_error_text(exc)}; "
                          "de förra versionerna ligger kvar")
            return False
        self.error = None
        self.unsaved = False
        self._saved_at = time.monotonic()
        return True


def _prepare_out_dir(out: Path) -> None:
    """Create and mark the folder, and check that we can write in it (else :class:`RunError`)."""
    import tempfile

    try:
        claim_out_dir(out)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".regionanalys-probe-", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise RunError(f"kan inte skriva i rapportkatalogen {out}: {os_error_text(exc)}") from None


def _clean_after_previous_run(out: Path, lock: _Lock) -> list[str]:
    """Stop the processes a killed run left and remove its temporary files."""
    notes = []
    previous = lock.previous_pids()
    if previous and previous.get("pid") != os.getpid():
        from regionanalys.report.runner.orphans import stop_recorded

        stopped = stop_recorded(previous.get("children") or {})
        if stopped:
            notes.append(f"stoppade {stopped} processer som en avbruten körning lämnat kvar")
    removed = remove_leftovers(out, TMP_DIRNAME)
    if removed:
        notes.append("tog bort tillfälliga filer från en avbruten körning: " + ", ".join(removed[:3]))
    return notes


def execute(
    plan: RunPlan,
    *,
    jobs: int | None = None,
    force: bool = False,
    pdf: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    reuse_workers: bool = True,
    on_event: Event | None = None,
) -> RunSummary:
    """Make the planned reports (see the package docstring).

    Raises :class:`RunError` if the run cannot start and
    :class:`~regionanalys.report.runner.outdir.OutDirError` (a ``ParameterError``) if the
    output folder is not ours. Report failures do not raise: see
    :attr:`RunSummary.exit_code`.
    """
    t0 = time.perf_counter()
    out = plan.out_dir
    check_out_dir(out)
    emit = _safe_emit(on_event)
    chromium = None
    if pdf:
        from regionanalys.report.htmlexport import ChromiumMissing, find_chromium

        try:
            chromium = find_chromium()
        except ChromiumMissing as exc:
            raise RunError(str(exc)) from None
    _prepare_out_dir(out)
    with _Lock(out / LOCK_NAME) as lock:
        notes = _clean_after_previous_run(out, lock) + list(plan.notes)
        manifest = read_manifest(out)  # re-read under the lock
        as_read = _canonical({k: v for k, v in manifest.items() if k != "updated"})
        manifest["notebooks"] = plan.manifest.get("notebooks", {})
        entries: dict = manifest["reports"]
        books = _Books(out, manifest, plan.specs)
        cur = _Current(library_hash(), python_identity(), DataFiles(plan.data_dir), plan.info)
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
        chains: dict[tuple, list[tuple[float, str]]] = {}  # per worker: (finished at, report id)
        if to_run:
            # the worker side (multiprocessing, psutil, the record of a finished report) is
            # imported only when something runs: a run with nothing to do stays fast
            from regionanalys.report.runner.pool import _run_pool, default_jobs
            from regionanalys.report.runner.record import _finish
            from regionanalys.report.runner.worker import WorkerConfig

            tmp_dir = out / TMP_DIRNAME
            tmp_dir.mkdir(exist_ok=True)
            reasons = {j.id: r for j, r in to_run}
            cfg = WorkerConfig(timeout, tuple(notebook_imports({j.notebook_path for j, _ in to_run})),
                               tmp_dir, reuse_workers, config.READ_LOG_ENV, os.getpid())
            n_workers = max(1, min(jobs or default_jobs(), len(to_run)))
            for job, _ in to_run:
                emit("queued", job, None)
            changed_during: dict[str, list[str]] = {}
            passes = [0]

            def on_done(job: Job, payload: dict) -> None:
                chains.setdefault((passes[0], payload.get("worker")), []).append((time.monotonic(), job.id))
                res = _finish(job, payload, reasons[job.id], entries, cur, out)
                if res.ok and job.id not in changed_during:
                    moved = cur.data.changed(entries[job.id]["inputs"]["data"])
                    if moved:  # it may have read the old or the new file: make it again
                        changed_during[job.id] = moved
                results[job.id] = res
                books.save_soon()
                emit("finished", job, res)

            queue_jobs = _longest_first([j for j, _ in to_run], entries)
            cur.data.snapshot()  # before any worker reads (see DataFiles.snapshot)
            _prepare_landing(entries, plan)
            try:
                _run_pool(queue_jobs, n_workers, cfg, lambda job: emit("started", job, None), on_done, lock.record_pids)
                again = [j for j in queue_jobs if j.id in changed_during]
                if again:  # once: a file that keeps changing is caught by the next run
                    passes[0] = 1
                    cur.data = DataFiles(plan.data_dir)
                    cur.data.snapshot()
                    for job in again:
                        names = ", ".join(Path(k).name for k in changed_during[job.id][:3])
                        reasons[job.id] = f"data ändrades under körningen: {names}"
                        emit("queued", job, None)
                    _run_pool(again, min(n_workers, len(again)), cfg, lambda job: emit("started", job, None), on_done,
                              lock.record_pids)
            except BaseException:
                if books.unsaved:  # Ctrl-C or an error: what finished is still recorded
                    books.save()
                raise
            import shutil

            shutil.rmtree(tmp_dir, ignore_errors=True)  # worker logs, read logs, leftovers of failures
        _mark_stale_regions(entries, plan)
        ordered = [results[j.id] for j in plan.jobs]
        pdf_errors: list[str] = []
        if pdf:
            from regionanalys.report.runner.pdf import _make_pdfs
            from regionanalys.report.runner.pool import default_jobs

            pdf_errors = _make_pdfs(ordered, entries, out, chromium, jobs or default_jobs(), emit)
        plan.info.prune({cur.info.hash(p) for p in {j.notebook_path for j in plan.jobs}} | {e.get("inputs", {}).get("notebook") for e in entries.values()})
        # a run that changed nothing rewrites nothing (and stays well under a second)
        if (books.unsaved or _canonical({k: v for k, v in manifest.items() if k != "updated"}) != as_read
                or not (out / MANIFEST_NAME).exists() or not (out / INDEX_NAME).exists()):
            books.save()
        lock.pids_path.unlink(missing_ok=True)
    errors = [books.error] if books.error else []
    notes.extend(getattr(emit, "broken", []))
    return RunSummary(ordered, out, out / INDEX_NAME, out / MANIFEST_NAME, time.perf_counter() - t0, n_workers,
                      notes, pdf_errors, errors, critical_path(chains))


def _prepare_landing(entries: Mapping, plan: RunPlan) -> None:
    """Start computing the index's key figures for the regions this run will cover (see
    :func:`regionanalys.report.landing.prepare`), so the first index written finds them."""
    from regionanalys.report import landing

    after = {**entries, **{j.id: {"regions": list(j.regions), "year": j.year} for j in plan.jobs}}
    reports = sorted({(e.get("report") or "", tuple(e.get("regions") or [])) for e in entries.values() if e.get("example_data")}
                     | {(j.spec_id, tuple(j.regions)) for j in plan.jobs})
    landing.prepare(landing.run_regions(after), reports, plan.data_dir)


def critical_path(chains: Mapping[Any, list[tuple[float, str]]]) -> list[str]:
    """The reports of the worker that finished last: what a shorter run would have to cut."""
    if not chains:
        return []
    last = max(chains.values(), key=lambda chain: chain[-1][0])
    return [job_id for _, job_id in last]


def _mark_stale_regions(entries: dict, plan: RunPlan) -> None:
    """Mark reports for regions a run no longer covers (their data and their line in
    reports.toml are gone): the index shows them as stale instead of current."""
    if not plan.region_set:
        return
    covered = set(plan.region_set)
    for entry in entries.values():
        gone = [r for r in entry.get("regions") or [] if r not in covered]
        if gone:
            entry["stale"] = (f"inaktuell: {', '.join(gone)} ingår inte längre i körningen "
                              f"(inga datafiler {gone[0]}_*.csv och inte i reports.toml)")
        else:
            entry.pop("stale", None)


def _longest_first(jobs: list[Job], entries: Mapping) -> list[Job]:
    """Longest first keeps the workers evenly busy: the last known duration, else a guess
    from the notebook's size and the number of regions it covers."""

    def expected(job: Job) -> float:
        known = (entries.get(job.id) or {}).get("duration_s")
        return float(known) if known else 0.2 * max(job.code_cells, 1) * len(job.regions)

    return sorted(jobs, key=lambda j: -expected(j))


def run(*args: Any, **kwargs: Any) -> RunSummary:
    """Plan and execute in one call: the choices of :class:`RunChoices` go to
    :func:`plan_run`, the other keywords to :func:`execute` (jobs, force, pdf, timeout,
    reuse_workers, on_event)."""
    choices = {k: kwargs.pop(k) for k in list(kwargs) if k in CHOICE_NAMES}
    return execute(plan_run(*args, **choices), **kwargs)
