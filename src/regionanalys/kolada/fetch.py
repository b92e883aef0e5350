"""`regionanalys fetch kolada`: refresh the Kolada cache from the command line.

The command function :func:`kolada` is registered on the CLI's ``fetch`` group in
:mod:`regionanalys.cli`; it can also be mounted on any Typer app (the tests do so).
This module is imported by every ``regionanalys`` command, so the client (httpx) is
imported only when the command runs.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from regionanalys.data.regions import UnknownRegionError, resolve_region

#: Years accepted on the command line (as :mod:`regionanalys.data.parsing` accepts periods).
MIN_YEAR, MAX_YEAR = 1990, 2100


def _split(values: list[str] | None) -> list[str]:
    """Items of options that may be repeated and/or comma-separated."""
    return [item.strip() for v in values or [] for item in v.split(",") if item.strip()]


def parse_years(values: list[str] | None) -> list[int] | None:
    """Years from "2022", "2019-2023" (or with an en dash) and comma lists; None if none."""
    items = _split(values)
    if not items:
        return None
    years: set[int] = set()
    for item in items:
        m = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", item)
        if m:
            first, last = int(m[1]), int(m[2])
            if first > last:
                raise typer.BadParameter(f"{item!r}: första året är större än det sista", param_hint="--years")
            span = range(first, last + 1)
        elif re.fullmatch(r"\d{4}", item):
            span = range(int(item), int(item) + 1)
        else:
            raise typer.BadParameter(f"{item!r} är inget år; ange t.ex. 2023, 2019-2023 eller 2021,2023", param_hint="--years")
        for y in span:
            if not MIN_YEAR <= y <= MAX_YEAR:
                raise typer.BadParameter(f"året {y} ligger utanför {MIN_YEAR}–{MAX_YEAR}", param_hint="--years")
            years.add(y)
    return sorted(years)


def _parse_items(values: list[str] | None, resolve, errors: tuple[type[Exception], ...], hint: str) -> list[str] | None:
    """Resolved, de-duplicated items of a list option; None if none; BadParameter on a bad one."""
    items = _split(values)
    if not items:
        return None
    try:
        return list(dict.fromkeys(resolve(v) for v in items))
    except errors as exc:
        raise typer.BadParameter(str(exc), param_hint=hint) from None


def parse_regions(values: list[str] | None) -> list[str] | None:
    """County codes from codes, Kolada ids or names; None if none given."""
    return _parse_items(values, resolve_region, (UnknownRegionError,), "--region")


def parse_kpis(values: list[str] | None) -> list[str] | None:
    """KPI ids known to :data:`regionanalys.kolada.client.KPIS`; None if none given."""
    from regionanalys.kolada.client import resolve_kpi

    return _parse_items(values, resolve_kpi, (ValueError,), "--kpi")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def kolada(
    kpi: Annotated[
        list[str] | None,
        typer.Option("--kpi", "-k", metavar="KPI", help="Nyckeltal, t.ex. N63016,N63019, kommaseparerade eller upprepade (standard: jämförelsens nyckeltal, märkta * i `regionanalys list kpis`)."),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", "-r", metavar="REGION", help="Regioner som kod, Kolada-id eller namn, t.ex. 17,Örebro län (standard: alla 21 och riket)."),
    ] = None,
    years: Annotated[
        list[str] | None,
        typer.Option("--years", "--year", "-y", metavar="ÅR", help="År, t.ex. 2023, 2015-2024 eller 2021,2023 (standard: de tio senaste hela åren)."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", metavar="URL", help="API:ts bas-URL (standard: $KOLADA_BASE_URL eller https://api.kolada.se/v3)."),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", metavar="KATALOG", help="Datakatalogen (standard: projektets data/)."),
    ] = None,
) -> None:
    """Hämta nyckeltal från Kolada till data/kolada/kolada.csv (cachen byts bara ut om allt gick bra)."""
    from regionanalys.kolada.client import KoladaError, refresh_cache

    kpis, regions, year_list = parse_kpis(kpi), parse_regions(region), parse_years(years)
    try:
        result = refresh_cache(kpis, regions, year_list, base_url, data_dir)
    except KoladaError as exc:
        typer.echo(f"Fel: {exc}", err=True)
        raise typer.Exit(1) from None

    y = result.years
    typer.echo(
        f"Kolada ({result.base_url}), hämtad {result.fetched_at}: {len(result.kpis)} nyckeltal, "
        f"{len(result.regions)} områden, åren {y[0]}–{y[-1]}, {result.requests} anrop."
    )
    for k in result.kpis:
        skipped = []
        if result.skipped_deleted[k]:
            skipped.append(f"{result.skipped_deleted[k]} borttagna")
        if result.skipped_missing[k]:
            skipped.append(f"{result.skipped_missing[k]} saknas")
        extra = f" (hoppade över {', '.join(skipped)})" if skipped else ""
        typer.echo(f"  {k}  {_n(result.rows_per_kpi[k]):>6} rader  {result.titles.get(k, '')}{extra}")
    typer.echo(
        f"Hoppade över totalt: {_n(sum(result.skipped_deleted.values()))} borttagna värden (isdeleted), "
        f"{_n(sum(result.skipped_missing.values()))} utan värde (null), {_n(result.skipped_other)} andra "
        f"(kön K/M, andra områden)."
    )
    if result.derived_rows:
        parts = ", ".join(f"{s} {_n(n)}" for s, n in result.derived_rows.items())
        typer.echo(f"Härledda serier (mnkr): {parts}.")
    if result.kept_rows:
        typer.echo(f"Behöll {_n(result.kept_rows)} rader ur den tidigare cachen (utanför denna hämtning).")
    for w in result.warnings:
        typer.echo(f"Varning: {w}", err=True)
    typer.echo(f"Skrev {result.path} ({_n(result.rows_total)} rader) och {result.metadata_path.name}.")


__all__ = ["kolada", "parse_kpis", "parse_regions", "parse_years"]
