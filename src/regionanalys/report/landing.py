"""What the landing page (``reports/index.html``) says about the data itself.

For each region of a run: the key figures a chair quotes (from
:func:`regionanalys.analysis.keyfigures.key_figures`, real rows only), how far each kind
of source reaches ("data t.o.m."), and which reports are built wholly on example data
(a template waiting for the region's own figures). The index is rewritten after every
finished report, so everything here is computed once per state of the data folder and
kept in memory (keyed by the files' sizes and modification times); loading the data
never makes the index fail: a failure becomes a sentence on the page.
"""
from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regionanalys import config

#: The report that a region's key figures link to, by what the figure is about (spec ids
#: of reports.toml, first found wins; any report of the region is the last resort).
LINK_TARGETS = {"result": ("region",), "requirement": ("sparande", "region")}
#: Report specs whose data are these series only: such a report is "wholly example" when
#: the region has no real row of them. Reports not listed here read the region's documents
#: (results, budgets, requirements) and are wholly example only if the region has no real
#: row at all.
_REPORT_SERIES_MODULES = {"bemanning": "staffing"}


@dataclass
class Shown:
    """One figure as the page shows it: the number, what it is, where it came from."""

    text: str
    label: str = ""
    source: str = ""
    #: what the source adds to the number, shown after it ("(629 i handlingsplanen)")
    aside: str = ""


@dataclass
class RegionFigures:
    """The landing page's column for one region."""

    code: str
    name: str
    year: int
    result: Shown | None = None
    operating: Shown | None = None
    forecast: Shown | None = None
    share: Shown | None = None
    cost_growth: Shown | None = None
    revenue_growth: Shown | None = None
    requirement: Shown | None = None
    through: list[tuple[str, str, bool]] = field(default_factory=list)  # (source kind, period, is example)
    error: str = ""


@dataclass
class DataView:
    """Everything the index needs from the data folder (``error`` when it could not be read)."""

    data_dir: str
    regions: dict[str, RegionFigures] = field(default_factory=dict)
    wholly_example: dict[tuple[str, tuple[str, ...]], bool] = field(default_factory=dict)
    error: str = ""


# --- the cache: one data state at a time ---------------------------------------------------

_state: dict[str, Any] = {"key": None, "df": None, "error": "", "figures": {}, "example": {}}
#: one computation at a time: the runner's background :func:`prepare` and the index's :func:`data_view`
_lock = threading.RLock()


def _fingerprint(root: Path) -> tuple:
    """Sizes and modification times of every file the loader may read: a cheap stand-in for
    their hashes (the runner hashes them anyway when a report's inputs change)."""
    from regionanalys.report.runner.cache import DataFiles

    files = DataFiles(root)
    out = []
    for key in (*files.observations, *files.meta):
        try:
            st = os.stat(files.path(key))
        except OSError:
            continue
        out.append((key, st.st_size, st.st_mtime_ns))
    return (str(files.root), tuple(out))


def _data(root: Path):
    """The loaded data for ``root`` (cached per data state) or the reason it could not be loaded."""
    try:
        key = _fingerprint(root)
    except OSError as exc:
        return None, _why(exc)
    if _state["key"] != key:
        _state.update(key=key, df=None, error="", figures={}, example={})
        try:
            from regionanalys.data.loading import load

            _state["df"] = load(root)
        except Exception as exc:  # noqa: BLE001 - any failure is shown on the page, never raised
            _state["error"] = _why(exc)
    return _state["df"], _state["error"]


def clear_cache() -> None:
    """Forget the cached data and figures (tests; a long-lived process that wants a fresh look)."""
    with _lock:
        _state.update(key=None, df=None, error="", figures={}, example={})


def prepare(regions: Iterable[tuple[str, int]], reports: Iterable[tuple[str, tuple[str, ...]]],
            data_dir: str | os.PathLike | None = None) -> threading.Thread:
    """Compute :func:`data_view` ahead, in a background thread at low CPU priority.

    The runner calls this when reports are about to run: loading the data and computing
    the key figures (seconds at 21 regions) then uses a core the workers leave idle instead
    of delaying a worker, and the index written after a report finds them cached.
    ``data_view`` waits for a computation in progress.
    """
    regions, reports = list(regions), list(reports)

    def work() -> None:
        try:  # Linux: the nice value of this thread only (other systems: normal priority)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        data_view(regions, reports, data_dir)

    thread = threading.Thread(target=work, name="regionanalys-landing", daemon=True)
    thread.start()
    return thread


