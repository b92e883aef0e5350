"""The effect of a savings measure, estimated against the trend before it.

"Tidigare sparbeslut har inte gett tillräcklig effekt" (Region Värmland, 2024) is a
claim about a counterfactual: what staff costs, headcount or närvarotid would have been
without the decision. This module estimates it the simplest defensible way.

Method (:func:`estimate_effect`)
--------------------------------
1. Split a monthly series at the decision's start. Months before the start month are the
   *pre-period*. The first month that begins on or after the start date is the first
   month of the *post-period*; a decision taken mid-month (the hiring stop on Monday 21
   November 2022) leaves its start month out of both, as a transition month.
2. Fit the pre-period by ordinary least squares (numpy) with an intercept, a linear
   trend in months and, with at least 24 pre-period months, one dummy per calendar
   month (seasonality; January is the reference). With 12–23 months only the linear
   trend is fitted and the result says so; with fewer than 12 no estimate is made.
3. Extend the fitted line into the post-period: the *counterfactual*.
4. The effect is actual − counterfactual, month by month and summed (for a summable
   series such as costs or hours: the cumulative difference; for an average such as
   årsarbetare: the mean difference over the post-period). Negative = lower than the
   trend, i.e. a saving for a cost.
5. Uncertainty: prediction intervals from the residual variance s² of the fit, with
   Student's t quantile for n − p degrees of freedom. For one month
   Var = s²(1 + x (XᵀX)⁻¹ xᵀ); for the sum of the first k post months
   Var = s²(k + a (XᵀX)⁻¹ aᵀ) with a the sum of their rows of X — this accounts for the
   uncertainty of the fitted trend, which grows the further the trend is extended.
   Residuals are assumed independent; with autocorrelated data the band is too narrow,
   which the report says.

The estimate is only as good as the assumption that the pre-period trend would have
continued: other decisions, a pandemic or a reorganisation in the post-period are
attributed to the measure. The post-period therefore ends where the next decision for
the same organisation starts, unless told otherwise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regionanalys.analysis.indicators import select
from regionanalys.analysis.memo import Lookup
from regionanalys.data.formatting import fmt_auto
from regionanalys.data.registry import category_label, label, series_registry
from regionanalys.data.regions import region_name, resolve_region

#: Fewest pre-period months for any estimate, and for one with seasonality.
MIN_PRE_MONTHS = 12
MIN_PRE_MONTHS_SEASONAL = 24

#: Fewest months after the start for an estimate in a report (one month says nothing).
MIN_POST_MONTHS = 3

#: The monthly series a savings measure aims at, in order: own staff costs, own staff's
#: närvarotid, headcounts. (series id, category) pairs; ids not in the data are skipped.
TARGETS: tuple[tuple[str, str], ...] = (
    ("egen_personalkostnad", ""),
    ("narvarotid_timmar", "egen_personal"),
    ("arsarbetare", ""),
    ("antal_anstallda", ""),
)

TABLE_COLUMNS = ["period", "fas", "faktiskt", "kontrafaktiskt", "nedre", "övre", "differens", "kum_differens", "kum_nedre", "kum_övre"]


def t_quantile(p: float, df: int) -> float:
    """Student's t quantile (e.g. p = 0.975) without scipy.

    The normal quantile (Acklam's rational approximation) corrected by the
    Cornish–Fisher expansion in 1/df (Abramowitz & Stegun 26.7.5); accurate to about
    0.01 for df ≥ 3, which is more than enough for a prediction band.
    """
    z = _norm_ppf(p)
    if df <= 0 or math.isinf(df):
        return z
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def _norm_ppf(p: float) -> float:
    a = [-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00]
    b = [-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01]
    c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00]
    d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00]
    if p < 0.02425:
        q = math.sqrt(-2 * math.log(p))
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    if p > 1 - 0.02425:
        return -_norm_ppf(1 - p)
    q = p - 0.5
    r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)


@dataclass
class EffectResult:
    """An effect estimate: the month-by-month table and the summary figures."""

    table: pd.DataFrame  #: :data:`TABLE_COLUMNS`, one row per month
    start: pd.Period  #: first month of the post-period
    effect: float  #: cumulative (sum series) or mean (mean series) difference
    low: float  #: lower end of the band of ``effect``
    high: float
    level: float  #: e.g. 0.95
    n_pre: int
    n_post: int
    seasonal: bool
    residual_sd: float
    cumulative: bool  #: True: ``effect`` is a sum over the post-period; False: a mean
    unit: str = ""
    series: str = ""
    region: str = ""
    org: str = ""
    category: str = ""
    event: str = ""
    event_label: str = ""
    example: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        """Whether the band excludes zero."""
        return self.low > 0 or self.high < 0


def first_post_month(start: pd.Timestamp | pd.Period | str) -> pd.Period:
    """The first month that begins on or after ``start`` (a decision taken mid-month
    starts the next month)."""
    if isinstance(start, pd.Period):
        return start.asfreq("M")
    ts = pd.Timestamp(start)
    month = ts.to_period("M")
    return month if ts.day == 1 else month + 1


def _design(months: pd.PeriodIndex, origin: pd.Period, seasonal: bool) -> np.ndarray:
    t = np.array([(m - origin).n for m in months], dtype=float)
    cols = [np.ones_like(t), t]
    if seasonal:
        moy = np.array([m.month for m in months])
        cols += [(moy == k).astype(float) for k in range(2, 13)]
    return np.column_stack(cols)


def estimate_effect(
    values: pd.Series,
    start: pd.Timestamp | pd.Period | str,
    *,
    end: pd.Timestamp | pd.Period | str | None = None,
    level: float = 0.95,
    seasonal: bool | None = None,
    cumulative: bool = True,
) -> EffectResult | None:
    """Actual against the pre-start trend for a monthly series (see the module doc).

    ``values`` is indexed by monthly Periods (gaps allowed). ``start`` is the decision
    date; ``end`` (inclusive, optional) cuts the post-period. ``seasonal`` None chooses
    month dummies when there are at least 24 pre-period months. ``cumulative`` True
    sums the differences (costs, hours); False averages them (headcounts).
    Returns None when the pre-period has fewer than 12 months or there is no month after
    the start.
    """
    s = values.dropna().sort_index()
    if s.empty:
        return None
    s.index = pd.PeriodIndex(s.index, freq="M")
    post0 = first_post_month(start)
    start_month = pd.Timestamp(start).to_period("M") if not isinstance(start, pd.Period) else post0
    pre = s[s.index < start_month]
    post = s[s.index >= post0]
    if end is not None:
        last = end.asfreq("M") if isinstance(end, pd.Period) else pd.Timestamp(end).to_period("M")
        post = post[post.index <= last]
    if len(pre) < MIN_PRE_MONTHS or post.empty:
        return None
    if seasonal is None:
        seasonal = len(pre) >= MIN_PRE_MONTHS_SEASONAL
    origin = pre.index[0]
    X = _design(pre.index, origin, seasonal)
    y = pre.to_numpy(dtype=float)
    n, p = X.shape
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    dof = max(n - p, 1)
    s2 = float(resid @ resid) / dof
    xtx_inv = np.linalg.pinv(X.T @ X)
    q = t_quantile(0.5 + level / 2, dof)

    # The whole span after the pre-period: counterfactual for every post month.
    Xp = _design(post.index, origin, seasonal)
    cf = Xp @ beta
    var1 = s2 * (1 + np.einsum("ij,jk,ik->i", Xp, xtx_inv, Xp))
    a = np.cumsum(Xp, axis=0)
    k = np.arange(1, len(post) + 1)
    var_cum = s2 * (k + np.einsum("ij,jk,ik->i", a, xtx_inv, a))
    actual = post.to_numpy(dtype=float)
    diff = actual - cf
    cum = np.cumsum(diff)

    fitted_pre = X @ beta
    pre_rows = pd.DataFrame({
        "period": pre.index, "fas": "före", "faktiskt": y, "kontrafaktiskt": fitted_pre,
        "nedre": np.nan, "övre": np.nan, "differens": y - fitted_pre, "kum_differens": np.nan, "kum_nedre": np.nan, "kum_övre": np.nan,
    })
    half = q * np.sqrt(var1)
    half_cum = q * np.sqrt(var_cum)
    post_rows = pd.DataFrame({
        "period": post.index, "fas": "efter", "faktiskt": actual, "kontrafaktiskt": cf, "nedre": cf - half, "övre": cf + half,
        "differens": diff, "kum_differens": cum, "kum_nedre": cum - half_cum, "kum_övre": cum + half_cum,
    })
    transition = s[(s.index >= start_month) & (s.index < post0)]
    trans_rows = pd.DataFrame({"period": transition.index, "fas": "övergång", "faktiskt": transition.to_numpy(dtype=float)})
    table = pd.concat([pre_rows, trans_rows, post_rows], ignore_index=True).reindex(columns=TABLE_COLUMNS)
    K = len(post)
    if cumulative:
        effect, band = float(cum[-1]), float(half_cum[-1])
    else:
        effect, band = float(cum[-1]) / K, float(half_cum[-1]) / K
    notes = []
    if not seasonal:
        notes.append(f"Bara linjär trend: förperioden har {len(pre)} månader, säsongsmönster kräver minst {MIN_PRE_MONTHS_SEASONAL}.")
    return EffectResult(
        table=table, start=post0, effect=effect, low=effect - band, high=effect + band, level=level,
        n_pre=len(pre), n_post=K, seasonal=seasonal, residual_sd=math.sqrt(s2), cumulative=cumulative, notes=notes,
    )


# --------------------------------------------------------------------------- on the project's data


def monthly_series(df: pd.DataFrame, region: str, targets: tuple[tuple[str, str], ...] | None = TARGETS) -> pd.DataFrame:
    """The region's monthly outcome series an effect can be estimated on.

    One row per (series, org, category) with kind ``utfall``, monthly, of a series the
    registry marks as summable or averageable (not rates or year-to-date changes), with
    at least 12 months: columns series, org, category, months, first, last, example.
    ``targets`` limits them to the (series, category) pairs a savings measure aims at
    (:data:`TARGETS`: own staff costs and närvarotid, headcounts), in that order; None
    allows every eligible series.
    """
    code = resolve_region(region)
    reg = series_registry()
    rows = df[(df["region"] == code) & (df["freq"] == "M") & (df["kind"] == "utfall")]
    out = []
    for (series, org, cat), g in rows.groupby(["series", "org", "category"], sort=True):
        s = reg.get(series)
        if s is None or s.aggregation not in ("sum", "mean") or len(g) < MIN_PRE_MONTHS:
            continue
        if targets is not None and (series, cat) not in targets:
            continue
        out.append({"series": series, "org": org, "category": cat, "months": len(g), "first": min(g["period"]), "last": max(g["period"]), "example": bool(g["example"].any())})
    out = pd.DataFrame(out, columns=["series", "org", "category", "months", "first", "last", "example"])
    if targets is not None and len(out):
        rank = {t: i for i, t in enumerate(targets)}
        out = out.assign(_r=[rank[(a, b)] for a, b in zip(out["series"], out["category"])]).sort_values(["_r", "org"]).drop(columns="_r")
    return out.reset_index(drop=True)


def _applies(event_org: str, series_org: str) -> bool:
    return event_org == series_org or "region" in (event_org, series_org)


#: What a series is called when the report names the series a decision would need.
SERIES_WORDS = {
    "egen_personalkostnad": "personalkostnad", "narvarotid_timmar": "närvarotid", "arsarbetare": "årsarbetare",
    "antal_anstallda": "antal anställda",
}
#: Categories of a monthly series that cover only the administration.
ADMIN_CATEGORIES = ("administration", "administratorer", "administrativ_personal")


def event_scope(event: pd.Series) -> tuple[str, str]:
    """(scope, org) of a dated decision: ``namnd`` for a nämnd's decision, ``administration``
    when the decision concerns administrative staff only, else ``hela_regionen``. An explicit
    ``scope`` column in the events wins."""
    explicit = str(event.get("scope", "") or "") if hasattr(event, "get") else ""
    if explicit:
        return explicit, str(event["org"])
    if event["org"] not in ("", "region"):
        return "namnd", str(event["org"])
    text = f"{event.get('event', '')} {event.get('label', '')}".lower()
    return ("administration" if "administra" in text else "hela_regionen"), "region"


def series_scope(org: str, category: str) -> tuple[str, str]:
    """(scope, org) of a monthly series: administration, a nämnd's, or the whole region's."""
    if category in ADMIN_CATEGORIES:
        return "administration", org
    if org not in ("", "region"):
        return "namnd", org
    return "hela_regionen", "region"


def needed_series(event: pd.Series, series: str) -> str:
    """The series a decision would need to be tested on, in words ("personalkostnad för
    administratörer och handläggare")."""
    scope, org = event_scope(event)
    word = SERIES_WORDS.get(series, label(series).split(",")[0].lower())
    if scope == "administration":
        return f"{word} för administratörer och handläggare"
    if scope == "namnd":
        return f"{word} för {org}"
    return f"{word} för hela regionen"


def scope_mismatch(event: pd.Series, org: str, category: str) -> bool:
    """True when a series does not cover what the decision covers: an administrative decision
    tested on all staff, or a nämnd's decision tested on the whole region (or another nämnd).
    A whole-region decision may be tested on the whole region's series."""
    e_scope, e_org = event_scope(event)
    s_scope, s_org = series_scope(org, category)
    if e_scope == "administration":
        return s_scope != "administration"
    if e_scope == "namnd":
        return s_scope != "namnd" or s_org != e_org
    return s_scope != "hela_regionen"


def refusals(df: pd.DataFrame, events: pd.DataFrame, region: str,
             targets: tuple[tuple[str, str], ...] | None = TARGETS) -> list[str]:
    """One sentence per decision whose effect could be computed on a series the data has, but
    only on one that does not cover what the decision covers: the test is refused and the
    sentence names the series that would be needed."""
    code = resolve_region(region)
    evs = events[events["region"] == code].sort_values("start")
    series = monthly_series(df, code, targets)
    out = []
    for _, ev in evs.iterrows():
        wrong = []
        for _, m in series.iterrows():
            if not _applies(ev["org"], m["org"]) or not scope_mismatch(ev, m["org"], m["category"]):
                continue
            first = pd.Period(m["first"], freq="M")
            if (first_post_month(ev["start"]) - first).n < MIN_PRE_MONTHS:
                continue  # too short a history anyway: nothing is being refused
            wrong.append(m)
        if not wrong:
            continue
        have = " och ".join(dict.fromkeys(
            f"{SERIES_WORDS.get(m['series'], label(m['series']).lower())}"
            + (f" ({category_label(m['category']).lower()})" if m["category"] else "")
            + (" för hela regionen" if m["org"] == "region" else f" för {m['org']}") for m in wrong))
        need = " eller ".join(dict.fromkeys(needed_series(ev, m["series"]) for m in wrong[:1]))
        scope, org = event_scope(ev)
        covers = {"administration": "administrationen", "namnd": org}.get(scope, "hela regionen")
        out.append(
            f"Beslutet ”{ev['label']}” gäller {covers}, men underlaget har bara {have}. Effekten prövas inte på "
            f"serier som omfattar mer än beslutet; det som behövs är {need} per månad.")
    return out


def effects_for_region(
    df: pd.DataFrame, events: pd.DataFrame, region: str, level: float = 0.95, targets: tuple[tuple[str, str], ...] | None = TARGETS
) -> list[EffectResult]:
    """Every estimable effect in a region: each target series against each decision.

    A decision (from :func:`regionanalys.load_events`) applies to a series of the same
    org, or either of them is the whole region. The post-period ends at the decision's
    end date or the day before the next decision for the same org starts, whichever is
    first, so that two decisions are not mixed. Pairs without 12 months before the
    start or 3 after it are skipped. ``targets``: see :func:`monthly_series`.
    """
    code = resolve_region(region)
    evs = events[events["region"] == code].sort_values("start")
    results = []
    # the region's monthly outcomes split once: a mask over the table per series is
    # quadratic when the series grow with the data (one per org)
    outcomes = Lookup(select(df, region=code, freq="M", kind="utfall"), ["series", "org", "category"])
    for _, m in monthly_series(df, code, targets).iterrows():
        rows = outcomes(m["series"], m["org"], m["category"])
        values = pd.Series(rows["value"].to_numpy(), index=pd.PeriodIndex(rows["period"], freq="M"))
        spec = series_registry()[m["series"]]
        for i, (_, ev) in enumerate(evs.iterrows()):
            if not _applies(ev["org"], m["org"]) or scope_mismatch(ev, m["org"], m["category"]):
                continue  # see refusals(): a series wider than the decision is not a test of it
            later = evs[(evs["start"] > ev["start"]) & evs["org"].map(lambda o: _applies(o, ev["org"]))]
            ends = [t for t in [ev["end"], later["start"].min() - pd.Timedelta(days=1) if len(later) else pd.NaT] if not pd.isna(t)]
            end = min(ends) if ends else None
            res = estimate_effect(values, ev["start"], end=end, level=level, cumulative=spec.aggregation == "sum")
            if res is None or res.n_post < MIN_POST_MONTHS:
                continue
            res.unit, res.series, res.region, res.org, res.category = spec.unit, m["series"], code, m["org"], m["category"]
            res.event, res.event_label, res.example = ev["event"], ev["label"], bool(m["example"])
            if end is not None and len(later) and end == later["start"].min() - pd.Timedelta(days=1):
                res.notes.append(f"Efterperioden slutar när nästa beslut börjar ({later['label'].iloc[0]}, {later['start'].min():%Y-%m-%d}).")
            if ev["org"] != m["org"]:
                res.notes.append(f"Beslutet gäller {ev['org'] if ev['org'] != 'region' else 'hela regionen'}, serien {m['org'] if m['org'] != 'region' else 'hela regionen'}.")
            results.append(res)
    return results


def summary_table(results: list[EffectResult]) -> pd.DataFrame:
    """One row per estimate: series, decision, post-period, effect and its band."""
    rows = []
    for r in results:
        rows.append({
            "serie": label(r.series) + (f" ({r.category})" if r.category else ""), "org": r.org, "beslut": r.event_label,
            "från": str(r.start), "månader efter": r.n_post, "månader före": r.n_pre,
            "mått": "summa av skillnaden" if r.cumulative else "genomsnittlig skillnad per månad",
            "effekt": r.effect, "nedre": r.low, "övre": r.high, "enhet": r.unit,
            "säsong": "ja" if r.seasonal else "nej", "exempeldata": "ja" if r.example else "nej",
        })
    return pd.DataFrame(rows, columns=["serie", "org", "beslut", "från", "månader före", "månader efter", "mått", "effekt", "nedre", "övre", "enhet", "säsong", "exempeldata"])


def effect_reading(result: EffectResult) -> str:
    """One sentence on an estimate. On example data it says so and gives no amount, band or
    verdict (the chart only shows the method); on real data: the effect and its uncertainty."""
    what = label(result.series).split(",")[0].lower() + (f" ({category_label(result.category).lower()})" if result.category else "")
    if result.example:
        return (f"Diagrammet visar metoden för beslutet ”{result.event_label}” på {what}, men siffrorna är exempeldata: "
                "ingen effekt kan utläsas förrän regionens egna månadsuppgifter läggs in.")
    u = result.unit
    span = f"{result.start}–{result.table['period'].iloc[-1]}"
    if result.cumulative:
        head = f"Efter beslutet ”{result.event_label}” blev {what} sammanlagt {fmt_auto(abs(result.effect), u)} {'lägre' if result.effect < 0 else 'högre'} än trenden före beslutet ({span})"
    else:
        head = f"Efter beslutet ”{result.event_label}” låg {what} i genomsnitt {fmt_auto(abs(result.effect), u)} {'lägre' if result.effect < 0 else 'högre'} än trenden före beslutet ({span})"
    band = f"med osäkerheten inräknad mellan {fmt_auto(result.low, u)} och {fmt_auto(result.high, u)}"
    verdict = "skillnaden är större än osäkerheten" if result.significant else "någon säker effekt kan inte utläsas"
    return f"{head}, {band}: {verdict}."


def no_series_text(df: pd.DataFrame, events: pd.DataFrame, region: str, targets: tuple[tuple[str, str], ...] | None = TARGETS) -> str:
    """What is missing when :func:`effects_for_region` finds nothing to estimate."""
    code = resolve_region(region)
    name = region_name(code)
    evs = events[events["region"] == code]
    if monthly_series(df, code, targets).empty:
        have = ", ".join(f"{r['label'].lower()} ({r['start']:%Y-%m-%d})" for _, r in evs.iterrows()) or "inga beslut"
        return (
            f"Underlaget har ännu inga månadsserier för {name} (personalkostnader, antal anställda eller närvarotid) "
            f"med minst {MIN_PRE_MONTHS} månader: effekten mot trend kan inte beräknas. Besluten som då kan prövas: {have}."
        )
    if evs.empty:
        return f"Underlaget har månadsserier för {name} men inga daterade beslut att pröva dem mot."
    return f"Månadsserierna för {name} har inte minst {MIN_PRE_MONTHS} månader före något beslut: effekten mot trend kan inte beräknas."


def method_text(result: EffectResult | None = None) -> str:
    """Notes on one estimate (the method paragraph itself is in the report's appendix)."""
    return " ".join(result.notes) if result is not None else ""


__all__ = [
    "EffectResult", "estimate_effect", "effects_for_region", "effect_reading", "first_post_month", "method_text",
    "monthly_series", "needed_series", "no_series_text", "refusals", "scope_mismatch", "summary_table", "t_quantile",
]
