"""PDF copies of the reports, printed by headless Chromium."""
from __future__ import annotations

from pathlib import Path

from regionanalys.report.runner.cache import _sha256
from regionanalys.report.runner.results import Event, ReportResult

def _make_pdfs(results: list[ReportResult], entries: dict, out: Path, chromium: str, jobs: int, emit: Event) -> list[str]:
    """Print every good report whose PDF is missing or older than its HTML."""
    from concurrent.futures import ThreadPoolExecutor

    from regionanalys.report.htmlexport import ExportError, print_pdf

    todo = []
    for res in results:
        if not res.ok or res.html is None:
            continue
        entry = entries[res.job.id]
        pdf = out / f"{res.job.id}.pdf"
        html_hash = _sha256(res.html)
        if pdf.exists() and (entry.get("pdf") or {}).get("html") == html_hash:
            res.pdf = pdf
            continue
        todo.append((res, pdf, html_hash))
    errors: list[str] = []

    def one(item):
        res, pdf, html_hash = item
        try:
            print_pdf(res.html, pdf, chromium)
        except ExportError as exc:
            return res, None, str(exc)
        return res, (pdf, html_hash), None

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for res, done, err in pool.map(one, todo):
            if err:
                errors.append(f"{res.job.id}: {err}")
            else:
                res.pdf = done[0]
                entries[res.job.id]["pdf"] = {"file": done[0].name, "html": done[1]}
            emit("pdf", res.job, res)
    return errors


