"""Savings programmes: requirements, plans, decisions and outcomes in one table."""
from __future__ import annotations

import numpy as np
import pandas as pd

from regionanalys.data.formatting import fmt_mnkr, fmt_number, fmt_pct
from regionanalys.analysis.indicators import annual, select, value_at
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
    "region", "org", "kategori", "år", "krav_mnkr", "identifierat_mnkr", "identifierat_delar_mnkr",
    "realiserat_mnkr", "täckning_pct", "realiserat_pct", "kommentar", "källa",
]


def _org_total(rows: pd.DataFrame) -> float:
    """An org's total for one year and kind: category '' when stated, else the sum of its categories."""
    if rows.empty:
        return np.nan
    total = rows[rows["category"] == ""]
    return float(total["value"].iloc[0]) if len(total) else float(rows["value"].sum())


def _children_total(df: pd.DataFrame, code: str, org: str, year: int, kind: str, orgs: pd.DataFrame | None) -> float:
    if orgs is None or orgs.empty:
        return np.nan
    kids = orgs.loc[(orgs["region"] == code) & (orgs["parent"] == org), "org"]
    values = [
        _org_total(select(df, region=code, org=k, series=AMOUNT, kind=kind, year=year, freq="Y"))
        for k in kids
    ]
    values = [v for v in values if not np.isnan(v)]
    return float(sum(values)) if len(values) >= 2 else np.nan


