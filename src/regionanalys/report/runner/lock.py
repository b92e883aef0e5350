"""The run lock: one run at a time writes an output folder.

``filelock`` gives an OS lock that works on Windows too and that the OS releases when
the holding process dies, so a killed run never leaves a lock that blocks the next one.
The lock file also records the holder's pid and the pids of its workers,
so that the next run can stop what a killed run left behind (see :mod:`.orphans`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import filelock

from regionanalys.report.runner.results import RunError

LOCK_NAME = ".regionanalys.lock"
#: the holder's pids, next to the lock (the lock file itself is locked on Windows)
PIDS_NAME = ".regionanalys.pids"


class _Lock:
    """``with _Lock(path):`` holds the output folder's lock or raises :class:`RunError`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.lock = filelock.FileLock(str(self.path), timeout=0)

    def __enter__(self) -> _Lock:
        try:
            self.lock.acquire()
        except filelock.Timeout:
            raise RunError(f"en annan körning skriver redan i {self.path.parent} (låsfilen {self.path.name})") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()

    @property
    def pids_path(self) -> Path:
        return self.path.with_name(PIDS_NAME)

    def previous_pids(self) -> dict:
        """What the last holder recorded (``{}`` if nothing or unreadable)."""
        try:
            doc = json.loads(self.pids_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return doc if isinstance(doc, dict) else {}

    def record_pids(self, children: dict[int, float] | None = None) -> None:
        """Record this process and its workers (pid -> create time) for the next run."""
        from regionanalys.data.fileio import atomic_write_text
        from regionanalys.report.runner.orphans import create_time

        doc = {"pid": os.getpid(), "created": create_time(os.getpid()),
               "children": {str(k): v for k, v in (children or {}).items()}}
        try:
            atomic_write_text(self.pids_path, json.dumps(doc) + "\n")
        except OSError:  # best effort (a full disk): the workers also watch this process
            pass
