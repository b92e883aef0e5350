"""The ``regionanalys`` command: run reports, validate data, list what there is.

    regionanalys run [--notebook NAME ...] [--region R ...] [--year Y] [--out DIR]
                     [--jobs N] [--force] [--pdf] [-p NAME=VÄRDE ...]
    regionanalys validate [KATALOG|FIL]
    regionanalys list
    regionanalys fetch ...          (hämtning från externa källor, t.ex. Kolada)

Exit codes: 0 ok; 1 a report (or the data check) failed; 2 an invalid choice (unknown
region, notebook or parameter) or a broken reports.toml; 3 the run could not start
(Chromium missing, another run in progress).

When stdout is not a terminal (cron, systemd) ``run`` prints nothing on success and one
line per failed report on stderr; ``--verbose`` prints a line per report as well.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from regionanalys import cli_sv

cli_sv.install()  # Click's own texts (Usage, Options, errors) in Swedish like ours


def _plain_values_without_pydantic() -> None:
    """Let Typer take plain valid option values without pydantic.

    Typer (0.2x) converts every option value through a pydantic ``TypeAdapter``; importing
    pydantic and building the adapters is about half the CPU of a ``run`` with nothing to do.
    A valid value of the types our commands use (str, int, float, Path, bool and lists of
    them, no custom parser) is converted here as pydantic would; anything else (an invalid or
    out-of-range value, another type) goes through Typer's own pydantic path, so its error
    messages, and their Swedish in cli_sv, stay exactly Typer's. Idempotent.
    """
    import re
    from dataclasses import dataclass, field

    try:  # Typer's internals: without them (another Typer) values go Typer's own way
        import typer.core as tcore
        from typer import _coercion
        from typer._param_types import coerce_cli_path

        _coercion.RuntimeParam, _coercion.TypeDescriptor, tcore.build_runtime_param  # noqa: B018
    except (ImportError, AttributeError):
        return
    if getattr(tcore.build_runtime_param, "_regionanalys", False):
        return
    typers_own = _coercion.build_runtime_param
    numbers = {int: re.compile(r"[+-]?[0-9]+"), float: re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")}
    not_plain = object()

    def plain(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
        """``value`` converted, or ``not_plain`` to leave it to Typer."""
        if annotation in (str, bool) and type(value) is annotation:
            return value
        if annotation in numbers:
            if isinstance(value, str) and numbers[annotation].fullmatch(value):
                number = annotation(value)
            elif type(value) is int or type(value) is annotation:
                number = annotation(value)
            else:
                return not_plain
            out_of_range = (info.min is not None and number < info.min) or (info.max is not None and number > info.max)
            return not_plain if out_of_range or info.clamp else number
        if annotation is Path and info.path_type in (None, Path) and isinstance(value, (str, Path)) and value != "":
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        if getattr(annotation, "__origin__", None) is list and isinstance(value, (list, tuple)):
            (item_type,) = annotation.__args__
            items = [plain(item_type, info, item, param, ctx) for item in value]
            return not_plain if any(item is not_plain for item in items) else items
        return not_plain

    @dataclass(frozen=True)
    class PlainRuntimeParam(_coercion.RuntimeParam):
        descriptor: Any = None
        typers: list = field(default_factory=list)  # Typer's own runtime param, built on first need

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.parameter_info.parser is None:
                converted = plain(self.annotation, self.parameter_info, value, param, ctx)
                if converted is not not_plain:
                    return converted
            if not self.typers:
                self.typers.append(typers_own(self.descriptor))
            return self.typers[0]._coerce_value(value, param, ctx)

    def build_runtime_param(descriptor: Any) -> Any:
        if descriptor.file_annotation is not None:
            return typers_own(descriptor)
        return PlainRuntimeParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                                 descriptor=descriptor)

    build_runtime_param._regionanalys = True
    tcore.build_runtime_param = build_runtime_param


_plain_values_without_pydantic()

from regionanalys import config

app = typer.Typer(
    name="regionanalys",
    help="Underskott och sparprogram i Sveriges regioner: rapporter, datakontroll och listor.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_CANNOT_START = 3


def _version(value: bool) -> None:
    if value:
        from regionanalys import __version__

        typer.echo(f"regionanalys {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Visa versionen och avsluta.")] = False,
) -> None:
    """Underskott och sparprogram i Sveriges regioner: rapporter, datakontroll och listor."""


def _err(message: str) -> None:
    typer.echo(f"fel: {message}", err=True)


# --- run -------------------------------------------------------------------------------


@app.command()
def run(
    notebook: Annotated[Optional[list[str]], typer.Option("--notebook", "-n", metavar="NAMN", help="Rapport att köra: id i reports.toml (t.ex. region) eller notebookens namn. Kan upprepas. Standard: alla rapporter.")] = None,
    region: Annotated[Optional[list[str]], typer.Option("--region", "-r", metavar="REGION", help="Region, som länskod (17) eller namn (Värmland). Kan upprepas. Standard: rapportens egna regioner.")] = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", metavar="ÅR", help="År rapporterna gäller. Standard: notebookens standardvärde.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="KATALOG", help="Katalog för rapporterna: tom, eller en som redan har rapporter (filen .regionanalys-reports).", show_default=False)] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, metavar="N", help="Antal rapporter som körs samtidigt. Standard: antalet kärnor.")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Kör alla valda rapporter även om inget har ändrats.")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Skriv också ut varje rapport som PDF (kräver Chromium).")] = False,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", metavar="NAMN=VÄRDE", help="Extra parameter till notebooken; måste finnas i dess parameters-cell. Kan upprepas.")] = None,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Datakatalog.", show_default=False)] = None,
    notebooks_dir: Annotated[Optional[Path], typer.Option("--notebooks-dir", help="Katalog med notebooks.", show_default=False)] = None,
    spec: Annotated[Optional[Path], typer.Option("--spec", help="Rapportlista. Standard: reports.toml i notebook-katalogen.", show_default=False)] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Sekunder en cell får köra innan rapporten avbryts (se docs/scheduling.md).")] = 120,
    fresh_workers: Annotated[bool, typer.Option("--fresh-workers", help="Ny arbetsprocess för varje rapport (långsammare; för felsökning).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Ingen utskrift utom fel.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="En rad per rapport även när utdata inte går till en terminal (loggfiler).")] = False,
    log_file: Annotated[Optional[Path], typer.Option("--log-file", metavar="FIL", help="Lägg till en rad per rapport (tid, rapport, status, sekunder, orsak till fel) och sist en rad JSON med sammanfattning och slutkod i FIL.", show_default=False)] = None,
) -> None:
    """Kör rapport-notebooks och skriv HTML-rapporter, manifest.json och index.html.

    Rapporter vars indata (notebook, bibliotek, data, parametrar) inte har ändrats körs
    inte om. En misslyckad rapport stoppar inte de andra; den senaste lyckade HTML-filen
    ligger kvar. Slutkod: 0 allt klart, 1 någon rapport misslyckades, 2 ogiltigt val,
    3 kunde inte starta.
    """
    from regionanalys.report.runner import RunError, plan_run
    from regionanalys.report.runner.runlog import RunLog
    from regionanalys.report.specs import ParameterError, SpecError, parse_assignments

    log = None
    if log_file is not None:
        try:
            log = RunLog(log_file)
        except OSError as exc:
            _err(f"loggfilen {log_file} kan inte skrivas: {exc.strerror or exc}")
            raise typer.Exit(EXIT_USAGE) from None

    def stop(code: int, message: str) -> None:
        _err(message)
        if log is not None:
            log.summary(None, code, message)
            log.close()
        raise typer.Exit(code)

    try:
        params = parse_assignments(param or [])
        plan = plan_run(notebook, region, year, params, notebooks_dir=notebooks_dir, spec_path=spec,
                        data_dir=data_dir, out_dir=out)
    except (ParameterError, SpecError) as exc:
        stop(EXIT_USAGE, str(exc))
    options = {"jobs": jobs, "force": force, "pdf": pdf, "timeout": timeout, "reuse_workers": not fresh_workers}
    also = log.on_event if log is not None else None
    try:
        if sys.stdout.isatty() and not quiet:
            summary = _run_with_progress(plan, options, also)
        else:
            summary = _run_plain(plan, options, also, verbose=verbose and not quiet)
    except ParameterError as exc:  # the output folder is not ours (checked again under the lock)
        stop(EXIT_USAGE, str(exc))
    except RunError as exc:
        stop(EXIT_CANNOT_START, str(exc))
    if log is not None:
        for note in summary.notes:
            log.message(note)
        log.summary(summary, summary.exit_code)
        log.close()
    raise typer.Exit(summary.exit_code)


def _both(first, second):
    """One event callback that calls two (either may be None)."""
    def on_event(kind, job, res):
        if first is not None:
            first(kind, job, res)
        if second is not None:
            second(kind, job, res)
    return on_event


def _totals(summary) -> str:
    return (f"{len(summary.executed)} körda, {len(summary.results) - len(summary.executed)} oförändrade, "
            f"{len(summary.failed)} misslyckade på {summary.seconds:.1f} s. Index: {summary.index}")


def _run_plain(plan, options, also, *, verbose: bool):
    """Output for cron and log files: failures on stderr, with ``verbose`` a line per report."""
    from regionanalys.report.runner import execute

    def on_event(kind, job, res):
        if verbose and kind in ("cached", "finished") and res is not None:
            state = "ok" if res.ok else "MISSLYCKADES"
            how = "cachad" if res.cached else f"körd ({res.reason})"
            typer.echo(f"{job.id}: {state}, {res.seconds:.1f} s, {how}")

    summary = execute(plan, on_event=_both(on_event, also), **options)
    for res in summary.failed:
        typer.echo(f"MISSLYCKADES {res.job.id}: {res.error_text}", err=True)
    for msg in summary.pdf_errors:
        typer.echo(f"PDF misslyckades: {msg}", err=True)
    for msg in summary.errors:
        typer.echo(f"fel: {msg}", err=True)
    if verbose:
        for note in summary.notes:
            typer.echo(note)
        if summary.critical_path_text:
            typer.echo(summary.critical_path_text)
        typer.echo(f"{len(summary.results)} rapporter: " + _totals(summary))
    return summary


def _failure_text(red: str, plain: str):
    """A red label and then plain text: rich markup in the text (``[...]``, as in
    ``KeyError: ['x']`` or ``[/red]``) is shown as written, never interpreted."""
    from rich.text import Text

    return Text.assemble((red, "red"), plain)


def _run_with_progress(plan, options, also):
    """Output on a terminal: a progress bar, then a table of the reports."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Table
    from rich.text import Text

    from regionanalys.report.runner import execute

    console = Console()
    running: list[str] = []
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
        TextColumn("kvar {task.fields[left]}"), TimeElapsedColumn(), console=console,
    ) as progress:
        total = len(plan.jobs)
        task = progress.add_task("Förbereder", total=total, left=total)

        def describe() -> str:
            if running:
                shown = ", ".join(running[:3]) + (f" +{len(running) - 3}" if len(running) > 3 else "")
                return f"Kör {shown}"
            return "Startar arbetsprocesser" if progress.tasks[task].completed < total else "Klart"

        def on_event(kind, job, res):
            if kind == "started":
                running.append(job.id)
            elif kind in ("cached", "finished"):
                if job.id in running:
                    running.remove(job.id)
                done = progress.tasks[task].completed + 1
                progress.update(task, advance=1, left=total - done)
                if kind == "finished" and res is not None and not res.ok:
                    progress.console.print(_failure_text("MISSLYCKADES", f" {job.id}: {res.error_text}"), highlight=False)
            elif kind == "pdf":
                progress.console.print(Text(f"PDF: {job.id}"), highlight=False)
            progress.update(task, description=describe())

        summary = execute(plan, on_event=_both(on_event, also), **options)
        progress.update(task, description="Klart")

    table = Table(title="Rapporter", title_justify="left")
    table.add_column("Rapport")
    table.add_column("Status")
    table.add_column("Sekunder", justify="right")
    table.add_column("Cachad eller körd")
    for res in summary.results:
        status = Text("ok", "green") if res.ok else Text("MISSLYCKADES", "red")
        how = "cachad" if res.cached else f"körd: {res.reason}"
        table.add_row(Text(res.job.id), status, f"{res.seconds:.1f}", Text(how))
    console.print(table)
    for res in summary.failed:
        console.print(_failure_text(res.job.id, f": {res.error_text}"), highlight=False)
        if res.failed_ipynb:
            console.print(Text(f"  misslyckad notebook: {res.failed_ipynb}"), highlight=False)
    for msg in summary.pdf_errors:
        console.print(_failure_text("PDF misslyckades", f": {msg}"), highlight=False)
    for msg in [*summary.errors, *summary.notes, summary.critical_path_text]:
        if msg:
            console.print(Text(msg), highlight=False)
    console.print(Text(_totals(summary)), highlight=False)
    return summary


