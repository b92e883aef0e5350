"""Reconciliation: does every stated total equal the sum of its parts?

Documents state totals and their parts side by side (a handlingsplan's summary and its
områden, a result statement's lines and its result). This module checks each stated
figure against what its parts add up to and returns one *finding* per check, whether
it holds or not: differences are reported, never hidden or "fixed".

Four kinds of check (column ``kontroll``):

``kategorier``
    Within one org, series, period and kind: the total (category ``""``) against the
    sum of its categories. Only series the registry marks as summable.
``organisation``
    A parent org's figure against the sum of its child orgs' figures (hierarchy from
    ``data/meta/orgs.csv``, see :func:`regionanalys.load_orgs`), same series, category,
    period and kind. Children without a figure are named.
``identitet``
    Accounting identities within an org, period and kind, e.g. verksamhetens resultat
    = skatteintäkter och generella statsbidrag − nettokostnader. Deviations from budget
    (kind ``budgetavvikelse``) are linear in the figures, so the same identities hold
    for them; the budgets the stated deviations imply are written out.
``ökningstakt``
    A growth rate stated in the source against the rate computed from the amounts.

Plus ``implicit budget``: a stated deviation that implies an impossible budget (a
negative budget for a cost or an income) is reported.

Status of a finding:

``stämmer``
    The figures agree exactly.
``avrundning``
    They differ by less than the rounding of the figures can explain: each figure is
    taken to be rounded to the decimals it is written with, so the largest difference
    rounding explains is half a unit of the last decimal of every figure involved, added
    up. (319 against 10 798 − 10 478 = 320 is rounding; 98 against 100 is not.)
``avviker``
    They differ by more than rounding explains.
``trolig decimalförlust``
    They differ, but would agree if one figure were 10 or 100 times smaller or larger:
    typical of OCR that lost a decimal comma ("23945" for 2 394,5).

:func:`reconcile` is also a data check: the ``validate`` command and tests can run it
on any data directory to catch lost decimals and mistyped totals.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regionanalys.analysis.memo import Lookup, first_positions
from regionanalys.data.formatting import fmt_auto, fmt_number
from regionanalys.data.registry import category_label, label, series_registry
from regionanalys.data.regions import region_name, resolve_region


def _who(region: str, org: str) -> str:
    """'Region Värmland' for the region as a whole, else the org's name."""
    return region_name(region) if org == "region" else org

#: Columns of the table :func:`reconcile` returns.
COLUMNS = [
    "kontroll", "region", "org", "serie", "kategori", "period", "typ", "status",
    "uppgivet", "summa_delar", "differens", "enhet", "tolerans", "delar", "saknade_delar",
    "förklaring", "källa", "källor_delar",
]

STATUSES = ("stämmer", "avrundning", "avviker", "trolig decimalförlust")
#: Statuses that mean the figures do not agree.
PROBLEM_STATUSES = ("avviker", "trolig decimalförlust")


@dataclass(frozen=True)
class Identity:
    """``result`` = Σ sign × term, within one region, org, period and kind (category "")."""

    result: str
    terms: tuple[tuple[int, str], ...]


IDENTITIES: tuple[Identity, ...] = (
    Identity("verksamhetens_resultat", ((+1, "skatt_statsbidrag"), (-1, "nettokostnader"))),
    Identity("balanserat_resultat", ((+1, "verksamhetens_resultat"), (-1, "finansiella_kostnader"))),
    Identity("nettokostnader", ((+1, "kostnader"), (-1, "intakter"))),
    Identity("arets_resultat", ((-1, "nettokostnader"), (+1, "finansnetto"), (+1, "fastighetsfinansiering"))),
)

#: Stated growth rates and the amount series they describe.
GROWTH_PAIRS = (("nettokostnadsutveckling", "nettokostnader"), ("skatt_statsbidrag_utveckling", "skatt_statsbidrag"))


# --------------------------------------------------------------------------- helpers


