"""The registries of units, kinds and series.

Series are defined in TOML files under ``data/series/`` (one per domain, so each domain
can grow without touching the others). A series id is ASCII; its label is Swedish.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache

from regionanalys import config


@dataclass(frozen=True)
class Unit:
    id: str
    label: str  #: how the unit is written in reports
    family: str  #: units in the same family convert into each other
    factor: float = 1.0  #: multiply by this to get the family's base unit


UNITS: dict[str, Unit] = {
    u.id: u
    for u in [
        Unit("mnkr", "mnkr", "pengar", 1.0),
        Unit("tkr", "tkr", "pengar", 1e-3),
        Unit("kr", "kr", "pengar", 1e-6),
        Unit("kr_per_inv", "kr/inv", "kr_per_inv", 1.0),
        Unit("procent", "%", "procent", 1.0),
        Unit("procentenheter", "procentenheter", "procentenheter", 1.0),
        Unit("personer", "personer", "personer", 1.0),
        Unit("arsarbetare", "årsarbetare", "arsarbetare", 1.0),
        Unit("tjanster", "tjänster", "tjanster", 1.0),
        Unit("anstallda", "anställda", "anstallda", 1.0),
        Unit("timmar", "timmar", "timmar", 1.0),
    ]
}

#: Spellings found in exports and documents, mapped to unit ids.
UNIT_ALIASES: dict[str, str] = {
    "mkr": "mnkr", "msek": "mnkr", "miljoner kronor": "mnkr",
    "tsek": "tkr", "tusen kronor": "tkr", "kronor": "kr", "sek": "kr",
    "kr/inv": "kr_per_inv", "kr/invånare": "kr_per_inv", "kronor per invånare": "kr_per_inv",
    "%": "procent", "procent": "procent", "pe": "procentenheter",
    "årsarbetare": "arsarbetare", "åa": "arsarbetare", "tjänster": "tjanster",
    "anställda": "anstallda", "invånare": "personer", "antal invånare": "personer",
    "tim": "timmar", "h": "timmar",
}


def resolve_unit(text: str) -> str:
    """Unit id for a unit as written ("Mkr" -> "mnkr"); raises KeyError if unknown."""
    key = " ".join(str(text).strip().lower().split())
    if key in UNITS:
        return key
    return UNIT_ALIASES[key]


@dataclass(frozen=True)
class Kind:
    id: str
    label: str
    definition: str


KINDS: dict[str, Kind] = {
    k.id: k
    for k in [
        Kind("utfall", "Utfall", "Bokfört eller uppmätt utfall."),
        Kind("budget", "Budget", "Beslutad budget."),
        Kind("prognos", "Prognos", "Prognos för perioden, gjord innan perioden var slut."),
        Kind("plan", "Plan", "Belopp i en plan (t.ex. identifierade åtgärder i en handlingsplan)."),
        Kind("krav", "Krav", "Krav som ställts, t.ex. ett sparkrav eller besparingsbeting."),
        Kind("beslut", "Beslut", "Belopp i ett fattat politiskt beslut."),
        Kind(
            "budgetavvikelse",
            "Avvikelse mot budget",
            "Utfall minus budget, i seriens eget tecken (en kostnad högre än budget är positiv).",
        ),
    ]
}

SIGNS = {
    "kostnad_positiv": "Kostnader som positiva belopp.",
    "intakt_positiv": "Intäkter som positiva belopp.",
    "overskott_positivt": "Överskott positivt, underskott negativt.",
    "besparing_positiv": "Besparing (minskad kostnad eller ökad intäkt) som positivt belopp.",
    "okning_positiv": "Ökning positiv, minskning negativ.",
    "ingen": "Inget tecken att tolka (antal, andelar).",
}

AGGREGATIONS = {
    "sum": "Summeras över månader och delar (belopp, timmar).",
    "mean": "Medelvärde över månader (t.ex. årsarbetare).",
    "none": "Kan inte summeras (andelar, nyckeltal, ställningar).",
}


@dataclass(frozen=True)
class Series:
    id: str
    label: str
    unit: str
    definition: str
    sign: str = "ingen"
    aggregation: str = "none"
    domain: str = ""
    minimum: float | None = None  #: smallest plausible value, e.g. 0 for hours
    categories: tuple[str, ...] = field(default_factory=tuple)  #: known breakdowns

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit].label

    @property
    def is_money(self) -> bool:
        return UNITS[self.unit].family == "pengar"


class RegistryError(ValueError):
    """A registry file that contradicts itself or the unit list."""


@cache
def series_registry() -> dict[str, Series]:
    """All series, read from ``data/series/*.toml``; a series id may be defined once only."""
    out: dict[str, Series] = {}
    for path in sorted(config.REGISTRY_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
        for sid, spec in doc.items():
            where = f"{path.name} [{sid}]"
            if sid in out:
                raise RegistryError(f"{where}: serien är redan definierad i {out[sid].domain}.toml")
            if not sid.isascii() or not sid.replace("_", "").isalnum():
                raise RegistryError(f"{where}: serie-id ska vara ASCII (a-z, 0-9, _)")
            if spec.get("unit") not in UNITS:
                raise RegistryError(f"{where}: okänd enhet {spec.get('unit')!r}; förväntat en av {sorted(UNITS)}")
            if spec.get("sign", "ingen") not in SIGNS:
                raise RegistryError(f"{where}: okänt tecken {spec.get('sign')!r}; förväntat en av {sorted(SIGNS)}")
            if spec.get("aggregation", "none") not in AGGREGATIONS:
                raise RegistryError(f"{where}: okänd aggregering {spec.get('aggregation')!r}")
            out[sid] = Series(
                id=sid,
                label=spec["label"],
                unit=spec["unit"],
                definition=spec["definition"],
                sign=spec.get("sign", "ingen"),
                aggregation=spec.get("aggregation", "none"),
                domain=path.stem,
                minimum=spec.get("minimum"),
                categories=tuple(spec.get("categories", ())),
            )
    return out


def get_series(series_id: str) -> Series:
    """The registry entry for a series id; KeyError names the known ids."""
    reg = series_registry()
    try:
        return reg[series_id]
    except KeyError:
        raise KeyError(f"okänd serie {series_id!r}; kända serier: {', '.join(sorted(reg))}") from None


def label(series_id: str) -> str:
    """Swedish label of a series."""
    return get_series(series_id).label


#: Category labels for the breakdowns used in the shipped data (ASCII id -> Swedish).
CATEGORY_LABELS: dict[str, str] = {
    "": "Totalt",
    "intakter": "Intäkter",
    "personalkostnadsreduceringar": "Personalkostnadsreduceringar",
    "ovriga_kostnadsreduceringar": "Övriga kostnadsreduceringar",
    "ovriga_intakter": "Övriga intäkter",
    "personalkostnader": "Personalkostnader",
    "ovriga_kostnader": "Övriga kostnader",
    "avskrivningar_inventarier": "Avskrivningar, inventarier",
    "avskrivningar_fastigheter": "Avskrivningar, fastigheter",
    "omsattning": "Omsättning",
    "budgetram": "Budgetram",
    "immateriella": "Immateriella anläggningstillgångar",
    "byggnadsinvesteringar": "Byggnadsinvesteringar",
    "medicinteknisk_utrustning": "Medicinteknisk utrustning",
    "it_utrustning": "IT-utrustning",
    "ovrig_utrustning": "Övrig utrustning",
    "lakare": "Läkare",
    "sjukskoterskor_barnmorskor": "Sjuksköterskor/barnmorskor",
    "ovriga": "Övriga",
    "besparingskrav": "Besparingskrav",
    "kostnadsreduceringar": "Kostnadsreduceringar",
    "skattehojning": "Skattehöjning",
    "avgiftshojning": "Höjda taxor och avgifter (10 %)",
    "administration": "Administration",
    "fas_1_administration": "Fas 1: administratörer och handläggare",
    "egen_personal": "Egen personal",
    "hyrpersonal": "Hyrpersonal",
}


def category_label(category: str) -> str:
    """Swedish label for a category id (the id itself if it has no label)."""
    return CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize())
