"""Deficits: net costs against tax revenue and general state grants, the result and its
gap to budget."""
from __future__ import annotations

import numpy as np
import pandas as pd

from regionanalys.data.formatting import fmt_mnkr, fmt_number, fmt_pct
from regionanalys.analysis.indicators import annual, growth_pct, select, value_at
from regionanalys.data.registry import get_series, label
from regionanalys.data.regions import region_name, resolve_region

COST, REVENUE, RESULT = "nettokostnader", "skatt_statsbidrag", "verksamhetens_resultat"
BALANCED, FINANCIAL = "balanserat_resultat", "finansiella_kostnader"


def cost_revenue_table(df: pd.DataFrame, region: str, years: list[int] | None = None) -> pd.DataFrame:
    """Net costs, tax revenue and grants and the result by year for a whole region.

    Columns: år, nettokostnader, skatt_statsbidrag, verksamhetens_resultat (mnkr), and
    the growth of costs and revenue against the previous year (percent). Years default
    to those with data; a year without data is left out, never filled in.
    """
    code = resolve_region(region)
    series = {s: annual(df, s, code) for s in (COST, REVENUE, RESULT)}
    all_years = sorted(set().union(*(s.index for s in series.values())))
    years = [y for y in (years or all_years) if y in all_years]
    rows = []
    for y in years:
        row = {"år": y}
        for s, values in series.items():
            row[s] = float(values.get(y, np.nan))
        row["kostnadsökning_pct"] = growth_pct(row[COST], float(series[COST].get(y - 1, np.nan)))
        row["intäktsökning_pct"] = growth_pct(row[REVENUE], float(series[REVENUE].get(y - 1, np.nan)))
        rows.append(row)
    return pd.DataFrame(rows, columns=["år", COST, REVENUE, RESULT, "kostnadsökning_pct", "intäktsökning_pct"])


def cost_revenue_reading(table: pd.DataFrame, region: str) -> str:
    """One sentence on the latest year of :func:`cost_revenue_table`, computed from it."""
    name = region_name(region)
    if table.empty:
        return f"Underlaget saknar nettokostnader och skatteintäkter för {name}."
    last = table.iloc[-1]
    y = int(last["år"])
    if np.isnan(last["kostnadsökning_pct"]) or np.isnan(last["intäktsökning_pct"]):
        return f"{name} hade {y} nettokostnader på {fmt_mnkr(last[COST])} och skatteintäkter och statsbidrag på {fmt_mnkr(last[REVENUE])}."
    verb = "snabbare" if last["kostnadsökning_pct"] > last["intäktsökning_pct"] else "långsammare"
    return (
        f"{y} ökade nettokostnaderna i {name} med {fmt_pct(last['kostnadsökning_pct'])} medan skatteintäkter "
        f"och statsbidrag ökade med {fmt_pct(last['intäktsökning_pct'])}: kostnaderna växte {verb} än intäkterna "
        f"och verksamhetens resultat blev {fmt_mnkr(last[RESULT], sign=True)}."
    )


def display_sign(series_id: str) -> int:
    """+1 or −1: the factor that turns a stored value into one seen from the result.

    The registry's ``sign`` says how a series is stored; costs are stored positive
    (``kostnad_positiv``), so they are flipped to show as a burden on the result, the way a
    resultatbudget prints them. Other conventions are already seen from the result.
    """
    return -1 if get_series(series_id).sign == "kostnad_positiv" else 1


#: Columns of :func:`budget_deviation_table`.
DEVIATION_COLUMNS = ["post", "utfall", "avvikelse mot budget", "källa"]
UNEXPLAINED = "varav ej förklarat"


