"""Staffing: rental staff (hyrpersonal), the SKR measure, sick leave and närvarotid.

The indicators of a region built from its monthly series in the tidy table (see
``data/series/staffing.toml``), the R12 tables for the charts, year to date against the
same period last year, the gaps in R12 and one computed sentence (reading) per chart.
Windows are computed by :mod:`regionanalys.analysis.r12` (R12 only over complete twelve
months; rates as a ratio of sums; närvarotid in årsarbetare); its public names are
importable from here too.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from regionanalys.analysis.indicators import growth_pct, select
from regionanalys.analysis.memo import per_frame
from regionanalys.analysis.r12 import (  # noqa: F401  (re-exported: notebooks use staffing.to_month etc.)
    HOURS_PER_ARSARBETARE, MONTH_NAMES, Gap, align, complete, fmt_month, fmt_months, r12, r12_gaps, r12_months,
    to_month, window_sum, window_value, ytd_months,
)
from regionanalys.data.formatting import fmt_auto, fmt_mnkr, fmt_number, fmt_pct, fmt_unit, with_suffix
from regionanalys.data.registry import category_label
from regionanalys.data.regions import region_name, resolve_region

# ---------------------------------------------------------------------------------------
# Constants

#: The target value for the SKR measure: cost of rental staff at most 2 % of the cost of own
#: staff. Seed 004 names the measure ("SKR-mått") but states no target value and no body that
#: set it, so the reports call it "målvärdet" and attribute it to no one.
SKR_TARGET_PCT = 2.0

RENTAL = "hyrpersonal_kostnad"
OWN_COST = "egen_personalkostnad"
SICK = "sjukfranvaro_timmar"
SCHEDULED = "ordinarie_arbetstid_timmar"
PRESENCE = "narvarotid_timmar"
STAFFING_SERIES = (RENTAL, OWN_COST, SICK, SCHEDULED, PRESENCE)
STAFF_GROUPS = ("lakare", "sjukskoterskor_barnmorskor", "ovriga")
OWN_STAFF, RENTAL_STAFF = "egen_personal", "hyrpersonal"
REGION_ORG = "region"


def fmt_arsarbetare(value: float, sign: bool = False) -> str:
    """``9395.2`` -> ``9 395 årsarbetare`` (whole numbers: a decimal of an average is false precision)."""
    return fmt_number(value) if np.isnan(value) else with_suffix(fmt_number(value, 0, sign=sign), "årsarbetare")


def no_data_text(name: str) -> str:
    """The sentence for a region (by name) without monthly staffing data."""
    return f"Underlaget innehåller inga månadsuppgifter om bemanning för {name}."


# ---------------------------------------------------------------------------------------
# Monthly series from the tidy table


@per_frame  # ~100 calls per staffing report for ~13 distinct series (issue 15)
def monthly(
    df: pd.DataFrame,
    region: str,
    series: str,
    *,
    org: str = REGION_ORG,
    category: str | Iterable[str] | None = None,
    kind: str = "utfall",
) -> pd.Series:
    """One monthly series of a region as values indexed by month (gaps as NaN).

    ``category``: one category; a list of categories (summed: a month counts only if
    every listed category that the data has for this org is there); or None for the
    total: the stated total (category ``''``) where the data has one, else the sum of
    all categories the data has for this org, again only where all of them are present.
    """
    code = resolve_region(region)
    rows = select(df, region=code, series=series, org=org, kind=kind, freq="M")
    empty = pd.Series(dtype=float, index=pd.PeriodIndex([], freq="M", name="månad"), name=series)
    if rows.empty:
        return empty
    # groupby + unstack: the table pivot_table(aggfunc="sum") gives, at a third of its cost
    table = rows.groupby(["period", "category"], sort=True)["value"].sum().unstack("category")
    table.index = pd.PeriodIndex(table.index, freq="M", name="månad")
    if category is None:
        parts = [c for c in table.columns if c != ""]
        total = table[""] if "" in table.columns else pd.Series(np.nan, index=table.index)
        if parts:
            summed = table[parts].sum(axis=1, min_count=len(parts))
            summed[table[parts].isna().any(axis=1)] = np.nan
            total = total.fillna(summed)
        out = total
    elif isinstance(category, str):
        if category not in table.columns:
            return empty
        out = table[category]
    else:
        wanted = [c for c in category if c in table.columns]
        if not wanted:
            return empty
        out = table[wanted].sum(axis=1, min_count=len(wanted))
        out[table[wanted].isna().any(axis=1)] = np.nan
    return complete(out.rename(series))


def _add(a: pd.Series, b: pd.Series) -> pd.Series:
    """Month by month sum that is missing where either part is missing."""
    if a.dropna().empty or b.dropna().empty:
        return complete(pd.concat([a.iloc[0:0], b.iloc[0:0]]).astype(float))
    x, y = align(a, b)
    return x + y


def orgs_with(df: pd.DataFrame, region: str, series: str = RENTAL) -> list[str]:
    """Orgs below the region level (områden) that have monthly data for ``series``."""
    rows = select(df, region=resolve_region(region), series=series, freq="M")
    return sorted(set(rows["org"]) - {REGION_ORG})


# ---------------------------------------------------------------------------------------
# Measures: what each indicator needs and how it is computed


@dataclass
class Measure:
    """One indicator of a region: its monthly inputs and how windows are computed."""

    key: str
    label: str  #: Swedish label for tables
    unit: str  #: unit id of the result (mnkr, procent, arsarbetare)
    how: str  #: sum, ratio or arsarbetare
    numerator: pd.Series
    denominator: pd.Series | None = None
    parts: dict[str, pd.Series] = field(default_factory=dict)  #: inputs by Swedish name, for gaps
    hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE

    def r12(self) -> pd.Series:
        return r12(self.numerator, self.denominator, how=self.how, hours_per_arsarbetare=self.hours_per_arsarbetare)

    def r12_at(self, month: pd.Period) -> float:
        return self.over(r12_months(month))

    def over(self, months: Iterable[pd.Period]) -> float:
        return window_value(self.numerator, self.denominator, months, how=self.how, hours_per_arsarbetare=self.hours_per_arsarbetare)

    def gaps(self, until: pd.Period | None = None, start: pd.Period | None = None) -> list[Gap]:
        return r12_gaps(self.parts, until, start)

    @property
    def has_data(self) -> bool:
        return not self.numerator.dropna().empty


def _measure(key, label, unit, how, parts: dict[str, pd.Series], hours: float) -> Measure:
    names = list(parts)
    if how == "ratio":
        num, den = parts[names[0]], parts[names[1]]
    else:
        num, den = parts[names[0]], None
        for extra in names[1:]:
            num = _add(num, parts[extra])
    return Measure(key, label, unit, how, num, den, parts, hours)


@per_frame  # every table and reading of a report starts from the same measures
def measures(
    df: pd.DataFrame, region: str, *, hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE, orgs: bool = False
) -> dict[str, Measure]:
    """The staffing indicators of one region, by key.

    Keys: ``hyr_lakare``, ``hyr_sjukskoterskor_barnmorskor``, ``hyr_ovriga``,
    ``hyr_totalt`` (mnkr), ``egen_personalkostnad`` (mnkr), ``skr`` (hyrpersonal / egen
    personal, %), ``sjukfranvaro`` (%), ``narvarotid_utan_hyr`` and
    ``narvarotid_med_hyr`` (årsarbetare). With ``orgs``, also ``hyr_org:<område>``.
    """
    code = resolve_region(region)
    h = hours_per_arsarbetare
    rental_total = monthly(df, code, RENTAL)
    own_cost = monthly(df, code, OWN_COST)
    sick, scheduled = monthly(df, code, SICK), monthly(df, code, SCHEDULED)
    own_hours = monthly(df, code, PRESENCE, category=OWN_STAFF)
    rental_hours = monthly(df, code, PRESENCE, category=RENTAL_STAFF)
    out: dict[str, Measure] = {}
    for group in STAFF_GROUPS:
        name = category_label(group)
        out[f"hyr_{group}"] = _measure(
            f"hyr_{group}", f"Hyrpersonal, {name.lower()}", "mnkr", "sum",
            {f"hyrpersonalkostnaden för {name.lower()}": monthly(df, code, RENTAL, category=group)}, h,
        )
    out["hyr_totalt"] = _measure("hyr_totalt", "Hyrpersonal, totalt", "mnkr", "sum", {"hyrpersonalkostnaden": rental_total}, h)
    out["egen_personalkostnad"] = _measure("egen_personalkostnad", "Kostnad för egen personal", "mnkr", "sum", {"kostnaden för egen personal": own_cost}, h)
    out["skr"] = _measure(
        "skr", "Hyrpersonal / egen personal (SKR-mått)", "procent", "ratio",
        {"hyrpersonalkostnaden": rental_total, "kostnaden för egen personal": own_cost}, h,
    )
    out["sjukfranvaro"] = _measure(
        "sjukfranvaro", "Sjukfrånvaro", "procent", "ratio",
        {"sjukfrånvarotimmarna": sick, "den ordinarie arbetstiden": scheduled}, h,
    )
    out["narvarotid_utan_hyr"] = _measure(
        "narvarotid_utan_hyr", "Närvarotid, egen personal (utan hyrpersonal)", "arsarbetare", "arsarbetare",
        {"närvarotiden för egen personal": own_hours}, h,
    )
    out["narvarotid_med_hyr"] = _measure(
        "narvarotid_med_hyr", "Närvarotid, med hyrpersonal", "arsarbetare", "arsarbetare",
        {"närvarotiden för egen personal": own_hours, "närvarotiden för hyrpersonal": rental_hours}, h,
    )
    if orgs:
        for org in orgs_with(df, code, RENTAL):
            out[f"hyr_org:{org}"] = _measure(
                f"hyr_org:{org}", f"Hyrpersonal, {org}", "mnkr", "sum",
                {f"hyrpersonalkostnaden för {org}": monthly(df, code, RENTAL, org=org)}, h,
            )
    return out


# ---------------------------------------------------------------------------------------
# R12 tables for charts (index: month; one column per line)


def _r12_frame(columns: Mapping[str, Measure], until: str | pd.Period | None = None) -> pd.DataFrame:
    data = {name: m.r12() for name, m in columns.items() if m.has_data}
    if not data:
        return pd.DataFrame(index=pd.PeriodIndex([], freq="M", name="månad"))
    frame = pd.DataFrame(data)
    frame.index = pd.PeriodIndex(frame.index, freq="M", name="månad")
    frame = frame.sort_index()
    if until is not None:
        frame = frame.loc[: to_month(until)]
    return frame


def rental_r12(df: pd.DataFrame, region: str, by: str = "category", until: str | pd.Period | None = None) -> pd.DataFrame:
    """Rental-staff cost R12 (mnkr) by month.

    ``by="category"``: a column per staff group (Läkare, Sjuksköterskor/barnmorskor,
    Övriga) and Totalt; ``by="org"``: a column per område. Months without a complete
    twelve-month window are NaN. ``until`` (here and in the other R12 tables) ends the
    table at a month, e.g. the report month.
    """
    ms = measures(df, region, orgs=by == "org")
    if by == "category":
        cols = {category_label(g): ms[f"hyr_{g}"] for g in STAFF_GROUPS}
        cols["Totalt"] = ms["hyr_totalt"]
    elif by == "org":
        cols = {k.split(":", 1)[1]: m for k, m in ms.items() if k.startswith("hyr_org:")}
    else:
        raise ValueError("by ska vara 'category' eller 'org'")
    return _r12_frame(cols, until)


def skr_r12(df: pd.DataFrame, region: str, until: str | pd.Period | None = None) -> pd.DataFrame:
    """The SKR measure by month: columns ``hyrpersonal`` and ``egen_personal`` (R12, mnkr)
    and ``andel_pct`` (hyrpersonal / egen personal × 100, R12)."""
    ms = measures(df, region)
    return _r12_frame({"hyrpersonal": ms["hyr_totalt"], "egen_personal": ms["egen_personalkostnad"], "andel_pct": ms["skr"]}, until)


def sick_leave_r12(df: pd.DataFrame, region: str, until: str | pd.Period | None = None) -> pd.DataFrame:
    """Sick leave by month: ``r12_pct`` (R12, ratio of sums) and ``manad_pct`` (the month alone)."""
    m = measures(df, region)["sjukfranvaro"]
    frame = _r12_frame({"r12_pct": m}, until)
    if not frame.empty:
        num, den = align(m.numerator, m.denominator)
        frame["manad_pct"] = (num / den.where(den != 0) * 100).reindex(frame.index)
    return frame


def presence_r12(
    df: pd.DataFrame, region: str, hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE, until: str | pd.Period | None = None
) -> pd.DataFrame:
    """Närvarotid R12 in årsarbetare: ``utan_hyrpersonal`` (own staff) and
    ``med_hyrpersonal`` (own + rental staff), and ``hyr_andel_pct`` (rental staff's share
    of the närvarotid with rental staff)."""
    ms = measures(df, region, hours_per_arsarbetare=hours_per_arsarbetare)
    frame = _r12_frame({"utan_hyrpersonal": ms["narvarotid_utan_hyr"], "med_hyrpersonal": ms["narvarotid_med_hyr"]}, until)
    if {"utan_hyrpersonal", "med_hyrpersonal"} <= set(frame.columns):
        frame["hyr_andel_pct"] = (frame["med_hyrpersonal"] - frame["utan_hyrpersonal"]) / frame["med_hyrpersonal"] * 100
    return frame


# ---------------------------------------------------------------------------------------
# The report month, example flag and method note


def report_month(df: pd.DataFrame, region: str, year: int | None = None) -> pd.Period | None:
    """The month a report shows: the latest month up to December ``year`` that has every
    core staffing series (rental cost, own cost, sick leave, närvarotid); else the latest
    month up to then with any of them; None when the region has no monthly staffing data.
    """
    code = resolve_region(region)
    rows = select(df, region=code, series=list(STAFFING_SERIES), freq="M", kind="utfall")
    if year is not None:
        rows = rows[rows["year"] <= int(year)]
    if rows.empty:
        return None
    months_by_series = rows.groupby("series")["period"].agg(lambda p: set(p))
    common = set.intersection(*months_by_series) if len(months_by_series) == len(STAFFING_SERIES) else set()
    return max(common) if common else max(rows["period"])


def month_note(df: pd.DataFrame, region: str, year: int, month: pd.Period | None) -> str:
    """Which month the report shows and why, in one sentence."""
    name = region_name(region)
    if month is None:
        return no_data_text(name)
    if month.year < int(year):
        return f"Underlaget för {name} har inga månadsuppgifter för {year}; rapporten visar läget till och med {fmt_month(month)}, den senaste månaden i underlaget, som rullande tolv månader (R12)."
    if month.month < 12:
        return f"Rapporten visar läget till och med {fmt_month(month)}, den senaste månaden i underlaget för {year}, som rullande tolv månader (R12); ackumulerat betyder {fmt_months(ytd_months(month)[0], month)}."
    return f"Rapporten visar helåret {year} (till och med {fmt_month(month)}) och rullande tolv månader (R12)."


def is_example(df: pd.DataFrame, region: str | Iterable[str]) -> bool:
    """Whether any staffing row of the region(s) is generated example data."""
    regions = [region] if isinstance(region, (str, int)) else list(region)
    rows = select(df, region=regions, series=list(STAFFING_SERIES))
    return bool(rows["example"].any())


def method_note(hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE) -> str:
    """How the indicators are computed, for the report page."""
    return (
        "R12 (rullande tolv månader) räknas över de tolv månader som slutar med den visade månaden och bara när alla tolv "
        "finns i underlaget; saknas en månad visas ingen R12 i stället för ett kortare fönster. Kostnader är tolvmånaderssummor. "
        "Sjukfrånvaro och SKR-måttet är kvoter av summor (t.ex. sjukfrånvarotimmar delat med ordinarie arbetstid över samma "
        "tolv månader), inte medelvärden av månadstal. Närvarotid omräknas till årsarbetare med "
        f"{fmt_number(hours_per_arsarbetare)} timmar per årsarbetare (ungefär en heltidsanställds närvaro under ett år efter "
        "semester och helgdagar; regionens eget tal kan anges). Målvärdet för SKR-måttet är att kostnaden för hyrpersonal "
        f"ska vara högst {fmt_pct(SKR_TARGET_PCT, 0)} av kostnaden för egen personal."
    )


# ---------------------------------------------------------------------------------------
# Year to date and same period last year


SAME_PERIOD_KEYS = (
    "hyr_lakare", "hyr_sjukskoterskor_barnmorskor", "hyr_ovriga", "hyr_totalt", "egen_personalkostnad", "skr",
    "sjukfranvaro", "narvarotid_utan_hyr", "narvarotid_med_hyr",
)


def same_period_table(
    df: pd.DataFrame,
    region: str,
    month: str | pd.Period | None,
    *,
    by: str = "indicator",
    hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE,
) -> pd.DataFrame:
    """Year to date (January–``month``) against the same months a year earlier.

    ``by="indicator"``: one row per indicator (rental staff by group and total, own
    staff cost, SKR measure, sick leave, närvarotid without and with rental staff);
    ``by="org"``: rental-staff cost per område. Columns: indikator, enhet (unit id),
    ack, ack_fg (same period last year), forandring (for rates in procentenheter),
    forandring_pct (NaN for rates), and saknas (why a value is missing, else "").
    """
    columns = ["indikator", "enhet", "ack", "ack_fg", "forandring", "forandring_pct", "saknas"]
    if month is None:
        return pd.DataFrame(columns=columns)
    month = to_month(month)
    ms = measures(df, region, hours_per_arsarbetare=hours_per_arsarbetare, orgs=by == "org")
    if by == "indicator":
        keys = [k for k in SAME_PERIOD_KEYS if ms[k].has_data]
    elif by == "org":
        keys = [k for k in ms if k.startswith("hyr_org:")]
    else:
        raise ValueError("by ska vara 'indicator' eller 'org'")
    now, before = ytd_months(month), ytd_months(month - 12)
    rows = []
    for k in keys:
        m = ms[k]
        cur, prev = m.over(now), m.over(before)
        change = cur - prev
        pct = np.nan if m.how == "ratio" else growth_pct(cur, prev)
        why = ""
        if np.isnan(cur) or np.isnan(prev):
            why = _missing_months_text(m, list(before) + list(now))
        rows.append({"indikator": m.label, "enhet": m.unit, "ack": cur, "ack_fg": prev, "forandring": change, "forandring_pct": pct, "saknas": why})
    return pd.DataFrame(rows, columns=["indikator", "enhet", "ack", "ack_fg", "forandring", "forandring_pct", "saknas"])


def _fmt_value(value: float, unit: str, sign: bool = False) -> str:
    """A value of the same-period table with its unit; årsarbetare written out in whole numbers."""
    if unit == "arsarbetare":
        return fmt_arsarbetare(value, sign)
    if unit in ("procentenheter", "mnkr") and sign:
        return fmt_unit(value, unit, 1, sign=True)
    return fmt_auto(value, unit, sign=sign)


def _missing_months_text(m: Measure, months: list[pd.Period]) -> str:
    lacking = []
    for name, values in m.parts.items():
        have = set(values.dropna().index)
        gone = [w for w in months if w not in have]
        if gone:
            shown = ", ".join(fmt_month(w) for w in gone[:4]) + (f" och {len(gone) - 4} månader till" if len(gone) > 4 else "")
            lacking.append(f"{name} saknas för {shown}")
    return "; ".join(lacking)


def same_period_view(df: pd.DataFrame, region: str, month: str | pd.Period | None, **options: Any) -> pd.DataFrame:
    """:func:`same_period_table` formatted for the page (Swedish numbers, units in the cells,
    period names in the headers). Rates change in procentenheter. Empty without a month.
    ``options`` go to :func:`same_period_table` (``by``, ``hours_per_arsarbetare``)."""
    if month is None:
        return pd.DataFrame()
    month = to_month(month)
    t = same_period_table(df, region, month, **options)
    now = "Ack " + fmt_months(ytd_months(month)[0], month)
    prev = "Ack " + fmt_months(ytd_months(month - 12)[0], month - 12)
    rows = []
    for r in t.itertuples(index=False):
        change_unit = "procentenheter" if r.enhet == "procent" else r.enhet
        rows.append({
            "Indikator": r.indikator,
            now: _fmt_value(r.ack, r.enhet),
            prev: _fmt_value(r.ack_fg, r.enhet),
            "Förändring": _fmt_value(r.forandring, change_unit, sign=True),
            "Förändring %": fmt_pct(r.forandring_pct, 0, sign=True) if not np.isnan(r.forandring_pct) else "",
            "Anmärkning": r.saknas,
        })
    out = pd.DataFrame(rows, columns=["Indikator", now, prev, "Förändring", "Förändring %", "Anmärkning"])
    if not out.empty and not out["Anmärkning"].any():
        out = out.drop(columns="Anmärkning")
    if not out.empty:
        out["källa"] = monthly_sources(df, region)  # one export feeds every row: cited once per row
    return out


def monthly_sources(df: pd.DataFrame, region: str) -> str:
    """The sources of the region's monthly staffing rows, joined by `` | `` (for a table's footnotes)."""
    rows = select(df, region=resolve_region(region), series=list(STAFFING_SERIES), freq="M", kind="utfall")
    return " | ".join(dict.fromkeys(rows["source"].astype(str).map(lambda t: t.split(" [omräknat")[0].strip())))


# ---------------------------------------------------------------------------------------
# R12 gaps for the page


def r12_gap_table(
    df: pd.DataFrame,
    region: str,
    until: str | pd.Period | None = None,
    *,
    include_start: bool = False,
    hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE,
) -> pd.DataFrame:
    """Every run of months without R12 per indicator, with the reason (for the page).

    Columns: Indikator, "R12 saknas för", Orsak. Runs up to ``until`` (default: the last
    month with data). The first eleven months of each series, which can never have R12,
    are left out unless ``include_start`` (:func:`r12_gap_reading` states them once).
    """
    ms = measures(df, region, hours_per_arsarbetare=hours_per_arsarbetare, orgs=True)
    end = to_month(until) if until is not None else None
    rows = []
    for m in ms.values():
        if not m.has_data:
            continue
        for gap in m.gaps(end):
            if include_start or not gap.only_start:
                rows.append({"Indikator": m.label, "R12 saknas för": gap.months, "Orsak": gap.reason})
    return pd.DataFrame(rows, columns=["Indikator", "R12 saknas för", "Orsak"])


def r12_gap_reading(df: pd.DataFrame, region: str, until: str | pd.Period | None = None) -> str:
    """One sentence: from which month R12 exists, and which indicators have gaps after that."""
    ms = {k: m for k, m in measures(df, region, orgs=True).items() if m.has_data}
    name = region_name(region)
    if not ms:
        return no_data_text(name)
    end = to_month(until) if until is not None else None
    first = min(m.numerator.dropna().index.min() for m in ms.values())
    inner = []
    for m in ms.values():
        for gap in m.gaps(end):
            if not gap.only_start:
                inner.append(f"{m.label.lower()} ({gap.months})")
    text = (
        f"Månadsuppgifterna för {name} börjar i {fmt_month(first)}, så R12 finns tidigast från {fmt_month(first + 11)}"
    )
    if not inner:
        return text + "; därefter finns R12 för alla indikatorer utan luckor."
    return text + f"; därefter saknas R12 för {'; '.join(inner)} eftersom månader saknas i underlaget (se tabellen)."


# ---------------------------------------------------------------------------------------
# Readings: one computed sentence per chart


def _at(frame: pd.DataFrame, column: str, month: pd.Period) -> float:
    if frame.empty or column not in frame.columns or month not in frame.index:
        return np.nan
    return float(frame.at[month, column])


class _Missing(Exception):
    """Raised inside a reading when the one sentence is about what is missing."""


def _reading(func: Callable[..., str]) -> Callable[..., str]:
    """A reading that may stop early with :class:`_Missing`: its text is the sentence."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> str:
        try:
            return func(*args, **kwargs)
        except _Missing as missing:
            return str(missing)

    return wrapper


