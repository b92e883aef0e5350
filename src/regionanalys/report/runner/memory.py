"""Memory figures of a worker and its kernel, with psutil (Linux, macOS and Windows alike)."""
from __future__ import annotations

import threading

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


def _peak_now_mb(pid: int) -> float:
    try:
        info = psutil.Process(pid).memory_info()
    except (psutil.Error, OSError):
        return 0.0
    # Windows reports the true peak (peak_wset); elsewhere psutil has only the current RSS
    return max(info.rss, getattr(info, "peak_wset", 0) or 0) / 2**20


class PeakMeter:
    """Peak resident memory of the processes it watches, sampled in a daemon thread.

    psutil has no portable "high-water mark", so the peak is the largest sample (every
    ``interval`` seconds) and the value at :meth:`peak` time; short spikes may be missed.
    """

    def __init__(self, interval: float = 0.25):
        self.interval = interval
        self._peaks: dict[int, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, pid: int | None) -> None:
        if not pid:
            return
        with self._lock:
            self._peaks.setdefault(pid, 0.0)
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="regionanalys-peak-meter", daemon=True)
            self._thread.start()

    def peak(self, pid: int | None) -> float:
        """Largest resident memory seen for ``pid`` (MB), including now."""
        if not pid:
            return 0.0
        now = _peak_now_mb(pid)
        with self._lock:
            self._peaks[pid] = max(self._peaks.get(pid, 0.0), now)
            return self._peaks[pid]

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                pids = list(self._peaks)
            for pid in pids:
                value = _peak_now_mb(pid)
                with self._lock:
                    if pid in self._peaks:
                        self._peaks[pid] = max(self._peaks[pid], value)

    def forget(self, pid: int | None) -> None:
        with self._lock:
            self._peaks.pop(pid, None)  # type: ignore[arg-type]

    def stop(self) -> None:
        self._stop.set()
