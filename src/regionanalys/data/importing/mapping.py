"""The mapping: which column of an export is which series, region, org, category, kind
and unit (a TOML file or a dict), and its checks against the registries, made before any
data is read. Every key is described in :class:`Mapping` and ``docs/importing.md``."""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path

from regionanalys.data.registry import KINDS, UNITS, resolve_unit, series_registry
from regionanalys.data.regions import UnknownRegionError, resolve_region


def _norm(text: object) -> str:
    """Header text compared case- and space-insensitively ("Hyr läkare " == "hyr läkare")."""
    return " ".join(str(text).replace("\u00a0", " ").strip().lower().split())



class MappingError(ValueError):
    """A mapping that contradicts itself or the registries (raised before any data is read)."""


@dataclass(frozen=True)
class Field:
    """A contract field's value: fixed (``value``) or read from a ``column`` of the export,
    optionally translated with ``values`` (export text -> contract value)."""

    value: str | None = None
    column: str | None = None
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: object, name: str) -> "Field":
        if spec is None:
            return cls()
        if isinstance(spec, (str, int)):
            return cls(value=str(spec))
        if isinstance(spec, MappingABC):
            unknown = set(spec) - {"column", "values", "value"}
            if unknown:
                raise MappingError(f"{name}: okända nycklar {sorted(unknown)}; förväntat column, values eller value")
            values = {_norm(k): str(v) for k, v in dict(spec.get("values", {})).items()}
            if "value" in spec:
                return cls(value=str(spec["value"]))
            if "column" not in spec:
                raise MappingError(f"{name}: ange column = \"…\" eller ett fast värde")
            return cls(column=str(spec["column"]), values=values)
        raise MappingError(f"{name}: förväntat en text eller {{ column = \"…\" }}, inte {spec!r}")

    @property
    def given(self) -> bool:
        return self.value is not None or self.column is not None

    def lookup(self, raw: str) -> str | None:
        """The contract value for an export text: an exact ``values`` key first, else the
        longest key ending in ``*`` that the text starts with ("46*" matches "4631")."""
        return match_value(self.values, raw)


def _matches(pattern: str, text: str) -> bool:
    """Whether a normalized export text matches a key: exact, or a prefix key ``"46*"``."""
    if pattern.endswith("*"):
        return text.startswith(pattern[:-1])
    return text == pattern


def match_value(values: dict[str, str], raw: str) -> str | None:
    """``values[raw]`` with prefix keys (``"50*"``); the longest matching prefix wins, so
    ``"501*"`` overrides ``"50*"`` (two prefixes of the same length cannot both match)."""
    key = _norm(raw)
    if key in values:
        return values[key]
    best = max((k for k in values if k.endswith("*") and key.startswith(k[:-1])), key=len, default=None)
    return None if best is None else values[best]


@dataclass(frozen=True)
class Group:
    """One ``[[rows]]`` entry: the rows whose ``where`` columns match, and the contract
    fields they get (e.g. the accounts that make up one series)."""

    name: str  #: as shown in messages ("rows[1] (hyrpersonal_kostnad/lakare)")
    where: dict[str, tuple[str, ...]]  #: header -> normalized keys (prefix keys end in ``*``)
    fields: dict[str, str]  #: series, category, org, region, kind, unit

    def matches(self, texts: dict[str, str]) -> bool:
        return all(any(_matches(p, _norm(texts.get(h, ""))) for p in pats) for h, pats in self.where.items())


@dataclass(frozen=True)
class ValueColumn:
    """A value column of a wide export and what its values are: the contract fields the
    column sets (``series`` always; ``category``, ``org``, ``region``, ``kind``, ``unit`` where
    it overrides the mapping), as a ``[[rows]]`` :class:`Group` sets them for its rows."""

    header: str
    fields: dict[str, str]  #: field name -> value, only the fields the column sets

    @property
    def series(self) -> str:
        return self.fields["series"]


