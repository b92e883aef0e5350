"""Savings programmes: requirements, plans, decisions and outcomes in one table."""
from __future__ import annotations

import numpy as np
import pandas as pd

from regionanalys.data.formatting import fmt_auto, fmt_mnkr, fmt_number, fmt_pct
from regionanalys.analysis.indicators import annual, population_source, select, value_at
from regionanalys.analysis.memo import Lookup
from regionanalys.data.registry import KINDS, category_label
from regionanalys.data.regions import region_name, resolve_region

AMOUNT = "besparing"
HEADCOUNT = {"besparing_arsarbetare": "årsarbetare", "besparing_tjanster": "tjänster", "besparing_anstallda": "anställda"}
STATUS_ORDER = ["krav", "plan", "beslut", "utfall"]


def savings_table(df: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """One row per region, org, category, year and status (krav, plan, beslut, utfall).

    Columns: region, org, kategori, år, status, belopp_mnkr, årsarbetare, tjänster,
    anställda, källa. Headcounts are joined on the same key; missing ones are NaN.
    """
    base = select(df, series=[AMOUNT, *HEADCOUNT], region=None if region is None else resolve_region(region), freq="Y")
    base = base[base["kind"].isin(STATUS_ORDER)]
    key = ["region", "org", "category", "year", "kind"]
    amounts = base[base["series"] == AMOUNT].set_index(key)
    out = amounts[["value", "source"]].rename(columns={"value": "belopp_mnkr", "source": "källa"})
    for sid, col in HEADCOUNT.items():
        counts = base[base["series"] == sid].set_index(key)["value"].rename(col)
        out = out.join(counts, how="outer")
        missing_src = out["källa"].isna()
        if missing_src.any():
            src = base[base["series"] == sid].set_index(key)["source"]
            out.loc[missing_src, "källa"] = src.reindex(out.index[missing_src]).to_numpy()
    out = out.reset_index().rename(columns={"category": "kategori", "year": "år", "kind": "status"})
    out["status"] = pd.Categorical(out["status"], STATUS_ORDER, ordered=True)
    out = out.sort_values(["region", "år", "status", "org", "kategori"]).reset_index(drop=True)
    return out[["region", "org", "kategori", "år", "status", "belopp_mnkr", "årsarbetare", "tjänster", "anställda", "källa"]]


def plan_by_org_and_year(df: pd.DataFrame, region: str, orgs: pd.DataFrame, kind: str = "plan") -> pd.DataFrame:
    """Planned savings totals (category '') per org (rows) and year (columns), mnkr.

    Orgs that are parents of other orgs with data (their figure is a stated total) are
    left out, so the table holds the parts; reconciliation compares parts and totals.
    """
    code = resolve_region(region)
    rows = select(df, region=code, series=AMOUNT, kind=kind, category="", freq="Y")
    parents = set(orgs.loc[(orgs["region"] == code) & orgs["org"].isin(rows["org"]), "parent"])
    rows = rows[~rows["org"].isin(parents)]
    if rows.empty:
        return pd.DataFrame()
    table = rows.pivot_table(index="org", columns="year", values="value", aggfunc="sum")
    return table


def status_label(status: str) -> str:
    """Swedish label of a kind used as status ("krav" -> "Krav"); other text unchanged."""
    return KINDS[status].label if status in KINDS else status


def readable_category(cat: str) -> str:
    return category_label(cat) if cat else "Totalt"


def plan_reading(table: pd.DataFrame, region: str) -> str:
    """One sentence on :func:`plan_by_org_and_year`: the build-up and the largest part."""
    name = region_name(region)
    if table.empty:
        return f"Underlaget innehåller ingen sparplan per område för {name}."
    totals = table.sum(axis=0)
    first, last = int(totals.index[0]), int(totals.index[-1])
    biggest = table[last].idxmax()
    return (
        f"Områdenas planerade besparingar i {name} växer från {fmt_mnkr(totals.iloc[0], 1)} {first} "
        f"till {fmt_mnkr(totals.iloc[-1], 1)} {last}; störst är {biggest} med {fmt_mnkr(table.loc[biggest, last], 1)} {last}."
    )


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`savings_table` with Swedish category and status labels, for display."""
    out = table.copy()
    if "kategori" in out:
        out["kategori"] = out["kategori"].map(readable_category)
    if "status" in out:
        out["status"] = out["status"].astype(str).map(status_label)
    return out.dropna(axis=1, how="all")


# --------------------------------------------------------------------------- indicators


COVERAGE_COLUMNS = [
    "region", "beslut", "rad", "omfattning", "org", "år", "krav_mnkr", "kravet", "plan_mnkr", "plan_delar_mnkr",
    "fördelat_mnkr", "fördelning", "realiserat_mnkr", "täckning_pct", "kommentar", "källa",
]


def _org_total(rows: pd.DataFrame) -> float:
    """An org's total for one year and kind: category '' when stated, else the sum of its categories."""
    if rows.empty:
        return np.nan
    total = rows[rows["category"] == ""]
    return float(total["value"].iloc[0]) if len(total) else float(rows["value"].sum())


def _amounts(df: pd.DataFrame, region=None) -> Lookup:
    """The annual savings amounts of ``region`` (all if None) by region, org, kind and year:
    selected once, so loops over orgs and decisions cost no pass over the table each."""
    return Lookup(select(df, region=region, series=AMOUNT, freq="Y"), ["region", "org", "kind", "year"])


def _children_total(amounts: Lookup, code: str, org: str, year: int, kind: str, orgs: pd.DataFrame | None) -> float:
    if orgs is None or orgs.empty:
        return np.nan
    kids = orgs.loc[(orgs["region"] == code) & (orgs["parent"] == org), "org"]
    values = [_org_total(amounts(code, k, kind, year)) for k in kids]
    values = [v for v in values if not np.isnan(v)]
    return float(sum(values)) if len(values) >= 2 else np.nan


def _own_plan(amounts: Lookup, code: str, org: str, year: int, category: str) -> tuple[float, pd.DataFrame]:
    """The org's own plan for the year: its stated total, or the sum of its categories."""
    plans = amounts(code, org, "plan", year)
    if category and (plans["category"] == category).any():
        plans = plans[plans["category"] == category]
    return _org_total(plans), plans


def _scope_text(scope_label: str) -> str:
    return scope_label if scope_label != "en nämnd" else "nämnd"


def _decisions(df: pd.DataFrame, region, meta: pd.DataFrame | None = None) -> list:
    """:func:`regionanalys.analysis.requirements.decisions`, leaving out alternates, parts and
    measures whose observation is not in ``df`` (a data directory without the public figures):
    a missing alternate must not stop the report. A missing main figure is still an error."""
    from regionanalys.analysis.requirements import _link_key, _observations, decisions
    from regionanalys.data.documents import decisions_for

    meta = decisions_for(df) if meta is None else meta
    meta = meta[meta["region"].isin(set(df["region"]))]  # a region without data has no decisions to show
    have = _observations(df, meta) if len(meta) else {}  # the keys requirements.decisions matches on
    present = pd.Series([row["role"] == "huvud" or _link_key(row) in have for _, row in meta.iterrows()],
                        index=meta.index, dtype=bool)
    return decisions(df, region, meta[present])


def coverage_table(df: pd.DataFrame, region: str | list[str] | None = None, orgs: pd.DataFrame | None = None,
                   meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """How much of each savings *decision* has a plan: one row per decision (``rad`` "beslut")
    and one per part of it that is a requirement of its own (``rad`` "varav").

    A requirement stated in two places (Örebro's 628 and 629 mnkr) is one row, its
    alternates named in ``kravet``; parts (Västerbotten's 58 + 32 + 8) come under their
    total. ``plan_mnkr`` is the org's own plan for the year as adopted (its stated total),
    ``plan_delar_mnkr`` what its child orgs' plans add up to when that differs. ``fördelat_mnkr``
    is a part of the decision that is an allocation, not identified measures (Värmland's fas 1,
    100 of 500 mnkr). Plans of other orgs are never counted toward a requirement.
    ``täckning_pct`` = (plan, else fördelat) / krav.
    """
    rows = []
    amounts = _amounts(df)
    for d in _decisions(df, region, meta):
        if d.kind != "krav" or d.unit != "mnkr":
            continue
        org = "region"
        krav = amounts(d.region, org, "krav", d.year)
        head = krav[krav["value"] == d.value]
        cat = head["category"].iloc[0] if len(head) else ""
        plan, plans = _own_plan(amounts, d.region, org, d.year, cat)
        if len(plans) and (plans["category"] != "").all() and cat == "":
            plan = np.nan  # categories of a plan without a total are parts (fas 1), listed below
        allocated = [p for p in d.parts if p["kind"] == "plan"]
        alloc = float(sum(p["value"] for p in allocated)) if allocated else np.nan
        realized = _org_total(amounts(d.region, org, "utfall", d.year))
        covered = plan if not np.isnan(plan) else alloc
        notes = []
        if not np.isnan(plan):
            notes.append(f"Plan för hela beslutet: {fmt_mnkr(plan, 1)}.")
        for p in allocated:
            notes.append(f"{fmt_auto(p['value'], p['unit'])} {p['label']}.")
        if np.isnan(covered) and not any(p["kind"] == "krav" for p in d.parts):
            notes.append("Ingen plan i underlaget.")
        rows.append({
            "region": d.region, "beslut": d.label, "rad": "beslut", "omfattning": d.scope_label, "org": org, "år": d.year,
            "krav_mnkr": d.value, "kravet": d.amount_text(), "plan_mnkr": plan, "plan_delar_mnkr": np.nan,
            "fördelat_mnkr": alloc, "fördelning": "; ".join(p["label"] for p in allocated), "realiserat_mnkr": realized,
            "täckning_pct": covered / d.value * 100.0 if d.value else np.nan,
            "kommentar": " ".join(notes), "källa": d.source,
        })
        for p in d.parts:
            if p["kind"] != "krav":
                continue
            pplan, _ = _own_plan(amounts, d.region, p["org"], d.year, p["category"])
            parts = _children_total(amounts, d.region, p["org"], d.year, "plan", orgs) if not np.isnan(pplan) else np.nan
            if not np.isnan(parts) and abs(parts - pplan) < 1e-9:
                parts = np.nan
            prealized = _org_total(amounts(d.region, p["org"], "utfall", d.year))
            if np.isnan(pplan):
                note = "Ingen plan i underlaget."
            else:
                note = f"Antagen plan {fmt_mnkr(pplan, 1)}."
                if not np.isnan(parts):
                    note += (f" Områdena summerar till {fmt_mnkr(parts, 1)}; skillnaden {fmt_mnkr(pplan - parts, 1, sign=True)} "
                             "är en politisk justering.")
            rows.append({
                "region": d.region, "beslut": f"varav {p['label']}", "rad": "varav", "omfattning": _scope_text(SCOPES_LABEL(p["scope"])),
                "org": p["org"], "år": d.year, "krav_mnkr": p["value"], "kravet": fmt_auto(p["value"], p["unit"]),
                "plan_mnkr": pplan, "plan_delar_mnkr": parts, "fördelat_mnkr": np.nan, "fördelning": "", "realiserat_mnkr": prealized,
                "täckning_pct": pplan / p["value"] * 100.0 if not np.isnan(pplan) else np.nan,
                "kommentar": note, "källa": p["source"],
            })
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def SCOPES_LABEL(scope: str) -> str:  # noqa: N802 - a lookup, named like the table it reads
    from regionanalys.data.documents import SCOPES

    return SCOPES.get(scope, scope)


def _has_plan(decision_rows: pd.DataFrame) -> bool:
    return bool(decision_rows[["plan_mnkr", "fördelat_mnkr"]].notna().any().any())


def coverage_reading(table: pd.DataFrame) -> str:
    """Sentences on :func:`coverage_table`, decision by decision, and how many decisions have
    no plan at all (counted by decision, not by row)."""
    if table.empty:
        return "Underlaget innehåller inga sparkrav."
    several = table["region"].nunique() > 1
    groups = (table["rad"] == "beslut").cumsum()
    sentences, open_ = [], 0
    for _, g in table.groupby(groups, sort=False):
        head = g.iloc[0]
        who = f"{region_name(head['region'])}: k" if several else "K"
        s = f"{who}ravet {head['kravet']} ({head['omfattning']}, {head['år']})"
        if not np.isnan(head["plan_mnkr"]):
            s += f" har en plan på {fmt_mnkr(head['plan_mnkr'], 1)} ({fmt_pct(head['täckning_pct'], 0)})"
        elif not np.isnan(head["fördelat_mnkr"]):
            s += (f": {fmt_mnkr(head['fördelat_mnkr'], 0)} är fördelat ({fmt_pct(head['täckning_pct'], 0)} av kravet): "
                  f"{head['fördelning']}; resten är {fmt_mnkr(head['krav_mnkr'] - head['fördelat_mnkr'], 0)}")
        else:
            s += ": ingen plan för hela beslutet i underlaget" if (g["rad"] == "varav").any() else ": ingen plan i underlaget"
        parts = g[g["rad"] == "varav"]
        planned = parts.dropna(subset=["plan_mnkr"])
        for _, p in planned.iterrows():
            s += (f"; {p['org']}s del {fmt_mnkr(p['krav_mnkr'], 1)} har en antagen plan på {fmt_mnkr(p['plan_mnkr'], 1)} "
                  f"({fmt_pct(p['täckning_pct'], 0)})")
        if len(parts) and planned.empty:
            s += f"; ingen av de {len(parts)} delarna har en plan i underlaget"
        if not _has_plan(g):
            open_ += 1
        sentences.append(s + ".")
    n = int((table["rad"] == "beslut").sum())
    if open_ and n > 1:
        sentences.append(f"För {open_} av {n} sparbeslut finns ingen plan i underlaget.")
    if table["realiserat_mnkr"].isna().all():
        sentences.append("Inget utfall av besparingarna finns ännu i underlaget.")
    return " ".join(sentences)


def adopted_plan(df: pd.DataFrame, region: str, year: int, orgs: pd.DataFrame | None = None) -> pd.DataFrame:
    """A savings plan for ``year`` as adopted, and how it is built from its parts.

    One block per org with a plan total for the year: a row per child org (``typ``
    "område"), a row ``justering`` for the difference between the stated total and the sum of
    the parts when there is one (Örebro's servicenämnd 2024: områdena 87,3, adopted 84,8,
    political adjustment −2,6 mnkr), and the ``summa`` row: the plan as adopted. Orgs whose
    parent also has a plan are only parts. Columns: region, org, del, typ, belopp_mnkr, källa.
    The region report and the savings report both use this, so they show the same figure.
    """
    code = resolve_region(region)
    plans = select(df, region=code, series=AMOUNT, kind="plan", year=year, freq="Y")
    cols = ["region", "org", "del", "typ", "belopp_mnkr", "källa"]
    if plans.empty:
        return pd.DataFrame(columns=cols)
    parent_of = {} if orgs is None or orgs.empty else dict(zip(orgs.loc[orgs["region"] == code, "org"], orgs.loc[orgs["region"] == code, "parent"]))
    having = set(plans["org"])
    by_org = Lookup(plans, ["org"])
    rows = []
    for org in sorted(having):
        if parent_of.get(org) in having:
            continue  # a part of a plan whose total is also in the data
        own = by_org(org)
        total = _org_total(own)
        src = own.loc[own["category"] == "", "source"]
        src = src.iloc[0] if len(src) else own["source"].iloc[0]
        kids = [k for k, par in parent_of.items() if par == org and k in having]
        kid_sum = 0.0
        for k in sorted(kids):
            kr = by_org(k)
            v = _org_total(kr)
            kid_sum += v
            ksrc = kr.loc[kr["category"] == "", "source"]
            rows.append({"region": code, "org": org, "del": k, "typ": "område", "belopp_mnkr": v,
                         "källa": ksrc.iloc[0] if len(ksrc) else kr["source"].iloc[0]})
        if len(kids) >= 2 and abs(total - kid_sum) > 1e-9:
            note = own.loc[own["category"] == "", "note"]
            rows.append({"region": code, "org": org, "del": "Politisk justering", "typ": "justering",
                         "belopp_mnkr": total - kid_sum,
                         "källa": src.split(" [omräknat")[0] + (f" ({note.iloc[0]})" if len(note) and note.iloc[0] else "")})
        label = "Antagen plan" if kids else ("Plan" if (own["category"] == "").any() else "Fördelat")
        rows.append({"region": code, "org": org, "del": label, "typ": "summa", "belopp_mnkr": total, "källa": src})
    return pd.DataFrame(rows, columns=cols)


def adopted_plan_total(df: pd.DataFrame, region: str, year: int, org: str, orgs: pd.DataFrame | None = None) -> float:
    """The plan of ``org`` for ``year`` as adopted (Örebro's servicenämnd 2024: 84,754 mnkr); NaN if none."""
    t = adopted_plan(df, region, year, orgs)
    hit = t[(t["org"] == org) & (t["typ"] == "summa")]
    return float(hit["belopp_mnkr"].iloc[0]) if len(hit) else np.nan


def adopted_plan_reading(table: pd.DataFrame) -> str:
    """One sentence per org on :func:`adopted_plan`: the adopted figure and the adjustment."""
    if table.empty:
        return "Underlaget innehåller ingen sparplan för året."
    out = []
    for org, t in table.groupby("org", sort=False):
        total = t[t["typ"] == "summa"].iloc[0]
        who = region_name(total["region"]) if org == "region" else org
        s = f"{who}s plan är {fmt_mnkr(total['belopp_mnkr'], 1)} som antagen"
        adj = t[t["typ"] == "justering"]
        if len(adj):
            parts = t.loc[t["typ"] == "område", "belopp_mnkr"].sum()
            s += (f"; områdena summerar till {fmt_mnkr(parts, 1)} och den politiska justeringen är "
                  f"{fmt_mnkr(adj['belopp_mnkr'].iloc[0], 1, sign=True)}")
        out.append(s + ".")
    return " ".join(out)


PER_POST_COLUMNS = ["region", "org", "kategori", "år", "status", "belopp_mnkr", "beloppets_del", "antal", "enhet", "tkr_per_post", "källa"]
_HEAD_UNITS = {"besparing_arsarbetare": "årsarbetare", "besparing_tjanster": "tjänster", "besparing_anstallda": "anställda"}


def per_post_table(df: pd.DataFrame, region: str | list[str] | None = None) -> pd.DataFrame:
    """Savings per post: the amount divided by the posts (årsarbetare, tjänster, anställda).

    An amount and a headcount are paired when they share region, org, category, year
    and kind. Where the org also states its personalkostnadsreduceringar, those (not
    the total, which includes other costs and income) are divided by the posts, and
    ``beloppets_del`` says which was used. A headcount of 0 gives no ratio.
    """
    codes = None if region is None else [resolve_region(r) for r in ([region] if isinstance(region, str) else region)]
    heads = select(df, region=codes, series=list(_HEAD_UNITS), freq="Y")
    amounts = _amounts(df, codes)
    rows = []
    for _, h in heads.iterrows():
        if h["value"] <= 0:
            continue
        same = amounts(h["region"], h["org"], h["kind"], int(h["year"]))
        staff = same[same["category"] == "personalkostnadsreduceringar"]
        if len(staff) and h["category"] == "":
            amount, part, src = float(staff["value"].iloc[0]), "personalkostnadsreduceringar", staff["source"].iloc[0]
        else:
            match = same[same["category"] == h["category"]]
            if match.empty:
                continue
            amount, part, src = float(match["value"].iloc[0]), readable_category(h["category"]).lower() if h["category"] else "hela beloppet", match["source"].iloc[0]
        status = h["kind"]
        if status == "plan" and not (same["category"] == "").any():
            status = "fördelat"  # categories without a stated total (Värmland's fas 1): an allocation, not a plan
        rows.append({
            "region": h["region"], "org": h["org"], "kategori": h["category"], "år": int(h["year"]), "status": status,
            "belopp_mnkr": amount, "beloppets_del": part, "antal": float(h["value"]), "enhet": _HEAD_UNITS[h["series"]],
            "tkr_per_post": amount * 1000.0 / float(h["value"]), "källa": f"{src} | {h['source']}",
        })
    out = pd.DataFrame(rows, columns=PER_POST_COLUMNS)
    return out.sort_values(["region", "org", "år"]).reset_index(drop=True)


def per_post_reading(table: pd.DataFrame) -> str:
    """One sentence on :func:`per_post_table`: the range of savings per post and its ends."""
    if table.empty:
        return "Underlaget anger inga besparingar tillsammans med antal tjänster eller årsarbetare."
    t = table.sort_values("tkr_per_post")
    lo, hi = t.iloc[0], t.iloc[-1]

    def who(r):
        return region_name(r["region"]) if r["org"] == "region" else r["org"]

    def desc(r):
        return f"{fmt_mnkr(r['belopp_mnkr'], 1)} / {fmt_number(r['antal'], 1 if not float(r['antal']).is_integer() else 0)} {r['enhet']}"

    if len(t) == 1:
        return f"Besparingen motsvarar {fmt_number(lo['tkr_per_post'])} tkr per post ({who(lo)}, {desc(lo)})."
    return (
        f"Besparingen per post varierar från {fmt_number(lo['tkr_per_post'])} tkr ({who(lo)}, {desc(lo)}) till "
        f"{fmt_number(hi['tkr_per_post'])} tkr ({who(hi)}, {desc(hi)}); skillnaden visar att beloppen och posterna "
        "inte mäts på samma sätt (anställda, tjänster eller årsarbetare; hela besparingen eller bara personalkostnaden)."
    )


BUILDUP_COLUMNS = ["region", "org", "år", "plan_delar_mnkr", "justering_mnkr", "plan_mnkr", "krav_mnkr", "andel_av_krav_pct"]


def buildup_table(df: pd.DataFrame, region: str, orgs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Planned savings per plan year against the requirement, for each org with a plan.

    The requirement for a year is the org's latest krav at or before that year (a
    requirement holds from its year on, e.g. Servicenämnden's 75,8 mnkr from 2024).
    ``plan_delar_mnkr`` is the sum of the child orgs' plans, where there are any.
    """
    code = resolve_region(region)
    amounts = _amounts(df, code)
    plans = select(df, region=code, series=AMOUNT, kind="plan", freq="Y")
    plan_orgs = set(plans["org"])
    parents = set()
    parents_of: dict[str, set] = {}
    if orgs is not None and not orgs.empty:
        parents = set(orgs.loc[(orgs["region"] == code) & orgs["org"].isin(plan_orgs), "parent"])
        for o, par in zip(orgs["org"], orgs["parent"]):
            parents_of.setdefault(o, set()).add(par)
    plans_of = Lookup(plans, ["org"])
    krav_of = Lookup(select(df, region=code, series=AMOUNT, kind="krav", freq="Y"), ["org"])
    rows = []
    for org in sorted(plan_orgs):
        if parents and org not in parents and org != "region" and orgs is not None and not parents_of.get(org, set()).isdisjoint(plan_orgs):
            continue  # a part of a plan whose total is also in the data
        own = plans_of(org)
        if not (own["category"] == "").any():
            continue  # only categories (Värmland's fas 1): an allocation, shown with the decision, not a plan per year
        krav = krav_of(org)
        for year in sorted(set(own["year"])):
            total = _org_total(own[own["year"] == year])
            req_rows = krav[krav["year"] <= year]
            req = _org_total(req_rows[req_rows["year"] == req_rows["year"].max()]) if len(req_rows) else np.nan
            kids = _children_total(amounts, code, org, int(year), "plan", orgs)
            rows.append({
                "region": code, "org": org, "år": int(year), "plan_mnkr": total, "plan_delar_mnkr": kids,
                "justering_mnkr": total - kids if not np.isnan(kids) and abs(total - kids) > 1e-9 else np.nan, "krav_mnkr": req,
                "andel_av_krav_pct": total / req * 100.0 if not np.isnan(req) else np.nan,
            })
    return pd.DataFrame(rows, columns=BUILDUP_COLUMNS)


def buildup_reading(table: pd.DataFrame, region: str) -> str:
    """One sentence on :func:`buildup_table`."""
    name = region_name(region)
    if table.empty:
        return f"Underlaget innehåller ingen sparplan för {name}."
    parts = []
    for org, t in table.groupby("org", sort=False):
        t = t.sort_values("år")
        first, last = t.iloc[0], t.iloc[-1]
        who = name if org == "region" else org
        s = f"{who}s plan" if org != "region" else f"Planen i {name}"
        if len(t) > 1:
            s += f" växer från {fmt_mnkr(first['plan_mnkr'], 1)} {first['år']} till {fmt_mnkr(last['plan_mnkr'], 1)} {last['år']}"
        else:
            s += f" omfattar {fmt_mnkr(first['plan_mnkr'], 1)} {first['år']}"
        if not np.isnan(first["krav_mnkr"]):
            s += f", {fmt_pct(first['andel_av_krav_pct'], 0)}" + (f" till {fmt_pct(last['andel_av_krav_pct'], 0)}" if len(t) > 1 else "") + f" av kravet {fmt_mnkr(first['krav_mnkr'], 1)}"
        diff = t.dropna(subset=["justering_mnkr"])
        if len(diff):
            d = diff.iloc[0]
            s += (f"; {d['år']} är planen {fmt_mnkr(d['plan_mnkr'], 1)} som antagen: områdena summerar till "
                  f"{fmt_mnkr(d['plan_delar_mnkr'], 1)} och en politisk justering på {fmt_mnkr(d['justering_mnkr'], 1, sign=True)} "
                  "visas som en egen del")
        parts.append(s)
    return "; ".join(parts) + "."


# --------------------------------------------------------------------------- the requirement in own terms

TERMS_COLUMNS = [
    "region", "beslut", "rad", "omfattning", "org", "kategori", "år", "krav_mnkr", "kravet", "bas", "basbelopp_mnkr",
    "andel_av_bas_pct", "bas_kommentar", "uppgiven_andel_pct", "uppgiven_andel_avser", "folkmängd_år", "kr_per_invånare", "skattekrona_mnkr",
    "skattesats_kr", "skattesats_kommentar", "källa",
]


def tax_krona_value(df: pd.DataFrame, region: str, year: int) -> tuple[float, str]:
    """What 1 krona in the region's tax rate yields (mnkr) in ``year``, and how it was found.

    Method, in order: (1) the tax base ``skatteunderlag`` / 100; (2) a tax change in the
    data both in mnkr (``intaktsatgard``, category ``skattehojning``) and in kronor per
    100 kr (``skattesats_forandring``): mnkr / kronor. Nothing else is assumed: without
    either, NaN is returned with a sentence saying which figure is missing.
    """
    code = resolve_region(region)
    base = value_at(df, "skatteunderlag", code, year)
    if not np.isnan(base):
        return base / 100.0, f"skatteunderlaget {year} ({fmt_mnkr(base)}) / 100"
    raise_mnkr = value_at(df, "intaktsatgard", code, year, kind="beslut", category="skattehojning")
    change = value_at(df, "skattesats_forandring", code, year, kind="beslut")
    if np.isnan(change):
        change = value_at(df, "skattesats_forandring", code, year)
    if not np.isnan(raise_mnkr) and not np.isnan(change) and change != 0:
        return raise_mnkr / change, f"skattehöjningen {year} {fmt_mnkr(raise_mnkr)} / {fmt_number(change, 2)} kr"
    if not np.isnan(raise_mnkr):
        return np.nan, (
            f"Skattehöjningen {year} motsvarar {fmt_mnkr(raise_mnkr)}, men underlaget anger inte hur många öre höjningen var "
            "(och inte skatteunderlaget): värdet av 1 krona i skattesats kan därför inte räknas fram."
        )
    return np.nan, "Underlaget saknar skatteunderlag och skatteförändring i öre: skattesatsekvivalenten kan inte räknas fram."


COST_SERIES = "nettokostnader"
#: The series a requirement is measured against (see :func:`_requirement_base`), in order.
BASE_SERIES = (("kostnader", ("budget",), "kostnadsbudgeten"), (COST_SERIES, ("utfall", "budget"), "nettokostnaderna"))
#: The series :func:`tax_krona_value` reads.
TAX_SERIES = ["skatteunderlag", "intaktsatgard", "skattesats_forandring"]


def _requirement_base(df: pd.DataFrame, code: str, org: str, year: int, scope: str) -> tuple[str, float, str]:
    """The figure a requirement is measured against, of the requirement's own ``scope``: a
    nämnd's cost budget, the region's net costs. Returns (what, mnkr, why there is none).

    ``org``'s figures cover :func:`~regionanalys.analysis.requirements.org_scope`; a requirement
    on less than that (the administration of the region or of a nämnd) is never set against
    them: 80 mnkr for the administration is not 0,8 % of the whole region's net costs."""
    from regionanalys.analysis.requirements import org_scope

    if scope != org_scope(org):
        whose = "hela regionens" if org == "region" else f"{org}s"
        return "", np.nan, (f"Underlaget har inga kostnader för {_scope_text(SCOPES_LABEL(scope))}; kravet ställs "
                            f"därför inte mot {whose} kostnader.")
    for series, kinds, text in BASE_SERIES:
        for kind in kinds:
            s = annual(df, series, code, org=org, kind=kind)
            s = s[(s.index <= year) & (s > 0)]
            if len(s):
                y = int(s.index[-1])
                return f"{text} {y} ({kind})", float(s.iloc[-1]), ""
    return "", np.nan, ""


def population_year(df: pd.DataFrame, regions: list[str], year: int | None = None) -> int | None:
    """The one reference year (folkmängd 31 december, SCB) for every per-invånare figure of
    ``regions``: ``year`` when every region has it, else the latest year they all have
    at or before it. None when some region has no population at all."""
    years = None
    for code in regions:
        have = set(annual(df, "befolkning", code).index.astype(int))
        years = have if years is None else years & have
    if not years:
        return None
    if year is not None:
        earlier = [y for y in years if y <= year]
        return max(earlier) if earlier else None
    return max(years)


def requirement_in_own_terms(df: pd.DataFrame, region: str | list[str] | None = None, *, year: int | None = None,
                             meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """What each savings *decision* (and each part that is a requirement of its own) means
    in the organisation's own terms; alternates (628/629) are one row.

    * ``andel_av_bas_pct``: the requirement as a share of the org's cost budget (a nämnd)
      or, for the region, of its net costs in the latest year with an outcome at or before
      the requirement's year, only when the requirement's scope is what those figures cover
      (see :func:`_requirement_base`). ``bas`` names the figure used; NaN when the data has
      none, and ``bas_kommentar`` says why when the scope is narrower (the administration).
    * ``uppgiven_andel_pct``: a share the source itself states, with what it is a share of.
    * ``kr_per_invånare``: per invånare of the region on ONE reference date for every row,
      31 december of ``folkmängd_år`` (see :func:`population_year`; ``year`` defaults to the
      latest year all regions share), whole kronor; ``källa`` names the SCB table.
    * ``skattesats_kr``: the tax-rate rise that would raise the same amount, in kronor per
      100 kr, when :func:`tax_krona_value` can find the value of 1 krona.
    """
    items = [d for d in _decisions(df, region, meta) if d.kind == "krav" and d.unit == "mnkr"]
    codes = sorted({d.region for d in items})
    pop_year = population_year(df, codes, year)
    shares = Lookup(select(df, region=codes or None, series=["besparing_andel_externa_kostnader"], freq="Y"),
                    ["region", "org", "year"])
    # Each decision and part asks the same few figures of its region: the rows they read,
    # selected once per region and org (a pass over the whole table per row is quadratic
    # when decisions grow with the data), and the per-region figures computed once.
    bases = Lookup(select(df, region=codes or None, series=[s for s, _, _ in BASE_SERIES], freq="Y"), ["region", "org"])
    taxes = Lookup(select(df, region=codes or None, series=TAX_SERIES, org="region", freq="Y"), ["region"])
    pops = {code: value_at(df, "befolkning", code, pop_year) if pop_year is not None else np.nan for code in codes}
    krona_of: dict[tuple[str, int], tuple[float, str]] = {}
    pop_source = population_source(df, pop_year) if pop_year is not None else ""
    rows = []
    for d in items:
        entries = [("beslut", d.label, d.scope, d.scope_label, "region", d.value, d.amount_text(), d.source)]
        entries += [("varav", f"varav {p['label']}", p["scope"], _scope_text(SCOPES_LABEL(p["scope"])), p["org"], p["value"],
                     fmt_auto(p["value"], p["unit"]), p["source"]) for p in d.parts if p["kind"] == "krav"]
        for rad, name, scope_id, scope, org, amount, text, src in entries:
            code, yr = d.region, d.year
            base_text, base, no_base = _requirement_base(bases(code, org), code, org, yr, scope_id)
            pop = pops[code]
            if (code, yr) not in krona_of:
                krona_of[code, yr] = tax_krona_value(taxes(code), code, yr)
            krona, how = krona_of[code, yr]
            stated = shares(code, org, yr)
            rows.append({
                "region": code, "beslut": name, "rad": rad, "omfattning": scope, "org": org,
                "kategori": "", "år": yr, "krav_mnkr": amount, "kravet": text,
                "bas": base_text, "basbelopp_mnkr": base, "andel_av_bas_pct": amount / base * 100.0 if not np.isnan(base) else np.nan,
                "bas_kommentar": no_base,
                "uppgiven_andel_pct": float(stated["value"].iloc[0]) if len(stated) else np.nan,
                "uppgiven_andel_avser": "de externa kostnaderna" if len(stated) else "",
                "folkmängd_år": pop_year, "kr_per_invånare": round(amount * 1e6 / pop) if not np.isnan(pop) else np.nan,
                "skattekrona_mnkr": krona, "skattesats_kr": amount / krona if not np.isnan(krona) else np.nan,
                "skattesats_kommentar": how if np.isnan(krona) else f"1 krona i skattesats = {fmt_mnkr(krona)} ({how})",
                "källa": f"{src} | {pop_source}" if pop_year is not None else src,
            })
    return pd.DataFrame(rows, columns=TERMS_COLUMNS)


def requirement_reading(table: pd.DataFrame) -> str:
    """One sentence per decision on :func:`requirement_in_own_terms`: share and kr per invånare;
    a requirement on less than the region (the administration) gets no share of the whole
    region's costs, and a sentence saying so."""
    if table.empty:
        return "Underlaget innehåller inga sparkrav."
    parts = []
    for _, r in table[table["rad"] == "beslut"].iterrows():
        s = f"Kravet {fmt_mnkr(r['krav_mnkr'])} ({r['omfattning']}, {r['år']})"
        if not np.isnan(r["andel_av_bas_pct"]):
            s += f" är {fmt_pct(r['andel_av_bas_pct'])} av {r['bas'].rsplit(' (', 1)[0]} ({fmt_mnkr(r['basbelopp_mnkr'])})"
            if not np.isnan(r["kr_per_invånare"]):
                s += f" och motsvarar {fmt_number(r['kr_per_invånare'])} kr per invånare"
        elif not np.isnan(r["kr_per_invånare"]):
            s += f" motsvarar {fmt_number(r['kr_per_invånare'])} kr per invånare"
        if not np.isnan(r["uppgiven_andel_pct"]):
            s += f"; källan anger ca {fmt_number(r['uppgiven_andel_pct'], decimals_of(r['uppgiven_andel_pct']))} % av {r['uppgiven_andel_avser']}"
        parts.append(s + ".")
        if np.isnan(r["andel_av_bas_pct"]) and r["bas_kommentar"]:
            parts.append(r["bas_kommentar"])
    years = table["folkmängd_år"].dropna()
    if len(years):
        parts.append(f"Per invånare räknas mot folkmängden 31 december {int(years.iloc[0])}.")
    return " ".join(parts)


def decimals_of(value: float) -> int:
    """The decimals a stated figure is written with (a source's 12 stays "12", not "12,0")."""
    for d in range(4):
        if abs(value - round(value, d)) < 1e-9:
            return d
    return 3


def largest_requirements(table: pd.DataFrame) -> pd.DataFrame:
    """Per region and scope, the largest decision of :func:`requirement_in_own_terms` (parts
    and alternates are never counted as decisions of their own)."""
    if table.empty:
        return table
    heads = table[table["rad"] == "beslut"]
    idx = heads.groupby(["omfattning", "region"], sort=False)["krav_mnkr"].idxmax()
    return heads.loc[idx].reset_index(drop=True)


def per_capita_reading(table: pd.DataFrame, regions: list[str] | None = None) -> str:
    """Sentences on :func:`largest_requirements`: kr per invånare, compared only within one scope."""
    lacking = [region_name(r) for r in (regions or []) if resolve_region(r) not in set(table["region"])]
    if table.empty:
        return "Underlaget innehåller inga sparkrav."
    out = []
    for scope, t in table.groupby("omfattning", sort=False):
        t = t.sort_values("kr_per_invånare", ascending=False)
        items = [f"{fmt_number(r['kr_per_invånare'])} kr i {region_name(r['region'])} ({fmt_mnkr(r['krav_mnkr'])} {r['år']})" for _, r in t.iterrows()]
        joined = ", ".join(items[:-1]) + " och " + items[-1] if len(items) > 1 else items[0]
        out.append(f"Sparkrav för {scope}, per invånare: {joined}.")
    years = table["folkmängd_år"].dropna()
    if len(years):
        out.append(f"Krav med olika omfattning jämförs inte med varandra; folkmängden avser 31 december {int(years.iloc[0])}.")
    if lacking:
        out.append(f"För {', '.join(lacking)} saknas sparkrav i underlaget.")
    return " ".join(out)


#: Column headers for the report tables of this module and :mod:`regionanalys.analysis.deficits`.
DISPLAY_NAMES = {
    "region": "region", "org": "organisation", "kategori": "kategori", "år": "år", "status": "status",
    "belopp_mnkr": "belopp", "krav_mnkr": "krav", "identifierat_mnkr": "identifierat", "identifierat_delar_mnkr": "summa av delarna",
    "realiserat_mnkr": "realiserat", "täckning_pct": "täckning", "realiserat_pct": "realiserat av kravet", "kommentar": "kommentar",
    "bas": "jämförs med", "basbelopp_mnkr": "jämförelsebelopp", "andel_av_bas_pct": "kravets andel", "uppgiven_andel_pct": "andel enligt källan",
    "uppgiven_andel_avser": "källans andel avser", "kr_per_invånare": "kr per invånare", "skattesats_kr": "motsvarar skattesats (kr)",
    "beloppets_del": "beloppet avser", "antal": "antal", "enhet": "enhet", "tkr_per_post": "tkr per post", "källa": "källa",
    "plan_mnkr": "plan", "plan_delar_mnkr": "summa av delarna", "justering_mnkr": "politisk justering", "fördelat_mnkr": "fördelat", "kravet": "kravet", "beslut": "beslut", "omfattning": "omfattning", "folkmängd_år": "folkmängd 31 dec år", "del": "del", "andel_av_krav_pct": "andel av kravet",
    "steg": "steg", "typ": "typ", "belopp": "belopp", "ökning_pct": "ökning", "uppgiven_ökning_pct": "ökning enligt källan", "förklaring": "förklaring",
    "kostnadsökning_pct": "nettokostnadernas ökning", "intäktsökning_pct": "skatteintäkternas ökning", "gap_pe": "gap (procentenheter)",
    "gapets_kostnad_mnkr": "gapets kostnad", "uppgiven_kostnadsökning_pct": "kostnadsökning enligt källan",
    "uppgiven_intäktsökning_pct": "intäktsökning enligt källan", "mått": "mått", "folkmängd": "folkmängd",
    "skatt_statsbidrag_mnkr": "skatteintäkter och statsbidrag", "andel_av_skatt_pct": "andel av skatteintäkterna",
    "årsarbetare": "årsarbetare", "tjänster": "tjänster", "anställda": "anställda",
    "nettokostnader": "nettokostnader", "skatt_statsbidrag": "skatteintäkter och statsbidrag",
    "verksamhetens_resultat": "verksamhetens resultat",
}

#: Units of the display columns, for :func:`regionanalys.report.present.show_table`.
DISPLAY_UNITS = {
    "belopp": "mnkr", "krav": "mnkr", "identifierat": "mnkr", "summa av delarna": "mnkr", "realiserat": "mnkr", "täckning": "procent",
    "realiserat av kravet": "procent", "jämförelsebelopp": "mnkr", "kravets andel": "procent", "andel enligt källan": "procent",
    "kr per invånare": "kr", "motsvarar skattesats (kr)": "kr", "antal": "arsarbetare", "tkr per post": "tkr", "plan": "mnkr",
    "andel av kravet": "procent", "politisk justering": "mnkr", "fördelat": "mnkr", "ökning": "procent", "ökning enligt källan": "procent", "nettokostnadernas ökning": "procent",
    "skatteintäkternas ökning": "procent", "gap (procentenheter)": "procentenheter", "gapets kostnad": "mnkr",
    "kostnadsökning enligt källan": "procent", "intäktsökning enligt källan": "procent", "folkmängd": "personer",
    "skatteintäkter och statsbidrag": "mnkr", "andel av skatteintäkterna": "procent", "årsarbetare": "arsarbetare",
    "tjänster": "tjanster", "anställda": "anstallda", "nettokostnader": "mnkr", "verksamhetens resultat": "mnkr",
}


def display(table: pd.DataFrame, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """A table of this module (or of deficits) for the report: Swedish labels for
    categories, statuses, regions and series, readable headers (use
    :data:`DISPLAY_UNITS` as ``units``), columns in ``drop`` and empty columns left out."""
    from regionanalys.data.registry import series_registry

    out = readable(table.drop(columns=[c for c in drop if c in table.columns]))
    if "region" in out:
        out["region"] = out["region"].map(region_name)
    if "mått" in out:
        reg = series_registry()
        out["mått"] = out["mått"].map(lambda m: reg[m].label if m in reg else m)
    if "org" in out:
        out["org"] = out["org"].replace({"region": "hela regionen"})
    return out.rename(columns=DISPLAY_NAMES)


def headline(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`savings_table` without category rows where the org states a total for the
    same year and status (for an overview; the full table keeps every row)."""
    key = ["region", "org", "år", "status"]
    has_total = table[table["kategori"] == ""].set_index(key).index
    keep = (table["kategori"] == "") | ~table.set_index(key).index.isin(has_total)
    return table[keep].reset_index(drop=True)


def terms_view(terms: pd.DataFrame) -> pd.DataFrame:
    """:func:`requirement_in_own_terms` for the reader: decision, scope, year, amount, share,
    the source's own share in its own precision ("ca 7 %"), kr per invånare. The population's
    reference date is in the reading and the source, not a column."""
    out = terms.copy()
    out["uppgiven_andel"] = [
        f"ca {fmt_number(v, decimals_of(v))} % av {w}" if not np.isnan(v) else ""
        for v, w in zip(out["uppgiven_andel_pct"], out["uppgiven_andel_avser"])
    ]
    keep = ["beslut", "omfattning", "år", "kravet", "andel_av_bas_pct", "uppgiven_andel", "kr_per_invånare", "källa"]
    return display(out[keep]).rename(columns={"uppgiven_andel": "andel enligt källan"})