def decimals(value: float) -> int:
    """The number of decimals a figure is written with (``84.754`` -> 3, ``319.0`` -> 0)."""
    if value is None or not math.isfinite(value):
        return 0
    for d in range(7):
        if abs(value - round(value, d)) < 1e-9 * max(1.0, abs(value)):
            return d
    return 6


def rounding_tolerance(values) -> float:
    """Largest difference rounding can explain: half a unit of the last decimal of each figure."""
    return float(sum(0.5 * 10.0 ** -decimals(v) for v in values))


def classify(stated: float, parts_sum: float, tolerance: float) -> str:
    """``stämmer``, ``avrundning`` or ``avviker`` for a stated figure and its computed sum."""
    diff = abs(stated - parts_sum)
    if diff <= 1e-9 * max(1.0, abs(stated)):
        return "stämmer"
    if diff < tolerance - 1e-12:
        return "avrundning"
    return "avviker"


def _is_summable(series_id: str) -> bool:
    s = series_registry().get(series_id)
    return s is not None and s.aggregation == "sum"


def _unit(series_id: str) -> str:
    s = series_registry().get(series_id)
    return s.unit if s else ""


def _source(row: pd.Series) -> str:
    return f"{row['source']} [{row.get('source_file', '')}:{row.get('source_line', '')}]"


def _display_unit(rows: list, unit: str) -> str:
    """tkr when the figures of ``rows`` were written in tkr in the source (converted on load), else the unit."""
    if unit == "mnkr" and rows and all("omräknat från tkr" in r["source"] for r in rows):
        return "tkr"
    return unit


def _groups(rows: pd.DataFrame, keys: list[str]) -> list[list[dict]]:
    """The rows as records, grouped by ``keys`` in sorted key order (rows in table order
    within a group), as ``groupby(keys, sort=True)`` gives them: records because a check
    per group on pandas objects costs milliseconds, and the groups grow with the data."""
    if rows.empty:
        return []
    ids = rows.groupby(keys, sort=True).ngroup().to_numpy()
    out: dict[int, list[dict]] = {}
    for g, r in zip(ids, rows.to_dict("records")):
        if g >= 0:  # a key with a missing value is no group, as in groupby
            out.setdefault(int(g), []).append(r)
    return [out[g] for g in sorted(out)]


def _outcomes(df: pd.DataFrame) -> dict[tuple, float]:
    """The outcome (kind utfall) of each region, org, series, category and period: the
    first row's value, as a mask would find it."""
    hit = df[df["kind"] == "utfall"]
    values = hit["value"].to_numpy()
    first = first_positions(hit["region"], hit["org"], hit["series"], hit["category"], hit["period"])
    return {key: float(values[i]) for key, i in first.items()}


def _shown(value: float, unit: str, display_unit: str) -> str:
    if display_unit == "tkr" and unit == "mnkr":
        return fmt_auto(value * 1000, "tkr")
    return fmt_auto(value, unit)


def _decimal_loss_hint(stated: float, parts: list[tuple[str, float]], combine, tolerance_of) -> str | None:
    """If one figure × or ÷ 10 or 100 makes the check hold, say which (OCR lost a comma)."""
    figures = [("uppgivet", stated)] + parts
    for i, (name, v) in enumerate(figures):
        if v == 0:
            continue
        for factor in (0.1, 0.01, 10.0, 100.0):
            trial = [val for _, val in figures]
            trial[i] = v * factor
            new_stated, new_sum = trial[0], combine(trial[1:])
            if abs(new_stated - new_sum) < max(tolerance_of(trial), 1e-9):
                return f"Om {fmt_number(v, decimals(v))} ({name}) i stället är {fmt_number(v * factor, decimals(v * factor))} stämmer summan: troligen ett tappat decimaltecken (t.ex. vid OCR)."
    return None


def _finding(**kw) -> dict:
    row = {c: kw.get(c, "") for c in COLUMNS}
    for c in ("uppgivet", "summa_delar", "differens", "tolerans"):
        row[c] = float(kw.get(c, np.nan))
    return row