def _why(exc: BaseException) -> str:
    """A failure in Swedish, short enough for one line of the page."""
    from regionanalys.data.validation import DataError

    if isinstance(exc, DataError):
        first = str(exc.problems[0]) if exc.problems else ""
        n = len(exc.problems)
        more = f" (och {n - 1} till; kör regionanalys validate för alla)" if n > 1 else " (kör regionanalys validate)"
        return _short(f"{n} problem i data: {first}{more}")
    if isinstance(exc, FileNotFoundError) and exc.filename is None:
        return _short(str(exc))  # the loader's own Swedish message
    if isinstance(exc, OSError):
        from regionanalys.report.runner.results import os_error_text

        return _short(f"datafilerna kunde inte läsas: {os_error_text(exc)}")
    return _short(f"oväntat fel vid inläsningen av data ({type(exc).__name__}: {exc})")


def _short(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the view ----------------------------------------------------------------------------------


def data_view(regions: Iterable[tuple[str, int]], reports: Iterable[tuple[str, tuple[str, ...]]],
              data_dir: str | os.PathLike | None = None) -> DataView:
    """Key figures for each ``(region, year)`` and, for each ``(spec id, regions)`` of a report
    that uses example data, whether it is wholly example. Never raises."""
    try:
        root = config.data_dir(data_dir)
    except Exception as exc:  # noqa: BLE001 - a bad setting is shown, not raised
        return DataView(str(data_dir), error=_why(exc))
    with _lock:
        return _view(root, regions, reports)


def _view(root: Path, regions: Iterable[tuple[str, int]], reports: Iterable[tuple[str, tuple[str, ...]]]) -> DataView:
    df, error = _data(root)
    view = DataView(str(root), error=error)
    if df is None:
        return view
    for code, year in regions:
        cached = _state["figures"].get((code, year))
        if cached is None:
            cached = _state["figures"][(code, year)] = _region_figures(df, code, year)
        view.regions[code] = cached
    for spec_id, codes in reports:
        key = (spec_id, tuple(codes))
        if key not in _state["example"]:
            try:
                _state["example"][key] = wholly_example(df, spec_id, codes)
            except Exception:  # noqa: BLE001 - unknown: the report keeps the plain example mark
                _state["example"][key] = False
        view.wholly_example[key] = _state["example"][key]
    return view


def report_series(spec_id: str) -> tuple[str, ...] | None:
    """The series a report shows, where it is about one kind of data only (else None)."""
    if _REPORT_SERIES_MODULES.get(spec_id) == "staffing":
        from regionanalys.analysis import staffing

        return tuple(dict.fromkeys((*staffing.STATED_SERIES, *staffing.STAFFING_SERIES)))
    return None


def wholly_example(df, spec_id: str, regions: Iterable[str]) -> bool:
    """Whether every data row a report of ``spec_id`` for ``regions`` can show is example data:
    its regions have example rows and no real row among the report's series (all series for
    a report not tied to one kind of data)."""
    codes = [str(r) for r in regions]
    rows = df[df["region"].isin(codes)]
    series = report_series(spec_id)
    if series is not None:
        rows = rows[rows["series"].isin(series)]
    if rows.empty:
        return False
    return bool(rows["example"].astype(bool).all())


def _region_figures(df, code: str, year: int) -> RegionFigures:
    from regionanalys.data.regions import region_name

    try:
        name = region_name(code)
    except Exception:  # noqa: BLE001 - an unknown code still gets its column
        name = code
    out = RegionFigures(code, name, int(year))
    try:
        _fill(out, df)
    except Exception as exc:  # noqa: BLE001 - one region's failure does not hide the others
        out.error = _short(f"nyckeltalen kunde inte beräknas ({type(exc).__name__}: {exc})")
    return out


def _fill(out: RegionFigures, df) -> None:
    from regionanalys.analysis.indicators import select
    from regionanalys.analysis.keyfigures import (
        COST, REVENUE, SOURCE_KINDS, STATED_GROWTH, data_through, key_figures, real,
    )
    from regionanalys.data.formatting import fmt_auto, fmt_mnkr, fmt_pct
    from regionanalys.data.registry import label

    kf = key_figures(df, out.code, out.year)

    def shown(fig, with_kind: bool = True) -> Shown:
        what = fig.name + (f", {fig.kind}" if with_kind else "")
        if fig.kind == "prognos" and fig.as_of:
            what += f" per {fig.as_of}"
        return Shown(fig.text(), what, fig.source)

    if kf.result is not None:
        out.result = shown(kf.result)
    if kf.operating is not None:
        out.operating = shown(kf.operating)
    if kf.forecast is not None:
        out.forecast = shown(kf.forecast)
    share = kf.result_share_pct
    if kf.result is not None and not math.isnan(share):
        out.share = Shown(fmt_pct(share, 1), f"beräknat: {kf.result.name.lower()} delat med {label(REVENUE).lower()} "
                          f"{out.year} ({fmt_mnkr(kf.revenue)})")
    data = real(df)
    for attr, series, growth in (("cost_growth", COST, kf.cost_growth), ("revenue_growth", REVENUE, kf.revenue_growth)):
        if growth is None:
            continue
        stated = select(data, region=out.code, org="region", series=STATED_GROWTH[series], kind="utfall",
                        category="", freq="Y", year=out.year)
        if not stated.empty:
            what, source = "enligt källan", str(stated.iloc[0]["source"])
        else:
            what, source = f"beräknat ur {label(series).lower()} {out.year - 1} och {out.year}", ""
        setattr(out, attr, Shown(fmt_pct(growth[0], growth[1], sign=True), what, source))
    if kf.requirement is not None:
        req = kf.requirement
        full, main = req.amount_text(), fmt_auto(req.value, req.unit)
        # the counted amount large, the other statements of it ("629 i handlingsplanen") after it
        aside = full[len(main):].strip() if full.startswith(main) else ""
        out.requirement = Shown(main if aside else full, f"{req.scope_label}, {req.year}", req.source, aside)
    for kind, period in data_through(df, out.code).items():
        out.through.append((kind, period_text(period), kind == SOURCE_KINDS["example"]))


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def period_text(period: str) -> str:
    """``2024-12`` -> ``december 2024``, ``2024Q1`` -> ``kvartal 1 2024``; years as they are."""
    from regionanalys.data.formatting import month_name

    m = _MONTH.match(period)
    if m:
        return f"{month_name(int(m[2]))} {m[1]}"
    m = _QUARTER.match(period)
    if m:
        return f"kvartal {m[2]} {m[1]}"
    return period


# --- which regions and reports the page is about --------------------------------------------


def run_regions(entries: Mapping[str, Mapping]) -> list[tuple[str, int]]:
    """The regions of the current reports (stale ones left out) with the latest year of each,
    in county-code order."""
    years: dict[str, int] = {}
    for e in entries.values():
        if e.get("stale") or e.get("year") is None:
            continue
        for code in e.get("regions") or []:
            years[str(code)] = max(years.get(str(code), 0), int(e["year"]))
    return sorted(years.items())


def run_data_dir(entries: Mapping[str, Mapping]) -> str | None:
    """The data folder the latest current report was made from (None: the default)."""
    latest = sorted(
        (e for e in entries.values() if not e.get("stale")),
        key=lambda e: str(e.get("started") or ""),
    )
    for e in reversed(latest):
        folder = (e.get("parameters") or {}).get("data_dir")
        if folder:
            return str(folder)
    return None


def link_for(entries: Mapping[str, Mapping], code: str, year: int, what: str) -> str | None:
    """The report a key figure of region ``code`` links to (its HTML file), else None."""
    mine = [e for e in entries.values()
            if e.get("html") and not e.get("stale") and list(e.get("regions") or []) == [code]]
    for spec in LINK_TARGETS.get(what, ()):
        for e in mine:
            if e.get("report") == spec and e.get("year") == year:
                return e["html"]
    same_year = [e for e in mine if e.get("year") == year]
    return (same_year or mine or [{}])[0].get("html")