@dataclass
class Mapping:
    """How an export's columns map to the data contract.

    Keys (TOML or dict):

    ``layout``  "wide" or "long".
    ``period``  header of the month column, or a list of two headers [år, månad].
    ``region``, ``org``, ``kind``, ``unit``, ``category``, ``series``
                a fixed value ("24", "region", "utfall", "tkr") or
                ``{ column = "Område", values = { "Läkare" = "lakare", "46*" = "ovriga" } }``
                (a key ending in ``*`` is a prefix; exact keys first, then the longest).
                ``org`` defaults to "region", ``kind`` to "utfall", ``category`` to "".
                ``unit`` is required: an export in tkr must say so.
    ``value``   (long) header of the value column.
    ``columns`` (wide) one table per value column: ``[columns."Hyrläkare"]`` with
                ``series``, optional ``category``, ``org``, ``region``, ``kind``, ``unit``.
    ``ignore``  headers of columns that are not data (comments), or 1-based numbers of
                columns without a header; they are listed as skipped. Any other column
                with values that the mapping does not name is an error.
    ``rows``    ``[[rows]]`` groups: ``where = { Konto = ["4631", "46*"] }`` and the fields
                the matching rows get (series, category, org, region, kind, unit).
    ``unmatched`` "error" (default) or "skip": rows that no group matches.
    ``aggregate`` "none" (default: two values with one key are an error) or "sum".
    ``skip_rows`` texts in the period column that mark rows to skip unchecked. Sum rows
                ("Summa", "Totalt 2023", a year between months) need no entry: they are
                checked against their months and skipped.
    ``empty``   "error" (default) or "skip": whether an empty value cell is an error or
                skipped (and listed in the result).
    ``sheet``   (Excel) the sheet to read; default the first.
    ``header_row`` 1-based row of the headers; default the first row with the period header.
    ``source``  what the export is ("Heroma, export 2023-06-02"); goes first in ``source``.
    ``note``, ``example`` copied to every row.
    """

    layout: str
    period: tuple[str, ...]
    unit: Field
    region: Field = field(default_factory=Field)
    org: Field = field(default_factory=lambda: Field(value="region"))
    kind: Field = field(default_factory=lambda: Field(value="utfall"))
    category: Field = field(default_factory=lambda: Field(value=""))
    series: Field = field(default_factory=Field)
    value: str | None = None
    columns: dict[str, ValueColumn] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    ignore_numbers: tuple[int, ...] = ()  #: 1-based numbers of columns without a header to skip
    skip_rows: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    unmatched: str = "error"
    aggregate: str = "none"
    empty: str = "error"
    sheet: str | None = None
    header_row: int | None = None
    source: str = ""
    note: str = ""
    example: bool = False

    @classmethod
    def from_dict(cls, spec: MappingABC) -> "Mapping":
        """A mapping from a dict (the same keys as the TOML file); checks it against the registries."""
        known = {
            "layout", "period", "unit", "region", "org", "kind", "category", "series", "value", "columns", "ignore",
            "skip_rows", "empty", "sheet", "header_row", "source", "note", "example", "rows", "unmatched", "aggregate",
        }
        unknown = set(spec) - known
        if unknown:
            raise MappingError(f"okända nycklar i mappningen: {sorted(unknown)}; kända: {sorted(known)}")
        layout = str(spec.get("layout", "wide")).lower()
        if layout not in ("wide", "long"):
            raise MappingError(f"layout ska vara 'wide' (en kolumn per serie) eller 'long' (en rad per värde), inte {layout!r}")
        period = spec.get("period")
        if isinstance(period, str):
            period_cols: tuple[str, ...] = (period,)
        elif isinstance(period, (list, tuple)) and len(period) == 2 and all(isinstance(p, str) for p in period):
            period_cols = tuple(period)
        else:
            raise MappingError("period: ange rubriken på månadskolumnen, t.ex. period = \"Månad\", eller två rubriker [\"År\", \"Månad\"]")
        m = cls(
            layout=layout,
            period=period_cols,
            unit=Field.parse(spec.get("unit"), "unit"),
            region=Field.parse(spec.get("region"), "region"),
            org=Field.parse(spec.get("org", "region"), "org"),
            kind=Field.parse(spec.get("kind", "utfall"), "kind"),
            category=Field.parse(spec.get("category", ""), "category"),
            series=Field.parse(spec.get("series"), "series"),
            value=spec.get("value"),
            ignore=tuple(str(x) for x in spec.get("ignore", ()) if not isinstance(x, int)),
            ignore_numbers=tuple(x for x in spec.get("ignore", ()) if isinstance(x, int) and not isinstance(x, bool)),
            groups=_parse_groups(spec.get("rows", [])),
            unmatched=str(spec.get("unmatched", "error")),
            aggregate=str(spec.get("aggregate", "none")),
            skip_rows=tuple(str(x) for x in spec.get("skip_rows", ())),
            empty=str(spec.get("empty", "error")),
            sheet=spec.get("sheet"),
            header_row=spec.get("header_row"),
            source=str(spec.get("source", "")),
            note=str(spec.get("note", "")),
            example=bool(spec.get("example", False)),
        )
        if m.empty not in ("error", "skip"):
            raise MappingError("empty ska vara 'error' eller 'skip'")
        if m.unmatched not in ("error", "skip"):
            raise MappingError("unmatched ska vara 'error' (en rad som ingen [[rows]] matchar är ett fel) eller 'skip' (raden hoppas över och listas)")
        if m.aggregate not in ("none", "sum"):
            raise MappingError("aggregate ska vara 'none' (två värden med samma nyckel är ett fel) eller 'sum' (de summeras)")
        if any(n < 1 for n in m.ignore_numbers):
            raise MappingError("ignore: ett kolumnnummer räknas från 1 (kolumn A = 1)")
        if not m.region.given:
            raise MappingError("region saknas: ange en fast region (region = \"24\") eller en kolumn")
        registry = series_registry()
        if layout == "wide":
            cols = dict(spec.get("columns", {}))
            if not cols:
                raise MappingError("columns saknas: en bred export behöver [columns.\"Rubrik\"] med series för varje värdekolumn")
            for header, c in cols.items():
                if isinstance(c, str):
                    c = {"series": c}
                extra = set(c) - set(_GROUP_FIELDS)
                if extra or "series" not in c:
                    raise MappingError(f"columns.{header!r}: ange series (och valfritt category, org, region, kind, unit); okända nycklar {sorted(extra)}")
                m.columns[_norm(header)] = ValueColumn(header, {k: str(c[k]) for k in _GROUP_FIELDS if c.get(k) is not None})
            if not m.unit.given and any("unit" not in c.fields for c in m.columns.values()):
                raise MappingError("unit saknas: ange exportens enhet, t.ex. unit = \"tkr\", eller unit för varje kolumn")
        else:
            if not m.value:
                raise MappingError("value saknas: en lång export behöver rubriken på värdekolumnen, t.ex. value = \"Belopp\"")
            if not m.series.given and not (m.groups and all("series" in g.fields for g in m.groups)):
                raise MappingError("series saknas: ange serien (series = \"hyrpersonal_kostnad\"), en kolumn med serienamn, eller series i varje [[rows]]")
            if not m.unit.given and not (m.groups and all("unit" in g.fields for g in m.groups)):
                raise MappingError("unit saknas: ange exportens enhet, t.ex. unit = \"tkr\"")
        # Fixed values are checked now, so a typo fails before the export is read.
        for sid in m.fixed("series", translated=True):
            if sid not in registry:
                raise MappingError(f"okänd serie {sid!r} i mappningen; kända: {', '.join(sorted(registry))}")
        for u in m.fixed("unit", translated=True):
            try:
                resolve_unit(u)
            except KeyError:
                raise MappingError(f"okänd enhet {u!r} i mappningen; kända: {', '.join(sorted(UNITS))}") from None
        for k in m.fixed("kind"):
            if k not in KINDS:
                raise MappingError(f"okänd kind {k!r} i mappningen; kända: {', '.join(KINDS)}")
        for r in m.fixed("region"):
            try:
                resolve_region(r)
            except UnknownRegionError as exc:
                raise MappingError(str(exc)) from None
        return m

    def fixed(self, name: str, *, translated: bool = False) -> list[str]:
        """The values the mapping fixes for a contract field, in the order they are checked:
        per value column, for the whole export, (with ``translated``) what a column's
        ``values`` translate to, and per ``[[rows]]`` group."""
        f: Field = getattr(self, name)
        out = [c.fields[name] for c in self.columns.values() if c.fields.get(name)]
        out += [f.value] if f.value else []
        out += list(f.values.values()) if translated else []
        return out + [g.fields[name] for g in self.groups if name in g.fields]

    @classmethod
    def from_toml(cls, path: str | os.PathLike) -> "Mapping":
        """A mapping from a TOML file."""
        try:
            with open(path, "rb") as fh:
                spec = tomllib.load(fh)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise MappingError(f"{Path(path).name}: går inte att läsa som TOML (UTF-8): {exc}") from None
        except OSError as exc:
            raise MappingError(f"{path}: går inte att läsa ({exc.strerror or exc})") from None
        try:
            return cls.from_dict(spec)
        except MappingError as exc:
            raise MappingError(f"{Path(path).name}: {exc}") from None


