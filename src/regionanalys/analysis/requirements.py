"""Savings requirements counted by decision, not by row.

A requirement may be stated in several places (Örebro's 628 mnkr in the verksamhetsplan and
629 mnkr in the handlingsplan) or as a total with its parts (Västerbotten's 100 mnkr split
58 + 32 + 8 between nämnder). :func:`decisions` joins the observations with
``data/meta/decisions.csv`` and returns one row per decision, so that counts such as "för 2
av 3 krav finns ingen plan" count decisions. Observations that are requirements (``kind``
krav) but belong to no decision are returned as decisions of their own, flagged
``linked=False``, so nothing silently disappears.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regionanalys.analysis.memo import first_positions
from regionanalys.data.documents import SCOPES, decisions_for
from regionanalys.data.formatting import default_decimals, fmt_auto, fmt_number
from regionanalys.data.regions import resolve_region

KEY = ["region", "org", "series", "category", "period", "kind"]
AMOUNT_SERIES = "besparing"


@dataclass
class Decision:
    """One savings decision with its amount, alternates, parts and other measures."""

    region: str
    decision: str
    label: str
    scope: str
    year: int
    kind: str
    value: float
    unit: str
    source: str
    alternates: list[dict] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    linked: bool = True

    @property
    def scope_label(self) -> str:
        return SCOPES.get(self.scope, self.scope)

    def amount_text(self) -> str:
        """``628 mnkr (629 i handlingsplanen)``: the counted amount, alternates in brackets."""
        text = fmt_auto(self.value, self.unit)
        if self.alternates:
            alts = "; ".join(f"{fmt_number(a['value'], default_decimals(a['value'], a['unit']))} {a['label']}"
                             for a in self.alternates)
            text += f" ({alts})"
        return text


def org_scope(org: str) -> str:
    """The scope (a key of :data:`~regionanalys.data.documents.SCOPES`) that an org's own
    figures cover: ``hela_regionen`` for ``"region"``, ``namnd`` for a nämnd or förvaltning.
    No org's figures cover ``administration``: that is a part of an org, not an org."""
    return "hela_regionen" if org == "region" else "namnd"


def _observations(df: pd.DataFrame, links: pd.DataFrame) -> dict[tuple, int]:
    """Position in ``df`` of the first observation per key (:func:`_link_key`) among the
    rows ``links`` can point at: one pass instead of a mask over ``df`` per link."""
    near = (df["region"].isin(links["region"]) & df["series"].isin(links["series"])
            & df["kind"].isin(links["kind"])).to_numpy()
    positions = np.flatnonzero(near)
    rows = df.iloc[positions]
    first = first_positions(rows["region"], rows["org"], rows["series"], rows["category"], rows["kind"],
                            rows["period"].astype(str))
    return {key: int(positions[i]) for key, i in first.items()}


def _link_key(link: pd.Series) -> tuple:
    return (link["region"], link["org"], link["series"], link["category"], link["kind"], str(link["period"]))


def decisions(df: pd.DataFrame, region: str | list[str] | None = None,
              meta: pd.DataFrame | None = None) -> list[Decision]:
    """One :class:`Decision` per savings decision of ``region`` (all regions if None).

    ``meta`` is :func:`regionanalys.data.documents.load_decisions` (read if not given).
    Raises ``ValueError`` naming the line of decisions.csv when a linked observation is
    missing from ``df``: a decision that points at nothing must not count as zero.
    """
    meta = decisions_for(df) if meta is None else meta
    codes = None if region is None else {resolve_region(r) for r in ([region] if isinstance(region, str) else region)}
    if codes is not None:
        meta = meta[meta["region"].isin(codes)]
        df = df[df["region"].isin(codes)]
    if df.empty and meta.empty:
        return []  # a region without real rows or decisions (most of the country at first)
    out: list[Decision] = []
    used: set[tuple] = set()
    found = _observations(df, meta) if len(meta) else {}
    for name, group in meta.groupby("decision", sort=False):
        rows = []
        for _, link in group.iterrows():
            pos = found.get(_link_key(link))
            if pos is None:
                raise ValueError(
                    f"meta/decisions.csv, rad {link['line']}: beslutet '{name}' pekar på "
                    f"{link['org']}/{link['series']}/{link['category'] or '(totalt)'}/{link['period']}/{link['kind']}, "
                    "som inte finns bland observationerna")
            obs = df.iloc[pos]
            used.add(tuple(str(obs[k]) for k in KEY))
            rows.append((link, obs))
        head_link, head = next((lk, ob) for lk, ob in rows if lk["role"] == "huvud")
        dec = Decision(
            region=head["region"], decision=name, label=head_link["label"], scope=head_link["scope"],
            year=int(head["period"].year), kind=head["kind"], value=float(head["value"]), unit=head["unit"],
            source=head["source"])
        for link, obs in rows:
            item = {"org": obs["org"], "category": obs["category"], "series": obs["series"], "kind": obs["kind"],
                    "value": float(obs["value"]), "unit": obs["unit"], "label": link["label"],
                    "scope": link["scope"], "source": obs["source"]}
            if link["role"] == "alternativ":
                dec.alternates.append(item)
            elif link["role"] == "del":
                dec.parts.append(item)
            elif link["role"] == "matt":
                dec.measures.append(item)
        out.append(dec)
    # Requirements that no decision claims: each its own decision, flagged, never dropped.
    krav = df[(df["kind"] == "krav") & (df["series"] == AMOUNT_SERIES)]
    for _, obs in krav.iterrows():
        if tuple(str(obs[k]) for k in KEY) in used:
            continue
        out.append(Decision(
            region=obs["region"], decision=f"{obs['region']}_{obs['org']}_{obs['category']}_{obs['period']}",
            label=f"Sparkrav {obs['org']}", scope=org_scope(obs["org"]),
            year=int(obs["period"].year), kind="krav", value=float(obs["value"]), unit=obs["unit"],
            source=obs["source"], linked=False))
    return out


def decision_table(items: list[Decision]) -> pd.DataFrame:
    """The decisions as a reader's table: one row per decision, parts listed under it."""
    rows = []
    for d in items:
        rows.append({"region": d.region, "beslut": d.label, "omfattning": d.scope_label, "år": d.year,
                     "belopp": d.amount_text(), "varav": "", "värde": d.value, "enhet": d.unit,
                     "källa": d.source})
        for p in d.parts:
            rows.append({"region": d.region, "beslut": "", "omfattning": SCOPES.get(p["scope"], p["scope"]),
                         "år": d.year, "belopp": fmt_auto(p["value"], p["unit"]), "varav": f"varav {p['label']}",
                         "värde": p["value"], "enhet": p["unit"], "källa": p["source"]})
    return pd.DataFrame(rows, columns=["region", "beslut", "omfattning", "år", "belopp", "varav", "värde",
                                       "enhet", "källa"])


def comparable(items: list[Decision]) -> dict[str, list[Decision]]:
    """Decisions grouped by scope: only decisions of the same scope may be set side by side."""
    groups: dict[str, list[Decision]] = {}
    for d in items:
        if d.unit == "mnkr":
            groups.setdefault(d.scope, []).append(d)
    return groups