def _start(table: pd.DataFrame, region: str, month: str | pd.Period | None, empty: str | None = None,
           example: str | None = None) -> tuple[pd.Period, str]:
    """The month and the region's name, or stop: no report month, or an empty ``table``
    (with ``empty``, where ``{name}`` is the region's name), or the chart is example data
    (``example`` names what it shows: the sentence then describes the method only)."""
    if month is None:
        raise _Missing(no_data_text(region_name(region)))
    name = region_name(region)
    if empty is not None and table.empty:
        raise _Missing(empty.format(name=name))
    if example is not None:
        raise _Missing(example_reading(table, region, to_month(month), example))
    return to_month(month), name


def example_reading(table: pd.DataFrame, region: str, month: pd.Period, what: str) -> str:
    """The reading of a chart drawn from example data: what the chart shows and over which
    months, never an amount, a level, a ranking or a change (issue 11)."""
    name = region_name(region)
    valid = table.dropna(how="all") if not table.empty else table
    span = f" från {fmt_month(valid.index.min())} till och med {fmt_month(month)}" if not valid.empty else ""
    return (
        f"Exempeldata: diagrammet visar hur {what} följs som R12{span}. Kurvorna är genererade och "
        f"säger ingenting om läget i {name}; med regionens egna månadsuppgifter anger texten här nivå och förändring."
    )


