"""The parent's side of the worker processes: start them, feed them, watch them."""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from regionanalys.report.runner.orphans import create_time
from regionanalys.report.runner.results import RunError, _now_iso
from regionanalys.report.runner.worker import PRELOAD_ENV, WorkerConfig, _worker_main, log_path
from regionanalys.report.specs import Job

def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


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


def _fork_server_usable() -> bool:
    """Linux, and a multiprocessing that can stop its fork server (Python 3.11-3.13 can)."""
    from multiprocessing import forkserver

    return (sys.platform.startswith("linux") and "forkserver" in mp.get_all_start_methods()
            and hasattr(getattr(forkserver, "_forkserver", None), "_stop"))


@contextmanager
def _context(cfg: WorkerConfig):
    """The multiprocessing context the workers start in, and the pid of a fork server.

    On Linux a fork server boots once (:mod:`.zygote`: imports, shell, template) and forks
    every worker from itself, so the workers start booted and share those pages: one boot
    per run instead of one per worker, and no worker waits for its own. The server belongs
    to this run: it is stopped afterwards, because the next run may have another library
    or other notebooks. Elsewhere (and where multiprocessing lacks what this needs) each
    worker is spawned and boots itself.
    """
    from multiprocessing import forkserver

    if not _fork_server_usable():
        yield mp.get_context("spawn"), None
        return
    import json

    server = forkserver._forkserver  # noqa: SLF001

    ctx = mp.get_context("forkserver")
    server._stop()  # noqa: SLF001 - one left by an earlier run in this process knows an older library
    ctx.set_forkserver_preload(["regionanalys.report.runner.zygote"])
    os.environ[PRELOAD_ENV] = json.dumps({"preimports": list(cfg.preimports), "log_env": cfg.log_env,
                                          "log": str(Path(cfg.tmp_dir) / "zygote.log")})
    try:
        forkserver.ensure_running()  # it inherits the environment now, and boots while we go on
    finally:
        os.environ.pop(PRELOAD_ENV, None)
    try:
        yield ctx, getattr(server, "_forkserver_pid", None)
    finally:
        server._stop()  # noqa: SLF001


def _run_pool(jobs: list[Job], n_workers: int, cfg: WorkerConfig, on_start: Callable[[Job], None],
              on_done: Callable[[Job, dict], None],
              on_pids: Callable[[dict[int, float]], None] | None = None) -> None:
    """Run jobs on ``n_workers`` worker processes; every job gets exactly one result.

    ``on_pids`` gets the workers' pids (with start times) whenever they change, so that a
    later run can stop them if this one is killed. A worker that ends after a report (it
    failed, or the worker grew too large) is replaced while reports are still waiting.
    """
    with _context(cfg) as (ctx, server_pid):
        _run_pool_in(ctx, server_pid, jobs, n_workers, cfg, on_start, on_done, on_pids)


def _run_pool_in(ctx, server_pid: int | None, jobs: list[Job], n_workers: int, cfg: WorkerConfig,
                 on_start: Callable[[Job], None], on_done: Callable[[Job, dict], None],
                 on_pids: Callable[[dict[int, float]], None] | None) -> None:
    tasks, results = ctx.Queue(), ctx.Queue()
    by_id = {j.id: j for j in jobs}
    for job in jobs:
        tasks.put(job)
    for _ in range(n_workers):
        tasks.put(None)
    procs: dict[int, Any] = {}
    current: dict[int, tuple[str, float]] = {}
    pending = set(by_id)
    exited: set[int] = set()
    next_index = 0

    known: dict[int, float] = {}

    def note_pid(pid: int | None) -> None:
        if pid and pid not in known:
            known[pid] = create_time(pid) or 0.0
            if on_pids is not None:
                on_pids(dict(known))

    def spawn() -> None:
        nonlocal next_index
        p = ctx.Process(target=_worker_main, args=(cfg, tasks, results, next_index), name=f"regionanalys-worker-{next_index}", daemon=True)
        with _main_module_hidden():
            p.start()
        procs[next_index] = p
        note_pid(p.pid)
        next_index += 1

    def replace() -> None:
        """A worker that is gone is replaced only while reports wait for one (not for the
        reports other workers are running: the new one would boot for nothing)."""
        if len(pending) > len(current):
            spawn()

    def fail(index: int, why: str) -> None:
        job_id, started_at = current.pop(index)
        if job_id in pending:
            pending.discard(job_id)
            on_done(by_id[job_id], {"id": job_id, "status": "failed", "started": _now_iso(), "worker": index,
                                    "seconds": round(time.monotonic() - started_at, 3),
                                    "error": {"ename": "Avbruten", "evalue": why}, "reads": []})

    def limit(job: Job) -> float:
        return cfg.timeout * (max(job.code_cells, 1) + 2) + 60

    note_pid(server_pid)
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
            if kind == "ready":
                note_pid(payload)
            elif kind == "start":
                current[index] = (payload, time.monotonic())
                on_start(by_id[payload])
            elif kind == "done":
                current.pop(index, None)
                if payload["id"] in pending:
                    pending.discard(payload["id"])
                    payload["worker"] = index
                    on_done(by_id[payload["id"]], payload)
                if payload.get("retired"):
                    replace()  # it ends after this report; its sentinel stays in the queue
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
                    replace()
                elif not proc.is_alive() and index not in exited and proc.exitcode != 0:
                    # died without saying goodbye (killed, out of memory, segfault)
                    if index in current:
                        tail = _log_tail(log_path(cfg.tmp_dir, proc.pid))
                        fail(index, f"arbetsprocessen dog (kod {proc.exitcode})" + (f": {tail}" if tail else ""))
                    del procs[index]
                    replace()
                elif not proc.is_alive():
                    del procs[index]
            if pending and not procs:
                spawn()
        finished = True
    finally:
        if not finished:  # Ctrl-C or an error here: stop the workers
            for proc in procs.values():
                proc.terminate()
        for proc in procs.values():
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
        tasks.cancel_join_thread()
        results.cancel_join_thread()


def _log_tail(path: Path, lines: int = 3) -> str:
    """The last lines of a dead worker's log (a segfault's traceback, for instance)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " / ".join(line.strip() for line in text.strip().splitlines()[-lines:])

