"""Writing files so that nothing is ever half-written, with the mode a plain ``open()`` gives."""
from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask (Python has no getter: set it and put it back, under a lock)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _write_tmp(path: Path, text: str) -> str:
    """Write ``text`` to a temporary file beside ``path``; returns its name.

    ``mkstemp`` creates files 0600; they get ``0666 & ~umask`` like any other file the
    project writes, so a report folder shared by a group stays readable to the group.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if os.name == "posix":  # on Windows chmod sets only the read-only flag
            os.chmod(tmp, 0o666 & ~current_umask())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and return the path.

    The text goes to a temporary file in the same folder, is flushed to disk and then
    moved into place with ``os.replace``: a reader sees the old file or the new one,
    never half of either, and a failure leaves the old file untouched. The temporary
    name starts with a dot, which the data loader skips.
    """
    path = Path(path)
    tmp = _write_tmp(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def atomic_write_texts(files: Mapping[str | os.PathLike, str]) -> list[Path]:
    """Write several files so that they change together or not at all.

    Every file is written to its temporary file first (where a full disk fails), and
    only then are they all moved into place (renames need no space), so files that
    must agree (a manifest and the index made from it) never disagree after a failure.
    """
    done: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            done.append((_write_tmp(Path(path), text), Path(path)))
    except BaseException:
        for tmp, _ in done:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    for tmp, path in done:
        os.replace(tmp, path)
    return [path for _, path in done]
