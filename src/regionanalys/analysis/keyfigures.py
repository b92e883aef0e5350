"""The few figures a chair quotes: a region's result, its growth gap, its savings requirement.

:func:`key_figures` picks, for one region and year, the best stated figure of each kind and
says what it is (which measure, utfall or prognos, from which source); :func:`key_points`
turns them into the three to five sentences of a report's "Det viktigaste", and
:func:`data_through` says how far each kind of source reaches. Nothing here is computed
from example data: example rows are dropped before any figure is chosen, and what is
only example data is named as such.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regionanalys.analysis.indicators import forecast_as_of, growth_pct, select
from regionanalys.analysis.memo import first_positions, per_frame
from regionanalys.analysis.requirements import Decision, decisions
from regionanalys.data.formatting import fmt_mnkr, fmt_number, fmt_pct
from regionanalys.data.registry import label
from regionanalys.data.regions import region_name, resolve_region

#: Result measures in the order a report prefers them; each keeps its own name in the text,
#: because they are not the same figure (årets resultat includes what balanskravet removes).
RESULT_MEASURES = ("arets_resultat", "balanskravsresultat", "balanserat_resultat", "verksamhetens_resultat")
COST, REVENUE = "nettokostnader", "skatt_statsbidrag"
STATED_GROWTH = {COST: "nettokostnadsutveckling", REVENUE: "skatt_statsbidrag_utveckling"}

#: Where a row comes from, by the folder of its file under data/.
SOURCE_KINDS = {
    "seeds": "dokumenten",
    "public": "offentliga källor",
    "kolada": "Kolada",
    "imports": "egna exporter",
    "example": "exempeldata",
}


@dataclass
class Figure:
    """One stated figure and what it is."""

    series: str
    year: int
    value: float
    kind: str
    unit: str
    source: str
    note: str = ""

    @property
    def name(self) -> str:
        return label(self.series)

    def text(self) -> str:
        return fmt_mnkr(self.value) if self.unit == "mnkr" else f"{fmt_number(self.value)} {self.unit}"

    @property
    def as_of(self) -> str:
        """The date a forecast was made, as the note states it ("Prognos per …"), else ""."""
        return forecast_as_of(self.note)


@dataclass
class KeyFigures:
    """What the data supports saying about one region and year."""

    region: str
    year: int
    result: Figure | None = None          # the bottom line: årets resultat, balanskrav or balanserat
    result_previous: Figure | None = None
    operating: Figure | None = None       # verksamhetens resultat, when the bottom line is another
    operating_previous: Figure | None = None
    forecast: Figure | None = None
    balanskrav: Figure | None = None
    cost_growth: tuple[float, int] | None = None      # (percent, decimals as the source gives it)
    revenue_growth: tuple[float, int] | None = None
    revenue: float = np.nan
    requirement: Decision | None = None
    example_series: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def result_share_pct(self) -> float:
        """Result as % of skatteintäkter och statsbidrag (derived; NaN when either is missing)."""
        if self.result is None or np.isnan(self.revenue) or self.revenue == 0:
            return np.nan
        return 100 * self.result.value / self.revenue


def real(df: pd.DataFrame) -> pd.DataFrame:
    """The rows that are not example data."""
    return df[~df["example"].astype(bool)] if "example" in df else df


#: (series, kind, year) -> (value, unit, source, note) of the first such row.
Stated = dict[tuple[str, str, int], tuple]


def stated_figures(df: pd.DataFrame, code: str) -> Stated:
    """The region's annual figures for the region as a whole (org ``region``, no category),
    the first row per series, kind and year: what :func:`key_figures` chooses from, looked
    up by key instead of a select over the whole table per figure."""
    rows = select(df, region=code, org="region", category="", freq="Y")
    fields = list(zip(rows["value"], rows["unit"], rows["source"], rows["note"] if "note" in rows else [""] * len(rows)))
    return {key: fields[i] for key, i in first_positions(rows["series"], rows["kind"], rows["year"]).items()}


def _figure(stated: Stated, series: str, year: int, kind: str) -> Figure | None:
    hit = stated.get((series, kind, year))
    if hit is None:
        return None
    value, unit, source, note = hit
    return Figure(series, year, float(value), kind, unit, source, note or "")


def _growth(stated: Stated, series: str, year: int) -> tuple[float, int] | None:
    stated_growth = _figure(stated, STATED_GROWTH[series], year, "utfall")
    if stated_growth is not None:
        text = str(stated_growth.value)
        decimals = 0 if float(stated_growth.value).is_integer() else len(text.split(".")[1])
        return stated_growth.value, decimals  # quoted with the precision of its source
    now, before = _figure(stated, series, year, "utfall"), _figure(stated, series, year - 1, "utfall")
    if now is None or before is None:
        return None
    return growth_pct(now.value, before.value), 1


def decisions_in_data(df: pd.DataFrame, region: str, *, through: int | None = None) -> list[Decision]:
    """:func:`decisions` for the years ``df`` reaches: a decision linked to a later year
    than the data holds (a report for 2019) is left out instead of raising.

    ``through`` is the last year of the data when ``df`` holds only a part of it (the
    region's rows)."""
    from regionanalys.data.documents import decisions_for

    code = resolve_region(region)
    if through is None:
        if df.empty:
            return []
        through = int(df["year"].max())
    meta = decisions_for(df)
    meta = meta[meta["region"] == code]
    beyond = set(meta.loc[meta["period"].astype(str).str[:4].astype(int) > through, "decision"])
    return decisions(df, region=code, meta=meta[~meta["decision"].isin(beyond)])


def _last_real_year(df: pd.DataFrame) -> int | None:
    """The last year of the real rows (None if there are none), without copying them."""
    years = df["year"][~df["example"].astype(bool)] if "example" in df else df["year"]
    return int(years.max()) if len(years) else None


@per_frame
def key_figures(df: pd.DataFrame, region: str, year: int) -> KeyFigures:
    """The key figures of ``region`` for ``year`` from real (non-example) rows only.

    Cached per table (a report asks twice per region: its top and its growth table)."""
    code = resolve_region(region)
    mine = select(df, region=code)
    data = real(mine)
    stated = stated_figures(data, code)
    kf = KeyFigures(region=code, year=year)
    for series in RESULT_MEASURES:
        fig = _figure(stated, series, year, "utfall")
        if fig is not None:
            kf.result = fig
            kf.result_previous = _figure(stated, series, year - 1, "utfall")
            break
    if kf.result is not None and kf.result.series != "verksamhetens_resultat":
        kf.operating = _figure(stated, "verksamhetens_resultat", year, "utfall")
        kf.operating_previous = _figure(stated, "verksamhetens_resultat", year - 1, "utfall")
    # A forecast of the same measure as the outcome first (−937 against −878), else any.
    order = ([kf.result.series] if kf.result is not None else []) + list(RESULT_MEASURES)
    for series in order:
        fig = _figure(stated, series, year, "prognos")
        if fig is not None:
            kf.forecast = fig
            break
    kf.balanskrav = _figure(stated, "balanskravsresultat", year, "utfall")
    kf.cost_growth = _growth(stated, COST, year)
    kf.revenue_growth = _growth(stated, REVENUE, year)
    rev = _figure(stated, REVENUE, year, "utfall")
    kf.revenue = rev.value if rev is not None else np.nan
    last = _last_real_year(df)
    whole = [] if last is None else decisions_in_data(data, code, through=last)
    whole = [d for d in whole if d.unit == "mnkr" and d.year in (year, year + 1)]
    # The requirement for the whole region outranks one for administration or a nämnd.
    whole.sort(key=lambda d: (d.scope != "hela_regionen", -d.year, -d.value))
    kf.requirement = whole[0] if whole else None
    examples = mine[mine["example"].astype(bool)] if "example" in mine else mine.iloc[0:0]
    kf.example_series = sorted({label(s) for s in examples["series"].unique()})
    if kf.result is None and kf.forecast is None:
        kf.missing.append("resultat")
    if kf.cost_growth is None:
        kf.missing.append("nettokostnadernas utveckling")
    if kf.requirement is None:
        kf.missing.append("sparkrav")
    return kf


def _pct(growth: tuple[float, int]) -> str:
    return fmt_pct(growth[0], growth[1])


def _was(fig: Figure, previous: Figure | None) -> str:
    return fig.text() + (f" (året före {previous.text()})" if previous is not None else "")


def key_points(kf: KeyFigures) -> list[str]:
    """Three to five sentences for "Det viktigaste", computed from :func:`key_figures`."""
    name = region_name(kf.region)
    points: list[str] = []
    restore = ("Enligt kommunallagen ska ett negativt balanskravsresultat återställas inom tre år, "
               "om inte synnerliga skäl finns.")
    if kf.operating is not None and kf.result is not None:
        points.append(f"Verksamhetens resultat för {name} {kf.year} blev {_was(kf.operating, kf.operating_previous)}; "
                      f"{kf.result.name.lower()} blev {kf.result.text()}.")
    elif kf.result is not None:
        points.append(f"{kf.result.name} för {name} {kf.year} blev {_was(kf.result, kf.result_previous)}.")
    if kf.forecast is not None:
        when = f" per {kf.forecast.as_of}" if kf.forecast.as_of else ""
        if kf.result is not None and kf.forecast.series == kf.result.series:
            points.append(f"Prognosen{when} var {kf.forecast.text()}; utfallet blev {kf.result.text()}.")
        else:
            points.append(f"Prognosen{when} för {kf.forecast.name.lower()} {kf.year} var {kf.forecast.text()} "
                          "(en prognos, inte utfall).")
    if kf.balanskrav is not None and kf.balanskrav.value < 0:
        if kf.result is kf.balanskrav or (kf.result is not None and kf.result.series == kf.balanskrav.series):
            points[0] += " " + restore
        else:
            points.append(f"Balanskravsresultatet {kf.year} var {kf.balanskrav.text()}. {restore}")
    if kf.cost_growth is not None and kf.revenue_growth is not None:
        faster = kf.cost_growth[0] > kf.revenue_growth[0]
        points.append(f"Nettokostnaderna ökade med {_pct(kf.cost_growth)} och skatteintäkter och statsbidrag "
                      f"med {_pct(kf.revenue_growth)}: kostnaderna växte {'snabbare' if faster else 'långsammare'} "
                      "än intäkterna.")
    if kf.requirement is not None:
        req = kf.requirement
        text = f"Sparkravet för {req.scope_label} {req.year} är {req.amount_text()}"
        planned = [p for p in req.parts if p["kind"] == "plan"]
        if planned:
            amount = sum(p["value"] for p in planned)
            text += (f"; av det är {fmt_mnkr(amount)} fördelat i en plan och {fmt_mnkr(req.value - amount)} "
                     "ännu inte specificerat")
        points.append(text + ".")
    if kf.missing:
        points.append(f"Underlaget saknar {', '.join(kf.missing)} för {name} {kf.year}.")
    if kf.example_series:
        shown = ", ".join(s.lower() for s in kf.example_series[:3])
        more = " med flera" if len(kf.example_series) > 3 else ""
        points.append(f"Delar av underlaget är exempeldata, inte regionens siffror ({shown}{more}).")
    return points[:5]


def data_through(df: pd.DataFrame, region: str | None = None) -> dict[str, str]:
    """The latest period in the data per kind of source (``{"dokumenten": "2024", …}``)."""
    rows = df if region is None else select(df, region=region)
    # Plans and budgets reach into coming years: "data t.o.m." is about outcomes and forecasts.
    rows = rows[rows["kind"].isin(["utfall", "prognos"])]
    periods: dict[str, set] = {}
    for file, period in zip(rows["source_file"], rows["period"]):
        periods.setdefault(str(file).split("/")[0], set()).add(period)
    # The distinct periods per folder only: equal periods print alike, and the key is slow.
    return {name: str(max(periods[key], key=lambda p: (p.end_time, p.freqstr)))
            for key, name in SOURCE_KINDS.items() if key in periods}