# --- validate ------------------------------------------------------------------------


@app.command()
def validate(
    path: Annotated[Optional[Path], typer.Argument(metavar="[KATALOG|FIL]", help="Datakatalog eller en enskild datafil att kontrollera. Standard: projektets data/.", show_default=False)] = None,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Datakatalogen en enskild fil kontrolleras mot. Standard: projektets data/.", show_default=False)] = None,
) -> None:
    """Kontrollera datafiler och skriv ut varje problem (fil, rad, kolumn, förväntat).

    En katalog: alla filer i den. En fil: filens egna problem; ligger den i datakatalogen
    kontrolleras den också mot de andra filerna där (t.ex. dubbletter). Slutkod 1 om något
    fel hittas; varningar skrivs ut men ger slutkod 0.
    """
    from regionanalys.data.loading import validate as validate_data
    from regionanalys.data.loading import validate_file

    if path is not None and not path.is_dir() and (path.exists() or path.is_symlink() or path.suffix):
        root = config.data_dir(data_dir)
        problems, against_rest = validate_file(path, root)
        where = path  # a file, or a path with a file's suffix that does not exist
        if against_rest:
            typer.echo(f"Kontrollerar {path} tillsammans med övriga filer i datakatalogen {root} (dubbletter och regler över flera filer ingår).")
        else:
            typer.echo(f"Kontrollerar {path} ensam: filen ligger utanför datakatalogen {root}, så dubbletter och regler mot andra filer kontrolleras inte.")
    else:
        root = where = config.data_dir(path)
        if not root.is_dir():
            _err(f"datakatalogen {root} finns inte")
            raise typer.Exit(EXIT_USAGE)
        problems = validate_data(root)
    for problem in problems:
        typer.echo(str(problem))
    errors = [p for p in problems if p.is_error]
    warnings = len(problems) - len(errors)
    if errors:
        typer.echo(f"{len(errors)} fel och {warnings} varningar i {where}", err=True)
        raise typer.Exit(EXIT_FAILED)
    typer.echo(f"Inga fel i {where}" + (f" ({warnings} varningar)." if warnings else "."))


