"""What the comparison of the regions rests on: which figures are real, and which are not.

:func:`availability` says, for every region × measure × year, whether the data holds an
outcome (utfall), a prognos, a budget, a decision, only example data or nothing;
:func:`matrix` turns it into the reader's table "Vad kan jämföras?". The other functions
give the comparison report its real figures: the results history with measure and kind,
the hired-staff figures the documents state, the savings requirements per invånare on one
population date, and the seed-against-public cross-check. Nothing here computes a figure
from example data.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from regionanalys.analysis.indicators import forecast_as_of
from regionanalys.analysis.keyfigures import RESULT_MEASURES, real
from regionanalys.analysis.memo import first_positions
from regionanalys.analysis.requirements import Decision, comparable
from regionanalys.data.documents import SCOPES
from regionanalys.data.formatting import fmt_auto, fmt_number
from regionanalys.data.registry import label
from regionanalys.data.regions import region_name


@dataclass(frozen=True)
class Measure:
    """One row group of the matrix: a Swedish label and the series that count for it."""

    key: str
    label: str
    series: tuple[str, ...]


#: The measures the comparison needs, in the order the report shows them.
MEASURES: tuple[Measure, ...] = (
    Measure("resultat", "Resultat", RESULT_MEASURES),
    Measure("nettokostnader", "Nettokostnader", ("nettokostnader", "nettokostnadsutveckling")),
    Measure("intakter", "Skatteintäkter och statsbidrag", ("skatt_statsbidrag", "skatt_statsbidrag_utveckling")),
    Measure("sparkrav", "Sparkrav och besparingar", ("besparing",)),
    Measure("hyrpersonal", "Hyrpersonal", ("hyrpersonal_kostnad", "hyrpersonal_kostnad_ack",
                                           "hyrpersonal_kostnad_forandring_ack",
                                           "hyrpersonal_kostnad_forandring_ack_procent")),
    Measure("personalkostnad", "Egen personalkostnad", ("egen_personalkostnad",)),
    Measure("sjukfranvaro", "Sjukfrånvaro", ("sjukfranvaro_timmar", "sjukfranvaro_procent")),
    Measure("narvarotid", "Närvarotid", ("narvarotid_timmar",)),
)
MEASURE_LABELS = {m.key: m.label for m in MEASURES}

#: Status of a cell, best first: an outcome beats a prognosis beats a budget, a decision
#: (krav, beslut, plan) stands for requirements; example data only when nothing real exists.
STATUS_ORDER = ("utfall", "prognos", "budget", "beslut", "exempel", "saknas")
_KIND_STATUS = {"utfall": "utfall", "prognos": "prognos", "budget": "budget", "krav": "beslut",
                "beslut": "beslut", "plan": "beslut"}
#: How a cell reads in the table ("–" for nothing, so the eye finds the gaps).
STATUS_TEXT = {"utfall": "utfall", "prognos": "prognos", "budget": "budget", "beslut": "beslut",
               "exempel": "exempel", "saknas": "–"}

def _status(kinds: set[str], example_only: bool) -> str:
    statuses = {_KIND_STATUS[k] for k in kinds if k in _KIND_STATUS}
    for s in STATUS_ORDER:
        if s in statuses:
            return s
    return "exempel" if example_only else "saknas"


def _not_kolada(df: pd.DataFrame) -> pd.DataFrame:
    # The matrix is about the regions' own documents and public pages; Kolada has its own section.
    if "source_file" not in df:
        return df
    return df[~df["source_file"].astype(str).str.startswith("kolada")]


def availability(df: pd.DataFrame, regions: list[str], years: list[int]) -> pd.DataFrame:
    """Region × measure × year: what the data holds (one of :data:`STATUS_ORDER`).

    Rows of every org count for a region (a nämnd's budget is a budget of that region);
    monthly rows count for their year. Columns: region, measure, year, status, n_real
    (real observations behind the status).
    """
    data = _not_kolada(df[df["region"].isin(regions) & df["year"].isin(years)])
    is_example = data["example"].astype(bool) if "example" in data else pd.Series(False, index=data.index)
    measure_of = pd.DataFrame([(s, m.key) for m in MEASURES for s in m.series], columns=["series", "measure"])
    rows = pd.DataFrame({"region": data["region"].to_numpy(), "series": data["series"].to_numpy(),
                         "year": data["year"].to_numpy(), "kind": data["kind"].to_numpy(),
                         "example": is_example.to_numpy()}).merge(measure_of, on="series")
    # One pass over the rows: per region, measure and year the kinds of real rows, their
    # number and whether example rows exist.
    kinds: dict[tuple, set[str]] = {}
    n_real: dict[tuple, int] = {}
    example: set[tuple] = set()
    counts = rows.groupby(["region", "measure", "year", "example", "kind"], sort=False, dropna=False).size()
    for (code, measure, y, ex, kind), n in counts.items():
        cell = (code, measure, y)
        if ex:
            example.add(cell)
        else:
            kinds.setdefault(cell, set()).add(kind)
            n_real[cell] = n_real.get(cell, 0) + int(n)
    records = []
    for code in regions:
        for m in MEASURES:
            for y in years:
                cell = (code, m.key, y)
                records.append({"region": code, "measure": m.key, "year": int(y),
                                "status": _status(kinds.get(cell, set()), cell in example),
                                "n_real": n_real.get(cell, 0)})
    return pd.DataFrame.from_records(records, columns=["region", "measure", "year", "status", "n_real"])


def matrix(avail: pd.DataFrame, *, drop_example_only: bool = True) -> pd.DataFrame:
    """:func:`availability` as the reader's table: one row per region and measure, one column per year.

    With ``drop_example_only`` a measure that is only example data for every region is left
    out (:func:`matrix_reading` names it), so the table shows what can be compared.
    """
    if drop_example_only:
        n = avail["region"].nunique()
        gone = [m for m in dict.fromkeys(avail["measure"]) if len(only_example(avail, [m])) == n]
        avail = avail[~avail["measure"].isin(gone)]
    if avail.empty:
        return pd.DataFrame(columns=["region", "mått"])
    wide = avail.assign(text=avail["status"].map(STATUS_TEXT)).pivot_table(
        index=["region", "measure"], columns="year", values="text", aggfunc="first")
    order = {m.key: i for i, m in enumerate(MEASURES)}
    regions = list(dict.fromkeys(avail["region"]))
    wide = wide.reset_index()
    wide["_r"] = wide["region"].map(regions.index)
    wide["_m"] = wide["measure"].map(order)
    wide = wide.sort_values(["_r", "_m"])
    out = pd.DataFrame({"region": wide["region"].map(region_name), "mått": wide["measure"].map(MEASURE_LABELS)})
    for y in sorted(c for c in wide.columns if isinstance(c, (int, np.integer))):
        out[str(y)] = wide[y].to_numpy()
    return out.reset_index(drop=True)


def has_real(avail: pd.DataFrame, measures: list[str], regions: list[str] | None = None) -> list[str]:
    """The regions with at least one real figure (utfall, prognos, budget or beslut) for ``measures``."""
    rows = avail[avail["measure"].isin(measures) & ~avail["status"].isin(["exempel", "saknas"])]
    found = set(rows["region"])
    return [r for r in (regions or list(dict.fromkeys(avail["region"]))) if r in found]


def only_example(avail: pd.DataFrame, measures: list[str]) -> list[str]:
    """The regions where ``measures`` exist only as example data (no real figure in any year)."""
    part = avail[avail["measure"].isin(measures)]
    example: dict[str, bool] = {}  # region -> has an example cell, in order of appearance
    real_somewhere: set[str] = set()
    for code, status in zip(part["region"], part["status"]):
        example[code] = example.get(code, False) or status == "exempel"
        if status not in ("exempel", "saknas"):
            real_somewhere.add(code)
    return [code for code, ex in example.items() if ex and code not in real_somewhere]


def matrix_reading(avail: pd.DataFrame) -> str:
    """Two sentences: how many region-years have a real result, and what exists only as example data."""
    res = avail[avail["measure"] == "resultat"]
    parts = []
    for code, rows in res.groupby("region", sort=False):
        real_years = rows.loc[rows["status"] == "utfall", "year"].tolist()
        parts.append(f"{region_name(code)} {len(real_years)}")
    years = sorted(avail["year"].unique())
    text = (f"Antal år {years[0]}–{years[-1]} med ett resultat i utfall: " + ", ".join(parts) + ".") if years else ""
    examples = [MEASURE_LABELS[m] for m in dict.fromkeys(avail["measure"])
                if only_example(avail, [m]) and len(only_example(avail, [m])) == avail["region"].nunique()]
    if examples:
        text += (" Bara exempeldata, för alla regionerna: " + ", ".join(e.lower() for e in examples)
                 + "; de jämförs inte här.")
    return text


# --------------------------------------------------------------------------- results history

#: Short names of the result measures for bar labels.
RESULT_SHORT = {
    "arets_resultat": "årets resultat",
    "balanskravsresultat": "balanskravsresultat",
    "balanserat_resultat": "balanserat resultat",
    "verksamhetens_resultat": "verksamhetens resultat",
}


def results_history(df: pd.DataFrame, regions: list[str], years: list[int]) -> pd.DataFrame:
    """One result per region and year, real figures only, for the results chart.

    For each region and year the first of :data:`RESULT_MEASURES` that has an outcome
    (the region as a whole, not the koncern or a nämnd); where no outcome exists, the
    latest prognosis of that measure, marked as such with its date. Columns: region,
    year, series, measure (Swedish), kind (utfall/prognos), value (mnkr), as_of (the
    prognosis date as the note gives it, "" if none), preliminary (the source says
    preliminary), source.
    """
    data = real(df)
    data = data[data["region"].isin(regions) & (data["org"] == "region") & (data["category"] == "")
                & (data["freq"] == "Y") & data["series"].isin(RESULT_MEASURES) & data["year"].isin(years)]
    by_region = {code: rows for code, rows in data.groupby("region", sort=False)}
    records = []
    for code in regions:
        mine = by_region.get(code, data.iloc[:0])
        # One measure per region where it can be: the one with the most outcomes first, so a
        # region's bars compare like with like; other measures fill only years it lacks.
        counts = mine[mine["kind"] == "utfall"].groupby("series")["year"].nunique()
        order = sorted(RESULT_MEASURES, key=lambda s: (-int(counts.get(s, 0)), RESULT_MEASURES.index(s)))
        first = first_positions(mine["year"], mine["kind"], mine["series"])
        for y in years:
            hit = next((first[(y, kind, series)] for kind in ("utfall", "prognos") for series in order
                        if (y, kind, series) in first), None)
            if hit is None:
                continue
            chosen = mine.iloc[hit]
            note = str(chosen.get("note", "") or "")
            records.append({
                "region": code, "year": int(y), "series": chosen["series"], "measure": RESULT_SHORT[chosen["series"]],
                "kind": chosen["kind"], "value": float(chosen["value"]),
                "as_of": forecast_as_of(note) if chosen["kind"] == "prognos" else "",
                "preliminary": "preliminärt" in note.lower(), "source": chosen["source"],
            })
    return pd.DataFrame.from_records(records, columns=["region", "year", "series", "measure", "kind", "value", "as_of",
                                                       "preliminary", "source"])


def bar_label(row: pd.Series) -> str:
    """The label of one bar: amount, measure and kind, wrapped to the width of a bar
    ("−909 / balanskravs- / resultat / utfall")."""
    import textwrap

    kind = row["kind"]
    if kind == "prognos":
        kind = f"prognos per {row['as_of']}" if row["as_of"] else "prognos (datum saknas)"
    elif row.get("preliminary"):
        kind = "utfall, preliminärt"
    measure = row["measure"].replace("balanskravsresultat", "balanskravs-\nresultat")
    lines = [fmt_number(row["value"], 0), *measure.replace(" ", "\n").split("\n"),
             *textwrap.wrap(kind, 16, break_long_words=False)]
    return "\n".join(lines)


def results_table(history: pd.DataFrame) -> pd.DataFrame:
    """The results history as a reader's table (the chart's figures with their sources)."""
    if history.empty:
        return pd.DataFrame(columns=["region", "år", "mått", "typ", "mnkr", "källa"])
    kind = [f"prognos per {a}" if k == "prognos" and a else ("prognos" if k == "prognos" else
            ("utfall, preliminärt" if p else "utfall"))
            for k, a, p in zip(history["kind"], history["as_of"], history["preliminary"])]
    return pd.DataFrame({"region": history["region"].map(region_name), "år": history["year"],
                         "mått": history["measure"], "typ": kind, "mnkr": history["value"],
                         "källa": history["source"]}).reset_index(drop=True)


def results_reading(history: pd.DataFrame, regions: list[str]) -> str:
    """Which regions have which years, and that measures differ between them."""
    if history.empty:
        return "Underlaget har inget resultat i utfall eller prognos för regionerna."
    by_region = dict(tuple(history.sort_values("year").groupby("region")))
    parts = [f"{region_name(c)}: inget resultat i underlaget" for c in regions if c not in by_region]
    for code in (c for c in regions if c in by_region):
        rows = by_region[code]
        last = rows.iloc[-1]
        kind = "prognos" + (f" per {last['as_of']}" if last["as_of"] else "") if last["kind"] == "prognos" else "utfall"
        parts.append(f"{region_name(code)} {', '.join(str(y) for y in rows['year'])} "
                     f"(senast {last['year']}: {last['measure']} {fmt_auto(last['value'], 'mnkr')}, {kind})")
    mixed = history["measure"].nunique() > 1
    tail = (" Regionerna redovisar olika resultatmått; varje stapel anger sitt mått, och prognoser är skrafferade."
            if mixed else "")
    return "Resultat i underlaget: " + "; ".join(parts) + "." + tail


# --------------------------------------------------------------------------- hired staff

_STAFF_SERIES = {
    "hyrpersonal_kostnad_forandring_ack": "förändring",
    "hyrpersonal_kostnad_forandring_ack_procent": "förändring",
    "hyrpersonal_kostnad_ack": "kostnad",
}


def _period_text(period: object) -> str:
    """``2023-05`` of an accumulated series -> ``januari–maj 2023``; a year stays a year."""
    from regionanalys.data.formatting import month_name

    text = str(period)
    if len(text) == 7 and text[4] == "-":
        year, month = int(text[:4]), int(text[5:])
        return f"helåret {year}" if month == 12 else f"januari–{month_name(month)} {year}"
    return text


def staffing_real(df: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """The hired-staff figures the documents and public pages state (never example data).

    One row per region, period and staff group: the amount (mnkr) and the percentage where
    the source gives them, with the source's precision. Columns: region, period, grupp,
    mått, mnkr, procent, anmärkning, källa.
    """
    from regionanalys.data.registry import category_label

    data = real(df)
    data = data[data["region"].isin(regions) & data["series"].isin(_STAFF_SERIES)]
    cols = ["region", "period", "grupp", "mått", "mnkr", "procent", "anmärkning", "källa"]
    if data.empty:
        return pd.DataFrame(columns=cols)
    records: dict[tuple, dict] = {}
    for _, r in data.sort_values(["region", "period"]).iterrows():
        key = (r["region"], str(r["period"]), r["category"], _STAFF_SERIES[r["series"]])
        rec = records.setdefault(key, {
            "region": region_name(r["region"]), "period": _period_text(r["period"]),
            "grupp": category_label(r["category"]) if r["category"] else "ej uppdelat på grupper",
            "mått": "förändring mot samma period året före" if key[3] == "förändring" else "kostnad för perioden",
            "mnkr": np.nan, "procent": np.nan, "anmärkning": str(r.get("note", "") or "").split(". ")[0],
            "källa": r["source"]})
        if r["unit"] == "procent":
            rec["procent"] = float(r["value"])
        else:
            rec["mnkr"] = float(r["value"])
            rec["källa"] = r["source"]
    return pd.DataFrame(list(records.values()), columns=cols)


def staffing_reading(table: pd.DataFrame, regions: list[str]) -> str:
    """What the stated hired-staff figures say, with the sources' precision; no ranking."""
    if table.empty:
        return "Underlaget har inga uppgifter om hyrpersonal ur regionernas dokument."
    parts = []
    for _, r in table.iterrows():
        if r["mått"] != "förändring mot samma period året före":
            continue
        amount = fmt_number(r["mnkr"], 0 if float(r["mnkr"]).is_integer() else 1, sign=True) + " mnkr" \
            if r["mnkr"] == r["mnkr"] else ""
        pct = (fmt_number(r["procent"], 0 if float(r["procent"]).is_integer() else 1, sign=True) + " %") \
            if r["procent"] == r["procent"] else ""
        parts.append(f"{r['region']} {r['period']}, {r['grupp'].lower()}: {' / '.join(p for p in (amount, pct) if p)}")
    have = set(table["region"])
    without = [region_name(c) for c in regions if region_name(c) not in have]
    text = "Uppgifter ur regionernas dokument (utfall): " + "; ".join(parts) + "." if parts else ""
    if without:
        text += f" För {' och '.join(without)} finns inga sådana uppgifter."
    return (text + " Perioderna och personalgrupperna skiljer sig åt, så siffrorna rangordnas inte.").strip()