def budget_deviation_table(df: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """Outcome and the stated deviation from budget, seen from the result (positive = better).

    One row per series the data states a deviation for (kind ``budgetavvikelse``), with the
    deviation turned by the registry sign of the series (costs 948 mnkr över budget →
    −948). Where both net costs and revenue have a deviation and verksamhetens resultat
    has one too, a row "varav ej förklarat" follows the result: the stated result deviation
    minus the sum of the two parts (rounding in the document, or items not shown). No
    budget is derived (utfall − avvikelse): the documents do not state those figures.
    """
    code = resolve_region(region)
    dev = select(df, region=code, kind="budgetavvikelse", year=year, freq="Y", org="region")
    order = {COST: 0, REVENUE: 1, RESULT: 2, FINANCIAL: 4}
    dev = dev.assign(_o=dev["series"].map(order).fillna(9)).sort_values(["_o", "series"])
    rows = []
    seen: dict[str, float] = {}
    for _, d in dev.iterrows():
        outcome = value_at(df, d["series"], code, year, org=d["org"], category=d["category"])
        signed = float(d["value"]) * display_sign(d["series"])
        seen[d["series"]] = signed
        rows.append({"post": label(d["series"]), "utfall": outcome, "avvikelse mot budget": signed, "källa": d["source"]})
        if d["series"] == RESULT and COST in seen and REVENUE in seen:
            rest = signed - (seen[COST] + seen[REVENUE])
            if abs(rest) > 1e-9:
                rows.append({"post": UNEXPLAINED, "utfall": np.nan, "avvikelse mot budget": rest,
                             "källa": "beräknat: resultatets avvikelse minus nettokostnadernas och intäkternas"})
    return pd.DataFrame(rows, columns=DEVIATION_COLUMNS)


def budget_deviation_reading(table: pd.DataFrame, region: str, year: int) -> str:
    """One sentence on :func:`budget_deviation_table`, seen from the result."""
    name = region_name(region)
    if table.empty:
        return f"Underlaget anger ingen avvikelse mot budget för {name} {year}."
    by = dict(zip(table["post"], table["avvikelse mot budget"]))
    parts = []
    if label(RESULT) in by:
        v = by[label(RESULT)]
        parts.append(f"Verksamhetens resultat blev {fmt_mnkr(abs(v))} {'sämre' if v < 0 else 'bättre'} än budget {year}")
    pieces = []
    if label(COST) in by:
        pieces.append(f"nettokostnaderna {fmt_mnkr(by[label(COST)], sign=True)}")
    if label(REVENUE) in by:
        pieces.append(f"skatteintäkter och statsbidrag {fmt_mnkr(by[label(REVENUE)], sign=True)}")
    if pieces:
        parts.append("räknat från resultatet bidrog " + " och ".join(pieces))
    if UNEXPLAINED in by:
        parts.append(f"{fmt_mnkr(by[UNEXPLAINED], sign=True)} förklaras inte av de två posterna i källan")
    text = "; ".join(parts) if parts else f"Avvikelser mot budget för {name} {year}"
    return text[0].upper() + text[1:] + ". Positivt tal = bättre än budget."


def stated_growth_check(df: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """Growth as stated in the source against growth computed from the amounts."""
    code = resolve_region(region)
    pairs = [("nettokostnadsutveckling", COST), ("skatt_statsbidrag_utveckling", REVENUE)]
    rows = []
    for stated_id, amount_id in pairs:
        stated = value_at(df, stated_id, code, year)
        computed = growth_pct(value_at(df, amount_id, code, year), value_at(df, amount_id, code, year - 1))
        if np.isnan(stated) and np.isnan(computed):
            continue
        rows.append({"post": label(amount_id), "uppgiven ökning": stated, "beräknad ökning": computed})
    return pd.DataFrame(rows, columns=["post", "uppgiven ökning", "beräknad ökning"])


#: A nämnd's resultatbudget in the documents' order: (series, category, row label or None).
STATEMENT_ROWS = [
    ("intakter", "ovriga_intakter", None), ("intakter", "", "Summa intäkter"),
    ("kostnader", "personalkostnader", None), ("kostnader", "ovriga_kostnader", None),
    ("kostnader", "avskrivningar_inventarier", None), ("kostnader", "avskrivningar_fastigheter", None),
    ("kostnader", "", "Summa kostnader"), ("nettokostnader", "", None), ("finansnetto", "", None),
    ("fastighetsfinansiering", "", None), ("arets_resultat", "", "Resultat"),
]
_KIND_ORDER = {"utfall": 0, "prognos": 1, "budget": 2}


def result_statement(df: pd.DataFrame, region: str, org: str) -> pd.DataFrame:
    """A nämnd's result statement (resultatbudget) as the document prints it.

    One column per kind and year ("Budget 2024", "Prognos 2023", "Budget 2023": newest
    year first, then utfall, prognos, budget), rows in the statement's order, and every
    value turned by the registry sign of its series (:func:`display_sign`): intäkter +,
    kostnader −, verksamhetens nettokostnader as the document's intäkter − kostnader, so
    each column adds up the way the document's does (see :func:`statement_check`). The
    hidden columns ``serie`` and ``kategori`` keep the ids. Cells the data lacks are NaN.
    """
    from regionanalys.data.registry import category_label

    code = resolve_region(region)
    rows = select(df, region=code, org=org, freq="Y", series=sorted({s for s, _, _ in STATEMENT_ROWS}))
    if rows.empty:
        return pd.DataFrame()
    rows = rows.assign(kolumn=rows["kind"].str.capitalize() + " " + rows["year"].astype(str))
    keys = rows.drop_duplicates("kolumn").set_index("kolumn")
    cols = sorted(keys.index, key=lambda c: (-int(keys.at[c, "year"]), _KIND_ORDER.get(keys.at[c, "kind"], 9), c))
    out = []
    for s, cat, name in STATEMENT_ROWS:
        r = rows[(rows["series"] == s) & (rows["category"] == cat)]
        if r.empty:
            continue
        name = name or (category_label(cat) if cat else label(s))
        values = {k: float(v) * display_sign(s) for k, v in zip(r["kolumn"], r["value"])}
        out.append({"post": name, **values, "serie": s, "kategori": cat})
    return pd.DataFrame(out, columns=["post", *cols, "serie", "kategori"])


#: The sums of a resultatbudget: total ← parts (all as shown, seen from the result).
STATEMENT_SUMS = [
    ("nettokostnader", [("intakter", ""), ("kostnader", "")]),
    ("arets_resultat", [("nettokostnader", ""), ("finansnetto", ""), ("fastighetsfinansiering", "")]),
]


def statement_check(table: pd.DataFrame) -> pd.DataFrame:
    """Does each column of :func:`result_statement` add up like the document's?

    For every column and each sum (nettokostnader = intäkter + kostnader; resultat =
    nettokostnader + finansnetto + fastighetsfinansiering, all as shown), the stated
    figure, the sum of the parts and the difference. Sums with a missing part are left out.
    """
    cols = ["kontroll", "kolumn", "uppgivet", "summa av delarna", "skillnad", "förklaring"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    idx = {(r["serie"], r["kategori"]): r for _, r in table.iterrows()}
    value_cols = [c for c in table.columns if c not in ("post", "serie", "kategori")]
    out = []
    for total, parts in STATEMENT_SUMS:
        if (total, "") not in idx or any(p not in idx for p in parts):
            continue
        for c in value_cols:
            stated = idx[(total, "")][c]
            got = sum(idx[p][c] for p in parts)
            if np.isnan(stated) or np.isnan(got):
                continue
            diff = stated - got
            out.append({
                "kontroll": f"{idx[(total, '')]['post']} = " + " + ".join(idx[p]["post"].lower() for p in parts),
                "kolumn": c, "uppgivet": stated, "summa av delarna": got, "skillnad": diff,
                "förklaring": "stämmer" if abs(diff) < 0.05 else "avrundning eller post som inte visas",
            })
    return pd.DataFrame(out, columns=cols)


def orgs_with_result_statement(df: pd.DataFrame, region: str) -> list[str]:
    """Orgs below the region level that have a result statement in the data: årets resultat
    and the revenue or costs it comes from (a koncern's bare result is not a statement)."""
    code = resolve_region(region)
    rows = select(df, region=code, series="arets_resultat", freq="Y")
    parts = select(df, region=code, series=["intakter", "kostnader", "nettokostnader"], freq="Y")
    return sorted(set(rows.loc[rows["org"] != "region", "org"]) & set(parts["org"]))


def result_statements(df: pd.DataFrame, region: str) -> dict[str, pd.DataFrame]:
    """:func:`result_statement` for every org below the region level that has one."""
    return {org: result_statement(df, region, org) for org in orgs_with_result_statement(df, region)}


# --------------------------------------------------------------------------- result bridge

#: Columns of :func:`result_bridge`.
BRIDGE_COLUMNS = ["steg", "typ", "belopp", "från", "till", "ökning_pct", "uppgiven_ökning_pct", "förklaring"]


def _stated_or_computed(df: pd.DataFrame, code: str, year: int) -> tuple[float, str]:
    """Verksamhetens resultat for a year: the stated figure, else revenue − costs, else NaN."""
    stated = value_at(df, RESULT, code, year)
    if not np.isnan(stated):
        return stated, "uppgivet i källan"
    computed = value_at(df, REVENUE, code, year) - value_at(df, COST, code, year)
    return computed, "beräknat: skatteintäkter och statsbidrag − nettokostnader"


def result_bridge(df: pd.DataFrame, region: str, from_year: int, to_year: int | None = None, through_financial: bool = True) -> pd.DataFrame:
    """A result bridge (waterfall) from one year's verksamhetens resultat to the next.

    Steps: the stated result of ``from_year``; + the change in skatteintäkter och
    generella statsbidrag; − the change in nettokostnader; an explicit residual
    ("avrundning/övrigt") when the stated figures do not add up; the stated result of
    ``to_year``. With ``through_financial``, and the year's financial costs in the data,
    the bridge continues: − finansiella kostnader ``to_year`` and the result after
    financial items (stated, with its own residual). The financial costs are taken in
    full because the previous year's are rarely in the slides; the step says so.

    Columns: steg, typ (start, ändring, rest, delsumma, slut), belopp (mnkr, signed
    effect on the result), från/till (the running total before/after the step, for the
    chart), ökning_pct and uppgiven_ökning_pct (computed and stated growth for the
    revenue and cost steps), förklaring. Empty when either year lacks revenue or costs.
    """
    code = resolve_region(region)
    to_year = to_year if to_year is not None else from_year + 1
    rev0, rev1 = value_at(df, REVENUE, code, from_year), value_at(df, REVENUE, code, to_year)
    cost0, cost1 = value_at(df, COST, code, from_year), value_at(df, COST, code, to_year)
    if any(np.isnan(v) for v in (rev0, rev1, cost0, cost1)):
        return pd.DataFrame(columns=BRIDGE_COLUMNS)
    r0, how0 = _stated_or_computed(df, code, from_year)
    r1, how1 = _stated_or_computed(df, code, to_year)
    stated_rev = value_at(df, "skatt_statsbidrag_utveckling", code, to_year)
    stated_cost = value_at(df, "nettokostnadsutveckling", code, to_year)
    rows = []

    def add(steg, typ, belopp, start, end, förklaring="", growth=np.nan, stated=np.nan):
        rows.append({"steg": steg, "typ": typ, "belopp": belopp, "från": start, "till": end, "ökning_pct": growth, "uppgiven_ökning_pct": stated, "förklaring": förklaring})

    add(f"Verksamhetens resultat {from_year}", "start", r0, 0.0, r0, how0)
    running = r0
    d_rev = rev1 - rev0
    add("Ökning av skatteintäkter och generella statsbidrag", "ändring", d_rev, running, running + d_rev,
        f"{fmt_mnkr(rev0)} → {fmt_mnkr(rev1)}", growth_pct(rev1, rev0), stated_rev)
    running += d_rev
    d_cost = cost1 - cost0
    add("Ökning av nettokostnaderna", "ändring", -d_cost, running, running - d_cost,
        f"{fmt_mnkr(cost0)} → {fmt_mnkr(cost1)}", growth_pct(cost1, cost0), stated_cost)
    running -= d_cost
    residual = r1 - running
    if abs(residual) > 1e-9:
        add("Avrundning/övrigt", "rest", residual, running, r1,
            f"De uppgivna beloppen går inte jämnt ihop: {fmt_mnkr(running)} beräknat mot {fmt_mnkr(r1)} uppgivet.")
    last = "slut"
    fin = value_at(df, FINANCIAL, code, to_year)
    if through_financial and not np.isnan(fin):
        last = "delsumma"
    add(f"Verksamhetens resultat {to_year}", last, r1, 0.0, r1, how1)
    if last == "delsumma":
        add(f"Finansiella kostnader {to_year}", "ändring", -fin, r1, r1 - fin,
            f"Hela årets finansiella kostnader; {from_year} års finns inte i underlaget.")
        balanced = value_at(df, BALANCED, code, to_year)
        after = r1 - fin
        if np.isnan(balanced):
            add(f"Resultat efter finansiella poster {to_year}", "slut", after, 0.0, after, "beräknat")
        else:
            if abs(balanced - after) > 1e-9:
                add("Avrundning/övrigt", "rest", balanced - after, after, balanced,
                    f"Uppgivet {fmt_mnkr(balanced)} mot beräknat {fmt_mnkr(after)}.")
            add(f"{label(BALANCED)} {to_year}", "slut", balanced, 0.0, balanced, "uppgivet i källan (utan orealiserade vinster)")
    return pd.DataFrame(rows, columns=BRIDGE_COLUMNS)


def _growth_text(computed: float, stated: float) -> str:
    if np.isnan(stated) or abs(round(computed, 1) - stated) < 1e-9:
        return fmt_pct(computed)
    return f"{fmt_pct(computed)}; källan anger {fmt_pct(stated, 0 if float(stated).is_integer() else 1)}"


def bridge_reading(bridge: pd.DataFrame, region: str) -> str:
    """One sentence on :func:`result_bridge`: from what to what, and why."""
    name = region_name(region)
    if bridge.empty:
        return f"Underlaget saknar nettokostnader eller skatteintäkter för två år i följd för {name}: resultatbryggan kan inte göras."
    start = bridge.iloc[0]
    sub = bridge[bridge["typ"].isin(["delsumma", "slut"])].iloc[0]
    rev = bridge[bridge["steg"].str.startswith("Ökning av skatt")].iloc[0]
    cost = bridge[bridge["steg"].str.startswith("Ökning av netto")].iloc[0]
    y0, y1 = start["steg"][-4:], sub["steg"][-4:]
    verb = "försämrades" if sub["belopp"] < start["belopp"] else "förbättrades"
    text = (
        f"Verksamhetens resultat i {name} {verb} från {fmt_mnkr(start['belopp'], sign=True)} {y0} till "
        f"{fmt_mnkr(sub['belopp'], sign=True)} {y1}: nettokostnaderna ökade med {fmt_mnkr(-cost['belopp'])} "
        f"({_growth_text(cost['ökning_pct'], cost['uppgiven_ökning_pct'])}) men skatteintäkter och generella "
        f"statsbidrag bara med {fmt_mnkr(rev['belopp'])} ({_growth_text(rev['ökning_pct'], rev['uppgiven_ökning_pct'])})"
    )
    rest = bridge[bridge["typ"] == "rest"]
    if not rest.empty:
        text += f"; {fmt_mnkr(abs(rest['belopp'].iloc[0]))} är avrundning i källans belopp"
    end = bridge.iloc[-1]
    if end["typ"] == "slut" and end is not sub and len(bridge[bridge["typ"] == "delsumma"]):
        fin = bridge[bridge["steg"].str.startswith("Finansiella")].iloc[0]
        text += f". Efter finansiella kostnader på {fmt_mnkr(-fin['belopp'])} blev resultatet {fmt_mnkr(end['belopp'], sign=True)}"
    return text + "."


# --------------------------------------------------------------------------- growth gap

GAP_COLUMNS = ["region", "år", "kostnadsökning_pct", "intäktsökning_pct", "gap_pe", "gapets_kostnad_mnkr", "uppgiven_kostnadsökning_pct", "uppgiven_intäktsökning_pct"]


def growth_gap_table(df: pd.DataFrame, regions: list[str] | str) -> pd.DataFrame:
    """Cost growth minus revenue growth per region and year, and what the gap costs.

    ``gap_pe`` = nettokostnadernas ökning − skatteintäkternas och statsbidragens ökning,
    in procentenheter, computed from the amounts. ``gapets_kostnad_mnkr`` is how much
    higher the net costs were than if they had grown at the revenue's rate:
    föregående års nettokostnader × gap / 100. The growth stated in the source is
    given beside the computed. Years without both years' amounts are left out.
    """
    regions = [regions] if isinstance(regions, str) else list(regions)
    rows = []
    for r in regions:
        code = resolve_region(r)
        t = cost_revenue_table(df, code)
        for _, row in t.iterrows():
            if np.isnan(row["kostnadsökning_pct"]) or np.isnan(row["intäktsökning_pct"]):
                continue
            y = int(row["år"])
            gap = row["kostnadsökning_pct"] - row["intäktsökning_pct"]
            prev_cost = value_at(df, COST, code, y - 1)
            rows.append({
                "region": code, "år": y, "kostnadsökning_pct": row["kostnadsökning_pct"], "intäktsökning_pct": row["intäktsökning_pct"],
                "gap_pe": gap, "gapets_kostnad_mnkr": prev_cost * gap / 100.0,
                "uppgiven_kostnadsökning_pct": value_at(df, "nettokostnadsutveckling", code, y),
                "uppgiven_intäktsökning_pct": value_at(df, "skatt_statsbidrag_utveckling", code, y),
            })
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def growth_gap_reading(table: pd.DataFrame, regions: list[str] | str) -> str:
    """One sentence on :func:`growth_gap_table`: the latest gap and what it cost; who lacks data."""
    regions = [resolve_region(r) for r in ([regions] if isinstance(regions, str) else regions)]
    lacking = [region_name(r) for r in regions if r not in set(table["region"])]
    if table.empty:
        return "Underlaget saknar nettokostnader och skatteintäkter för två år i följd för " + _join(lacking) + ": tillväxtgapet kan inte räknas."
    parts = []
    for code, rows in table.groupby("region", sort=False):
        last = rows.sort_values("år").iloc[-1]
        parts.append(
            f"{region_name(code)}s nettokostnader växte {fmt_number(abs(last['gap_pe']), 1)} procentenheter "
            f"{'snabbare' if last['gap_pe'] > 0 else 'långsammare'} än skatteintäkterna och statsbidragen {int(last['år'])} "
            f"({fmt_pct(last['kostnadsökning_pct'])} mot {fmt_pct(last['intäktsökning_pct'])}), vilket motsvarar "
            f"{fmt_mnkr(abs(last['gapets_kostnad_mnkr']))} {'mer' if last['gap_pe'] > 0 else 'mindre'} i kostnader än om de växt i intäkternas takt"
        )
    text = "; ".join(parts)
    if lacking:
        text += f"; för {_join(lacking)} saknas uppgifter"
    return text + "."


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


# --------------------------------------------------------------------------- normalized comparison

#: Result measures compared across regions, in order of preference.
RESULT_MEASURES = (RESULT, BALANCED, "arets_resultat")
NORMALIZED_COLUMNS = ["region", "år", "mått", "typ", "belopp_mnkr", "folkmängd", "kr_per_invånare", "skatt_statsbidrag_mnkr", "andel_av_skatt_pct", "status"]
MISSING_TEXT = "uppgift saknas"


def normalized_results(
    df: pd.DataFrame, regions: list[str], years: list[int], measures: tuple[str, ...] = RESULT_MEASURES, kinds: tuple[str, ...] = ("utfall", "prognos")
) -> pd.DataFrame:
    """Results per invånare and as a share of skatteintäkter och generella statsbidrag.

    One row per region, year and measure, for every combination asked for: a value the
    data does not contain stays NaN with status "uppgift saknas" (never 0), so a table
    or chart built on it shows the gap. ``typ`` is the kind used (utfall before
    prognos; a prognos is labelled as one). Per invånare uses SCB's folkmängd 31
    December of the same year (the latest earlier year if that year is missing, said in
    status); the share uses the same year's skatteintäkter och statsbidrag, utfall only.
    """
    rows = []
    for r in regions:
        code = resolve_region(r)
        pop = annual(df, "befolkning", code)
        for y in years:
            for m in measures:
                value, kind = np.nan, ""
                for k in kinds:
                    v = value_at(df, m, code, y, kind=k)
                    if not np.isnan(v):
                        value, kind = v, k
                        break
                earlier = pop[pop.index <= y]
                people = float(earlier.iloc[-1]) if len(earlier) else np.nan
                status = MISSING_TEXT if np.isnan(value) else ("" if kind == "utfall" else kind)
                if not np.isnan(value) and len(earlier) and int(earlier.index[-1]) != y:
                    status = (status + "; " if status else "") + f"folkmängd {int(earlier.index[-1])}"
                tax = value_at(df, REVENUE, code, y)
                rows.append({
                    "region": code, "år": y, "mått": m, "typ": kind, "belopp_mnkr": value, "folkmängd": people,
                    "kr_per_invånare": value * 1e6 / people if not np.isnan(people) else np.nan,
                    "skatt_statsbidrag_mnkr": tax, "andel_av_skatt_pct": value / tax * 100.0 if not np.isnan(tax) else np.nan,
                    "status": status,
                })
    return pd.DataFrame(rows, columns=NORMALIZED_COLUMNS)


def normalized_reading(table: pd.DataFrame, measure: str = RESULT) -> str:
    """One sentence on :func:`normalized_results` for one measure: values and who lacks them."""
    t = table[table["mått"] == measure]
    if t.empty:
        return "Jämförelsen har inga regioner eller år."
    have = t.dropna(subset=["belopp_mnkr"])
    lacking = [region_name(r) for r in dict.fromkeys(t["region"]) if r not in set(have["region"])]
    if have.empty:
        return f"Underlaget saknar {label(measure).lower()} för {_join(lacking)}: ingen jämförelse är möjlig ännu."
    latest = have.sort_values("år").groupby("region").tail(1)
    parts = []
    for _, row in latest.iterrows():
        share = f", {fmt_pct(row['andel_av_skatt_pct'])} av skatteintäkter och statsbidrag" if not np.isnan(row["andel_av_skatt_pct"]) else ""
        kind = f" ({row['typ']})" if row["typ"] and row["typ"] != "utfall" else ""
        parts.append(f"{region_name(row['region'])} {int(row['år'])}{kind}: {fmt_number(row['kr_per_invånare'], 0, sign=True)} kr per invånare{share}")
    text = f"{label(measure)}: " + "; ".join(parts)
    if lacking:
        text += f". För {_join(lacking)} saknas {label(measure).lower()} i underlaget och visas som saknad, inte som noll"
    return text + "."


# --------------------------------------------------------------------------- monthly finance rows

ROLLUP_COLUMNS = ["serie", "post", "år", "period", "månader", "belopp", "helår", "källa"]


def monthly_rollup(df: pd.DataFrame, region: str, series: tuple[str, ...] = (COST, REVENUE), kind: str = "utfall") -> pd.DataFrame:
    """Monthly finance rows (net costs, revenue) summed per year, for a region's report.

    One row per series and year with monthly data: the sum from January through the last
    month present, labelled "jan–MMM" (year to date), or "helår" when all twelve months
    exist (``helår`` True). A year that lacks a month before its last one is still a year
    to date, labelled with the months it has ("7 av 8 månader"), never a full year.
    """
    from regionanalys.data.formatting import month_abbr

    code = resolve_region(region)
    rows = select(df, region=code, org="region", series=list(series), kind=kind, category="", freq="M")
    out = []
    for (s, y), g in rows.groupby(["series", "year"], sort=True):
        months = sorted({p.month for p in g["period"]})
        last = months[-1]
        full = len(months) == 12
        if full:
            text = "helår"
        elif months == list(range(1, last + 1)):
            text = f"jan–{month_abbr(last)}" if last > 1 else "jan"
        else:
            text = f"{len(months)} av {last} månader t.o.m. {month_abbr(last)}"
        out.append({"serie": s, "post": label(s), "år": int(y), "period": text, "månader": len(months),
                    "belopp": float(g["value"].sum()), "helår": full,
                    "källa": "; ".join(dict.fromkeys(g["source"].astype(str)))})
    return pd.DataFrame(out, columns=ROLLUP_COLUMNS)


def with_annual_from_monthly(df: pd.DataFrame, region: str) -> pd.DataFrame:
    """``df`` plus annual utfall rows for net costs and revenue built from twelve months.

    Only full years are added, and only where the data has no annual figure of its own, so
    a region that delivers monthly exports gets the annual tables; each added row's source
    says it is the sum of the months.
    """
    code = resolve_region(region)
    roll = monthly_rollup(df, code)
    roll = roll[roll["helår"]]
    if roll.empty:
        return df
    template = select(df, region=code, org="region", series=list(roll["serie"]), freq="M", kind="utfall")
    added = []
    for _, r in roll.iterrows():
        if not np.isnan(value_at(df, r["serie"], code, r["år"])):
            continue
        base = template[template["series"] == r["serie"]].iloc[0].to_dict()
        base.update({"period": pd.Period(str(r["år"]), freq="Y"), "year": r["år"], "freq": "Y", "value": r["belopp"],
                     "source": f"summa av 12 månader ({r['källa']})"})
        if "month" in base:
            base["month"] = np.nan
        if "example" in base:
            base["example"] = bool(template[template["series"] == r["serie"]]["example"].any())
        added.append(base)
    if not added:
        return df
    return pd.concat([df, pd.DataFrame(added)], ignore_index=True)