# --- list ------------------------------------------------------------------------------


list_app = typer.Typer(
    help="Lista regioner, serier, rapporter och notebooks (utan underkommando) eller Koladas nyckeltal (list kpis).",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(list_app, name="list")


@list_app.callback()
def list_(
    ctx: typer.Context,
    notebooks_dir: Annotated[Optional[Path], typer.Option("--notebooks-dir", help="Katalog med notebooks.", show_default=False)] = None,
    spec: Annotated[Optional[Path], typer.Option("--spec", help="Rapportlista. Standard: reports.toml i notebook-katalogen.", show_default=False)] = None,
) -> None:
    """Lista regioner, serier, rapporter och notebooks med deras parametrar."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    from regionanalys.data.registry import series_registry
    from regionanalys.data.regions import all_regions
    from regionanalys.report.specs import ParameterError, SpecError, literal_default, load_specs
    from regionanalys.report.runner import notebook_parameters

    # off a terminal (a pipe, a file) rich would wrap the tables at 80 columns
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    nb_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve()
    spec_path = Path(spec or nb_dir / "reports.toml")

    t = Table(title="Regioner", title_justify="left")
    for col in ("Kod", "Namn", "Kort namn", "Kolada-id"):
        t.add_column(col)
    for r in all_regions(include_riket=True):
        t.add_row(r.code, r.name, r.short, r.kolada_id)
    console.print(t)

    t = Table(title="Serier", title_justify="left")
    for col in ("Id", "Etikett", "Enhet", "Domän"):
        t.add_column(col)
    for s in sorted(series_registry().values(), key=lambda s: (s.domain, s.id)):
        t.add_row(s.id, s.label, s.unit_label, s.domain)
    console.print(t)

    try:
        specs = load_specs(spec_path, nb_dir)
    except (SpecError, ParameterError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    t = Table(title=f"Rapporter ({spec_path.name})", title_justify="left")
    for col in ("Id", "Notebook", "Titel", "Körs", "Regioner"):
        t.add_column(col)
    for s in sorted(specs.values(), key=lambda s: (s.order, s.id)):
        t.add_row(s.id, s.notebook, s.title, "per region" if s.per_region else "en för alla", ", ".join(s.regions))
    console.print(t)

    in_spec = {s.notebook for s in specs.values()}
    t = Table(title=f"Notebooks i {nb_dir} och deras parametrar", title_justify="left")
    for col in ("Notebook", "Rapport", "Parameter", "Typ", "Standardvärde", "Hjälp"):
        t.add_column(col)
    for path in sorted(nb_dir.glob("*.ipynb")):
        role = ", ".join(s.id for s in specs.values() if s.notebook == path.name) or "ingen rapport"
        try:
            params = notebook_parameters(path)
        except Exception as exc:  # noqa: BLE001 - show the broken notebook, keep listing
            t.add_row(path.name, role, "–", "–", f"kunde inte läsas: {exc}", "")
            continue
        if not params:
            t.add_row(path.name, role, "(inga)", "", "", "")
        for i, p in enumerate(params.values()):
            kind = p.type if p.type not in ("", "None") else type(literal_default(p)).__name__.replace("NoneType", "None")
            t.add_row(path.name if i == 0 else "", role if i == 0 else "", p.name, kind, p.default, p.help)
    console.print(t)
    missing = in_spec - {p.name for p in nb_dir.glob("*.ipynb")}
    if missing:
        _err("reports.toml nämner notebooks som saknas: " + ", ".join(sorted(missing)))
        raise typer.Exit(EXIT_USAGE)


# --- list kpis (Kolada's KPI catalogue, shipped with the library) ---------------------


@list_app.command("kpis")
def list_kpis(
    search: Annotated[Optional[str], typer.Option("--search", "-s", metavar="ORD", help="Visa bara nyckeltal vars id eller rubrik innehåller alla orden (skiftläge spelar ingen roll).")] = None,
    descriptions: Annotated[bool, typer.Option("--descriptions", "-d", help="Sök även i Koladas beskrivningar.")] = False,
) -> None:
    """Lista Koladas nyckeltal för regioner (id, rubrik, kort definition); fungerar utan nätverk.

    * = hämtas av `regionanalys fetch kolada` som standard.
    """
    from regionanalys.kolada.catalogue import search_kpis
    from regionanalys.kolada.client import KPIS, NOT_IN_KOLADA

    found = search_kpis(search, in_description=descriptions)
    for kpi in found:
        facts = "; ".join(x for x in (kpi.unit, "T/K/M" if kpi.is_divided_by_gender else "",
                                      f"senast {kpi.publ_period}" if kpi.publ_period else "upphört") if x)
        typer.echo(f"{'*' if kpi.id in KPIS else ' '} {kpi.id}  {kpi.title}  [{facts}]")
        typer.echo(f"           {kpi.short_definition()}")
    what = f" som matchar {search!r}" if search else ""
    starred = " * = hämtas av `regionanalys fetch kolada`." if any(k.id in KPIS for k in found) else ""
    typer.echo(f"{len(found)} nyckeltal{what} i Koladas katalog för regioner (Kolada/RKA, via rKolada).{starred}")
    if not found:
        typer.echo(NOT_IN_KOLADA)


# --- import ------------------------------------------------------------------------------
# `regionanalys import`: the logic lives in regionanalys.data.importing (import_and_write);
# this block only parses options and prints.

_IMPORT_HELP = """Importera en export (CSV eller Excel) till en observationsfil i data/.

Mappningen (TOML) säger vilken kolumn som är period, serie, org och värde. Filen
kontrolleras som load() kontrollerar data innan den skrivs; ett fel skriver ingenting.
Rader och kolumner som hoppas över listas. Hela referensen: docs/importing.md.

\b
Exempel på mappning (en rad per konto och månad, flera konton summeras):
  layout = "long"
  source = "Ekonomisystemet, huvudbok per konto"
  region = "24"
  unit = "kr"
  period = "Period"
  value = "Belopp"
  aggregate = "sum"
  unmatched = "skip"
  ignore = ["Ansvar"]
  [[rows]]
  where = { Konto = ["4631", "4632"] }
  series = "hyrpersonal_kostnad"
  category = "lakare"
  [[rows]]
  where = { Konto = ["50*", "51*"] }
  series = "egen_personalkostnad"

\b
  regionanalys import huvudbok.csv --mapping huvudbok.toml --out data/imports/24_huvudbok.csv
"""


@app.command("import", help=_IMPORT_HELP)
def import_(
    file: Annotated[Path, typer.Argument(metavar="FIL", help="Exporten: .csv (; , eller tabb, UTF-8 eller cp1252) eller .xlsx.", show_default=False)],
    mapping: Annotated[Path, typer.Option("--mapping", "-m", metavar="MAPPNING.toml", help="Mappningen från exportens kolumner till datakontraktet.", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FIL.csv", help="Observationsfilen att skriva. Standard: data/imports/NN_<exportens namn>.csv (NN = regionens länskod).", show_default=False)] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Ersätt en befintlig observationsfil.")] = False,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Datakatalog (för standardfilnamnet och kontrollen mot övriga filer).", show_default=False)] = None,
) -> None:
    from regionanalys.data.importing import MappingError, import_and_write, print_written
    from regionanalys.data.validation import DataError

    try:
        written = import_and_write(file, mapping, out, data_dir=data_dir, overwrite=overwrite)
    except MappingError as exc:
        _err(f"mappningen: {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    except DataError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        _err(f"{len(exc.problems)} problem; ingen fil skrevs")
        raise typer.Exit(EXIT_FAILED) from None
    except (FileExistsError, ValueError, OSError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_FAILED) from None
    print_written(written, typer.echo)


# --- fetch -------------------------------------------------------------------------------

fetch_app = typer.Typer(
    help="Hämta data från externa källor till data/ (t.ex. Kolada).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(fetch_app, name="fetch")

# >>> fetch sub-commands >>>
# `regionanalys fetch kolada` is the function `kolada` in regionanalys/kolada/fetch.py.
# That module stays light at import (heavy imports inside the command function): this
# import runs for every `regionanalys` command, including a `run` with nothing to do.
from regionanalys.kolada import fetch as kolada_fetch  # noqa: E402

fetch_app.command("kolada")(kolada_fetch.kolada)
# <<< fetch sub-commands <<<


if __name__ == "__main__":  # python -m regionanalys.cli
    app()