def _now_and_year_before(table: pd.DataFrame, column: str, month: pd.Period, name: str, what: str) -> tuple[float, float]:
    """R12 in ``column`` at ``month`` and twelve months earlier; stop if the first is missing."""
    value = _at(table, column, month)
    if np.isnan(value):
        raise _Missing(_no_r12(name, what, month))
    return value, _at(table, column, month - 12)


def _no_r12(name: str, what: str, month: pd.Period) -> str:
    return f"R12 för {what} i {name} kan inte beräknas för {fmt_month(month)} eftersom tolvmånadersperioden inte är komplett i underlaget (se luckorna längre ned)."


@_reading
def rental_reading(table: pd.DataFrame, region: str, month: str | pd.Period, example: bool = False) -> str:
    """One sentence on :func:`rental_r12` (by staff group) at ``month``; with ``example``
    (the chart is example data) only what the chart shows."""
    month, name = _start(table, region, month, "Underlaget innehåller inga månadsuppgifter om hyrpersonal för {name}.",
                         "kostnaden för hyrpersonal per personalgrupp" if example else None)
    total, before = _now_and_year_before(table, "Totalt", month, name, "hyrpersonal")
    groups = {c: _at(table, c, month) for c in table.columns if c != "Totalt"}
    biggest = max(groups, key=lambda c: -np.inf if np.isnan(groups[c]) else groups[c])
    share = groups[biggest] / total * 100 if total else np.nan
    change = f", {_more_less(growth_pct(total, before))} under de tolv månaderna året innan" if not np.isnan(before) else ""
    text = (
        f"Kostnaden för hyrpersonal i {name} var {fmt_mnkr(total)} under de tolv månaderna till och med "
        f"{fmt_month(month)}{change}; {biggest.lower()} stod för {fmt_pct(share, 0)}"
    )
    return text + (_no_comparison(month) if np.isnan(before) else "") + "."


