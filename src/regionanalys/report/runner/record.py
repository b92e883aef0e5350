"""Recording a finished report: move its files into place and write its manifest entry."""
from __future__ import annotations

import os
from pathlib import Path

from regionanalys.report.runner.cache import _canonical, _Current, _library_version, scope_of
from regionanalys.report.runner.results import ReportResult, format_error, os_error_text
from regionanalys.report.specs import Job

def _move(src: str | Path, dst: Path) -> None:
    """Move a finished file into place (atomically: a rename in the same folder tree)."""
    os.replace(src, dst)


def _finish(job: Job, payload: dict, reason: str, entries: dict, cur: _Current, out: Path) -> ReportResult:
    """Move a finished report into place (or keep the old one) and update its manifest entry."""
    html, ipynb, failed_nb = out / f"{job.id}.html", out / f"{job.id}.ipynb", out / f"{job.id}.failed.ipynb"
    previous = entries.get(job.id) or {}
    reads = [cur.data.key(p) for p in dict.fromkeys(payload.get("reads") or [])]
    scope = scope_of(reads, job.regions, cur.data)
    # metadata files count only if read; a report that logged nothing may have read anything
    extra = [k for k in reads if k not in cur.data.observations] if reads else list(cur.data.meta)
    entry = {
        "report": job.spec_id,
        "notebook": job.notebook,
        "title": job.title,
        "regions": list(job.regions),
        "region_label": job.region_label,
        "year": job.year,
        "order": job.order,
        "parameters": job.parameters,
        "library_version": _library_version(),
        "started": payload.get("started"),
        "duration_s": payload.get("seconds", 0.0),
        "status": payload["status"],
        "reason": reason,
        "html": f"{job.id}.html",
        "ipynb": f"{job.id}.ipynb",
        "example_data": bool(payload.get("example")),
        "inputs": {
            "notebook": cur.info.hash(job.notebook_path),
            "library": cur.library,
            "parameters": _canonical(job.parameters),
            "python": cur.python,
            "packages": cur.packages,
            "data_scope": scope,
            "data": cur.data.inputs(scope, extra),
        },
        "error": None,
        # peak resident memory of the worker process so far (MB)
        "peak_rss_mb": {"worker": payload.get("worker_peak_mb", 0.0)},
    }
    res = ReportResult(job, payload["status"], False, float(payload.get("seconds", 0.0)), reason,
                       worker_peak_mb=float(payload.get("worker_peak_mb", 0.0)))
    moved = False
    if payload["status"] == "ok" and payload.get("tmp_html") and payload.get("tmp_ipynb"):
        try:
            _move(payload["tmp_ipynb"], ipynb)
            _move(payload["tmp_html"], html)
            moved = True
        except OSError as exc:  # read-only folder, full disk …: the report fails, the run goes on
            res.status = entry["status"] = payload["status"] = "failed"
            payload["error"] = {"ename": "Skrivfel", "evalue": f"rapporten kunde inte sparas: {os_error_text(exc)}"}
    if moved:
        failed_nb.unlink(missing_ok=True)
        entry["last_ok"] = {"started": entry["started"], "duration_s": entry["duration_s"]}
        res.html, res.ipynb, res.example_data = html, ipynb, entry["example_data"]
    else:
        if res.status == "ok":  # cannot happen; never claim success without files
            res.status = entry["status"] = "failed"
            payload["error"] = payload.get("error") or {"ename": "Fel", "evalue": "rapportens filer skrevs inte"}
        if payload.get("tmp_ipynb") and Path(payload["tmp_ipynb"]).exists():
            try:
                _move(payload["tmp_ipynb"], failed_nb)
                entry["failed_ipynb"] = failed_nb.name
                res.failed_ipynb = failed_nb
            except OSError:
                pass  # the failure is recorded in the manifest even without its notebook
        if payload.get("tmp_html"):
            Path(payload["tmp_html"]).unlink(missing_ok=True)
        entry["error"] = {k: v for k, v in (payload.get("error") or {}).items() if k != "traceback"}
        entry["error"]["text"] = format_error(entry["error"])
        # the last good report stays in place and in the index
        last_ok = previous.get("last_ok") or (
            {"started": previous.get("started"), "duration_s": previous.get("duration_s")} if previous.get("status") == "ok" else None
        )
        if last_ok and html.exists():
            entry["last_ok"] = last_ok
            entry["example_data"] = bool(previous.get("example_data"))
            res.html = html
        else:
            entry["html"] = None
        entry["ipynb"] = ipynb.name if ipynb.exists() else None
        res.error = entry["error"]
    if "pdf" in previous and res.ok is False:
        entry["pdf"] = previous["pdf"]
    entries[job.id] = entry
    return res


