"""The fast paths of the analysis layer give what a straightforward mask per question gives.

``indicators.select`` and ``annual``, the key figures' lookups, ``requirements.decisions``,
``comparison.availability``/``results_history``/``only_example`` and
``keyfigures.data_through`` were rewritten to group the table once instead of masking the
whole table per region, measure, year or figure (issue 15). Each is compared here with a
plain reference on the shipped data and, marked slow, on the bench's 21-region set.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pandas as pd
import pytest

import regionanalys as ra
from regionanalys.analysis import comparison as C
from regionanalys.analysis.indicators import annual, select
from regionanalys.analysis.keyfigures import (
    RESULT_MEASURES, _figure, data_through, key_figures, real, stated_figures,
)
from regionanalys.analysis.requirements import _link_key, _observations
from regionanalys.data.documents import load_decisions
from regionanalys.data.regions import resolve_region

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- references


def ref_select(df, *, region=None, freq=None, **filters):
    mask = pd.Series(True, index=df.index)
    if region is not None:
        mask &= df["region"].isin([resolve_region(r) for r in ([region] if isinstance(region, str) else region)])
    for col, wanted in filters.items():
        if wanted is not None:
            mask &= df[col].isin([wanted] if isinstance(wanted, (str, int)) else list(wanted))
    if freq is not None:
        mask &= df["freq"] == freq
    return df[mask]


def ref_annual(df, series, region, *, org="region", kind="utfall", category=""):
    rows = ref_select(df, region=region, series=series, org=org, kind=kind, category=category, freq="Y")
    if rows["year"].duplicated().any():
        raise ValueError("flera värden per år")
    return rows.set_index("year")["value"].sort_index().rename(series)


def check_annual(df: pd.DataFrame) -> None:
    """Every annual series of the table, in table order, reversed and shuffled; and a
    series with two values for one year. pandas 3 makes a RangeIndex of evenly spaced
    years in the reference, annual an Index of the same years: "equiv" (equal values,
    equal lookups)."""
    keys = sorted(set(zip(df["series"], df["region"], df["org"], df["kind"], df["category"])))
    nullable = df.astype({"year": "Int64", "value": "Float64"})  # a frame not from load(): its dtypes are kept
    for frame in (df, df.iloc[::-1], df.sample(frac=1, random_state=15), nullable):
        for series, region, org, kind, category in keys + [("finns_inte", "17", "region", "utfall", "")]:
            got = annual(frame, series, region, org=org, kind=kind, category=category)
            pd.testing.assert_series_equal(got, ref_annual(frame, series, region, org=org, kind=kind, category=category),
                                           check_index_type="equiv", check_exact=True)
            assert got.index.is_monotonic_increasing and got.index.name == "year"
    row = df[(df["freq"] == "Y") & (df["org"] == "region") & (df["category"] == "") & (df["kind"] == "utfall")].iloc[[0]]
    with pytest.raises(ValueError, match="flera värden per år"):
        annual(pd.concat([df, row]), row["series"].iloc[0], row["region"].iloc[0])


def ref_availability(df, regions, years):
    data = C._not_kolada(df[df["region"].isin(regions) & df["year"].isin(years)])
    ex = data["example"].astype(bool)
    records = []
    for code in regions:
        for m in C.MEASURES:
            part = data[(data["region"] == code) & data["series"].isin(m.series)]
            for y in years:
                in_year = part["year"] == y
                real_rows = part[in_year & ~ex.loc[part.index]]
                records.append({"region": code, "measure": m.key, "year": int(y),
                                "status": C._status(set(real_rows["kind"]), bool((in_year & ex.loc[part.index]).any())),
                                "n_real": int(len(real_rows))})
    return pd.DataFrame.from_records(records, columns=["region", "measure", "year", "status", "n_real"])


def ref_chosen_results(df, regions, years):
    """(region, year) -> (series, kind, value, source) the results history should choose."""
    data = real(df)
    data = data[data["region"].isin(regions) & (data["org"] == "region") & (data["category"] == "")
                & (data["freq"] == "Y") & data["series"].isin(RESULT_MEASURES) & data["year"].isin(years)]
    out = {}
    for code in regions:
        mine = data[data["region"] == code]
        counts = mine[mine["kind"] == "utfall"].groupby("series")["year"].nunique()
        order = sorted(RESULT_MEASURES, key=lambda s: (-int(counts.get(s, 0)), RESULT_MEASURES.index(s)))
        for y in years:
            for kind in ("utfall", "prognos"):
                hits = [mine[(mine["year"] == y) & (mine["series"] == s) & (mine["kind"] == kind)] for s in order]
                hit = next((h.iloc[0] for h in hits if not h.empty), None)
                if hit is not None:
                    out[(code, y)] = (hit["series"], hit["kind"], float(hit["value"]), hit["source"])
                    break
    return out


def ref_data_through(df, region=None):
    rows = df if region is None else df[df["region"] == resolve_region(region)]
    rows = rows[rows["kind"].isin(["utfall", "prognos"])]
    folder = rows["source_file"].astype(str).str.split("/").str[0]
    out = {}
    for key, name in (("seeds", "dokumenten"), ("public", "offentliga källor"), ("kolada", "Kolada"),
                      ("imports", "egna exporter"), ("example", "exempeldata")):
        part = rows[folder == key]
        if not part.empty:
            out[name] = str(max(part["period"], key=lambda p: (p.end_time, p.freqstr)))
    return out


# --------------------------------------------------------------------------- the checks


def _random_filters(df, n, seed=15):
    rng = random.Random(seed)
    values = {c: sorted(set(df[c])) for c in ("org", "series", "kind", "category", "year")}
    values["region"] = sorted(set(df["region"])) + ["Värmland"]
    calls = [{}, {"freq": "M"}, {"series": []}, {"region": "17", "org": "region", "series": "arets_resultat",
                                                  "kind": "utfall", "category": "", "freq": "Y", "year": 2023}]
    for _ in range(n):
        call = {c: (rng.choice(v) if rng.random() < 0.6 else rng.sample(v, min(3, len(v))))
                for c, v in values.items() if rng.random() < 0.5}
        if rng.random() < 0.4:
            call["freq"] = rng.choice(["Y", "M"])
        calls.append(call)
    return calls


def check_all(df: pd.DataFrame, regions: list[str], year: int = 2023) -> None:
    for frame in (df, df.iloc[::3], df.reset_index(drop=True)):
        for call in _random_filters(df, 60):
            pd.testing.assert_frame_equal(select(frame, **call), ref_select(frame, **call))
    check_annual(df)

    years = list(range(year - 4, year + 2))
    avail = C.availability(df, regions, years)
    pd.testing.assert_frame_equal(avail, ref_availability(df, regions, years))
    for measures in [[m.key] for m in C.MEASURES] + [["sjukfranvaro", "narvarotid"]]:
        part = avail[avail["measure"].isin(measures)]
        expected = [code for code, rows in part.groupby("region", sort=False)
                    if (rows["status"] == "exempel").any() and rows["status"].isin(["exempel", "saknas"]).all()]
        assert C.only_example(avail, measures) == expected

    history_years = list(range(year - 7, year + 2))
    history = C.results_history(df, regions, history_years)
    chosen = {(r["region"], r["year"]): (r["series"], r["kind"], r["value"], r["source"]) for _, r in history.iterrows()}
    assert chosen == ref_chosen_results(df, regions, history_years)

    assert data_through(df) == ref_data_through(df)
    data = real(df)
    meta = load_decisions()
    found = _observations(data, meta)
    for code in regions:
        assert data_through(df, code) == ref_data_through(df, code)
        stated = stated_figures(data, code)
        rows = ref_select(data, region=code, org="region", category="", freq="Y")
        for series, kind, y in set(zip(rows["series"], rows["kind"], rows["year"])):
            first = ref_select(rows, series=series, kind=kind, year=y).iloc[0]
            fig = _figure(stated, series, y, kind)
            assert (fig.value, fig.unit, fig.source, fig.note) == (
                float(first["value"]), first["unit"], first["source"], first.get("note", "") or "")
        assert key_figures(df, code, year) == key_figures.uncached(df, code, year)
    for _, link in meta.iterrows():
        hit = data[(data["region"] == link["region"]) & (data["org"] == link["org"]) & (data["series"] == link["series"])
                   & (data["category"] == link["category"]) & (data["kind"] == link["kind"])
                   & (data["period"].astype(str) == str(link["period"]))]
        pos = found.get(_link_key(link))
        assert (pos is None) == hit.empty
        if pos is not None:
            assert data.index[pos] == hit.index[0]


def test_fast_paths_match_the_references_on_the_shipped_data(all_df):
    check_all(all_df, ["17", "18", "24"])


@pytest.mark.slow
def test_fast_paths_match_the_references_on_the_21_region_set(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import run_bench
    from regionanalys.data.regions import all_regions

    regions = [r.code for r in all_regions()]
    built = run_bench.prepare_set("21", regions, tmp_path, run_bench.snapshot(tmp_path))
    df = ra.load(Path(built["root"]) / "data", regions=regions)
    check_all(df[df["region"].isin(regions)], regions)