def _no_comparison(month: pd.Period) -> str:
    return f"; R12 ett år tidigare ({fmt_month(month - 12)}) kan inte beräknas, så jämförelsen saknas"


def _more_less(pct: float) -> str:
    if np.isnan(pct):
        return "okänt förändrad"
    if round(pct) == 0:
        return "ungefär lika mycket som"
    return f"{fmt_pct(abs(pct), 0)} {'mer' if pct > 0 else 'mindre'} än"


@_reading
def area_reading(table: pd.DataFrame, region: str, month: str | pd.Period, example: bool = False) -> str:
    """One sentence on :func:`rental_r12` by område: the largest and the fastest-growing
    (with ``example``: what the chart shows, no ranking)."""
    month, name = _start(table, region, month, "Underlaget innehåller ingen kostnad för hyrpersonal per område för {name}.",
                         "kostnaden för hyrpersonal per område" if example else None)
    now = {c: _at(table, c, month) for c in table.columns}
    now = {c: v for c, v in now.items() if not np.isnan(v)}
    if not now:
        return _no_r12(name, "hyrpersonal per område", month)
    biggest = max(now, key=now.get)
    growth = {c: growth_pct(v, _at(table, c, month - 12)) for c, v in now.items()}
    growth = {c: g for c, g in growth.items() if not np.isnan(g)}
    text = f"Störst kostnad för hyrpersonal under de tolv månaderna till och med {fmt_month(month)} hade {biggest} med {fmt_mnkr(now[biggest])}"
    if growth:
        fastest = max(growth, key=growth.get)
        verb = "ökade mest" if growth[fastest] > 0 else "minskade minst"
        text += f"; {fastest} {verb}, {fmt_pct(growth[fastest], 0, sign=True)} mot året innan"
    return text + "."