_GROUP_FIELDS = ("series", "category", "org", "region", "kind", "unit")


def _parse_groups(spec: object) -> tuple[Group, ...]:
    """The ``[[rows]]`` tables of a mapping."""
    if not isinstance(spec, (list, tuple)):
        raise MappingError("rows ska vara en lista av tabeller: [[rows]] med where = { Konto = [\"4631\", \"4632\"] } och series")
    groups = []
    for i, g in enumerate(spec, start=1):
        if not isinstance(g, MappingABC):
            raise MappingError(f"rows[{i}]: förväntat en tabell med where och series, inte {g!r}")
        extra = set(g) - {"where", *_GROUP_FIELDS}
        if extra:
            raise MappingError(f"rows[{i}]: okända nycklar {sorted(extra)}; kända: where, {', '.join(_GROUP_FIELDS)}")
        where = g.get("where")
        if not isinstance(where, MappingABC) or not where:
            raise MappingError(f"rows[{i}]: where saknas; ange vilka rader som hör hit, t.ex. where = {{ Konto = [\"4631\", \"4632\"] }}")
        pats = {}
        for header, vals in where.items():
            vals = [vals] if isinstance(vals, (str, int)) else list(vals)
            if not vals:
                raise MappingError(f"rows[{i}].where.{header}: tom lista")
            pats[str(header)] = tuple(_norm(v) for v in vals)
        fields = {k: str(g[k]) for k in _GROUP_FIELDS if k in g}
        label = "/".join(fields[k] for k in ("series", "category", "org") if fields.get(k))
        groups.append(Group(f"rows[{i}]" + (f" ({label})" if label else ""), pats, fields))
    return tuple(groups)


def as_mapping(mapping: "Mapping | MappingABC | str | os.PathLike") -> Mapping:
    """A :class:`Mapping` from a Mapping, a dict or a path to a TOML file."""
    if isinstance(mapping, Mapping):
        return mapping
    if isinstance(mapping, MappingABC):
        return Mapping.from_dict(mapping)
    return Mapping.from_toml(mapping)

