"""Generated example data for the staffing report: monthly series for regions 17, 18, 24.

The documents the project was started from give almost no monthly staffing figures (the
slides in 004 were charts whose numbers did not survive), so the staffing report runs on
*example data* until a region imports its own exports (:mod:`regionanalys.data.importing`).
Every row is marked ``example=true`` and its ``source`` names this module and the seed;
reports show the "Exempeldata" banner and stamp on every chart built on them.

What is generated, per region, for every month from January 2020 to December 2024:

* ``hyrpersonal_kostnad`` (tkr in the file, mnkr after loading) for org ``region`` by
  staff group (läkare, sjuksköterskor/barnmorskor, övriga), and per område (category
  ``''`` = all groups) for four example områden whose sum equals the region's total;
* ``egen_personalkostnad`` (tkr) for org ``region``;
* ``sjukfranvaro_timmar`` and ``ordinarie_arbetstid_timmar`` for org ``region``;
* ``narvarotid_timmar`` for org ``region``, categories ``egen_personal`` and ``hyrpersonal``.

End month: December 2024 (:data:`END`), chosen as the last complete month covered by the
decisions in the source documents (Region Värmland's plan and Västerbotten's budget for
2024, Örebro's handlingsplan from 2024); it is fixed, not "last month", so that
regeneration is byte-identical whenever it runs.

Calibration: Region Västerbotten's rental-staff cost January–May 2023 against January–May
2022 is, according to 004_7558975c560e3342.txt (rows 14–22), +8 mnkr (+9 %) for läkare
and +3,9 mnkr (+14 %) for sjuksköterskor/barnmorskor. The generator scales those ten
months so that the sums are exactly 88 900 → 96 900 tkr (läkare) and 27 860 → 31 760 tkr
(sjuksköterskor/barnmorskor), which reproduces the stated figures to their rounding.
Everything else is plausible, not real: sizes follow the regions' scale (own staff cost
about 7 000 mnkr a year), sick leave 5–8 % with the pandemic peaks of spring 2020 and
January 2022, vacation in July, and rental-staff hours derived from the cost at an
hourly price per staff group.

One deliberate gap: Region Örebro län's ``sjukfranvaro_timmar`` lacks July 2022 (as if
the month were missing from the export), so the report shows how a gap removes R12 for
twelve months instead of shortening the window.

Regenerate with ``python -m regionanalys.data.example_data`` (writes ``data/example/``);
``--check`` compares with the files on disk without writing. The numbers depend on
NumPy's ``default_rng`` stream for :data:`SEED`; a NumPy release that changed that stream
would change the files, and the regeneration test would say so.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from regionanalys import config
from regionanalys.data.importing import atomic_write_text, observation_csv

SEED = 20230531
START = pd.Period("2020-01", freq="M")
END = pd.Period("2024-12", freq="M")
REGIONS = ("17", "18", "24")
EXAMPLE_DIR = "example"
MODULE = "regionanalys.data.example_data"
SOURCE = f"Exempeldata, genererade av {MODULE} (numpy default_rng, seed {SEED}), inte verkliga siffror"

GROUPS = ("lakare", "sjukskoterskor_barnmorskor", "ovriga")
AREAS = ("Område norr", "Område mitt", "Område syd", "Länsgemensamma verksamheter")

#: Västerbotten, rental staff Jan–May (tkr): the exact sums the calibration produces.
CALIBRATION = {
    ("24", "lakare", 2022): 88_900, ("24", "lakare", 2023): 96_900,
    ("24", "sjukskoterskor_barnmorskor", 2022): 27_860, ("24", "sjukskoterskor_barnmorskor", 2023): 31_760,
}
CALIBRATION_NOTE = (
    "Kalibrerad: jan–maj 2023 mot jan–maj 2022 ger förändringen i 004_7558975c560e3342.txt, "
    "bild 'Region Västerbotten - Kostnader hyrpersonal – 2023', rad 14–22"
)
#: Months left out on purpose (region, series, month).
GAPS = {("18", "sjukfranvaro_timmar", pd.Period("2022-07", freq="M"))}

#: Per region: own staff cost 2022 (mnkr/year), employees, rental cost 2022 (mnkr/year)
#: by group, sick-leave base (%), and område shares of the rental cost.
PROFILES = {
    "17": {"own": 6_800, "employees": 9_800, "rental": {"lakare": 290, "sjukskoterskor_barnmorskor": 85, "ovriga": 24}, "sick": 6.8, "areas": (0.36, 0.30, 0.22, 0.12)},
    "18": {"own": 7_700, "employees": 11_000, "rental": {"lakare": 150, "sjukskoterskor_barnmorskor": 48, "ovriga": 18}, "sick": 6.1, "areas": (0.30, 0.33, 0.25, 0.12)},
    "24": {"own": 7_000, "employees": 10_400, "rental": {"lakare": 213, "sjukskoterskor_barnmorskor": 70, "ovriga": 21}, "sick": 6.4, "areas": (0.41, 0.24, 0.23, 0.12)},
}
#: Rental cost level by year relative to 2022, per group (all regions; 24 is then calibrated).
RENTAL_TREND = {
    "lakare": {2020: 0.86, 2021: 0.93, 2022: 1.0, 2023: 1.09, 2024: 0.98},
    "sjukskoterskor_barnmorskor": {2020: 0.72, 2021: 0.85, 2022: 1.0, 2023: 1.14, 2024: 0.96},
    "ovriga": {2020: 0.95, 2021: 0.97, 2022: 1.0, 2023: 1.03, 2024: 0.94},
}
#: Rental cost seasonality by month (mean 1): nurses are hired for the summer.
RENTAL_SEASON = {
    "lakare": (0.97, 0.98, 1.03, 0.99, 1.01, 1.08, 1.12, 1.06, 0.96, 0.97, 0.95, 0.88),
    "sjukskoterskor_barnmorskor": (0.88, 0.88, 0.92, 0.92, 0.96, 1.22, 1.45, 1.22, 0.90, 0.87, 0.87, 0.91),
    "ovriga": (1.0, 1.0, 1.02, 1.0, 1.0, 1.04, 1.06, 1.03, 0.98, 0.98, 0.96, 0.93),
}
#: Hourly price of rental staff in 2022 (kr/h), rising 3 % a year.
RENTAL_PRICE = {"lakare": 1_400, "sjukskoterskor_barnmorskor": 760, "ovriga": 560}
OWN_TREND = {2020: 0.90, 2021: 0.94, 2022: 1.0, 2023: 1.055, 2024: 1.09}
OWN_SEASON = (0.97, 0.96, 1.0, 0.99, 1.0, 1.06, 1.03, 1.0, 0.99, 1.0, 1.0, 1.0)
HEADCOUNT_TREND = {2020: 0.97, 2021: 0.985, 2022: 1.0, 2023: 1.01, 2024: 0.99}
#: Share of scheduled hours on vacation, by month.
VACATION = (0.02, 0.04, 0.03, 0.05, 0.03, 0.12, 0.40, 0.17, 0.02, 0.02, 0.02, 0.06)
SICK_SEASON = (1.0, 0.9, 0.5, 0.2, 0.0, -0.6, -1.4, -0.8, 0.0, 0.3, 0.6, 0.8)
#: Pandemic additions to the sick-leave rate (percentage points).
SICK_PEAKS = {"2020-03": 3.0, "2020-04": 3.6, "2020-05": 1.8, "2020-11": 1.2, "2020-12": 1.8, "2021-01": 1.0, "2022-01": 3.8, "2022-02": 2.0, "2022-03": 0.8}
OTHER_ABSENCE = 0.06  #: other absence (training, leave) as a share of scheduled hours


def _months() -> pd.PeriodIndex:
    return pd.period_range(START, END, freq="M")


def _workdays(month: pd.Period) -> int:
    first = month.start_time.date()
    nxt = (month + 1).start_time.date()
    return int(np.busday_count(first, nxt))


def _integers(values: np.ndarray, total: int | None = None) -> np.ndarray:
    """Round to integers, keeping the sum (``total`` or the rounded sum) by largest remainder."""
    target = int(round(values.sum())) if total is None else int(total)
    floor = np.floor(values).astype(np.int64)
    short = target - int(floor.sum())
    order = np.argsort(-(values - floor), kind="stable")
    out = floor.copy()
    if short > 0:
        out[order[:short]] += 1
    elif short < 0:
        out[order[: -short]] -= 1
    return out


def _row(region, org, series, category, month, value, unit, note="") -> dict:
    return {
        "region": region, "org": org, "series": series, "category": category, "period": month, "kind": "utfall",
        "value": float(value), "unit": unit, "source": SOURCE, "note": note, "example": True,
    }


def generate_region(region: str, rng: np.random.Generator) -> pd.DataFrame:
    """The example rows of one region (contract columns, money in tkr, hours in timmar)."""
    prof = PROFILES[region]
    months = _months()
    n = len(months)
    years = np.array([m.year for m in months])
    mi = np.array([m.month - 1 for m in months])
    rows: list[dict] = []

    # Rental staff cost by group (tkr), with calibration to the document where it applies.
    rental = {}
    for g in GROUPS:
        level = np.array([RENTAL_TREND[g][y] for y in years]) * np.array(RENTAL_SEASON[g])[mi]
        values = prof["rental"][g] * 1000 / 12 * level * rng.lognormal(0.0, 0.06, n)
        ints = _integers(values)
        for (reg, grp, year), total in CALIBRATION.items():
            if reg == region and grp == g:
                sel = (years == year) & (mi < 5)
                part = values[sel] * total / values[sel].sum()
                ints[sel] = _integers(part, total)
        rental[g] = ints
    total = sum(rental.values())

    # The same total split over områden (shares drift a little; sums are exact).
    shares = np.array(prof["areas"])
    drift = rng.normal(0.0, 0.04, (len(AREAS),))
    area_values = np.empty((n, len(AREAS)))
    for t in range(n):
        w = shares * (1 + drift * (t / n)) * rng.lognormal(0.0, 0.08, len(AREAS))
        area_values[t] = w / w.sum() * total[t]
    area_ints = np.vstack([_integers(area_values[t], int(total[t])) for t in range(n)])

    # Own staff cost (tkr).
    own = prof["own"] * 1000 / 12 * np.array([OWN_TREND[y] for y in years]) * np.array(OWN_SEASON)[mi] * rng.normal(1.0, 0.012, n)
    own = np.round(own)

    # Hours: scheduled, sick, närvarotid.
    heads = prof["employees"] * np.array([HEADCOUNT_TREND[y] for y in years]) * rng.normal(1.0, 0.004, n)
    scheduled = np.round(heads * 0.92 * 8 * np.array([_workdays(m) for m in months]))
    sick_pct = prof["sick"] + np.array(SICK_SEASON)[mi] + np.array([SICK_PEAKS.get(str(m), 0.0) for m in months]) + rng.normal(0.0, 0.25, n)
    sick = np.round(scheduled * sick_pct / 100)
    presence_own = np.round(scheduled * (1 - sick_pct / 100 - np.array(VACATION)[mi] - OTHER_ABSENCE) * rng.normal(1.0, 0.006, n))
    price_index = 1.03 ** (years - 2022)
    presence_rental = np.round(sum(rental[g] * 1000 / (RENTAL_PRICE[g] * price_index) for g in GROUPS) * rng.normal(1.0, 0.03, n))

    for t, m in enumerate(months):
        for g in GROUPS:
            calibrated = (region, g, m.year) in CALIBRATION and m.month <= 5
            rows.append(_row(region, "region", "hyrpersonal_kostnad", g, m, rental[g][t], "tkr", CALIBRATION_NOTE if calibrated else ""))
        for a, area in enumerate(AREAS):
            rows.append(_row(region, area, "hyrpersonal_kostnad", "", m, area_ints[t, a], "tkr"))
        rows.append(_row(region, "region", "egen_personalkostnad", "", m, own[t], "tkr"))
        rows.append(_row(region, "region", "ordinarie_arbetstid_timmar", "", m, scheduled[t], "timmar"))
        if (region, "sjukfranvaro_timmar", m) not in GAPS:
            rows.append(_row(region, "region", "sjukfranvaro_timmar", "", m, sick[t], "timmar"))
        rows.append(_row(region, "region", "narvarotid_timmar", "egen_personal", m, presence_own[t], "timmar"))
        rows.append(_row(region, "region", "narvarotid_timmar", "hyrpersonal", m, presence_rental[t], "timmar"))
    frame = pd.DataFrame(rows)
    frame["_sort"] = frame["period"].astype(str)
    frame = frame.sort_values(["series", "org", "category", "_sort"], kind="stable").drop(columns="_sort")
    return frame.reset_index(drop=True)


def generate(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Example rows per region (one generator, regions in a fixed order)."""
    rng = np.random.default_rng(seed)
    return {region: generate_region(region, rng) for region in REGIONS}