@_reading
def skr_reading(table: pd.DataFrame, region: str, month: str | pd.Period, target: float = SKR_TARGET_PCT,
                example: bool = False) -> str:
    """One sentence on :func:`skr_r12` at ``month`` against the target value (with
    ``example``: what the chart shows, no level and no "över/inom")."""
    month, name = _start(table, region, month, None,
                         "hyrpersonalens kostnad i förhållande till den egna personalens" if example else None)
    value, before = _now_and_year_before(table, "andel_pct", month, name, "SKR-måttet")
    position = "över" if value > target else "inom"
    text = (
        f"Hyrpersonalen kostade {fmt_pct(value)} av kostnaden för egen personal i {name} (R12 {fmt_month(month)}), "
        f"{position} målvärdet på högst {fmt_pct(target, 0)}"
    )
    text += f"; ett år tidigare var andelen {fmt_pct(before)}" if not np.isnan(before) else _no_comparison(month)
    return text + "."


@_reading
def sick_leave_reading(table: pd.DataFrame, region: str, month: str | pd.Period, example: bool = False) -> str:
    """One sentence on :func:`sick_leave_r12` at ``month`` (with ``example``: the method only)."""
    month, name = _start(table, region, month, None, "sjukfrånvaron" if example else None)
    value, before = _now_and_year_before(table, "r12_pct", month, name, "sjukfrånvaron")
    text = f"Sjukfrånvaron i {name} var {fmt_pct(value)} av den ordinarie arbetstiden under de tolv månaderna till och med {fmt_month(month)}"
    if not np.isnan(before):
        diff = value - before
        if round(diff, 1) == 0:
            text += ", oförändrad mot ett år tidigare"
        else:
            text += f", {fmt_number(abs(diff), 1)} procentenheter {'högre' if diff > 0 else 'lägre'} än ett år tidigare"
    else:
        text += _no_comparison(month)
    return text + "."


