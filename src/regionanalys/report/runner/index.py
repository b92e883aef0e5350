"""The index page (``index.html``) written from the manifest."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from regionanalys import config
from regionanalys.data.fileio import atomic_write_text
from regionanalys.report.specs import ReportSpec

INDEX_NAME = "index.html"

@lru_cache(maxsize=4)
def _environment(templates_dir: str):
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,  # titles, names and error messages come from notebooks and data
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )


def write_index(out_dir: Path, manifest: Mapping, specs: Mapping[str, ReportSpec] | None = None) -> Path:
    """Write ``index.html`` (atomically) from the manifest: one row per report."""
    path = Path(out_dir) / INDEX_NAME
    atomic_write_text(path, render_index(manifest, specs))
    return path


def render_index(manifest: Mapping, specs: Mapping[str, ReportSpec] | None = None) -> str:
    """The text of ``index.html`` for this manifest."""
    from regionanalys import __version__

    env = _environment(str(config.TEMPLATES_DIR))
    order = {sid: s.order for sid, s in (specs or {}).items()}
    rows = []
    for rid, e in manifest.get("reports", {}).items():
        rows.append({
            "id": rid,
            "title": e.get("title") or rid,
            "region": e.get("region_label") or ", ".join(e.get("regions", [])),
            "regions": e.get("regions", []),
            "year": e.get("year"),
            "ok": e.get("status") == "ok",
            "duration": e.get("duration_s"),
            "started": _short_time(e.get("started")),
            "example": bool(e.get("example_data")),
            "html": e.get("html"),
            "ipynb": e.get("ipynb"),
            "pdf": (e.get("pdf") or {}).get("file") if e.get("status") == "ok" else None,
            "failed_ipynb": e.get("failed_ipynb") if e.get("status") != "ok" else None,
            "error": (e.get("error") or {}),
            "last_ok": _short_time((e.get("last_ok") or {}).get("started")) if e.get("status") != "ok" else None,
            # the report's region is no longer in the run (Swedish text), else None
            "stale": e.get("stale"),
            "sort": (order.get(e.get("report"), e.get("order", 1000)), -(e.get("year") or 0), e.get("regions", []), rid),
        })
    rows.sort(key=lambda r: r["sort"])
    html = env.get_template("index.html.j2").render(
        rows=rows,
        n_ok=sum(r["ok"] for r in rows),
        n_failed=sum(not r["ok"] for r in rows),
        n_example=sum(r["example"] for r in rows),
        n_stale=sum(bool(r["stale"]) for r in rows),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
    )
    return html


def _short_time(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


