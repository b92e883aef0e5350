"""Kolada figures for the comparison report: region × year tables, rankings, cross-checks.

All functions take the table :func:`regionanalys.data.loading.load` returns. They do not
need httpx or the network; when no Kolada cache exists they return empty tables (use
:func:`regionanalys.kolada.client.has_cache` to say so in a report).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from regionanalys.kolada.client import KOLADA_CATEGORY, KOLADA_SERIES, NOT_IN_KOLADA
from regionanalys.data.regions import REGIONS, RIKET, region_name

#: Columns of :func:`cross_check`. ``seed_kind``: "seed" (data/seeds, the regions'
#: documents) or "offentlig" (data/public, public pages and SCB).
CROSS_CHECK_COLUMNS = [
    "region", "year", "measure", "unit", "seed", "kolada", "difference", "relative_pct",
    "seed_source", "kolada_source", "comment", "seed_kind",
]


def is_kolada(df: pd.DataFrame) -> pd.Series:
    """Mask of the rows that come from the Kolada cache (N01951 is befolkning/kolada)."""
    series = df["series"]
    return series.isin(KOLADA_SERIES) & ((series != "befolkning") | (df["category"] == KOLADA_CATEGORY))


def kolada_series(df: pd.DataFrame) -> list[str]:
    """The Kolada series present in ``df``, in registry order."""
    present = set(df.loc[is_kolada(df), "series"])
    return [s for s in KOLADA_SERIES if s in present]


def _annual(df: pd.DataFrame) -> pd.DataFrame:
    if "freq" in df.columns:
        df = df[df["freq"] == "Y"]
    if "year" not in df.columns:
        df = df.assign(year=df["period"].map(lambda p: p.year))
    return df


def kolada_frame(df: pd.DataFrame, series: str, *, kind: str = "utfall") -> pd.DataFrame:
    """Region × year table of one Kolada series, riket last, for ranking charts.

    Index: county codes (named ``region``); columns: years; values in the series' unit.
    Regions or years without a value are NaN. Empty when the series is not cached.
    """
    rows = _annual(df[is_kolada(df) & (df["series"] == series) & (df["kind"] == kind) & (df["org"] == "region")])
    if rows.empty:
        return pd.DataFrame(index=pd.Index([], name="region"))
    table = rows.pivot_table(index="region", columns="year", values="value", aggfunc="first")
    order = [c for c in REGIONS if c != RIKET and c in table.index] + ([RIKET] if RIKET in table.index else [])
    table = table.loc[order]
    table.columns = [int(c) for c in table.columns]
    table.columns.name = "year"
    return table


def kolada_ranking(df: pd.DataFrame, series: str, year: int, *, ascending: bool = False) -> pd.DataFrame:
    """The 21 regions ranked on one Kolada series in one year, with riket for reference.

    Columns: region, name, value, rank (1 = highest value, or lowest with
    ``ascending=True``), riket, diff_riket (value − riket). Regions without a value are
    left out.
    """
    table = kolada_frame(df, series)
    columns = ["region", "name", "value", "rank", "riket", "diff_riket"]
    if table.empty or year not in table.columns:
        return pd.DataFrame(columns=columns)
    col = table[year]
    riket = col.get(RIKET, float("nan"))
    regions = col.drop(RIKET, errors="ignore").dropna()
    out = pd.DataFrame({"region": regions.index, "value": regions.to_numpy()})
    out["name"] = out["region"].map(region_name)
    out["rank"] = out["value"].rank(ascending=ascending, method="min").astype(int)
    out["riket"] = riket
    out["diff_riket"] = out["value"] - riket
    return out.sort_values(["rank", "region"]).reset_index(drop=True)[columns]


# --------------------------------------------------------------------------- cross-check


def _seed_values(df: pd.DataFrame) -> dict[tuple[str, str, int], tuple[float, str, str]]:
    """(series, region, year) -> (value, source, kind) for the non-Kolada annual outcomes.

    kind: "offentlig" for rows from data/public/, else "seed".
    """
    rows = _annual(df[~is_kolada(df) & (df["kind"] == "utfall") & (df["org"] == "region") & (df["category"] == "")])
    files = rows["source_file"] if "source_file" in rows.columns else pd.Series("", index=rows.index)
    kinds = files.astype(str).str.startswith("public/").map({True: "offentlig", False: "seed"})
    return {
        (r.series, r.region, int(r.year)): (float(r.value), str(r.source), kind)
        for r, kind in zip(rows.itertuples(index=False), kinds)
    }


def _kolada_values(df: pd.DataFrame) -> dict[tuple[str, str, int], tuple[float, str]]:
    rows = _annual(df[is_kolada(df) & (df["kind"] == "utfall")])
    return {(r.series, r.region, int(r.year)): (float(r.value), str(r.source)) for r in rows.itertuples(index=False)}


def _ratio(a: str, b: str, factor: float):
    def compute(seed: dict, region: str, year: int):
        x, y = seed.get((a, region, year)), seed.get((b, region, year))
        if x is None or y is None or y[0] == 0:
            return None
        kind = "offentlig" if "offentlig" in (x[2], y[2]) else "seed"
        return x[0] / y[0] * factor, f"{x[1]} / {y[1]}", kind
    return compute


def _same(a: str):
    def compute(seed: dict, region: str, year: int):
        return seed.get((a, region, year))
    return compute


# (measure, unit, seed computation, Kolada series, comment)
_CHECKS = [
    ("Verksamhetens nettokostnader per invånare (N63012)", "kr/inv", _ratio("nettokostnader", "befolkning", 1e6),
     "kolada_verksamhetens_nettokostnader_per_inv",
     "Egen beräkning: källans nettokostnader (mnkr) / folkmängd 31/12 (SCB). Kolada kan räkna per invånare på en annan befolkningsuppgift."),
    ("Nettokostnad totalt per invånare (N60008)", "kr/inv", _ratio("nettokostnader", "befolkning", 1e6),
     "kolada_nettokostnad_totalt_per_inv",
     "Egen beräkning som ovan; N60008 kan avgränsa nettokostnaden annorlunda än verksamhetens nettokostnader."),
    ("Verksamhetens nettokostnader", "mnkr", _same("nettokostnader"), "kolada_verksamhetens_nettokostnader_mnkr",
     "Koladas belopp är härlett (kr/inv × invånare), inte hämtat ur räkenskaperna."),
    ("Skatteintäkter och generella statsbidrag", "mnkr", _same("skatt_statsbidrag"), "kolada_skatt_statsbidrag_mnkr",
     "Koladas belopp är härlett ((N63010 + N63011) × invånare)."),
    ("Nettokostnad i procent av skatt och statsbidrag (N63009)", "%", _ratio("nettokostnader", "skatt_statsbidrag", 100),
     "kolada_nettokostnad_andel_skatt_statsbidrag", "Egen beräkning: nettokostnader / skatt och statsbidrag."),
    ("Verksamhetens resultat i procent av skatt och statsbidrag mot N63016", "%",
     _ratio("verksamhetens_resultat", "skatt_statsbidrag", 100), "kolada_arets_resultat_andel_skatt_statsbidrag",
     "Olika definitioner: källans verksamhetens resultat är före finansiella poster, N63016 bygger på årets resultat. "
     "Skillnaden speglar främst finansnettot."),
    ("Verksamhetens resultat i procent av skatt och statsbidrag (N63142)", "%",
     _ratio("verksamhetens_resultat", "skatt_statsbidrag", 100), "kolada_verksamhetens_resultat_andel_skatt_statsbidrag",
     "Samma definition (före finansiella poster). N63142 bygger på regionens egna uppgifter via SKR; för Stockholm, "
     "Västra Götaland och Skåne avser den regionkoncernen."),
    ("Årets resultat i procent av skatt och statsbidrag (N63016)", "%", _ratio("arets_resultat", "skatt_statsbidrag", 100),
     "kolada_arets_resultat_andel_skatt_statsbidrag", "Egen beräkning: årets resultat / skatt och statsbidrag."),
    ("Årets resultat", "mnkr", _same("arets_resultat"), "kolada_arets_resultat_mnkr",
     "Koladas belopp är härlett (N63019 × N01951 / 1 000 000)."),
    ("Balanserat resultat i dokumentet mot årets resultat i Kolada", "mnkr", _same("balanserat_resultat"),
     "kolada_arets_resultat_mnkr",
     "Dokumentet kallar beloppet balanserat resultat (verksamhetens resultat minus finansiella kostnader); "
     "det motsvarar årets resultat när inga andra poster finns. Koladas belopp är härlett (N63019 × N01951 / 1 000 000)."),
    ("Balanskravsresultat", "mnkr", _same("balanskravsresultat"), "kolada_balanskravsresultat_mnkr",
     "Koladas belopp är härlett (N63132 × N01951 / 1 000 000)."),
    ("Nettokostnadsutveckling (N63148)", "%", _same("nettokostnadsutveckling"), "kolada_nettokostnadsutveckling",
     "N63148 är utvecklingen per invånare (invånare 1 november); källans tal gäller oftast beloppet, så "
     "skillnaden är ungefär befolkningsökningen. Källorna avrundar ofta."),
    ("Sjukfrånvaro (N60030)", "%", _same("sjukfranvaro_procent"), "kolada_sjukfranvaro",
     "N60030 är den obligatoriska sjukfrånvaroredovisningen i årsredovisningen, via SKR."),
    ("Folkmängd 31 december (N01951)", "personer", _same("befolkning"), "befolkning", "SCB direkt mot SCB via Kolada."),
]


def cross_check(df: pd.DataFrame) -> pd.DataFrame:
    """Seed figures next to the Kolada figures that describe the same thing.

    One row per (region, year, measure) where both exist: ``seed`` (from the regions'
    documents, possibly computed, e.g. −478 / 11 298 × 100 = −4,2 % for Värmland 2023),
    ``kolada``, ``difference`` (kolada − seed, in the measure's unit; percentage points
    for percentages), ``relative_pct`` (difference in % of |seed|, not for percentages),
    both sources and a comment on how the definitions differ. Empty without Kolada data.
    """
    seed = _seed_values(df)
    kolada = _kolada_values(df)
    records = []
    for measure, unit, compute, kseries, comment in _CHECKS:
        for (series, region, year), (kvalue, ksource) in kolada.items():
            if series != kseries:
                continue
            got = compute(seed, region, year)
            if got is None:
                continue
            svalue, ssource, kind = got
            diff = kvalue - svalue
            records.append({
                "region": region, "year": year, "measure": measure, "unit": unit, "seed": svalue, "kolada": kvalue,
                "difference": diff,
                "relative_pct": float("nan") if unit == "%" or svalue == 0 else diff / abs(svalue) * 100,
                "seed_source": ssource, "kolada_source": ksource, "comment": comment, "seed_kind": kind,
            })
    out = pd.DataFrame.from_records(records, columns=CROSS_CHECK_COLUMNS)
    if out.empty:
        return out
    order = {m[0]: i for i, m in enumerate(_CHECKS)}
    out["_o"] = out["measure"].map(order)
    return out.sort_values(["region", "_o", "year"]).drop(columns="_o").reset_index(drop=True)


# --------------------------------------------------------------------------- comparison report

#: The Kolada series the comparison report ranks all regions on, with the direction that
#: reads as "better" (None where neither is better, e.g. net cost per invånare).
COMPARISON_SERIES: dict[str, str | None] = {
    "kolada_nettokostnad_totalt_per_inv": None,
    "kolada_arets_resultat_andel_skatt_statsbidrag": "higher",
    "kolada_nettokostnadsutveckling": "lower",
    "kolada_sjukfranvaro": "lower",
}


@dataclass(frozen=True)
class Measure:
    """One measure of the standard comparison: a Kolada series or a growth rate of one."""

    key: str
    label: str  #: Swedish, for chart titles
    unit: str  #: registry unit id
    series: str  #: the Kolada series it is read from
    growth: bool = False  #: year-on-year change of ``series`` in %, not its level
    better: str | None = None  #: "higher", "lower" or None


#: The standard comparison (issue 13): result as share of tax and grants, net cost growth
#: against revenue growth (both from Kolada's 31/12 amounts, so like for like),
#: balanskravsresultat, sick leave. No benchmark line: the report cites one or none.
STANDARD_MEASURES: tuple[Measure, ...] = (
    Measure("resultat_andel", "Årets resultat i procent av skatt och statsbidrag", "procent",
            "kolada_arets_resultat_andel_skatt_statsbidrag", better="higher"),
    Measure("nettokostnad_utveckling", "Nettokostnadernas utveckling", "procent",
            "kolada_verksamhetens_nettokostnader_mnkr", growth=True, better="lower"),
    Measure("intakter_utveckling", "Skatteintäkternas och statsbidragens utveckling", "procent",
            "kolada_skatt_statsbidrag_mnkr", growth=True, better="higher"),
    Measure("balanskrav_andel", "Balanskravsresultat i procent av skatt och statsbidrag", "procent",
            "kolada_balanskravsresultat_andel_skatt_statsbidrag", better="higher"),
    Measure("balanskrav_per_inv", "Balanskravsresultat per invånare", "kr_per_inv",
            "kolada_balanskravsresultat_per_inv", better="higher"),
    Measure("sjukfranvaro", "Sjukfrånvaro bland anställda", "procent", "kolada_sjukfranvaro", better="lower"),
)
#: Column of :func:`comparison_table`: net cost growth minus revenue growth, in procentenheter.
GAP = "utvecklingsgap"


def _growth(table: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change in % of a region × year table (NaN without the year before or at 0)."""
    out = pd.DataFrame(index=table.index, columns=table.columns, dtype=float)
    for year in table.columns:
        if year - 1 in table.columns:
            before = table[year - 1].where(table[year - 1] != 0)
            out[year] = (table[year] / before - 1) * 100
    return out