@_reading
def presence_reading(table: pd.DataFrame, region: str, month: str | pd.Period, hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE,
                     example: bool = False) -> str:
    """One sentence on :func:`presence_r12` at ``month`` (with ``example``: the method only)."""
    month, name = _start(table, region, month, None, "närvarotiden i årsarbetare, med och utan hyrpersonal," if example else None)
    own, total = _at(table, "utan_hyrpersonal", month), _at(table, "med_hyrpersonal", month)
    if np.isnan(own) and np.isnan(total):
        return _no_r12(name, "närvarotiden", month)
    if np.isnan(total):
        return f"Närvarotiden för egen personal i {name} motsvarade {fmt_arsarbetare(own)} under de tolv månaderna till och med {fmt_month(month)} ({fmt_number(hours_per_arsarbetare)} timmar per årsarbetare)."
    own_before = _at(table, "utan_hyrpersonal", month - 12)
    text = (
        f"Närvarotiden i {name} motsvarade {fmt_arsarbetare(total)} med hyrpersonal och "
        f"{fmt_arsarbetare(own)} utan under de tolv månaderna till och med {fmt_month(month)}"
    )
    if not np.isnan(own_before):
        diff = own - own_before
        if round(diff) == 0:
            text += "; den egna personalens närvarotid är oförändrad mot ett år tidigare"
        else:
            text += f"; den egna personalens närvarotid {'ökade' if diff > 0 else 'minskade'} med {fmt_arsarbetare(abs(diff))} på ett år"
    else:
        text += _no_comparison(month)
    return text + f" ({fmt_number(hours_per_arsarbetare)} timmar per årsarbetare)."


# ---------------------------------------------------------------------------------------
# What is real: the figures the documents state, and which monthly series are example data


SEED_CHANGE = "hyrpersonal_kostnad_forandring_ack"
SEED_CHANGE_PCT = "hyrpersonal_kostnad_forandring_ack_procent"
STATED_COST = "hyrpersonal_kostnad_ack"
#: Series holding rental-staff figures as a document or public page states them.
STATED_SERIES = (STATED_COST, SEED_CHANGE, SEED_CHANGE_PCT)
STATED_COLUMNS = ["Verksamhet", "Personalgrupp", "Period", "Kostnad", "Förändring mot samma period året före",
                  "kostnad_mnkr", "forandring_mnkr", "forandring_procent", "anmärkning", "källa"]
#: The numeric columns and the data's notes ("Sidan säger 'över 76,5'") of
#: :func:`stated_figures`: in the download, not in the reader's view.
STATED_HIDDEN = ("kostnad_mnkr", "forandring_mnkr", "forandring_procent", "anmärkning")

#: What each chart of the report draws from: the monthly series, and whether from the
#: region as a whole or its områden (for the example-data check of that chart).
CHART_INPUTS: dict[str, tuple[tuple[str, ...], str]] = {
    "hyrpersonal": ((RENTAL,), "region"),
    "omraden": ((RENTAL,), "omraden"),
    "skr": ((RENTAL, OWN_COST), "region"),
    "sjukfranvaro": ((SICK, SCHEDULED), "region"),
    "narvarotid": ((PRESENCE,), "region"),
}
CHART_WHAT = {
    "hyrpersonal": "hyrpersonal per personalgrupp",
    "omraden": "hyrpersonal per område",
    "skr": "SKR-måttet",
    "sjukfranvaro": "sjukfrånvaro",
    "narvarotid": "närvarotid",
}


def _source_number(value: float, sign: bool = False) -> str:
    """A stated number with the precision it was written with (``8`` stays ``8``, ``3,9`` stays ``3,9``)."""
    decimals = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1].rstrip("0"))
    return fmt_number(value, min(decimals, 2), sign=sign)


def _ack_period(period: pd.Period) -> str:
    """An accumulated month as its months: ``2023-05`` -> ``januari–maj 2023``; December -> ``helåret 2024``."""
    if period.freqstr.startswith("M"):
        return f"helåret {period.year}" if period.month == 12 else fmt_months(ytd_months(period)[0], period)
    return str(period)


def stated_figures(df: pd.DataFrame, region: str) -> pd.DataFrame:
    """The rental-staff figures the region's documents and public pages state (real rows
    only, never example data): one row per verksamhet, staff group and period.

    Columns: Verksamhet, Personalgrupp, Period, Kostnad and "Förändring mot samma period
    året före" (text with the source's precision: ``+8 mnkr (+9 %)``), the same numbers in
    ``kostnad_mnkr``, ``forandring_mnkr``, ``forandring_procent`` and the data's notes in
    ``anmärkning`` (for the download; see :data:`STATED_HIDDEN`) and ``källa`` (the
    sources, joined by `` | ``).
    """
    code = resolve_region(region)
    rows = select(df, region=code, series=list(STATED_SERIES), kind="utfall")
    rows = rows[~rows["example"].astype(bool)]
    if rows.empty:
        return pd.DataFrame(columns=STATED_COLUMNS)
    out = []
    for (org, cat, period), g in rows.groupby(["org", "category", "period"], sort=True):
        value = {s: float(g.loc[g["series"] == s, "value"].iloc[0]) for s in STATED_SERIES if (g["series"] == s).any()}
        cost = value.get(STATED_COST, np.nan)
        change, pct = value.get(SEED_CHANGE, np.nan), value.get(SEED_CHANGE_PCT, np.nan)
        change_text = " ".join(filter(None, [
            f"{_source_number(change, sign=True)} mnkr" if not np.isnan(change) else "",
            (f"({_source_number(pct, sign=True)} %)" if not np.isnan(change) else f"{_source_number(pct, sign=True)} %") if not np.isnan(pct) else "",
        ]))
        out.append({
            "Verksamhet": "Hela regionen" if org == REGION_ORG else org,
            "Personalgrupp": category_label(cat) if cat else "Alla personalgrupper",
            "Period": _ack_period(period),
            "Kostnad": f"{_source_number(cost)} mnkr" if not np.isnan(cost) else "–",
            "Förändring mot samma period året före": change_text or "–",
            "kostnad_mnkr": cost, "forandring_mnkr": change, "forandring_procent": pct,
            "anmärkning": " ".join(dict.fromkeys(n for n in g["note"].fillna("").astype(str) if n)),
            "källa": " | ".join(dict.fromkeys(g["source"].astype(str))),
            "_order": (period.end_time, org != REGION_ORG, cat),
        })
    frame = pd.DataFrame(out).sort_values("_order", key=lambda s: s.map(str)).drop(columns="_order")
    return frame.reset_index(drop=True)[STATED_COLUMNS]


