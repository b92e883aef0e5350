"""Memory figures of a worker process (psutil and ``resource``; Linux, macOS and Windows alike)."""
from __future__ import annotations

import psutil


def rss_mb(pid: int | None) -> float:
    """Resident memory of a process in MB, 0 if unknown."""
    if not pid:
        return 0.0
    try:
        info = psutil.Process(pid).memory_info()
    except (psutil.Error, OSError):
        return 0.0
    return info.rss / 2**20


def peak_mb_self() -> float:
    """This process's peak resident memory so far in MB (its high-water mark)."""
    try:
        import resource
    except ImportError:  # Windows: psutil reports the peak working set
        info = psutil.Process().memory_info()
        return (getattr(info, "peak_wset", 0) or info.rss) / 2**20
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB on Linux
