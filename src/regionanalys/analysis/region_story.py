"""Region-level readings for the region report: the results history, how a region plans
to close a deficit, a nämnd's adopted plan against its områden, and the decisions with
the documents' own assessments.

Every figure comes from the data; a function returns an empty table when the region's
data has nothing for it, and the report then says so in one line.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from regionanalys.analysis.indicators import forecast_as_of, select, value_at
from regionanalys.analysis.keyfigures import decisions_in_data, real
from regionanalys.data.documents import SCOPES
from regionanalys.data.formatting import fmt_mnkr, fmt_number
from regionanalys.data.registry import category_label, label
from regionanalys.data.regions import region_name, resolve_region

#: Result measures shown in the history, in the order they are drawn.
HISTORY_MEASURES = ("verksamhetens_resultat", "balanserat_resultat", "arets_resultat", "balanskravsresultat")
HISTORY_COLUMNS = ["år", "mått", "typ", "belopp", "mot budget", "etikett", "källa"]


def _first_source(sources: pd.Series) -> str:
    return "; ".join(dict.fromkeys(sources.astype(str)))


def results_history(df: pd.DataFrame, region: str) -> pd.DataFrame:
    """Every stated annual result of the region, one row per year, measure and kind.

    Measures: verksamhetens resultat, balanserat resultat, årets resultat and
    balanskravsresultat (whole region, ``org == "region"``); kinds utfall, prognos and
    budget, never mixed: each row carries both, and ``etikett`` ("Årets resultat, utfall")
    names them for a chart's bar. Example rows are left out.
    """
    code = resolve_region(region)
    rows = select(real(df), region=code, org="region", series=list(HISTORY_MEASURES), kind=["utfall", "prognos", "budget"],
                  category="", freq="Y")
    deviations = select(real(df), region=code, org="region", series=list(HISTORY_MEASURES), kind="budgetavvikelse",
                        category="", freq="Y")
    out = []
    for (y, s, k), g in rows.groupby(["year", "series", "kind"], sort=True):
        dev = deviations[(deviations["year"] == y) & (deviations["series"] == s)] if k == "utfall" else deviations.iloc[:0]
        out.append({"år": int(y), "mått": label(s), "typ": k, "belopp": float(g["value"].iloc[0]),
                    "mot budget": float(dev["value"].iloc[0]) if len(dev) else np.nan,
                    "etikett": f"{label(s)}, {k}", "källa": _first_source(pd.concat([g["source"], dev["source"]]))})
    t = pd.DataFrame(out, columns=HISTORY_COLUMNS)
    order = {label(s): i for i, s in enumerate(HISTORY_MEASURES)}
    kinds = {"utfall": 0, "prognos": 1, "budget": 2}
    if not t.empty:
        t = t.assign(_m=t["mått"].map(order), _k=t["typ"].map(kinds)).sort_values(["år", "_m", "_k"]).drop(columns=["_m", "_k"])
    return t.reset_index(drop=True)


def history_reading(table: pd.DataFrame, region: str) -> str:
    """One sentence on :func:`results_history`: which years and measures the data states."""
    name = region_name(region)
    if table.empty:
        return f"Underlaget innehåller inga uppgivna resultat för {name}."
    years = sorted(table["år"].unique())
    measures = list(dict.fromkeys(m.lower() for m in table["mått"]))
    if len(years) == 1:
        text = f"Underlaget anger resultat för {name} bara för {years[0]}"
    else:
        text = f"Underlaget anger resultat för {name} för {len(years)} år mellan {years[0]} och {years[-1]}"
    if len(measures) > 1:
        text += f", men inte samma mått varje år ({', '.join(measures)}); varje stapel anger mått och om det är utfall, prognos eller budget"
    last = table[table["typ"] == "utfall"].tail(1)
    if not last.empty:
        r = last.iloc[0]
        text += f". Senaste utfall: {r['mått'].lower()} {int(r['år'])} {fmt_mnkr(r['belopp'], sign=True)}"
        if not np.isnan(r["mot budget"]):
            text += f" ({fmt_mnkr(r['mot budget'], sign=True)} mot budget)"
    return text + "."


def _decisions(df: pd.DataFrame, code: str) -> list:
    """The region's decisions within the years the report's data reaches."""
    return decisions_in_data(df, code)


# --------------------------------------------------------------------------- closing the gap

GAP_COLUMNS = ["del", "typ", "år", "belopp", "förklaring", "källa"]


def gap_closing_plan(df: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """The deficit of ``year`` and the decided measures for ``year + 1`` that answer it.

    Rows (``typ``): ``underskott`` — the region's årets resultat prognos for ``year``
    (with its date) and the balanskravsresultat utfall where stated; ``åtgärd`` —
    revenue measures (``intaktsatgard`` beslut: skattehöjning, avgiftshöjning) and the
    whole-region savings requirement (one decision, alternates in the text), each for
    ``year + 1``; ``varav`` — a nämnd's part of the savings requirement. ``summa`` adds
    the measures, labelled as decided measures and not a forecast of the result.
    Empty when the region has no decided revenue measures for ``year + 1``.
    """
    code = resolve_region(region)
    nxt = year + 1
    data = real(df)
    measures = select(data, region=code, org="region", series="intaktsatgard", year=nxt, freq="Y")
    savings = [d for d in _decisions(data, code) if d.scope == "hela_regionen" and d.year == nxt and d.unit == "mnkr"]
    if measures.empty:
        # Without decided revenue measures there is no plan to close a gap, only a savings
        # requirement, which the decisions section shows.
        return pd.DataFrame(columns=GAP_COLUMNS)
    rows = []
    prog = select(data, region=code, org="region", series="arets_resultat", kind="prognos", year=year, freq="Y")
    for _, r in prog.iterrows():
        when = forecast_as_of(str(r["note"]))
        rows.append({"del": f"Årets resultat {year}, prognos" + (f" {when}" if when else ""), "typ": "underskott", "år": year,
                     "belopp": float(r["value"]), "förklaring": "prognos för hela regionen", "källa": r["source"]})
    out = select(data, region=code, org="region", series="balanskravsresultat", kind="utfall", year=year, freq="Y")
    for _, r in out.iterrows():
        rows.append({"del": f"Balanskravsresultat {year}, utfall", "typ": "underskott", "år": year, "belopp": float(r["value"]),
                     "förklaring": "offentligt utfall", "källa": r["source"]})
    for _, r in measures.sort_values("value", ascending=False).iterrows():
        rows.append({"del": category_label(r["category"]).capitalize() if r["category"] else label(r["series"]), "typ": "åtgärd",
                     "år": nxt, "belopp": float(r["value"]), "förklaring": f"beslutad åtgärd för {nxt}", "källa": r["source"]})
    for d in savings:
        rows.append({"del": "Kostnadsreduceringar", "typ": "åtgärd", "år": nxt, "belopp": d.value,
                     "förklaring": f"besparingskrav för hela regionen: {d.amount_text()}", "källa": d.source})
        for part in (p for p in d.parts if p.get("scope") == "namnd"):
            rows.append({"del": f"varav {part['org']}", "typ": "varav", "år": nxt, "belopp": float(part["value"]),
                         "förklaring": "nämndens del av besparingskravet", "källa": part["source"]})
    acts = [r for r in rows if r["typ"] == "åtgärd"]
    if acts:
        rows.append({"del": f"Summa beslutade åtgärder {nxt}", "typ": "summa", "år": nxt, "belopp": float(sum(r["belopp"] for r in acts)),
                     "förklaring": "summan av besluten, inte en prognos för resultatet", "källa": "beräknat"})
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def gap_closing_reading(table: pd.DataFrame, region: str, year: int) -> str:
    """One sentence on :func:`gap_closing_plan`."""
    name = region_name(region)
    if table.empty:
        return f"Underlaget innehåller inga beslutade åtgärder för {name} {year + 1}."
    deficit = table[table["typ"] == "underskott"]
    acts = table[table["typ"] == "åtgärd"]
    parts = ", ".join(f"{r['del'].lower()} {fmt_mnkr(r['belopp'])}" for _, r in acts.iterrows())
    total = table[table["typ"] == "summa"]["belopp"]
    text = ""
    if not deficit.empty:
        text = "; ".join(f"{r['del'].lower()} {fmt_mnkr(r['belopp'], sign=True)}" for _, r in deficit.iterrows())
        text = f"Underskottet för {year}: {text}. "
    text += f"För {year + 1} har {name} beslutat om {parts}"
    if len(total):
        text += f", sammanlagt {fmt_mnkr(total.iloc[0])}"
    text += f". Åtgärderna gäller {year + 1} och möter ett underskott för {year}; summan är inte en prognos för resultatet."
    return text


# --------------------------------------------------------------------------- a nämnd's plan against its områden

ADJUSTMENT_COLUMNS = ["del", "typ", "belopp", "källa"]


def _without_column(source: str) -> str:
    """A table source without its ", kolumn 2024" (one footnote for all years of a row)."""
    import re

    return re.sub(r", kolumn \d{4}$", "", str(source))


def plan_against_areas(df: pd.DataFrame, region: str, org: str, year: int, orgs: pd.DataFrame | None = None) -> pd.DataFrame:
    """A nämnd's adopted savings plan for ``year`` against the sum of its områden's plans.

    Built on :func:`regionanalys.analysis.savings.adopted_plan`, the function the savings
    report uses, so both reports show the same 84,8 mnkr. Rows: each område's plan
    (``typ`` "område", largest first), the political adjustment as its own segment
    (``typ`` "justering"), and the adopted plan (``typ`` "antagen"). Empty unless the
    nämnd's plan has områden (``orgs`` as from :func:`regionanalys.load_orgs`).
    """
    return plans_against_areas(df, region, year, orgs).get(org, pd.DataFrame(columns=ADJUSTMENT_COLUMNS))


def plans_against_areas(df: pd.DataFrame, region: str, year: int, orgs: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """:func:`plan_against_areas` for every nämnd of the region whose plan has områden, by
    nämnd: the region's adopted plans are computed once (a report with many nämnder asks
    for each of them)."""
    from regionanalys.analysis.savings import adopted_plan

    plans = adopted_plan(real(df), region, year, orgs)
    out = {}
    for org, t in plans.groupby("org", sort=False):
        if not (t["typ"] == "område").any():
            continue
        areas = t[t["typ"] == "område"].sort_values("belopp_mnkr", ascending=False)
        rows = [{"del": r["del"], "typ": "område", "belopp": float(r["belopp_mnkr"]), "källa": _without_column(r["källa"])}
                for _, r in areas.iterrows()]
        rows += [{"del": r["del"], "typ": "justering", "belopp": float(r["belopp_mnkr"]), "källa": r["källa"]}
                 for _, r in t[t["typ"] == "justering"].iterrows()]
        rows += [{"del": f"{r['del']} {org}", "typ": "antagen", "belopp": float(r["belopp_mnkr"]), "källa": r["källa"]}
                 for _, r in t[t["typ"] == "summa"].iterrows()]
        out[org] = pd.DataFrame(rows, columns=ADJUSTMENT_COLUMNS)
    return out


def plan_against_areas_reading(table: pd.DataFrame, org: str, year: int) -> str:
    """One sentence on :func:`plan_against_areas`."""
    if table.empty:
        return f"Underlaget saknar områdenas planer för {org} {year}."
    areas = table[table["typ"] == "område"]["belopp"].sum()
    adopted = table[table["typ"] == "antagen"]["belopp"].iloc[0]
    text = f"{org}s handlingsplan för {year} är {fmt_mnkr(adopted, 1)} som antagen; områdenas åtgärder summerar till {fmt_mnkr(areas, 1)}"
    adj = table[table["typ"] == "justering"]
    if len(adj):
        text += f" och skillnaden {fmt_mnkr(adj['belopp'].iloc[0], 1, sign=True)} är {adj['del'].iloc[0].lower()}"
    return text + "."


def plan_pivot(df: pd.DataFrame, region: str, org_prefix: str = "Område", *, parent: str | None = None,
               orgs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The handlingsplan as område × year (mnkr) with årsarbetare, one row per område.

    Columns: område, one column per plan year, "årsarbetare {first year}" where stated,
    and källa (the sources of the område's rows). Replaces the long format. With
    ``parent`` and ``orgs`` (:func:`regionanalys.load_orgs`), only that nämnd's områden: a
    region with several nämnder shows each nämnd its own.
    """
    code = resolve_region(region)
    data = real(df)
    plan = select(data, region=code, series="besparing", kind="plan", category="", freq="Y")
    keep = plan["org"].str.startswith(org_prefix)
    if parent is not None and orgs is not None and not orgs.empty:
        mine = set(orgs.loc[(orgs["region"] == code) & (orgs["parent"] == parent), "org"])
        keep &= plan["org"].isin(mine)
    plan = plan[keep]
    if plan.empty:
        return pd.DataFrame()
    wide = plan.pivot_table(index="org", columns="year", values="value", aggfunc="sum")
    wide.columns = [str(c) for c in wide.columns]
    staff = select(data, region=code, series="besparing_arsarbetare", kind="plan", freq="Y")
    staff = staff[staff["org"].isin(wide.index)]
    first = wide.columns[0]
    if not staff.empty:
        wide[f"årsarbetare {first}"] = staff.groupby("org")["value"].sum().reindex(wide.index)
    wide["källa"] = plan.groupby("org")["source"].first().reindex(wide.index).map(_without_column)
    out = wide.sort_values(first, ascending=False).reset_index().rename(columns={"org": "område"})
    return out