# --------------------------------------------------------------------------- requirements per invånare


def population_year(df: pd.DataFrame, regions: list[str], latest: int) -> int | None:
    """The latest year ≤ ``latest`` with SCB's population on 31 December for every region.

    One reference date for all regions, so per-invånare figures compare like for like.
    """
    pop = real(df)
    pop = pop[(pop["series"] == "befolkning") & (pop["kind"] == "utfall") & (pop["category"] == "")
              & pop["region"].isin(regions) & (pop["year"] <= latest)]
    years = [y for y, rows in pop.groupby("year") if set(regions) <= set(rows["region"])]
    return int(max(years)) if years else None


def requirements_per_capita(df: pd.DataFrame, items: list[Decision], regions: list[str],
                            pop_year: int | None) -> pd.DataFrame:
    """One row per savings decision in mnkr: scope, amount, and kr per invånare on ``pop_year``.

    Columns: region, code, scope, omfattning, beslut, år, mnkr, belopp (with alternates),
    invånare, kr_per_inv, källa. ``kr_per_inv`` is NaN without a population for ``pop_year``.
    """
    pop = real(df)
    pop = pop[(pop["series"] == "befolkning") & (pop["kind"] == "utfall") & (pop["category"] == "")
              & (pop["year"] == pop_year)].drop_duplicates("region").set_index("region")["value"]
    rows = []
    for scope, decs in comparable([d for d in items if d.region in regions]).items():
        for d in decs:
            inv = float(pop.get(d.region, np.nan))
            rows.append({"region": region_name(d.region), "code": d.region, "scope": scope,
                         "omfattning": SCOPES.get(scope, scope), "beslut": d.label, "år": d.year,
                         "mnkr": d.value, "belopp": d.amount_text(), "invånare": inv,
                         "kr_per_inv": d.value * 1e6 / inv if inv == inv and inv else np.nan,
                         "källa": d.source})
    cols = ["region", "code", "scope", "omfattning", "beslut", "år", "mnkr", "belopp", "invånare", "kr_per_inv", "källa"]
    return pd.DataFrame(rows, columns=cols)


