"""What a run produced: one :class:`ReportResult` per report and the :class:`RunSummary`."""
from __future__ import annotations

import errno
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from regionanalys.report.specs import Job

class RunError(RuntimeError):
    """The run cannot start (Chromium missing, directory locked …)."""



def _now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")



@dataclass
class ReportResult:
    """What happened to one report in a run."""

    job: Job
    status: str  #: "ok" or "failed"
    cached: bool  #: True: inputs unchanged, not executed
    seconds: float  #: execution time (for a cached report: of the run that made it)
    reason: str = ""  #: why it was executed (or "oförändrad")
    error: dict | None = None
    example_data: bool = False
    html: Path | None = None
    ipynb: Path | None = None
    failed_ipynb: Path | None = None
    pdf: Path | None = None
    worker_peak_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def error_text(self) -> str:
        return format_error(self.error) if self.error else ""


def format_error(error: Mapping[str, Any]) -> str:
    """One line: where the report failed and why."""
    where = ""
    if error.get("cell") is not None:
        where = f"cell {int(error['cell']) + 1}"  # stored 0-based (papermill), shown 1-based
        if error.get("execution_count"):
            where += f" (In [{error['execution_count']}])"
        if error.get("cell_first_line"):
            where += f" «{error['cell_first_line']}»"
        where += ": "
    what = error.get("ename") or "Fel"
    msg = error.get("evalue") or ""
    return f"{where}{what}: {msg}" if msg else f"{where}{what}"


@dataclass
class RunSummary:
    results: list[ReportResult]
    out_dir: Path
    index: Path
    manifest: Path
    seconds: float
    workers: int = 0
    notes: list[str] = field(default_factory=list)
    pdf_errors: list[str] = field(default_factory=list)
    #: problems of the run itself (manifest or index could not be written)
    errors: list[str] = field(default_factory=list)
    #: reports on the longest chain of one worker (the run's critical path), longest first
    critical_path: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[ReportResult]:
        return [r for r in self.results if not r.ok]

    @property
    def executed(self) -> list[ReportResult]:
        return [r for r in self.results if not r.cached]

    @property
    def exit_code(self) -> int:
        """0: every report ok; 1: at least one report (or PDF) failed, or the run could not
        record its results (see :attr:`errors`)."""
        return 1 if self.failed or self.pdf_errors or self.errors else 0

    @property
    def critical_path_text(self) -> str:
        """The reports of the worker that finished last, e.g. for the closing lines."""
        by_id = {r.job.id: r for r in self.results}
        path = [by_id[i] for i in self.critical_path if i in by_id]
        if not path:
            return ""
        total = sum(r.seconds for r in path)
        return ("Kritisk väg: " + " → ".join(f"{r.job.id} ({r.seconds:.1f} s)" for r in path)
                + f", {total:.1f} s av körningens {self.seconds:.1f} s")

    @property
    def peak_rss_per_worker_mb(self) -> float:
        """Largest peak resident memory of a worker process seen (MB)."""
        return max((r.worker_peak_mb for r in self.executed), default=0.0)


Event = Callable[[str, Job, "ReportResult | None"], None]



_ERRNO_TEXT = {
    errno.ENOSPC: "disken är full",
    getattr(errno, "EDQUOT", -1): "diskkvoten är slut",
    errno.EACCES: "skrivrättighet saknas",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOENT: "filen eller katalogen finns inte",
}


def os_error_text(exc: OSError) -> str:
    """A short Swedish description of a failed file operation, with the file."""
    what = _ERRNO_TEXT.get(exc.errno or 0) or exc.strerror or str(exc)
    return f"{what} ({exc.filename})" if exc.filename else what