def wage_growth(df: pd.DataFrame, region: str, org: str) -> pd.DataFrame:
    """Lönekostnadsökningstakt for a nämnd per kind and year, in percent as the source gives it."""
    code = resolve_region(region)
    rows = select(real(df), region=code, org=org, series="lonekostnadsokningstakt", freq="Y")
    if rows.empty:
        return pd.DataFrame(columns=["kolumn", "procent", "källa"])
    kinds = {"utfall": 0, "prognos": 1, "budget": 2}
    rows = rows.assign(_k=rows["kind"].map(kinds)).sort_values(["year", "_k"], ascending=[False, True])
    return pd.DataFrame({"kolumn": rows["kind"].str.capitalize() + " " + rows["year"].astype(str),
                         "procent": rows["value"].to_numpy(), "källa": rows["source"].to_numpy()})


def wage_growth_reading(table: pd.DataFrame, org: str) -> str:
    """One sentence on :func:`wage_growth`, with the source's precision (one decimal)."""
    if table.empty:
        return ""
    parts = [f"{fmt_number(v, 1, sign=v < 0)} % ({k.lower()})" for k, v in zip(table["kolumn"], table["procent"])]
    return f"{org}s lönekostnadsökningstakt: " + ", ".join(parts) + "."


# --------------------------------------------------------------------------- decisions and assessments

