"""The 21 Swedish regions (and riket) with the county codes SCB and Kolada use."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str  #: two-digit county code, e.g. "17"
    name: str  #: official name, e.g. "Region Värmland"
    short: str  #: name without "Region", e.g. "Värmland"
    county: str  #: the county (län), e.g. "Värmlands län"

    @property
    def kolada_id(self) -> str:
        """Kolada's municipality id for the region: "00" + county code."""
        return "00" + self.code

    @property
    def is_aggregate(self) -> bool:
        return self.code == RIKET


RIKET = "00"

REGIONS: dict[str, Region] = {
    r.code: r
    for r in [
        Region("01", "Region Stockholm", "Stockholm", "Stockholms län"),
        Region("03", "Region Uppsala", "Uppsala", "Uppsala län"),
        Region("04", "Region Sörmland", "Sörmland", "Södermanlands län"),
        Region("05", "Region Östergötland", "Östergötland", "Östergötlands län"),
        Region("06", "Region Jönköpings län", "Jönköpings län", "Jönköpings län"),
        Region("07", "Region Kronoberg", "Kronoberg", "Kronobergs län"),
        Region("08", "Region Kalmar län", "Kalmar län", "Kalmar län"),
        Region("09", "Region Gotland", "Gotland", "Gotlands län"),
        Region("10", "Region Blekinge", "Blekinge", "Blekinge län"),
        Region("12", "Region Skåne", "Skåne", "Skåne län"),
        Region("13", "Region Halland", "Halland", "Hallands län"),
        Region("14", "Västra Götalandsregionen", "Västra Götaland", "Västra Götalands län"),
        Region("17", "Region Värmland", "Värmland", "Värmlands län"),
        Region("18", "Region Örebro län", "Örebro län", "Örebro län"),
        Region("19", "Region Västmanland", "Västmanland", "Västmanlands län"),
        Region("20", "Region Dalarna", "Dalarna", "Dalarnas län"),
        Region("21", "Region Gävleborg", "Gävleborg", "Gävleborgs län"),
        Region("22", "Region Västernorrland", "Västernorrland", "Västernorrlands län"),
        Region("23", "Region Jämtland Härjedalen", "Jämtland Härjedalen", "Jämtlands län"),
        Region("24", "Region Västerbotten", "Västerbotten", "Västerbottens län"),
        Region("25", "Region Norrbotten", "Norrbotten", "Norrbottens län"),
        Region(RIKET, "Riket", "Riket", "Hela Sverige"),
    ]
}

#: The three regions the project was started for.
FIRST_USERS = ("17", "18", "24")


def _fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces, so "Örebro län" == "orebro lan"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").split())


def _build_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for r in REGIONS.values():
        for alias in {r.code, r.kolada_id, r.name, r.short, r.county, "region " + r.short}:
            aliases[_fold(alias)] = r.code
        if len(r.code) == 2 and r.code.startswith("0"):
            aliases[r.code[1]] = r.code  # "1" for "01", as Excel drops the zero
    aliases["sverige"] = RIKET
    aliases["hela landet"] = RIKET
    return aliases


_ALIASES = _build_aliases()


class UnknownRegionError(ValueError):
    """A region name or code that is not in the registry."""


def resolve_region(value: str | int | Region) -> str:
    """Return the two-digit county code for a region given by code, Kolada id or name.

    >>> resolve_region("Värmland"), resolve_region("0018"), resolve_region(24)
    ('17', '18', '24')
    """
    if isinstance(value, Region):
        return value.code
    key = _fold(str(value))
    if key.isdigit() and len(key) == 1:
        key = "0" + key
    try:
        return _ALIASES[key]
    except KeyError:
        raise UnknownRegionError(
            f"okänd region {str(value)!r}; förväntat en länskod (t.ex. 17) eller ett namn "
            f"(t.ex. Region Värmland)"
        ) from None


def region(value: str | int | Region) -> Region:
    """The :class:`Region` for a code or name."""
    return REGIONS[resolve_region(value)]


def region_name(code: str) -> str:
    """Official name for a county code ("17" -> "Region Värmland")."""
    return REGIONS[resolve_region(code)].name


def all_regions(include_riket: bool = False) -> list[Region]:
    """The 21 regions in code order, optionally followed by riket."""
    out = [r for r in REGIONS.values() if not r.is_aggregate]
    return out + ([REGIONS[RIKET]] if include_riket else [])