def measure_frame(df: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """Region × year table of one :class:`Measure` (as :func:`kolada_frame`)."""
    table = kolada_frame(df, measure.series)
    return _growth(table) if measure.growth and not table.empty else table


def comparison_table(df: pd.DataFrame) -> pd.DataFrame:
    """Every region and riket, every year: the :data:`STANDARD_MEASURES` side by side.

    Columns: region, name, year, one column per measure key, and :data:`GAP`
    (nettokostnad_utveckling − intakter_utveckling, procentenheter). Only rows with at
    least one value; regions without a value for a measure have NaN there. Empty
    without a Kolada cache.
    """
    long = []
    for m in STANDARD_MEASURES:
        table = measure_frame(df, m)
        if table.empty:
            continue
        stacked = table.stack(future_stack=True).rename(m.key)
        long.append(stacked)
    columns = ["region", "name", "year", *[m.key for m in STANDARD_MEASURES], GAP]
    if not long:
        return pd.DataFrame(columns=columns)
    wide = pd.concat(long, axis=1).dropna(how="all").reset_index()
    wide.columns = ["region", "year", *wide.columns[2:]]
    for m in STANDARD_MEASURES:
        if m.key not in wide.columns:
            wide[m.key] = float("nan")
    wide[GAP] = wide["nettokostnad_utveckling"] - wide["intakter_utveckling"]
    wide["name"] = wide["region"].map(region_name)
    order = {c: i for i, c in enumerate([c for c in REGIONS if c != RIKET] + [RIKET])}
    wide = wide.sort_values(["year", "region"], key=lambda col: col.map(order) if col.name == "region" else col)
    return wide[columns].reset_index(drop=True)


def standard_comparison(df: pd.DataFrame, regions: list[str], year: int) -> pd.DataFrame:
    """The chosen regions against all regions and riket, one block per measure, for charts.

    For each of :data:`STANDARD_MEASURES`, the latest year ≤ ``year`` with values: one row
    per region with a value (rank 1 = highest value, ``n`` = regions with a value), riket
    in column ``riket`` (NaN if Kolada has none), ``highlight`` True for ``regions``. A
    chosen region without a value gets a row with NaN value and rank, so a report can
    say so. Columns: measure, label, unit, better, year, region, name, value, rank, n,
    riket, diff_riket, highlight. Empty without a Kolada cache.
    """
    columns = ["measure", "label", "unit", "better", "year", "region", "name", "value", "rank", "n",
               "riket", "diff_riket", "highlight"]
    blocks = []
    for m in STANDARD_MEASURES:
        table = measure_frame(df, m)
        years = [y for y in table.columns if y <= year and table[y].drop(RIKET, errors="ignore").notna().any()]
        if not years:
            continue
        y = max(years)
        col = table[y]
        riket = col.get(RIKET, float("nan"))
        values = col.drop(RIKET, errors="ignore").dropna()
        block = pd.DataFrame({"region": values.index, "value": values.to_numpy()})
        missing = [r for r in regions if r not in set(values.index)]
        if missing:
            block = pd.concat([block, pd.DataFrame({"region": missing, "value": float("nan")})], ignore_index=True)
        block["rank"] = block["value"].rank(ascending=False, method="min")
        block["n"] = len(values)
        block = block.assign(measure=m.key, label=m.label, unit=m.unit, better=m.better, year=y, riket=riket,
                             name=block["region"].map(region_name), highlight=block["region"].isin(regions))
        block["diff_riket"] = block["value"] - riket
        blocks.append(block.sort_values(["rank", "region"], na_position="last"))
    if not blocks:
        return pd.DataFrame(columns=columns)
    return pd.concat(blocks, ignore_index=True)[columns]


def kolada_consistency(df: pd.DataFrame) -> pd.DataFrame:
    """Kolada against itself: amounts from kr/inv × N01951 against share × tax and grants.

    For årets resultat (N63019 vs N63016), balanskravsresultat (N63132 vs N63147) and
    net costs (N63012 vs N63009): both ways to mnkr, per region and year, and their
    ratio. A ratio near 1 000 or 0,001 would show that a kr/inv KPI is really tkr/inv
    (the catalogue's text for N63132 says "tkr dividerat med antal invånare"); a small
    gap is rounding, or SCB's and SKR's sources differing. Columns: region, year,
    measure, from_per_inv, from_share, ratio.
    """
    checks = [
        ("Årets resultat (N63019 mot N63016)", "kolada_arets_resultat_mnkr", "kolada_arets_resultat_andel_skatt_statsbidrag"),
        ("Balanskravsresultat (N63132 mot N63147)", "kolada_balanskravsresultat_mnkr",
         "kolada_balanskravsresultat_andel_skatt_statsbidrag"),
        ("Verksamhetens nettokostnader (N63012 mot N63009)", "kolada_verksamhetens_nettokostnader_mnkr",
         "kolada_nettokostnad_andel_skatt_statsbidrag"),
    ]
    revenue = kolada_frame(df, "kolada_skatt_statsbidrag_mnkr")
    rows = []
    for label, amount_series, share_series in checks:
        amount, share = kolada_frame(df, amount_series), kolada_frame(df, share_series)
        for region in amount.index.intersection(share.index).intersection(revenue.index):
            for year in set(amount.columns) & set(share.columns) & set(revenue.columns):
                a, p, r = amount.at[region, year], share.at[region, year], revenue.at[region, year]
                if pd.isna(a) or pd.isna(p) or pd.isna(r):
                    continue
                b = p / 100 * r
                rows.append({"region": region, "year": int(year), "measure": label, "from_per_inv": a,
                             "from_share": b, "ratio": a / b if b else float("nan")})
    out = pd.DataFrame(rows, columns=["region", "year", "measure", "from_per_inv", "from_share", "ratio"])
    return out.sort_values(["measure", "region", "year"]).reset_index(drop=True)


def cache_status(data_dir=None) -> tuple[bool, str]:
    """Whether a Kolada cache exists and one Swedish sentence saying so (with fetch time)."""
    import json

    from regionanalys.kolada.client import METADATA_FILE, cache_path, has_cache

    if not has_cache(data_dir):
        # The reader's words; how to fetch the figures is in the analyst part of the index.
        return False, (
            "Koladas siffror för alla 21 regioner och riket finns inte i underlaget, så regionerna jämförs "
            "här bara med de uppgifter som regionernas dokument och offentliga källor anger."
        )
    meta_path = cache_path(data_dir).with_name(METADATA_FILE)
    when = ""
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        when = f", hämtade {meta.get('fetched_at', '')[:10]}" if meta.get("fetched_at") else ""
    return True, f"Siffrorna för alla regioner kommer från Kolada (RKA){when}. {NOT_IN_KOLADA}"


def latest_year(df: pd.DataFrame, series: str, year: int) -> int | None:
    """``year`` if the series has values for it, else the latest earlier year that has."""
    table = kolada_frame(df, series)
    years = [y for y in table.columns if y <= year and table[y].notna().any()]
    return max(years) if years else None


def ranking_reading(ranking: pd.DataFrame, series: str, year: int, highlight: list[str]) -> str:
    """One sentence: where the highlighted regions rank among all regions, against riket."""
    from regionanalys.data.registry import get_series

    spec = get_series(series)
    return _reading(ranking, spec.label, spec.unit, year, highlight)


def measure_reading(block: pd.DataFrame, highlight: list[str]) -> str:
    """:func:`ranking_reading` for one measure's rows of :func:`standard_comparison`."""
    if block.empty:
        return ""
    first = block.iloc[0]
    return _reading(block[block["value"].notna()], first["label"], first["unit"], int(first["year"]), highlight)


def _reading(ranking: pd.DataFrame, label: str, unit: str, year: int, highlight: list[str]) -> str:
    from regionanalys.data.formatting import fmt_auto

    if ranking.empty:
        return f"{label}: Kolada har inga värden för {year}."
    n = len(ranking)
    parts = []
    for code in highlight:
        row = ranking[ranking["region"] == code]
        if row.empty:
            parts.append(f"{region_name(code)} saknar värde")
            continue
        r = row.iloc[0]
        parts.append(f"{region_name(code)} {fmt_auto(r['value'], unit)} (plats {int(r['rank'])} av {n})")
    riket = ranking["riket"].iloc[0]
    tail = f"; riket {fmt_auto(riket, unit)}" if riket == riket else ""
    return f"{label} {year}, högst värde först: " + ", ".join(parts) + tail + "."


def cross_check_checks(table: pd.DataFrame, *, per_capita: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`cross_check` in the appendix's check form, as two tables: the figures (region,
    år, mått, uppgiven i, uppgivet, Kolada, skillnad = Kolada − uppgivet; values as text in
    their units, both sources in ``källa``) and the explanations, once per measure (mått,
    förklaring), so a comment shared by every region is printed once. ``per_capita=False``
    leaves out the kr/inv measures (for a printed report where the amounts suffice)."""
    from regionanalys.data.formatting import fmt_auto

    columns = ["region", "år", "mått", "uppgiven i", "uppgivet", "Kolada", "skillnad", "källa"]
    if per_capita is False and not table.empty:
        # kr/inv rows repeat the mnkr rows divided by the population, which has its own row.
        table = table[table["unit"] != "kr/inv"]
    if table.empty:
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=["mått", "förklaring"])
    rows = []
    for _, r in table.iterrows():
        unit = {"%": "procent", "kr/inv": "kr_per_inv"}.get(r["unit"], r["unit"])
        diff_unit = "procentenheter" if unit == "procent" else unit
        rows.append({
            "region": region_name(r["region"]), "år": int(r["year"]), "mått": r["measure"],
            "uppgiven i": "offentlig källa" if r["seed_kind"] == "offentlig" else "regionens dokument",
            "uppgivet": fmt_auto(r["seed"], unit), "Kolada": fmt_auto(r["kolada"], unit),
            "skillnad": fmt_auto(r["difference"], diff_unit, sign=True),
            "källa": f"{r['seed_source']} | {r['kolada_source']}",
        })
    notes = table[["measure", "comment"]].drop_duplicates("measure").rename(columns={"measure": "mått", "comment": "förklaring"})
    return pd.DataFrame(rows, columns=columns), notes.reset_index(drop=True)


def cross_check_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`cross_check` for a report: Swedish headings, values formatted in their units."""
    from regionanalys.data.formatting import fmt_auto

    if table.empty:
        return pd.DataFrame()
    rows = []
    for _, r in table.iterrows():
        diff_unit = "procentenheter" if r["unit"] == "procent" else r["unit"]
        rows.append({
            "region": region_name(r["region"]), "år": int(r["year"]), "mått": r["measure"],
            "regionens dokument": fmt_auto(r["seed"], r["unit"]), "Kolada": fmt_auto(r["kolada"], r["unit"]),
            "skillnad (Kolada − dokument)": fmt_auto(r["difference"], diff_unit, sign=True),
            "kommentar": r["comment"], "källa": f"{r['seed_source']} | {r['kolada_source']}",
        })
    return pd.DataFrame(rows)