def region_events(events: pd.DataFrame, region: str) -> pd.DataFrame:
    """The region's dated decisions from :func:`regionanalys.load_events`."""
    code = resolve_region(region)
    return events[events["region"] == code] if events is not None and not events.empty else events


def region_statements(statements: pd.DataFrame, region: str) -> pd.DataFrame:
    """The region's quoted assessments from :func:`regionanalys.data.documents.load_statements`."""
    code = resolve_region(region)
    return statements[statements["region"] == code] if statements is not None and not statements.empty else statements


def decision_rows(df: pd.DataFrame, region: str) -> pd.DataFrame:
    """One row per savings decision, with its parts and measures below it (a reader's table).

    Columns: beslut, omfattning, år, belopp (mnkr; NaN for a measure in other units),
    mått (the amount in words, e.g. "cirka 130 tjänster"), källa.
    """
    code = resolve_region(region)
    rows = []
    for d in _decisions(real(df), code):
        rows.append({"beslut": d.label, "omfattning": d.scope_label, "år": d.year, "belopp": d.value if d.unit == "mnkr" else np.nan,
                     "mått": d.amount_text(), "källa": d.source})
        for part in d.parts:
            rows.append({"beslut": f"  varav {part['label']}", "omfattning": SCOPES.get(part.get("scope", ""), part.get("scope", "")), "år": d.year,
                         "belopp": float(part["value"]) if part["unit"] == "mnkr" else np.nan,
                         "mått": f"{fmt_number(part['value'])} {part['unit']}", "källa": part["source"]})
        for m in d.measures:
            rows.append({"beslut": f"  {m['label']}", "omfattning": SCOPES.get(m.get("scope", ""), m.get("scope", "")), "år": d.year, "belopp": np.nan,
                         "mått": f"{fmt_number(m['value'])} {m['unit'].replace('tjanster', 'tjänster').replace('anstallda', 'anställda')}",
                         "källa": m["source"]})
    return pd.DataFrame(rows, columns=["beslut", "omfattning", "år", "belopp", "mått", "källa"])


