"""Kolada's KPI catalogue for regions, shipped with the library so it works offline.

``kpi_catalogue.csv`` next to this module holds the 1 318 KPIs of Kolada's catalogue for
regions (``municipality_type`` ``L``) plus N01951 (invånare, type ``A``), with Kolada's own
Swedish title and description. It was made by :func:`build_catalogue` from the v3 ``/kpi``
catalogue as shipped in the rKolada R package (provenance in ``data/kolada/README.md``).

Two columns are ours, derived from Kolada's text by fixed rules (see :func:`unit_of` and
:func:`population_date_of`): ``unit`` (the unit named at the end of the title) and
``population_date`` (``31/12`` or ``1 nov`` when the description divides by the number of
invånare on that date). Used by ``regionanalys list kpis`` and by the tests that check
:data:`regionanalys.kolada.client.KPIS` against Kolada's definitions.
"""
from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_FILE = Path(__file__).with_name("kpi_catalogue.csv")
COLUMNS = [
    "id", "title", "unit", "population_date", "is_divided_by_gender", "operating_area",
    "publ_period", "publication_date", "description",
]

# A title ends with its unit after the last comma ("…, kr/inv", "…, andel (%)"); a
# discontinued KPI carries "(-2024)" after it. Only segments with a unit word count.
_DISCONTINUED = re.compile(r"\s*\(-\d{4}\)\s*$")
_UNIT_WORDS = re.compile(r"kr|%|antal|andel|index|kvm|kbm|dagar|år\b|minuter|timmar|/", re.IGNORECASE)


@dataclass(frozen=True)
class CatalogueKpi:
    """One KPI of Kolada's catalogue (Kolada's own words, plus our derived unit)."""

    id: str
    title: str
    unit: str  #: e.g. "kr/inv", "andel (%)", "antal"; "" where the title names none
    population_date: str  #: "31/12", "1 nov" or "" (what the per-invånare figures divide by)
    is_divided_by_gender: bool  #: values come as T (totalt), K and M
    operating_area: str
    publ_period: str  #: latest published year, "" for discontinued KPIs
    publication_date: str
    description: str

    def short_definition(self, limit: int = 160) -> str:
        """The description's first sentence, cut at ``limit`` characters."""
        text = " ".join(self.description.split())
        m = re.search(r"(?<!\bt)(?<!\bo)(?<!\bm)(?<!\bfl)\.\s", text)  # not after "t o m." etc.
        first = text[: m.start() + 1] if m else text
        return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def unit_of(title: str) -> str:
    """The unit a Kolada title ends with ("Årets resultat region, kr/inv" -> "kr/inv")."""
    head = _DISCONTINUED.sub("", title)
    last = head.rsplit(",", 1)[-1].strip() if "," in head else ""
    last = last.rstrip(".")
    if last and len(last) <= 50 and last.count("(") == last.count(")") and _UNIT_WORDS.search(last):
        return last
    m = re.search(r"\((%)\)\s*$|\b(kr/inv|antal)\s*$", head)
    return (m.group(1) or m.group(2)) if m else ""


def population_date_of(description: str) -> str:
    """``31/12`` or ``1 nov``: the date of the population a per-invånare KPI divides by."""
    text = " ".join(description.split())
    if re.search(r"invånare(?: totalt)?(?: i regionen)?(?: den| avser)? 1 nov", text):
        return "1 nov"
    if re.search(r"invånare\b[^.]*?31/12|befolkning(?:en)? \(31/12\)", text):
        return "31/12"
    return ""


def _clean(text: str) -> str:
    # rKolada's conversion left literal "\n" at the end of some descriptions
    return unicodedata.normalize("NFC", text.replace("\\n", " ")).strip()


def build_catalogue(source: str | Path, target: str | Path = CATALOGUE_FILE) -> int:
    """Write the shipped catalogue from ``region_kpis.csv`` (the v3 ``/kpi`` columns).

    Returns the number of KPIs. Used once by hand when the catalogue is refreshed;
    raises ValueError naming the row when a column is missing or an id repeats.
    """
    rows, seen = [], set()
    with open(source, encoding="utf-8", newline="") as fh:
        for line, rec in enumerate(csv.DictReader(fh), start=2):
            try:
                kpi_id, title, description = rec["id"].strip(), _clean(rec["title"]), _clean(rec["description"])
                gender = rec["is_divided_by_gender"].strip()
                period = rec["publ_period"].strip()
            except (KeyError, AttributeError) as exc:
                raise ValueError(f"{source}, rad {line}: kolumnen {exc} saknas") from None
            if not re.fullmatch(r"[A-Z]\d{5}", kpi_id) or kpi_id in seen:
                raise ValueError(f"{source}, rad {line}, kolumn id: {kpi_id!r} är inget nytt nyckeltals-id (t.ex. N63012)")
            if gender not in ("True", "False"):
                raise ValueError(f"{source}, rad {line}, kolumn is_divided_by_gender: {gender!r}, väntade True eller False")
            seen.add(kpi_id)
            rows.append({
                "id": kpi_id, "title": title, "unit": unit_of(title), "population_date": population_date_of(description),
                "is_divided_by_gender": "true" if gender == "True" else "false",
                "operating_area": _clean(rec.get("operating_area") or ""),
                "publ_period": period[:-2] if period.endswith(".0") else period,
                "publication_date": (rec.get("publication_date") or "").strip(), "description": description,
            })
    rows.sort(key=lambda r: r["id"])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    from regionanalys.data.csvout import safe_cell  # imports pandas; this module stays light

    writer.writerows({k: safe_cell(v) for k, v in r.items()} for r in rows)  # no cell a spreadsheet executes
    Path(target).write_text(buf.getvalue(), encoding="utf-8")
    return len(rows)


def _unquoted(record: dict[str, str]) -> dict[str, str]:
    """A catalogue row as written before :func:`regionanalys.data.csvout.safe_cell` quoted it."""
    if not any(v.startswith("'") for v in record.values()):
        return record  # the common case, without importing the parser (and pandas)
    from regionanalys.data.csvout import unquote_cell

    return {k: unquote_cell(v) for k, v in record.items()}


@functools.lru_cache(maxsize=1)
def kpi_catalogue() -> dict[str, CatalogueKpi]:
    """The shipped catalogue as {id: :class:`CatalogueKpi`}, in id order."""
    with open(CATALOGUE_FILE, encoding="utf-8", newline="") as fh:
        return {
            r["id"]: CatalogueKpi(
                id=r["id"], title=r["title"], unit=r["unit"], population_date=r["population_date"],
                is_divided_by_gender=r["is_divided_by_gender"] == "true", operating_area=r["operating_area"],
                publ_period=r["publ_period"], publication_date=r["publication_date"], description=r["description"],
            )
            for r in (_unquoted(rec) for rec in csv.DictReader(fh))
        }


def _fold(text: str) -> str:
    # casefold keeps å/ä/ö distinct from a/o (they are separate letters in Swedish)
    return unicodedata.normalize("NFC", text).casefold()


def search_kpis(words: str | None = None, *, in_description: bool = False) -> list[CatalogueKpi]:
    """KPIs whose id or title (and description, if asked) contain every word, any case."""
    terms = _fold(words or "").split()
    out = []
    for kpi in kpi_catalogue().values():
        haystack = _fold(f"{kpi.id} {kpi.title}" + (f" {kpi.description}" if in_description else ""))
        if all(t in haystack for t in terms):
            out.append(kpi)
    return out


__all__ = ["CATALOGUE_FILE", "CatalogueKpi", "build_catalogue", "kpi_catalogue", "population_date_of", "search_kpis", "unit_of"]
