"""Processes that must not outlive their run: kill portably, and clean up after a killed run."""
from __future__ import annotations

import psutil


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