def plan_phases(df: pd.DataFrame, region: str) -> pd.DataFrame:
    """A whole-region requirement split into what is allocated and what is not yet specified.

    For each whole-region decision with parts in mnkr: the parts (``typ`` "fördelat",
    with the document's label) and the remainder ("ännu inte specificerat"), and the total.
    """
    code = resolve_region(region)
    rows = []
    for d in _decisions(real(df), code):
        # Phases of one plan (Värmland's fas 1), not a nämnd's share of a region-wide requirement.
        money = [p for p in d.parts if p["unit"] == "mnkr" and str(p.get("category", "")).startswith("fas")]
        if d.scope != "hela_regionen" or d.unit != "mnkr" or not money:
            continue
        for p in money:
            rows.append({"del": p["label"].split(",")[0].capitalize(), "typ": "fördelat", "belopp": float(p["value"]),
                         "förklaring": p["label"], "källa": p["source"]})
        rest = d.value - sum(float(p["value"]) for p in money)
        rows.append({"del": "Resten (fas 2)" if code == "17" else "Resten", "typ": "ej specificerat", "belopp": rest,
                     "förklaring": "ännu inte specificerat i underlaget (beräknat: kravet minus det fördelade)", "källa": "beräknat"})
        rows.append({"del": d.label, "typ": "krav", "belopp": d.value, "förklaring": d.amount_text(), "källa": d.source})
    return pd.DataFrame(rows, columns=["del", "typ", "belopp", "förklaring", "källa"])


