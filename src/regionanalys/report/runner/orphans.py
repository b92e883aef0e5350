"""Processes that must not outlive their run, and what a killed run leaves behind.

Workers end with their parent: on Linux the OS kernel sends them a signal when
the parent dies (``prctl(PR_SET_PDEATHSIG)``); everywhere (Windows and macOS too) a
watchdog thread polls the parent and ends the process when it is gone. A new run also
stops the processes an earlier, killed run recorded next to its lock (see
:mod:`.lock`) and removes its temporary files.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable

import psutil

#: seconds between two looks at the parent
WATCH_INTERVAL = 1.0


def create_time(pid: int) -> float | None:
    """The process's start time (tells a process from a later one with the same pid)."""
    try:
        return psutil.Process(pid).create_time()
    except (psutil.Error, OSError):
        return None


def kill_process(pid: int, created: float | None = None) -> bool:
    """Kill ``pid`` (``Process.kill()``: SIGKILL on POSIX, TerminateProcess on Windows).

    With ``created``, only if it is still the process that started then. True if killed.
    """
    try:
        proc = psutil.Process(pid)
        if created is not None and abs(proc.create_time() - created) > 0.01:
            return False
        proc.kill()
        return True
    except (psutil.Error, OSError):
        return False


def kill_descendants(pid: int | None = None) -> int:
    """Kill every descendant of ``pid`` (default: this process); returns how many."""
    try:
        children = psutil.Process(pid or os.getpid()).children(recursive=True)
    except (psutil.Error, OSError):
        return 0
    n = 0
    for child in children:
        try:
            child.kill()
            n += 1
        except (psutil.Error, OSError):
            pass
    return n


def _set_parent_death_signal() -> None:
    """Linux only: have the kernel send SIGTERM to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (musl without it, seccomp …): the watchdog remains
        pass


def die_with_parent(parent_pid: int | None = None, on_orphan: Callable[[], None] | None = None,
                    interval: float = WATCH_INTERVAL) -> None:
    """End this process when ``parent_pid`` (default: the parent) ends.

    ``on_orphan`` runs first (e.g. to stop this process's own children); then the process
    exits with code 1 without running clean-up handlers, which may wait on the dead parent.
    """
    parent_pid = parent_pid or os.getppid()
    try:
        parent = psutil.Process(parent_pid)
    except (psutil.Error, OSError):
        parent = None
    if parent is not None and parent_pid == os.getppid():
        _set_parent_death_signal()

    def orphaned() -> None:
        try:
            if on_orphan is not None:
                on_orphan()
        finally:
            os._exit(1)

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(interval):
            try:
                alive = parent is not None and parent.is_running() and parent.status() != psutil.STATUS_ZOMBIE
            except (psutil.Error, OSError):
                alive = False
            if not alive:
                orphaned()

    threading.Thread(target=watch, name="regionanalys-parent-watchdog", daemon=True).start()


def stop_recorded(children: dict[str, float]) -> int:
    """Kill the recorded processes (pid -> start time) that are still the same processes."""
    n = 0
    for pid, created in children.items():
        try:
            pid_i = int(pid)
        except ValueError:
            continue
        if pid_i != os.getpid() and kill_process(pid_i, float(created) if created else None):
            n += 1
    return n