def coverage_table(df: pd.DataFrame, region: str | list[str] | None = None, orgs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Required against identified and realized savings, one row per requirement (krav).

    For each savings requirement (series ``besparing``, kind ``krav``) of an org and
    year: *identified* is the same org's plan (kind ``plan``) for that year — its stated
    total (category "") or, without one, the sum of its categories; a requirement with a
    category only takes plans of the same category unless the org's plan has none.
    *identified by parts* is the sum of the child orgs' plans (from ``orgs``), shown
    beside the stated total because the two can differ. *realized* is kind ``utfall``.
    Coverage = identified / required. Plans of other orgs are never counted toward a
    requirement (one nämnd's plan is not the region's), so a requirement without a plan
    of its own shows NaN and says so.
    """
    codes = None if region is None else [resolve_region(r) for r in ([region] if isinstance(region, str) else region)]
    krav = select(df, region=codes, series=AMOUNT, kind="krav", freq="Y")
    rows = []
    for _, k in krav.sort_values(["region", "year", "org", "category"]).iterrows():
        code, org, year, cat = k["region"], k["org"], int(k["year"]), k["category"]
        plans = select(df, region=code, org=org, series=AMOUNT, kind="plan", year=year, freq="Y")
        if cat and (plans["category"] == cat).any():
            plans = plans[plans["category"] == cat]
        identified = _org_total(plans)
        realized = _org_total(select(df, region=code, org=org, series=AMOUNT, kind="utfall", year=year, freq="Y"))
        parts = _children_total(df, code, org, year, "plan", orgs) if not np.isnan(identified) else np.nan
        if np.isnan(identified):
            comment = "Ingen plan för samma organisation och år i underlaget."
        else:
            shown = ", ".join(readable_category(c) for c in sorted(set(plans["category"]))) if (plans["category"] != "").all() else "uppgiven summa"
            comment = f"Plan: {shown}."
            if not np.isnan(parts) and abs(parts - identified) > 1e-9:
                comment += f" Delarna summerar till {fmt_mnkr(parts, 1)}."
        comment += " Utfall saknas." if np.isnan(realized) else ""
        rows.append({
            "region": code, "org": org, "kategori": cat, "år": year, "krav_mnkr": float(k["value"]),
            "identifierat_mnkr": identified, "identifierat_delar_mnkr": parts, "realiserat_mnkr": realized,
            "täckning_pct": identified / float(k["value"]) * 100.0, "realiserat_pct": realized / float(k["value"]) * 100.0,
            "kommentar": comment, "källa": k["source"],
        })
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def coverage_reading(table: pd.DataFrame) -> str:
    """One sentence on :func:`coverage_table`: how much of each requirement plans cover."""
    if table.empty:
        return "Underlaget innehåller inga sparkrav."
    covered = table.dropna(subset=["identifierat_mnkr"])
    parts = []
    for _, r in covered.iterrows():
        who = region_name(r["region"]) if r["org"] == "region" else f"{r['org']} ({region_name(r['region'])})"
        parts.append(
            f"{who} har identifierat {fmt_mnkr(r['identifierat_mnkr'], 1)} av kravet {fmt_mnkr(r['krav_mnkr'], 1)} "
            f"{r['år']} ({fmt_pct(r['täckning_pct'], 0)})"
        )
    n_open = len(table) - len(covered)
    text = "; ".join(parts) if parts else "Inget sparkrav har en plan i underlaget"
    if n_open and parts:
        text += f"; för {n_open} av {len(table)} krav finns ingen plan i underlaget"
    if table["realiserat_mnkr"].isna().all():
        text += ", och inget utfall av besparingarna finns ännu"
    return text + "."


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
    rows = []
    for _, h in heads.iterrows():
        if h["value"] <= 0:
            continue
        same = select(df, region=h["region"], org=h["org"], series=AMOUNT, kind=h["kind"], year=int(h["year"]), freq="Y")
        staff = same[same["category"] == "personalkostnadsreduceringar"]
        if len(staff) and h["category"] == "":
            amount, part, src = float(staff["value"].iloc[0]), "personalkostnadsreduceringar", staff["source"].iloc[0]
        else:
            match = same[same["category"] == h["category"]]
            if match.empty:
                continue
            amount, part, src = float(match["value"].iloc[0]), readable_category(h["category"]).lower() if h["category"] else "hela beloppet", match["source"].iloc[0]
        rows.append({
            "region": h["region"], "org": h["org"], "kategori": h["category"], "år": int(h["year"]), "status": h["kind"],
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


BUILDUP_COLUMNS = ["region", "org", "år", "plan_mnkr", "plan_delar_mnkr", "krav_mnkr", "andel_av_krav_pct"]


def buildup_table(df: pd.DataFrame, region: str, orgs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Planned savings per plan year against the requirement, for each org with a plan.

    The requirement for a year is the org's latest krav at or before that year (a
    requirement holds from its year on, e.g. Servicenämnden's 75,8 mnkr from 2024).
    ``plan_delar_mnkr`` is the sum of the child orgs' plans, where there are any.
    """
    code = resolve_region(region)
    plans = select(df, region=code, series=AMOUNT, kind="plan", freq="Y")
    parents = set()
    if orgs is not None and not orgs.empty:
        parents = set(orgs.loc[(orgs["region"] == code) & orgs["org"].isin(plans["org"]), "parent"])
    rows = []
    for org in sorted(set(plans["org"])):
        if parents and org not in parents and org != "region" and orgs is not None and (orgs.loc[orgs["org"] == org, "parent"].isin(plans["org"])).any():
            continue  # a part of a plan whose total is also in the data
        krav = select(df, region=code, org=org, series=AMOUNT, kind="krav", freq="Y")
        for year in sorted(set(plans.loc[plans["org"] == org, "year"])):
            total = _org_total(plans[(plans["org"] == org) & (plans["year"] == year)])
            req_rows = krav[krav["year"] <= year]
            req = _org_total(req_rows[req_rows["year"] == req_rows["year"].max()]) if len(req_rows) else np.nan
            rows.append({
                "region": code, "org": org, "år": int(year), "plan_mnkr": total,
                "plan_delar_mnkr": _children_total(df, code, org, int(year), "plan", orgs), "krav_mnkr": req,
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
        diff = t.dropna(subset=["plan_delar_mnkr"])
        diff = diff[(diff["plan_delar_mnkr"] - diff["plan_mnkr"]).abs() > 1e-9]
        if len(diff):
            d = diff.iloc[0]
            s += f"; {d['år']} summerar delarna till {fmt_mnkr(d['plan_delar_mnkr'], 1)}, mer än planens summa"
        parts.append(s)
    return "; ".join(parts) + "."


# --------------------------------------------------------------------------- the requirement in own terms

TERMS_COLUMNS = [
    "region", "org", "kategori", "år", "krav_mnkr", "bas", "basbelopp_mnkr", "andel_av_bas_pct",
    "uppgiven_andel_pct", "uppgiven_andel_avser", "kr_per_invånare", "skattekrona_mnkr", "skattesats_kr", "skattesats_kommentar",
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


def _requirement_base(df: pd.DataFrame, code: str, org: str, year: int) -> tuple[str, float]:
    """The figure a requirement is measured against: a nämnd's cost budget, the region's net costs."""
    for series, kinds, text in (
        ("kostnader", ("budget",), "kostnadsbudgeten"),
        (COST_SERIES, ("utfall", "budget"), "nettokostnaderna"),
    ):
        for kind in kinds:
            s = annual(df, series, code, org=org, kind=kind)
            s = s[(s.index <= year) & (s > 0)]
            if len(s):
                y = int(s.index[-1])
                return f"{text} {y} ({kind})", float(s.iloc[-1])
    return "", np.nan


COST_SERIES = "nettokostnader"


def requirement_in_own_terms(df: pd.DataFrame, region: str | list[str] | None = None) -> pd.DataFrame:
    """What each savings requirement (krav) means in the organisation's own terms.

    * ``andel_av_bas_pct``: the requirement as a share of the org's cost budget for the
      year (a nämnd, e.g. Servicenämnden 75,8 of 2 199 mnkr) or, for the region, of its
      net costs in the latest year with an outcome at or before the requirement's year
      (Värmland 500 of 11 776 mnkr). ``bas`` names the figure used; NaN when the data
      has none.
    * ``uppgiven_andel_pct``: a share the source itself states (e.g. "ca 7 procent av de
      externa kostnaderna"), with what it is a share of.
    * ``kr_per_invånare``: the requirement per invånare of the region (SCB folkmängd of
      the year, else the latest earlier year).
    * ``skattesats_kr``: the tax-rate rise that would raise the same amount, in kronor per
      100 kr, when :func:`tax_krona_value` can find the value of 1 krona; otherwise NaN
      and ``skattesats_kommentar`` says what is missing.
    """
    codes = None if region is None else [resolve_region(r) for r in ([region] if isinstance(region, str) else region)]
    krav = select(df, region=codes, series=AMOUNT, kind="krav", freq="Y")
    shares = select(df, region=codes, series=["besparing_andel_externa_kostnader"], freq="Y")
    rows = []
    for _, k in krav.sort_values(["region", "year", "org", "category"]).iterrows():
        code, org, year = k["region"], k["org"], int(k["year"])
        base_text, base = _requirement_base(df, code, org, year)
        pop = annual(df, "befolkning", code)
        pop = pop[pop.index <= year]
        krona, how = tax_krona_value(df, code, year)
        stated = shares[(shares["region"] == code) & (shares["org"] == org) & (shares["year"] == year)]
        amount = float(k["value"])
        rows.append({
            "region": code, "org": org, "kategori": k["category"], "år": year, "krav_mnkr": amount,
            "bas": base_text, "basbelopp_mnkr": base, "andel_av_bas_pct": amount / base * 100.0 if not np.isnan(base) else np.nan,
            "uppgiven_andel_pct": float(stated["value"].iloc[0]) if len(stated) else np.nan,
            "uppgiven_andel_avser": "de externa kostnaderna" if len(stated) else "",
            "kr_per_invånare": amount * 1e6 / float(pop.iloc[-1]) if len(pop) else np.nan,
            "skattekrona_mnkr": krona, "skattesats_kr": amount / krona if not np.isnan(krona) else np.nan,
            "skattesats_kommentar": how if np.isnan(krona) else f"1 krona i skattesats = {fmt_mnkr(krona)} ({how})",
        })
    return pd.DataFrame(rows, columns=TERMS_COLUMNS)


def requirement_reading(table: pd.DataFrame) -> str:
    """One sentence on :func:`requirement_in_own_terms`: shares, kr per invånare, tax rate."""
    if table.empty:
        return "Underlaget innehåller inga sparkrav."
    parts = []
    for _, r in table.iterrows():
        who = region_name(r["region"]) if r["org"] == "region" else r["org"]
        s = f"{who}s krav {fmt_mnkr(r['krav_mnkr'], 1)} ({r['år']})"
        if not np.isnan(r["andel_av_bas_pct"]):
            s += f" är {fmt_pct(r['andel_av_bas_pct'])} av {r['bas'].rsplit(' (', 1)[0]} ({fmt_mnkr(r['basbelopp_mnkr'])})"
            if not np.isnan(r["uppgiven_andel_pct"]):
                s += f"; källan anger ca {fmt_number(r['uppgiven_andel_pct'])} % av {r['uppgiven_andel_avser']}"
        else:
            s += f" motsvarar {fmt_number(r['kr_per_invånare'])} kr per invånare"
        parts.append(s)
    text = "; ".join(parts)
    if table["skattesats_kr"].isna().all():
        known = [c for c in dict.fromkeys(table["skattesats_kommentar"]) if c.startswith("Skattehöjningen")]
        text += ". Ingen skattesatsekvivalent kan räknas: underlaget saknar skatteunderlag och skatteförändringar i öre"
        if known:
            text += " (" + known[0].rstrip(".") + ")"
    return text + "."


def largest_requirements(table: pd.DataFrame) -> pd.DataFrame:
    """Per region, the largest requirement of :func:`requirement_in_own_terms` (for comparisons)."""
    if table.empty:
        return table
    idx = table.groupby("region", sort=False)["krav_mnkr"].idxmax()
    return table.loc[idx].reset_index(drop=True)


def per_capita_reading(table: pd.DataFrame, regions: list[str] | None = None) -> str:
    """One sentence on :func:`largest_requirements`: the requirement per invånare, highest first."""
    lacking = [region_name(r) for r in (regions or []) if resolve_region(r) not in set(table["region"])]
    if table.empty:
        return "Underlaget innehåller inga sparkrav."
    t = table.sort_values("kr_per_invånare", ascending=False)
    parts = [f"{fmt_number(r['kr_per_invånare'])} kr i {region_name(r['region'])} ({fmt_mnkr(r['krav_mnkr'])} {r['år']})" for _, r in t.iterrows()]
    text = "Det största sparkravet motsvarar per invånare " + (", ".join(parts[:-1]) + " och " + parts[-1] if len(parts) > 1 else parts[0])
    if lacking:
        text += f"; för {', '.join(lacking)} saknas sparkrav i underlaget"
    return text + "."


#: Column headers for the report tables of this module and :mod:`regionanalys.analysis.deficits`.
DISPLAY_NAMES = {
    "region": "region", "org": "organisation", "kategori": "kategori", "år": "år", "status": "status",
    "belopp_mnkr": "belopp", "krav_mnkr": "krav", "identifierat_mnkr": "identifierat", "identifierat_delar_mnkr": "summa av delarna",
    "realiserat_mnkr": "realiserat", "täckning_pct": "täckning", "realiserat_pct": "realiserat av kravet", "kommentar": "kommentar",
    "bas": "jämförs med", "basbelopp_mnkr": "jämförelsebelopp", "andel_av_bas_pct": "kravets andel", "uppgiven_andel_pct": "andel enligt källan",
    "uppgiven_andel_avser": "källans andel avser", "kr_per_invånare": "kr per invånare", "skattesats_kr": "motsvarar skattesats (kr)",
    "beloppets_del": "beloppet avser", "antal": "antal", "enhet": "enhet", "tkr_per_post": "tkr per post", "källa": "källa",
    "plan_mnkr": "plan", "plan_delar_mnkr": "summa av delarna", "andel_av_krav_pct": "andel av kravet",
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
    "andel av kravet": "procent", "ökning": "procent", "ökning enligt källan": "procent", "nettokostnadernas ökning": "procent",
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
