"""The run's log file for schedulers: one timestamped line per report, a JSON summary last.

::

    2026-11-30T02:15:04+01:00 region_17_2023 ok 3.2 körd: data ändrade: 17_varmland.csv
    2026-11-30T02:15:05+01:00 region_18_2023 cachad 2.9
    2026-11-30T02:15:09+01:00 region_24_2023 fel 1.1 orsak 1: cell 4 «df = load(…)»: DataError: …
    2026-11-30T02:15:10+01:00 bemanning_24_2023 fel 0.4 orsak 1
    {"time": "…", "summary": true, "reports": 4, "ok": 2, "failed": 2, …, "exit_code": 1}

Fields are separated by one space: time (ISO 8601 with offset), report id, status (``ok``,
``cachad``, ``fel``), seconds, and the rest of the line. A failure's cause is written in
full once and numbered; later reports that failed for the same cause refer to its
number. The last line is one JSON object (``"summary": true``) with the counts, the failed
reports and the exit code, for a monitoring check (``tail -n 1 | jq``). The file is
appended to, so nightly runs follow each other. Plain appends rather than ``logging``: the
format is fixed and small, and each line is written and flushed whole.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from regionanalys.report.runner.results import ReportResult, RunSummary
    from regionanalys.report.specs import Job


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class RunLog:
    """Append a run's lines to ``path`` (opened at once, so a bad path fails before the run)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        self.causes: dict[str, int] = {}

    def _write(self, line: str) -> None:
        self._fh.write(line + "\n")
        self._fh.flush()

    def report(self, res: ReportResult) -> None:
        """One line for a finished or cached report."""
        status = "cachad" if res.cached else ("ok" if res.ok else "fel")
        rest = ""
        if not res.ok:
            cause = _one_line(res.error_text or "okänt fel")
            if cause in self.causes:
                rest = f"orsak {self.causes[cause]}"
            else:
                self.causes[cause] = len(self.causes) + 1
                rest = f"orsak {self.causes[cause]}: {cause}"
        elif not res.cached:
            rest = _one_line(f"körd: {res.reason}")
        self._write(f"{_now()} {res.job.id} {status} {res.seconds:.1f}" + (f" {rest}" if rest else ""))

    def on_event(self, kind: str, job: Job, res: ReportResult | None) -> None:
        """Use as (part of) :func:`~regionanalys.report.runner.execute`'s ``on_event``."""
        if kind in ("cached", "finished") and res is not None:
            self.report(res)

    def message(self, text: str) -> None:
        """A line about the run as a whole (a note, or why it could not start)."""
        self._write(f"{_now()} - - - {_one_line(text)}")

    def summary(self, summary: RunSummary | None, exit_code: int, error: str = "") -> dict[str, Any]:
        """Write the closing JSON line and return it as a dict."""
        doc: dict[str, Any] = {"time": _now(), "summary": True, "exit_code": exit_code}
        if summary is not None:
            for msg in summary.pdf_errors + summary.errors:
                self.message(msg)
            doc.update(
                reports=len(summary.results),
                ok=sum(r.ok for r in summary.results),
                failed=len(summary.failed),
                executed=len(summary.executed),
                cached=len(summary.results) - len(summary.executed),
                failed_reports=[r.job.id for r in summary.failed],
                causes=len(self.causes),
                pdf_errors=list(summary.pdf_errors),
                errors=list(summary.errors),
                seconds=round(summary.seconds, 2),
                critical_path=list(summary.critical_path),
                index=str(summary.index),
            )
        else:
            doc.update(reports=0, ok=0, failed=0, executed=0, cached=0, failed_reports=[], errors=[error] if error else [])
        if error and summary is None:
            self.message(error)
        self._write(json.dumps(doc, ensure_ascii=False))
        return doc

    def close(self) -> None:
        self._fh.close()