def file_name(region: str) -> str:
    return f"{region}_exempel_bemanning.csv"


def render() -> dict[str, str]:
    """The text of every example file, by file name."""
    return {file_name(r): observation_csv(frame) for r, frame in generate().items()}


def write(data_dir: str | Path | None = None) -> list[Path]:
    """Write ``data/example/NN_exempel_bemanning.csv`` (atomically); returns the paths."""
    out = config.data_dir(data_dir) / EXAMPLE_DIR
    return [atomic_write_text(out / name, text) for name, text in render().items()]


def check(data_dir: str | Path | None = None) -> list[str]:
    """Names of the example files that differ from a fresh regeneration (empty = identical)."""
    out = config.data_dir(data_dir) / EXAMPLE_DIR
    differ = []
    for name, text in render().items():
        path = out / name
        if not path.exists() or path.read_bytes() != text.encode("utf-8"):
            differ.append(name)
    return differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description="Generera exempeldata för bemanningsrapporten (data/example/).")
    parser.add_argument("--data-dir", default=None, help="datakatalogen (standard: projektets data/)")
    parser.add_argument("--check", action="store_true", help="jämför med filerna på disk utan att skriva")
    args = parser.parse_args(argv)
    if args.check:
        differ = check(args.data_dir)
        if differ:
            print("skiljer sig från en ny generering: " + ", ".join(differ), file=sys.stderr)
            return 1
        print("exempeldata är identiska med en ny generering")
        return 0
    paths = write(args.data_dir)
    for p in paths:
        print(f"skrev {p} ({sum(1 for _ in p.open(encoding='utf-8')) - 1} rader)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