def prognosis_vs_outcome(df: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """For each result measure with both a prognos and an utfall for ``year``: both and the difference."""
    code = resolve_region(region)
    rows = []
    for s in HISTORY_MEASURES:
        prog, out = value_at(df, s, code, year, kind="prognos"), value_at(df, s, code, year, kind="utfall")
        if np.isnan(prog) or np.isnan(out):
            continue
        src = select(df, region=code, org="region", series=s, year=year, kind=["prognos", "utfall"], freq="Y")["source"]
        rows.append({"mått": label(s), "prognos": prog, "utfall": out, "utfall − prognos": out - prog, "källa": _first_source(src)})
    return pd.DataFrame(rows, columns=["mått", "prognos", "utfall", "utfall − prognos", "källa"])


def balance_requirement_note(df: pd.DataFrame, region: str, year: int) -> str:
    """What the data says about restoring a negative balanskravsresultat, or "".

    Only a stated obligation is repeated (a note or source that speaks of återställa);
    the project never infers one.
    """
    code = resolve_region(region)
    rows = select(real(df), region=code, series="balanskravsresultat", year=year, freq="Y")
    rows = rows[rows["value"] < 0]
    for _, r in rows.iterrows():
        text = f"{r['note']} {r['source']}".lower()
        if "återställ" in text:
            return (f"Balanskravsresultatet {year} är {fmt_mnkr(r['value'], sign=True)}: enligt källan ska underskottet "
                    "återställas inom tre år.")
    return ""


FORWARD_KINDS = ("plan", "budget", "krav", "beslut", "prognos")


def report_scope(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows a report for ``year`` shows: everything up to ``year``, and for ``year + 1``
    only what looks ahead (plan, budget, krav, beslut, prognos) — never a later outcome."""
    keep = (df["year"] <= year) | ((df["year"] == year + 1) & df["kind"].isin(FORWARD_KINDS))
    return df[keep]


def events_in_scope(events: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """The region's decisions that start no later than the end of ``year + 1``."""
    ev = region_events(events, region)
    if ev is None or ev.empty:
        return ev
    return ev[pd.to_datetime(ev["start"]).dt.year <= year + 1]


#: Registry domains the region report shows (staffing has its own report).
ECONOMY_DOMAINS = ("finance", "savings")
#: Series that make a year's economy figures (costs, revenue or a result).
ECONOMY_SERIES = ("nettokostnader", "skatt_statsbidrag", *HISTORY_MEASURES)


def economy_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of the series the region report shows (finance and savings), so the
    report's example-data banner speaks of what the report shows, not of staffing data."""
    from regionanalys.data.registry import series_registry

    keep = {k for k, s in series_registry().items() if s.domain in ECONOMY_DOMAINS}
    return df[df["series"].isin(keep)]


def economy_gap_text(df: pd.DataFrame, region: str, year: int) -> str:
    """"" when the data has the region's costs, revenue or a result for ``year`` (real rows);
    otherwise one sentence saying the report has no economy figures for that year."""
    code = resolve_region(region)
    rows = select(real(df), region=code, org="region", series=list(ECONOMY_SERIES), year=year, freq="Y")
    if not rows.empty:
        return ""
    return (f"Underlaget innehåller inga nettokostnader, skatteintäkter eller resultat för {region_name(code)} {year}: "
            "rapporten visar det som finns (beslut, bedömningar och tidigare år).")


def statements_in_scope(statements: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """The region's quoted assessments from documents dated no later than ``year + 1``
    (the date is the document's own words, "mitten av 2023"; its year decides)."""
    st = region_statements(statements, region)
    if st is None or st.empty:
        return st
    years = st["document_date"].astype(str).str.extract(r"(\d{4})")[0].astype(float)
    return st[years.isna() | (years <= year + 1)]


def assessments_reading(statements: pd.DataFrame) -> str:
    """The documents' own assessments of the savings decisions, quoted, for the text next
    to the requirements ("" when the documents give none)."""
    if statements is None or statements.empty:
        return ""
    quotes = []
    for st in statements.itertuples(index=False):
        who = "regionen" if st.org in ("", "region") else st.org
        quotes.append(f"”{st.quote.rstrip('…').strip()}” ({who}, {st.document_date})")
    return "Dokumentens egna bedömningar: " + " ".join(quotes)
