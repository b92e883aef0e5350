"""The index page (``index.html``) written from the manifest: the landing page of a run.

For the reader first: each region's key figures side by side (computed from the data by
:mod:`regionanalys.report.landing`, once per state of the data folder), how far the data
reaches, and the reports grouped by region with their status in words. What only an
analyst needs (executed notebooks, run times, failures, command lines, the manifest) is in
a collapsed "För analytiker" part.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from regionanalys import config
from regionanalys.data.fileio import atomic_write_text
from regionanalys.report.specs import ReportSpec

INDEX_NAME = "index.html"
#: a report's status as the index names it
STATUS_TEXT = {
    "ok": "Klar",
    "partial": "Klar, delvis exempeldata",
    "template": "Mall – väntar på data",
    "stale": "Inaktuell",
    "failed": "Misslyckades",
}


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


def write_index(out_dir: Path, manifest: Mapping, specs: Mapping[str, ReportSpec] | None = None,
                data_dir: str | Path | None = None) -> Path:
    """Write ``index.html`` (atomically) from the manifest (see :func:`render_index`)."""
    path = Path(out_dir) / INDEX_NAME
    atomic_write_text(path, render_index(manifest, specs, data_dir=data_dir))
    return path


def render_index(manifest: Mapping, specs: Mapping[str, ReportSpec] | None = None, *,
                 data_dir: str | Path | None = None, key_figures: bool = True) -> str:
    """The text of ``index.html`` for this manifest.

    The key figures are computed from ``data_dir`` (default: the data folder the reports
    were made from, as their parameters record it, else the project's); a folder that
    cannot be read gives a line saying why, never an error. ``key_figures=False`` leaves
    them out (and does not import pandas).
    """
    from regionanalys import __version__

    env = _environment(str(config.TEMPLATES_DIR))
    order = {sid: s.order for sid, s in (specs or {}).items()}
    entries = manifest.get("reports", {})
    view = None
    if key_figures:
        from regionanalys.report import landing

        regions = landing.run_regions(entries)
        if regions:  # no report yet: nothing to say about the data, and nothing to load
            reports = {(e.get("report") or "", tuple(e.get("regions") or []))
                       for e in entries.values() if e.get("example_data")}
            view = landing.data_view(regions, sorted(reports), data_dir or landing.run_data_dir(entries))
    rows = []
    for rid, e in entries.items():
        ok = e.get("status") == "ok"
        example = bool(e.get("example_data"))
        regions = [str(r) for r in e.get("regions") or []]
        template = bool(view and example and view.wholly_example.get((e.get("report") or "", tuple(regions))))
        status = ("stale" if e.get("stale") else "failed" if not ok
                  else "template" if template else "partial" if example else "ok")
        rows.append({
            "id": rid,
            "title": e.get("title") or rid,
            "region": e.get("region_label") or ", ".join(regions),
            "regions": regions,
            "group": regions[0] if len(regions) == 1 else "",
            "year": e.get("year"),
            "ok": ok,
            "status": status,
            "status_text": STATUS_TEXT[status],
            "duration": e.get("duration_s"),
            "started": _short_time(e.get("started")),
            "reason": e.get("reason") or "",
            "example": example,
            "template": template,
            "html": e.get("html"),
            "ipynb": e.get("ipynb"),
            "pdf": (e.get("pdf") or {}).get("file") if ok else None,
            "failed_ipynb": e.get("failed_ipynb") if not ok else None,
            "error": (e.get("error") or {}),
            "last_ok": _short_time((e.get("last_ok") or {}).get("started")) if not ok else None,
            # the report's region is no longer in the run (Swedish text), else None
            "stale": e.get("stale"),
            "command": _command(e),
            "sort": (order.get(e.get("report"), e.get("order", 1000)), -(e.get("year") or 0), regions, rid),
        })
    rows.sort(key=lambda r: r["sort"])
    html = env.get_template("index.html.j2").render(
        rows=rows,
        groups=_groups(rows),
        view=view,
        columns=_columns(view, entries),
        n_ok=sum(r["ok"] for r in rows),
        n_failed=sum(not r["ok"] for r in rows),
        n_example=sum(r["example"] for r in rows),
        n_template=sum(r["template"] for r in rows),
        n_stale=sum(bool(r["stale"]) for r in rows),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
    )
    return html


def _region_name(code: str) -> str:
    from regionanalys.data.regions import region_name

    try:
        return region_name(code)
    except Exception:  # noqa: BLE001 - a code we do not know is still a heading
        return code


def _groups(rows: list[dict]) -> list[dict]:
    """The reports grouped by region (county-code order), reports on several regions last."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    out = [{"code": code, "name": _region_name(code), "rows": groups[code]} for code in sorted(g for g in groups if g)]
    if "" in groups:
        out.append({"code": "", "name": "Flera regioner", "rows": groups[""]})
    return out


def _columns(view, entries: Mapping) -> list[dict]:
    """One column of key figures per region, with the reports its figures link to."""
    if view is None:
        return []
    from regionanalys.report import landing

    out = []
    for code, fig in view.regions.items():
        out.append({
            "fig": fig,
            "href": landing.link_for(entries, code, fig.year, "result"),
            "href_requirement": landing.link_for(entries, code, fig.year, "requirement"),
        })
    return out


def _command(e: Mapping) -> str:
    """The command line that makes this report again."""
    parts = ["regionanalys", "run", "--notebook", str(e.get("report") or e.get("notebook") or "?")]
    regions = [str(r) for r in e.get("regions") or []]
    if len(regions) == 1:
        parts += ["--region", regions[0]]
    if e.get("year") is not None:
        parts += ["--year", str(e["year"])]
    return " ".join(parts + ["--force"])


def _short_time(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