def _sum_check(
    kontroll: str, stated_row: pd.Series, parts: list[tuple[str, float, pd.Series]], missing: list[str], extra: str = ""
) -> dict:
    """A finding comparing ``stated_row`` with the plain sum of ``parts`` (name, value, row)."""
    stated = float(stated_row["value"])
    values = [v for _, v, _ in parts]
    total = float(sum(values))
    tol = rounding_tolerance([stated, *values])
    status = classify(stated, total, tol)
    unit = stated_row["unit"]
    disp = _display_unit([stated_row, *[r for _, _, r in parts]], unit)
    notes = []
    if status != "stämmer":
        hint = _decimal_loss_hint(stated, [(n, v) for n, v, _ in parts], lambda xs: sum(xs), rounding_tolerance) if status == "avviker" else None
        if hint:
            status = "trolig decimalförlust"
            notes.append(hint)
        if missing and (stated - total) * (1 if stated >= 0 else -1) > 0:
            # Only parts that would make the sum larger can explain a total above it.
            notes.append("Uppgift saknas för: " + ", ".join(missing) + "; deras del kan förklara differensen.")
        if extra:
            notes.append(extra)
        stated_note = str(stated_row.get("note", "") or "")
        if stated_note:
            notes.append(f"Källans anmärkning: {stated_note}")
        if any("ca " in str(r["source"]) or "cirka" in str(r["source"]) for r in [stated_row, *[r for _, _, r in parts]]):
            notes.append("Källan anger beloppen som ungefärliga ('ca').")
    return _finding(
        kontroll=kontroll, region=stated_row["region"], org=stated_row["org"], serie=stated_row["series"],
        kategori=stated_row["category"], period=str(stated_row["period"]), typ=stated_row["kind"], status=status,
        uppgivet=stated, summa_delar=total, differens=stated - total, enhet=disp if disp != unit else unit,
        tolerans=tol,
        delar=" + ".join(f"{n} {_shown(v, unit, disp)}" for n, v, _ in parts),
        saknade_delar=", ".join(missing) if status != "stämmer" else "",
        förklaring=" ".join(notes), källa=_source(stated_row),
        källor_delar="; ".join(_source(r) for _, _, r in parts),
    )


# --------------------------------------------------------------------------- checks


def check_categories(df: pd.DataFrame) -> list[dict]:
    """Category ``""`` against the sum of the other categories, per org, series, period, kind."""
    out = []
    rows = df[df["series"].map(_is_summable).astype(bool)]
    for group in _groups(rows, ["region", "org", "series", "period", "kind"]):
        total = [r for r in group if r["category"] == ""]
        parts = sorted((r for r in group if r["category"] != ""), key=lambda r: r["category"])
        if not total or not parts:
            continue
        named = [(category_label(r["category"]), float(r["value"]), r) for r in parts]
        out.append(_sum_check("kategorier", total[0], named, []))
    return out