def stated_hidden(table: pd.DataFrame) -> tuple[str, ...]:
    """Columns of :func:`stated_figures` left out of the reader's view: :data:`STATED_HIDDEN`
    and a text column no row has a figure in (Västerbotten states changes, no costs)."""
    empty = tuple(c for c in ("Kostnad", "Förändring mot samma period året före") if not table.empty and (table[c] == "–").all())
    return STATED_HIDDEN + empty


def stated_caption(region: str) -> str:
    """Caption of :func:`stated_figures`."""
    return f"Hyrpersonal i {region_name(region)}: verkliga uppgifter (utfall) ur regionens dokument och offentliga källor"


def stated_reading(table: pd.DataFrame, region: str) -> str:
    """One sentence on :func:`stated_figures`: the figures as the sources state them, or that there are none."""
    name = region_name(region)
    if table.empty:
        return f"Regionens dokument och de offentliga källorna i underlaget anger inga belopp för hyrpersonal i {name}."
    parts = []
    for r in table.itertuples(index=False):
        what = r.Personalgrupp.lower() if r.Personalgrupp != "Alla personalgrupper" else "all hyrpersonal"
        where = "" if r.Verksamhet == "Hela regionen" else f" inom {r.Verksamhet.lower()}"
        facts = []
        if r.Kostnad != "–":
            facts.append(f"kostade {r.Kostnad}")
        change = r[4]
        if change != "–":
            facts.append(f"förändrades med {change} mot samma period året före")
        parts.append(f"{what}{where} {r.Period} {' och '.join(facts)}")
    text = "; ".join(parts)
    return f"Verkliga uppgifter för {name}: {text}. Perioderna och personalgrupperna är de som källorna anger; de räknas inte om till varandra."


def chart_status(df: pd.DataFrame, region: str, chart: str) -> str:
    """Whether a chart of the report (a key of :data:`CHART_INPUTS`) draws from ``"exempel"``
    (example rows only), ``"verklig"`` (real rows only), ``"blandad"`` or ``"saknas"``."""
    series, level = CHART_INPUTS[chart]
    rows = select(df, region=resolve_region(region), series=list(series), freq="M", kind="utfall")
    rows = rows[rows["org"] == REGION_ORG] if level == "region" else rows[rows["org"] != REGION_ORG]
    if rows.empty:
        return "saknas"
    flags = set(rows["example"].astype(bool))
    return "blandad" if len(flags) == 2 else ("exempel" if flags == {True} else "verklig")


def chart_example(df: pd.DataFrame, region: str, chart: str) -> bool:
    """Whether a chart draws on any example row (then its reading gives no amounts)."""
    return chart_status(df, region, chart) in ("exempel", "blandad")


def example_text(df: pd.DataFrame, region: str) -> str:
    """What in the report's monthly charts is example data, computed from the data ("" when
    nothing is): with a region's own monthly exports the report makes no such claim."""
    name = region_name(region)
    status = {k: chart_status(df, region, k) for k in CHART_INPUTS}
    example = [CHART_WHAT[k] for k, v in status.items() if v in ("exempel", "blandad")]
    real_ = [CHART_WHAT[k] for k, v in status.items() if v == "verklig"]
    if not example:
        return ""
    confirm = ""
    if not stated_figures(df, region).empty:
        confirm = " De bekräftar inte och motsäger inte de verkliga uppgifterna ovan."
    if not real_:
        return (f"Diagrammen nedan bygger på exempeldata, inte på verkliga siffror för {name}. De visar hur hyrpersonal, "
                f"sjukfrånvaro och närvarotid kommer att följas månad för månad när regionens egna månadsuppgifter finns, "
                f"och texterna under dem anger därför inga belopp.{confirm}")
    return (f"Exempeldata, inte verkliga siffror för {name}: {_join(example)}; texterna under de diagrammen anger inga belopp. "
            f"Verkliga månadsuppgifter: {_join(real_)}.{confirm}")


def key_points(df: pd.DataFrame, region: str) -> list[str]:
    """"Det viktigaste" of the staffing report: the stated (real) figures, then what the
    monthly charts rest on; never an amount from example data."""
    name = region_name(region)
    stated = stated_figures(df, region)
    points = [stated_reading(stated, region)]
    status = {k: chart_status(df, region, k) for k in CHART_INPUTS}
    example = [CHART_WHAT[k] for k, v in status.items() if v in ("exempel", "blandad")]
    real_ = [CHART_WHAT[k] for k, v in status.items() if v == "verklig"]
    if real_:
        points.append(f"Månadsuppgifter från regionen finns för {_join(real_)}.")
    if example:
        points.append(f"Diagrammen över {_join(example)} bygger på exempeldata, inte på siffror för {name}: "
                      "de visar metoden och anger inga belopp.")
    missing = [CHART_WHAT[k] for k, v in status.items() if v == "saknas"]
    if missing:
        points.append(f"Underlaget saknar månadsuppgifter om {_join(missing)}.")
    return points


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def skr_text(target: float = SKR_TARGET_PCT) -> str:
    """The SKR measure in words, for the reader (the target value attributed to no one:
    the documents state none)."""
    return (
        "SKR-måttet är kostnaden för hyrpersonal delad med kostnaden för den egna personalen, i procent, "
        f"över rullande tolv månader. Den streckade linjen är målvärdet högst {fmt_pct(target, 0)}; "
        "regionens dokument i underlaget anger inte målvärdet."
    )


def seed_comparison(df: pd.DataFrame, region: str) -> pd.DataFrame:
    """A check for the appendix: the change the documents state beside the same change
    computed from the region's monthly data, only where that data is real.

    Example data never appears here: it would read as a confirmation of the documents.
    One row per stated staff group and month. Columns: Uppgift, "Enligt källan",
    "Beräknat ur månadsuppgifterna", Skillnad (mnkr), Förklaring, källa.
    """
    code = resolve_region(region)
    columns = ["Uppgift", "Enligt källan", "Beräknat ur månadsuppgifterna", "Skillnad", "Förklaring", "källa"]
    stated = select(df, region=code, series=SEED_CHANGE, kind="utfall", freq="M")
    stated = stated[~stated["example"].astype(bool)]
    monthly_rows = select(df, region=code, series=RENTAL, freq="M", kind="utfall")
    if stated.empty or monthly_rows.empty or monthly_rows["example"].astype(bool).any():
        return pd.DataFrame(columns=columns)
    ms = measures(df, code)
    rows = []
    for r in stated.sort_values(["period", "category"]).itertuples(index=False):
        m = ms.get(f"hyr_{r.category}" if r.category else "hyr_totalt")
        computed = m.over(ytd_months(r.period)) - m.over(ytd_months(r.period - 12)) if m else np.nan
        diff = computed - r.value
        rows.append({
            "Uppgift": f"Hyrpersonal, {category_label(r.category).lower() if r.category else 'totalt'}, "
                       f"{_ack_period(r.period)} mot samma period {r.period.year - 1}",
            "Enligt källan": r.value, "Beräknat ur månadsuppgifterna": computed, "Skillnad": diff,
            "Förklaring": "avrundning i källan" if abs(diff) < 0.5 else ("månader saknas" if np.isnan(diff) else "skiljer sig; kontrollera källan och exporten"),
            "källa": r.source,
        })
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------
# Comparison of regions (for the comparison report)