def requirements_reading(table: pd.DataFrame, pop_year: int | None) -> str:
    """Per scope: the requirements side by side in kr per invånare; never across scopes."""
    if table.empty:
        return "Underlaget har inga sparkrav i miljoner kronor för regionerna."
    parts = []
    for scope, rows in table.groupby("scope", sort=False):
        items = ", ".join(f"{r['region']} {fmt_number(r['kr_per_inv'], 0)} kr ({r['belopp']}, {r['år']})"
                          for _, r in rows.iterrows() if r["kr_per_inv"] == r["kr_per_inv"])
        parts.append(f"{SCOPES.get(scope, scope)}: {items}")
    when = f"folkmängden den 31 december {pop_year}" if pop_year else "folkmängden"
    return ("Sparkrav per invånare, jämförda bara inom samma omfattning (" + when + " för alla regioner): "
            + "; ".join(parts) + ". Krav för hela regionen och krav för bara administrationen jämförs inte med varandra.")


# --------------------------------------------------------------------------- seed against public


def seed_public_checks(df: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """The same figure (region, org, series, category, period, kind) in the regions' documents
    and on a public page, side by side. Columns: region, år, mått, typ, dokument, offentlig,
    skillnad, källa."""
    data = real(df)
    data = data[data["region"].isin(regions)]
    files = data["source_file"].astype(str)
    key = ["region", "org", "series", "category", "period", "kind"]
    seeds = data[files.str.startswith("seeds/")].drop_duplicates(key)
    public = data[files.str.startswith("public/")].drop_duplicates(key)
    both = seeds.merge(public, on=key, suffixes=("_seed", "_public"))
    rows = [{"region": region_name(r["region"]), "år": str(r["period"]), "mått": label(r["series"]), "typ": r["kind"],
             "dokument": r["value_seed"], "offentlig": r["value_public"],
             "skillnad": r["value_public"] - r["value_seed"],
             "källa": f"{r['source_seed']} | {r['source_public']}"} for _, r in both.iterrows()]
    return pd.DataFrame(rows, columns=["region", "år", "mått", "typ", "dokument", "offentlig", "skillnad", "källa"])


# --------------------------------------------------------------------------- cost and revenue growth


def growth_table(df: pd.DataFrame, regions: list[str], year: int) -> pd.DataFrame:
    """Net cost and revenue growth for ``year`` where the data states them (or both amounts
    exist for two years), with the source's precision. Regions without both are left out.
    Columns: region, år, nettokostnader, skatt och statsbidrag, skillnad (procentenheter), källa."""
    from regionanalys.analysis.keyfigures import COST, REVENUE, _figure, key_figures, stated_figures

    data = real(df)
    rows = []
    for code in regions:
        kf = key_figures(df, code, year)
        if kf.cost_growth is None or kf.revenue_growth is None:
            continue
        stated = stated_figures(data, code)
        sources = [f.source for f in (_figure(stated, s, year, "utfall") for s in (COST, REVENUE)) if f]
        rows.append({"region": region_name(code), "år": year,
                     "nettokostnader": fmt_number(kf.cost_growth[0], kf.cost_growth[1]) + "\u00a0%",
                     "skatt och statsbidrag": fmt_number(kf.revenue_growth[0], kf.revenue_growth[1]) + "\u00a0%",
                     "skillnad (procentenheter)": kf.cost_growth[0] - kf.revenue_growth[0],
                     "källa": " | ".join(dict.fromkeys(sources))})
    return pd.DataFrame(rows, columns=["region", "år", "nettokostnader", "skatt och statsbidrag",
                                       "skillnad (procentenheter)", "källa"])


def growth_reading(table: pd.DataFrame, regions: list[str], year: int) -> str:
    """Who has the growth of both net costs and revenue for ``year``, and who does not."""
    have = set(table["region"]) if not table.empty else set()
    without = [c for c in regions if region_name(c) not in have]
    parts = []
    for _, r in table.iterrows():
        faster = r["skillnad (procentenheter)"] > 0
        parts.append(f"{r['region']}: nettokostnaderna ökade med {r['nettokostnader']} och skatteintäkter och "
                     f"statsbidrag med {r['skatt och statsbidrag']}, kostnaderna växte "
                     f"{'snabbare' if faster else 'långsammare'} än intäkterna")
    text = "; ".join(parts) + "." if parts else ""
    if without:
        text += (f" För {_names(without)} saknar underlaget utfall för nettokostnader och skatteintäkter "
                 f"både {year - 1} och {year}, så ökningen kan inte jämföras.")
    return text.strip()


def missing_text(avail: pd.DataFrame, measures: list[str], regions: list[str], what: str) -> str:
    """One sentence for a collapsed section: which regions have ``what`` only as example data
    or not at all (computed from :func:`availability`, so it changes when real data arrives)."""
    example = only_example(avail, measures)
    with_real = has_real(avail, measures, regions)
    nothing = [r for r in regions if r not in example and r not in with_real]
    parts = []
    if example:
        parts.append(f"bara exempeldata för {_names(example)}")
    if nothing:
        parts.append(f"inga uppgifter för {_names(nothing)}")
    if with_real:
        return (f"Verkliga uppgifter om {what} finns bara för {_names(with_real)}"
                + (f"; underlaget har {' och '.join(parts)}." if parts else "."))
    return f"Underlaget har {' och '.join(parts)}: {what} jämförs därför inte mellan regionerna." if parts else ""


def _names(codes: list[str]) -> str:
    names = [region_name(c) for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def decisions_display(items: list[Decision]) -> pd.DataFrame:
    """:func:`regionanalys.analysis.requirements.decision_table` for the comparison: region
    names, parts as "varav …" rows under their total, no technical columns."""
    from regionanalys.analysis.requirements import decision_table

    table = decision_table(items)
    if table.empty:
        return pd.DataFrame(columns=["region", "beslut", "omfattning", "år", "belopp", "källa"])
    is_part = table["varav"] != ""
    out = pd.DataFrame({
        "region": [("" if p else region_name(r)) for r, p in zip(table["region"], is_part)],
        "beslut": [v if p else b for b, v, p in zip(table["beslut"], table["varav"], is_part)],
        "omfattning": table["omfattning"], "år": table["år"], "belopp": table["belopp"], "källa": table["källa"],
    })
    return out


def _quoted(value: float, unit: str, sign: bool) -> str:
    """A quoted figure with the source's precision: 8 -> "+8 mnkr", 3.9 -> "+3,9 mnkr", 9 -> "+9 %"."""
    if value != value:
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    return fmt_number(value, decimals, sign=sign) + ("\u00a0%" if unit == "procent" else "\u00a0mnkr")


def staffing_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`staffing_real` for a reader: amounts and percentages as the sources state them
    (a change with its sign, a cost without), so "+8 mnkr / +9 %" is not printed as "+8,0 / +9,0"."""
    if table.empty:
        return pd.DataFrame(columns=["region", "period", "grupp", "mått", "belopp", "procent", "källa"])
    change = table["mått"] != "kostnad för perioden"
    return pd.DataFrame({
        "region": table["region"], "period": table["period"], "grupp": table["grupp"], "mått": table["mått"],
        "belopp": [_quoted(v, "mnkr", c) for v, c in zip(table["mnkr"], change)],
        "procent": [_quoted(v, "procent", c) for v, c in zip(table["procent"], change)],
        "källa": table["källa"],
    })