def _children(orgs: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    kids: dict[tuple[str, str], list[str]] = {}
    for _, r in orgs.iterrows():
        kids.setdefault((r["region"], r["parent"]), []).append(r["org"])
    return kids


def _other_period_hint(df: pd.DataFrame, stated_row: pd.Series, parts: list[tuple[str, float, pd.Series]], diff: float) -> str:
    """Name a part whose figure in another period differs from this one by exactly the difference."""
    if abs(diff) < 1e-9:
        return ""
    unit = stated_row["unit"]
    disp = _display_unit([stated_row], unit)
    for name, value, row in parts:
        others = df[
            (df["region"] == row["region"]) & (df["org"] == row["org"]) & (df["series"] == row["series"])
            & (df["category"] == row["category"]) & (df["kind"] == row["kind"]) & (df["period"] != row["period"])
        ]
        for _, o in others.iterrows():
            if abs((value - o["value"]) - (-diff)) < 1e-9 * max(1.0, abs(value)):
                return (
                    f"Differensen ({_shown(abs(diff), unit, disp)}) är lika stor som skillnaden mellan {name}s "
                    f"{_shown(value, unit, disp)} {row['period']} och {_shown(o['value'], unit, disp)} {o['period']}."
                )
    return ""


def check_orgs(df: pd.DataFrame, orgs: pd.DataFrame) -> list[dict]:
    """A parent org's figure against the sum of its children's, per series, category, period, kind."""
    out = []
    if orgs is None or orgs.empty:
        return out
    kids = _children(orgs)
    rows = df[df["series"].map(_is_summable).astype(bool)]
    for (region, parent), children in sorted(kids.items()):
        mine = rows[(rows["region"] == region) & (rows["org"] == parent)]
        theirs = rows[(rows["region"] == region) & rows["org"].isin(children)]
        if mine.empty or theirs.empty:
            continue
        for _, stated_row in mine.iterrows():
            same = theirs[
                (theirs["series"] == stated_row["series"]) & (theirs["category"] == stated_row["category"])
                & (theirs["period"] == stated_row["period"]) & (theirs["kind"] == stated_row["kind"])
            ]
            if len(same) < 2:
                # One child's figure against the parent's is no check of a sum: the
                # hierarchy lists the orgs in the data, not every nämnd of a region.
                continue
            parts = [(r["org"], float(r["value"]), r) for _, r in same.sort_values("org").iterrows()]
            # A child without this figure, but with other figures of the same kind and
            # period, is a part the source left out (or that is zero).
            active = set(df.loc[(df["region"] == region) & (df["kind"] == stated_row["kind"]) & (df["period"] == stated_row["period"]), "org"])
            missing = [c for c in children if c not in set(same["org"]) and c in active]
            diff = float(stated_row["value"]) - sum(v for _, v, _ in parts)
            extra = _other_period_hint(df, stated_row, parts, diff)
            out.append(_sum_check("organisation", stated_row, parts, missing, extra))
    return out


def check_identities(df: pd.DataFrame) -> list[dict]:
    """Accounting identities (see :data:`IDENTITIES`) wherever all their figures are present."""
    out = []
    rows = df[df["category"] == ""]
    outcomes = _outcomes(df)
    for group in _groups(rows, ["region", "org", "period", "kind"]):
        key = (group[0]["region"], group[0]["org"], group[0]["period"], group[0]["kind"])
        by_series = {r["series"]: r for r in group}
        for ident in IDENTITIES:
            if ident.result not in by_series or any(s not in by_series for _, s in ident.terms):
                continue
            stated_row = by_series[ident.result]
            stated = float(stated_row["value"])
            terms = [(sign, label(s), float(by_series[s]["value"]), by_series[s]) for sign, s in ident.terms]
            computed = float(sum(sign * v for sign, _, v, _ in terms))
            values = [stated, *[v for _, _, v, _ in terms]]
            tol = rounding_tolerance(values)
            status = classify(stated, computed, tol)
            unit = stated_row["unit"]
            parts_text = " ".join(
                (("− " if sign < 0 else "+ ") if i else ("−" if sign < 0 else "")) + f"{name} {fmt_auto(v, unit)}"
                for i, (sign, name, v, _) in enumerate(terms)
            )
            notes = []
            if status == "avviker":
                signs = [sign for sign, *_ in terms]
                hint = _decimal_loss_hint(
                    stated, [(n, v) for _, n, v, _ in terms],
                    lambda xs, signs=signs: sum(sg * x for sg, x in zip(signs, xs)), rounding_tolerance,
                )
                if hint:
                    status = "trolig decimalförlust"
                    notes.append(hint)
            if key[3] == "budgetavvikelse":
                notes.append(_implied_budget_text(outcomes, stated_row, ident, by_series))
            if status != "stämmer":
                for r in [stated_row, *[t[3] for t in terms]]:
                    if r.get("note"):
                        notes.append(f"Källans anmärkning ({label(r['series'])}): {r['note']}")
            out.append(
                _finding(
                    kontroll="identitet", region=key[0], org=key[1], serie=ident.result, kategori="",
                    period=str(key[2]), typ=key[3], status=status, uppgivet=stated, summa_delar=computed,
                    differens=stated - computed, enhet=unit, tolerans=tol, delar=parts_text,
                    förklaring=" ".join(n for n in notes if n), källa=_source(stated_row),
                    källor_delar="; ".join(_source(t[3]) for t in terms),
                )
            )
    return out


def _outcome(outcomes: dict[tuple, float], row) -> float:
    """The outcome of ``row``'s figure (see :func:`_outcomes`), NaN if there is none."""
    return outcomes.get((row["region"], row["org"], row["series"], row["category"], row["period"]), np.nan)


def _implied_budget_text(outcomes: dict[tuple, float], stated_row, ident: Identity, by_series: dict) -> str:
    """The budget each stated deviation implies (utfall − avvikelse), and whether they agree."""
    budgets = {}
    for s in [ident.result, *[t for _, t in ident.terms]]:
        outcome = _outcome(outcomes, by_series[s])
        budgets[s] = outcome - float(by_series[s]["value"])
    if any(np.isnan(v) for v in budgets.values()):
        return ""
    from_parts = sum(sign * budgets[s] for sign, s in ident.terms)
    unit = stated_row["unit"]
    parts = " ".join(
        (("− " if sign < 0 else "+ ") if i else ("−" if sign < 0 else "")) + f"{fmt_auto(budgets[s], unit)}"
        for i, (sign, s) in enumerate(ident.terms)
    )
    text = (
        f"Avvikelserna innebär en budget för {label(ident.result).lower()} på {fmt_auto(budgets[ident.result], unit)} "
        f"(utfall − avvikelse), medan budgetarna för delarna ger {parts} = {fmt_auto(from_parts, unit)}."
    )
    return text


def check_growth(df: pd.DataFrame) -> list[dict]:
    """Stated growth rates against the rates computed from the amounts (same org and kind)."""
    out = []
    annual_totals = df[(df["category"] == "") & (df["freq"] == "Y")]
    by_key = Lookup(annual_totals[annual_totals["series"].isin([a for _, a in GROWTH_PAIRS])], ["series", "region", "org", "kind"])
    for stated_id, amount_id in GROWTH_PAIRS:
        stated_rows = annual_totals[annual_totals["series"] == stated_id]
        for _, r in stated_rows.iterrows():
            amounts = by_key(amount_id, r["region"], r["org"], r["kind"])
            cur = amounts[amounts["year"] == r["year"]]
            prev = amounts[amounts["year"] == r["year"] - 1]
            if cur.empty or prev.empty:
                continue
            c, p = float(cur["value"].iloc[0]), float(prev["value"].iloc[0])
            computed = (c - p) / abs(p) * 100.0
            stated = float(r["value"])
            tol = 0.5 * 10.0 ** -decimals(stated)  # the amounts are exact enough: the rate is rounded
            status = classify(stated, computed, tol)
            out.append(
                _finding(
                    kontroll="ökningstakt", region=r["region"], org=r["org"], serie=amount_id, kategori="",
                    period=str(r["period"]), typ=r["kind"], status=status, uppgivet=stated, summa_delar=computed,
                    differens=stated - computed, enhet="procent", tolerans=tol,
                    delar=f"({fmt_number(c)} − {fmt_number(p)}) / {fmt_number(p)}",
                    förklaring=f"Uppgiven ökning {fmt_number(stated, decimals(stated))} %, beräknad ur beloppen {fmt_number(computed, 2)} %.",
                    källa=_source(r), källor_delar="; ".join(_source(x) for _, x in pd.concat([cur, prev]).iterrows()),
                )
            )
    return out


def check_implied_budgets(df: pd.DataFrame) -> list[dict]:
    """A stated deviation that implies a negative budget for a cost or an income."""
    out = []
    reg = series_registry()
    dev = df[df["kind"] == "budgetavvikelse"]
    outcomes = _outcomes(df)
    for _, d in dev.iterrows():
        s = reg.get(d["series"])
        if s is None or s.sign not in ("kostnad_positiv", "intakt_positiv"):
            continue
        outcome = _outcome(outcomes, d)
        if np.isnan(outcome):
            continue
        budget = outcome - float(d["value"])
        if budget >= 0:
            continue
        out.append(
            _finding(
                kontroll="implicit budget", region=d["region"], org=d["org"], serie=d["series"], kategori=d["category"],
                period=str(d["period"]), typ="budgetavvikelse", status="avviker", uppgivet=float(d["value"]),
                summa_delar=outcome, differens=budget, enhet=d["unit"], tolerans=0.0,
                delar=f"utfall {fmt_auto(outcome, d['unit'])} − avvikelse {fmt_auto(float(d['value']), d['unit'])}",
                förklaring=(
                    f"Utfallet {fmt_auto(outcome, d['unit'])} och avvikelsen {fmt_auto(float(d['value']), d['unit'])} ger en budget på "
                    f"{fmt_auto(budget, d['unit'])} för {label(d['series']).lower()}, ett negativt belopp för en post som "
                    "räknas som positiv. Avvikelsen gäller troligen en annan post (t.ex. resultatet efter finansiella poster); "
                    "kontrollera mot källan."
                ),
                källa=_source(d), källor_delar="",
            )
        )
    return out


# --------------------------------------------------------------------------- entry points


def reconcile(
    df: pd.DataFrame, orgs: pd.DataFrame | None = None, *, region: str | None = None, problems_only: bool = False
) -> pd.DataFrame:
    """Every reconciliation finding for the observation table ``df`` (see the module doc).

    ``orgs`` is the hierarchy from :func:`regionanalys.load_orgs` (without it the
    organisation check is skipped). ``region`` limits the checks to one region;
    ``problems_only`` keeps only findings whose figures do not agree.

    Returns a DataFrame with :data:`COLUMNS`: what was checked (``kontroll``, ``serie``,
    ``kategori``, ``typ`` = kind), where (``region``, ``org``, ``period``), the stated
    figure, the sum of its parts, the difference (stated − parts), the rounding
    tolerance, the parts, the parts without a figure, an explanation and the sources.
    """
    data = df
    if region is not None:
        data = df[df["region"] == resolve_region(region)]
        if orgs is not None:
            orgs = orgs[orgs["region"] == resolve_region(region)]
    data = data[data["freq"] == "Y"] if "freq" in data else data
    if data.empty:
        return pd.DataFrame(columns=COLUMNS)
    findings = check_categories(data) + check_orgs(data, orgs) + check_identities(data) + check_growth(data) + check_implied_budgets(data)
    out = pd.DataFrame(findings, columns=COLUMNS)
    if problems_only:
        out = out[out["status"].isin(PROBLEM_STATUSES)]
    order = {k: i for i, k in enumerate(["organisation", "kategorier", "identitet", "ökningstakt", "implicit budget"])}
    out = out.assign(_k=out["kontroll"].map(order)).sort_values(["region", "_k", "org", "serie", "kategori", "period", "typ"], kind="stable")
    return out.drop(columns="_k").reset_index(drop=True)


def summary(findings: pd.DataFrame) -> pd.DataFrame:
    """Number of findings per check and status."""
    if findings.empty:
        return pd.DataFrame(columns=["kontroll", "status", "antal"])
    return findings.groupby(["kontroll", "status"]).size().rename("antal").reset_index()


def readable(findings: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Findings for display: figures formatted in their own unit (tkr where the source used tkr)."""
    rows = []
    for _, f in findings.iterrows():
        unit = f["enhet"]
        base = "mnkr" if unit == "tkr" else unit
        scale = 1000.0 if unit == "tkr" else 1.0

        def show(v, sign=False):
            if unit == "procent":
                return fmt_number(v, max(1, decimals(f["uppgivet"])), sign) + "\u00a0%"
            return fmt_auto(v * scale, unit if unit == "tkr" else base, sign=sign)

        rows.append(
            {
                "kontroll": f["kontroll"], "org": f["org"], "post": label(f["serie"]) if f["serie"] in series_registry() else f["serie"],
                "kategori": category_label(f["kategori"]) if f["kategori"] else "",
                "period": f["period"], "typ": f["typ"], "uppgivet": show(f["uppgivet"]),
                "summa av delarna": show(f["summa_delar"]), "differens": show(f["differens"], sign=True),
                "status": f["status"], "förklaring": f["förklaring"],
            }
        )
    out = pd.DataFrame(rows, columns=["kontroll", "org", "post", "kategori", "period", "typ", "uppgivet", "summa av delarna", "differens", "status", "förklaring"])
    return out[columns] if columns else out


def reading(findings: pd.DataFrame, region_name: str = "") -> str:
    """One sentence: how many stated figures were checked and how many do not agree."""
    where = f" för {region_name}" if region_name else ""
    if findings.empty:
        return f"Underlaget{where} innehåller inga summor som kan kontrolleras mot sina delar."
    n = len(findings)
    bad = findings[findings["status"].isin(PROBLEM_STATUSES)]
    rounding = int((findings["status"] == "avrundning").sum())
    text = f"Av {n} kontrollerade summor{where} stämmer {n - len(bad) - rounding}"
    if rounding:
        text += f", {rounding} skiljer bara så mycket som avrundning förklarar"
    if bad.empty:
        return text + " och ingen avviker."
    sums = bad[bad["kontroll"].isin(["organisation", "kategorier", "identitet"])]
    worst = (sums if len(sums) else bad).assign(_abs=lambda t: t["differens"].abs()).sort_values("_abs", ascending=False).iloc[0]
    unit = worst["enhet"]
    scale = 1000.0 if unit == "tkr" else 1.0
    what = label(worst["serie"]).lower() + (f" ({category_label(worst['kategori']).lower()})" if worst["kategori"] else "")
    if worst["typ"] == "budgetavvikelse":
        what = "avvikelsen mot budget för " + what
    return (
        text + f" och {len(bad)} avviker; störst är {what} för {_who(worst['region'], worst['org'])} {worst['period']}: uppgivet "
        f"{fmt_auto(worst['uppgivet'] * scale, unit if unit == 'tkr' else unit)} mot "
        f"{fmt_auto(worst['summa_delar'] * scale, unit if unit == 'tkr' else unit)} i summa av delarna."
    )


def focus(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings of the one org, series and period where parts and totals disagree
    most often (all its categories, agreeing or not), for a chart. Empty when every
    figure agrees."""
    bad = findings[findings["status"].isin(PROBLEM_STATUSES) & findings["kontroll"].isin(["organisation", "kategorier"])]
    if bad.empty:
        return findings.iloc[0:0]
    key = bad.groupby(["kontroll", "region", "org", "serie", "period", "typ"]).size().sort_values(ascending=False).index[0]
    k, region, org, serie, period, typ = key
    rows = findings[(findings["kontroll"] == k) & (findings["region"] == region) & (findings["org"] == org) & (findings["serie"] == serie) & (findings["period"] == period) & (findings["typ"] == typ)]
    return rows.sort_values("kategori", key=lambda c: c.map(lambda v: (v != "", v))).reset_index(drop=True)


def focus_title(rows: pd.DataFrame) -> str:
    """A chart title for :func:`focus` rows."""
    if rows.empty:
        return ""
    r = rows.iloc[0]
    parts = "delarna" if r["kontroll"] == "organisation" else "kategorierna"
    return f"{_who(r['region'], r['org'])}: {label(r['serie']).lower()} {r['period']} ({r['typ']}), uppgiven summa mot summan av {parts}"


def focus_reading(rows: pd.DataFrame, findings: pd.DataFrame) -> str:
    """One sentence on :func:`focus` rows, and on the same check in the org's other periods."""
    if rows.empty:
        return "Inga summor per organisation eller kategori avviker från sina delar."
    r = rows[rows["kategori"] == ""]
    r = r.iloc[0] if len(r) else rows.iloc[0]
    unit = r["enhet"]
    scale = 1000.0 if unit == "tkr" else 1.0

    def f(v):
        return fmt_auto(v * scale, unit)

    parts = "delarna" if r["kontroll"] == "organisation" else "kategorierna"
    text = f"I {_who(r['region'], r['org'])}s {label(r['serie']).lower()} {r['period']} summerar {parts} till {f(r['summa_delar'])} men den uppgivna summan är {f(r['uppgivet'])} (differens {fmt_auto(r['differens'] * scale, unit, sign=True)})"
    cats = rows[(rows["kategori"] != "") & (rows["kategori"] != r["kategori"]) & rows["status"].isin(PROBLEM_STATUSES)]
    if len(cats):
        text += "; skillnaden ligger i " + " och ".join(
            f"{category_label(c['kategori']).lower()} ({f(c['summa_delar'])} mot {f(c['uppgivet'])})" for _, c in cats.iterrows()
        )
    same = findings[
        (findings["kontroll"] == r["kontroll"]) & (findings["org"] == r["org"]) & (findings["serie"] == r["serie"])
        & (findings["kategori"] == r["kategori"]) & (findings["typ"] == r["typ"]) & (findings["period"] != r["period"])
    ]
    ok = same[same["status"] == "stämmer"].sort_values("period")
    if len(ok):
        text += f". {' och '.join(ok['period'])} stämmer summorna ({' och '.join(f(v) for v in ok['uppgivet'])})"
    note = str(r["förklaring"])
    if "Källans anmärkning" in note:
        text += ". " + note[note.index("Källans anmärkning"):].rstrip(".")
    return text + "."


CHECK_COLUMNS = ["kontroll", "uppgivet", "summa av delarna", "differens", "förklaring", "källa"]


def check_table(findings: pd.DataFrame, statuses: tuple[str, ...] = PROBLEM_STATUSES) -> pd.DataFrame:
    """Findings as the appendix's short sum-check table: what was checked (in words), the
    stated figure, the sum of its parts, the difference (stated − parts) in mnkr, the
    explanation and the source. Only amounts (growth rates stay in the reading), only the
    ``statuses`` asked for (by default the ones that do not agree)."""
    rows = []
    for _, f in findings[findings["status"].isin(statuses)].iterrows():
        if f["enhet"] not in ("mnkr", "tkr"):
            continue
        what = label(f["serie"]).lower() if f["serie"] in series_registry() else f["serie"]
        if f["kategori"]:
            what += f" ({category_label(f['kategori']).lower()})"
        if f["typ"] == "budgetavvikelse":
            what = "avvikelse mot budget för " + what.lower()
        parts = "områdena" if f["kontroll"] == "organisation" else "delarna"
        kind = {"plan": "plan", "krav": "krav", "utfall": "utfall", "budget": "budget"}.get(f["typ"], f["typ"])
        explanation = str(f["förklaring"]) or f"Uppgiven summa mot summan av {parts}."
        if f["enhet"] == "tkr":
            explanation = (f"Källan anger tkr: {fmt_auto(f['uppgivet'] * 1000, 'tkr')} mot "
                           f"{fmt_auto(f['summa_delar'] * 1000, 'tkr')}. ") + explanation
        rows.append({
            "kontroll": f"{_who(f['region'], f['org'])}: {what}, {kind} {f['period']}",
            "uppgivet": f["uppgivet"], "summa av delarna": f["summa_delar"], "differens": f["differens"],
            "förklaring": explanation, "källa": str(f["källa"]).split(" [")[0],
        })
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def short_reading(findings: pd.DataFrame) -> str:
    """The reader's one sentence on the sum checks (the tables are in the appendix)."""
    if findings.empty:
        return "Underlaget innehåller inga summor som kan kontrolleras mot sina delar."
    bad = findings[findings["status"].isin(PROBLEM_STATUSES)]
    n = len(findings)
    if bad.empty:
        return f"Alla {n} summor i underlaget som kan räknas om ur sina delar stämmer (se bilagan)."
    return (f"{n - len(bad)} av {n} summor i underlaget stämmer med sina delar; de {len(bad)} som inte gör det "
            "redovisas med förklaring i bilagan.")