COMPARISON_UNITS = {
    "Hyrpersonal R12": "mnkr",
    "Hyrpersonal, förändring på ett år": "procent",
    "SKR-mått R12": "procent",
    "Sjukfrånvaro R12": "procent",
    "Närvarotid R12 utan hyrpersonal": "arsarbetare",
    "Närvarotid R12 med hyrpersonal": "arsarbetare",
}


def comparison_month(df: pd.DataFrame, regions: Iterable[str], year: int | None = None) -> pd.Period | None:
    """The latest month (up to December ``year``) that every region has complete staffing data for."""
    months = [report_month(df, r, year) for r in regions]
    months = [m for m in months if m is not None]
    return min(months) if months else None


def comparison_table(
    df: pd.DataFrame,
    regions: Iterable[str],
    month: str | pd.Period | None = None,
    *,
    hours_per_arsarbetare: float = HOURS_PER_ARSARBETARE,
) -> pd.DataFrame:
    """The regions side by side on the same R12 indicators at ``month``.

    One row per region: Region, Hyrpersonal R12 (mnkr) and its change against twelve
    months earlier (%), SKR-mått R12 (%), Sjukfrånvaro R12 (%), Närvarotid R12 without
    and with rental staff (årsarbetare, whole numbers), and Anmärkning naming what is missing. ``month``
    defaults to :func:`comparison_month`. Units for :func:`present.show_table`:
    :data:`COMPARISON_UNITS`.
    """
    codes = [resolve_region(r) for r in regions]
    month = to_month(month) if month is not None else comparison_month(df, codes)
    rows = []
    for code in codes:
        row: dict = {"Region": region_name(code)}
        notes = []
        if month is None:
            rows.append({**row, **{c: np.nan for c in COMPARISON_UNITS}, "Anmärkning": "inga månadsuppgifter om bemanning"})
            continue
        ms = measures(df, code, hours_per_arsarbetare=hours_per_arsarbetare)
        pairs = [
            ("Hyrpersonal R12", ms["hyr_totalt"]), ("SKR-mått R12", ms["skr"]), ("Sjukfrånvaro R12", ms["sjukfranvaro"]),
            ("Närvarotid R12 utan hyrpersonal", ms["narvarotid_utan_hyr"]), ("Närvarotid R12 med hyrpersonal", ms["narvarotid_med_hyr"]),
        ]
        for col, m in pairs:
            row[col] = m.r12_at(month)
            if np.isnan(row[col]):
                why = [g.reason for g in m.gaps(month) if g.start <= month <= g.end]
                notes.append(f"{col}: " + (why[0] if why else "saknas i underlaget"))
        row["Hyrpersonal, förändring på ett år"] = growth_pct(row["Hyrpersonal R12"], ms["hyr_totalt"].r12_at(month - 12))
        row["Anmärkning"] = " ".join(notes)
        rows.append(row)
    out = pd.DataFrame(rows, columns=["Region", *COMPARISON_UNITS, "Anmärkning"])
    # Årsarbetare in whole numbers: a decimal of an R12 average would be false precision.
    for col, unit in COMPARISON_UNITS.items():
        if unit == "arsarbetare":
            out[col] = out[col].round(0)
    out.attrs["month"] = month
    out.attrs["example"] = is_example(df, codes)
    return out


def comparison_caption(table: pd.DataFrame) -> str:
    """Caption for :func:`comparison_table`: which months it covers."""
    month = table.attrs.get("month")
    if month is None:
        return "Bemanning i jämförelse (inga jämförbara månadsuppgifter)"
    return f"Bemanning i jämförelse, rullande tolv månader till och med {fmt_month(month)}"


def comparison_reading(table: pd.DataFrame, month: str | pd.Period | None = None) -> str:
    """One sentence on :func:`comparison_table`: who is furthest from the SKR target and
    who has the highest sick leave; on example data no ranking and no level (issue 11)."""
    month = to_month(month) if month is not None else table.attrs.get("month")
    if table.empty or month is None:
        return "Underlaget innehåller inga jämförbara månadsuppgifter om bemanning."
    if table.attrs.get("example", False):
        return (f"Exempeldata: tabellen visar hur regionerna jämförs med R12 till och med {fmt_month(month)}. "
                "Siffrorna är genererade, så ingen region rangordnas.")
    skr = table.dropna(subset=["SKR-mått R12"])
    sick = table.dropna(subset=["Sjukfrånvaro R12"])
    parts = []
    if not skr.empty:
        top = skr.loc[skr["SKR-mått R12"].idxmax()]
        within = skr[skr["SKR-mått R12"] <= SKR_TARGET_PCT]["Region"].tolist()
        inside = f"; inom målet på {fmt_pct(SKR_TARGET_PCT, 0)}: {', '.join(within)}" if within else f"; ingen region är inom målet på {fmt_pct(SKR_TARGET_PCT, 0)}"
        parts.append(f"högst andel hyrpersonal har {top['Region']} med {fmt_pct(top['SKR-mått R12'])} av kostnaden för egen personal{inside}")
    if not sick.empty:
        top = sick.loc[sick["Sjukfrånvaro R12"].idxmax()]
        parts.append(f"högst sjukfrånvaro har {top['Region']} med {fmt_pct(top['Sjukfrånvaro R12'])}")
    if not parts:
        return f"Ingen av regionerna har kompletta tolv månader till och med {fmt_month(month)}."
    text = "; ".join(parts)
    return f"R12 till och med {fmt_month(month)}: {text[0].lower()}{text[1:]}."
