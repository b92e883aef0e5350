"""The report suite (``notebooks/reports.toml``) and the validated jobs of one run.

Everything a user can choose on the command line (notebooks, regions, year, extra
parameters) is checked here, *before* any report runs: an unknown choice is an error
that names the valid ones (papermill itself only warns about unknown parameters).
Output file names are built only from validated ids (spec ids matching
:data:`SPEC_ID_RE`, two-digit county codes and an integer year), so no user text ever
reaches a path.

This module imports nothing heavy (no pandas, no papermill): ``regionanalys run`` with
nothing to do must stay fast.
"""
from __future__ import annotations

import ast
import json
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regionanalys.data.regions import REGIONS, RIKET, UnknownRegionError, all_regions, resolve_region

#: A report id in reports.toml: lower-case ASCII, digits, ``_`` and ``-``.
SPEC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
#: A notebook file name in reports.toml: a plain name in the notebooks directory.
NOTEBOOK_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.ipynb$")
#: A job id, i.e. the stem of the report's output files.
JOB_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,159}$")
#: Parameters the runner sets itself; they are chosen with options, not with ``-p``.
RESERVED_PARAMETERS = ("region", "regions", "year", "data_dir")
#: Years a report may be made for.
YEAR_RANGE = (1990, 2100)

_SPEC_KEYS = {"notebook", "title", "per_region", "regions", "order", "parameters"}
_TITLE_FIELDS = {"region_name", "year", "regions"}


class SpecError(ValueError):
    """reports.toml or a notebook does not fit together (a problem for the developer)."""


class ParameterError(ValueError):
    """An unknown or invalid choice on the command line (a problem for the user)."""


@dataclass(frozen=True)
class ReportSpec:
    """One table of reports.toml."""

    id: str
    notebook: str  #: file name in the notebooks directory
    title: str  #: Swedish title template; {region_name}, {year}, {regions} are filled in
    per_region: bool  #: one report per region (parameter ``region``), else one for all (``regions``)
    regions: tuple[str, ...]  #: default regions (county codes)
    order: int = 100  #: position in the index
    parameters: Mapping[str, Any] = field(default_factory=dict)  #: fixed extra parameters


@dataclass(frozen=True)
class NotebookParameter:
    """A parameter declared in a notebook's cell tagged ``parameters``."""

    name: str
    type: str  #: papermill's inferred type name ("str", "int", "None" …)
    default: str  #: the default as written in the notebook
    help: str = ""


@dataclass(frozen=True)
class Job:
    """One report to make: a notebook with validated parameters and a safe output name."""

    id: str  #: stem of the output files, e.g. "region_17_2023"
    spec_id: str
    notebook: str
    notebook_path: Path
    title: str
    regions: tuple[str, ...]
    year: int
    parameters: dict[str, Any]  #: injected by papermill (region/regions, year, data_dir, extras)
    code_cells: int = 0
    order: int = 100

    @property
    def region_label(self) -> str:
        """The region(s) in words, for the index."""
        names = [REGIONS[c].short for c in self.regions]
        return names[0] if len(names) == 1 else ", ".join(names)


def load_specs(path: str | Path, notebooks_dir: str | Path | None = None) -> dict[str, ReportSpec]:
    """Read and check reports.toml; ids, notebook names, regions and titles are validated.

    With ``notebooks_dir``, every notebook named must exist there.
    """
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"rapportlistan {path} finns inte") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path.name} går inte att läsa: {exc}") from None
    specs: dict[str, ReportSpec] = {}
    for sid, table in doc.items():
        where = f"{path.name} [{sid}]"
        if not isinstance(table, dict):
            raise SpecError(f"{where}: förväntat en tabell ([{sid}]) med notebook, title, per_region, regions")
        if not SPEC_ID_RE.match(sid):
            raise SpecError(f"{where}: rapport-id får bara innehålla a–z, 0–9, _ och - (högst 40 tecken)")
        unknown = set(table) - _SPEC_KEYS
        if unknown:
            raise SpecError(f"{where}: okänd nyckel {', '.join(sorted(unknown))}; tillåtna: {', '.join(sorted(_SPEC_KEYS))}")
        for key in ("notebook", "title", "per_region", "regions"):
            if key not in table:
                raise SpecError(f"{where}: nyckeln {key} saknas")
        nb = table["notebook"]
        if not isinstance(nb, str) or not NOTEBOOK_RE.match(nb) or ".." in nb:
            raise SpecError(f"{where}: notebook ska vara ett filnamn i notebooks/ som slutar på .ipynb, inte {nb!r}")
        if notebooks_dir is not None and not (Path(notebooks_dir) / nb).is_file():
            raise SpecError(f"{where}: notebooken {nb} finns inte i {notebooks_dir}")
        title = table["title"]
        if not isinstance(title, str) or not title.strip():
            raise SpecError(f"{where}: title ska vara en text")
        _check_title(title, where)
        if not isinstance(table["per_region"], bool):
            raise SpecError(f"{where}: per_region ska vara true eller false")
        raw_regions = table["regions"]
        if not isinstance(raw_regions, list) or not raw_regions:
            raise SpecError(f"{where}: regions ska vara en lista med länskoder, t.ex. [\"17\", \"18\"]")
        try:
            regions = _dedupe(resolve_region(r) for r in raw_regions)
        except UnknownRegionError as exc:
            raise SpecError(f"{where}: {exc}") from None
        order = table.get("order", 100)
        if not isinstance(order, int):
            raise SpecError(f"{where}: order ska vara ett heltal")
        extra = table.get("parameters", {})
        if not isinstance(extra, dict) or any(k in RESERVED_PARAMETERS or not k.isidentifier() for k in extra):
            raise SpecError(f"{where}: parameters ska vara en tabell med andra namn än {', '.join(RESERVED_PARAMETERS)}")
        specs[sid] = ReportSpec(sid, nb, title, table["per_region"], regions, order, dict(extra))
    if not specs:
        raise SpecError(f"{path.name} innehåller inga rapporter")
    return specs


def _check_title(title: str, where: str) -> None:
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(title) if f is not None}
    except ValueError as exc:
        raise SpecError(f"{where}: title går inte att tolka: {exc}") from None
    bad = fields - _TITLE_FIELDS
    if bad:
        raise SpecError(f"{where}: okänt fält {{{', '.join(sorted(bad))}}} i title; tillåtna: {{region_name}}, {{year}}, {{regions}}")


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def region_choices() -> str:
    """The valid regions, for error messages."""
    return ", ".join(f"{r.code} ({r.short})" for r in all_regions())


def default_regions(spec: ReportSpec, data_regions: Iterable[str] = ()) -> tuple[str, ...]:
    """The regions a report covers when none are chosen: the ones in reports.toml, then
    every other region that has data (files ``NN_*.csv``), in code order."""
    extra = sorted({c for c in data_regions if c in REGIONS and c != RIKET and c not in spec.regions})
    return tuple(spec.regions) + tuple(extra)


def resolve_report_regions(values: Iterable[str | int]) -> tuple[str, ...]:
    """County codes for regions given by code or name; riket and unknown names are errors."""
    out = []
    for value in values:
        try:
            code = resolve_region(value)
        except UnknownRegionError:
            raise ParameterError(f"okänd region {str(value)!r}; välj en länskod eller ett namn: {region_choices()}") from None
        if code == RIKET:
            raise ParameterError(f"riket ({value!r}) är ingen region att göra en rapport för; välj bland: {region_choices()}")
        out.append(code)
    return _dedupe(out)


def resolve_spec_names(specs: Mapping[str, ReportSpec], names: Iterable[str]) -> list[str]:
    """Spec ids for names given as id ("region"), file name ("01_region.ipynb") or stem."""
    lookup: dict[str, str] = {}
    for s in specs.values():
        lookup[s.id] = s.id
        lookup[s.notebook] = s.id
        lookup[s.notebook.removesuffix(".ipynb")] = s.id
    out = []
    for name in names:
        sid = lookup.get(str(name).strip())
        if sid is None:
            choices = ", ".join(f"{s.id} ({s.notebook})" for s in sorted(specs.values(), key=lambda s: s.order))
            raise ParameterError(f"okänd rapport/notebook {str(name)!r}; välj bland: {choices}")
        out.append(sid)
    return list(dict.fromkeys(out))


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """``["fail=True", "label=Hej"]`` -> ``{"fail": True, "label": "Hej"}``.

    Values are Python literals when they parse as one (numbers, True/False/None, lists,
    quoted strings), else plain strings.
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = str(item).partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise ParameterError(f"parametern {item!r} ska skrivas NAMN=VÄRDE, t.ex. -p visa_detaljer=True")
        try:
            value = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            value = raw
        try:
            json.dumps(value)
        except TypeError:
            raise ParameterError(f"värdet för {key} går inte att spara: {raw!r}") from None
        out[key] = value
    return out


def literal_default(param: NotebookParameter) -> Any:
    """A parameter's default as a Python value (``None`` if it is not a literal)."""
    try:
        return ast.literal_eval(param.default)
    except (ValueError, SyntaxError):
        return None


def _job_id(*parts: object) -> str:
    job_id = "_".join(str(p) for p in parts)
    if not JOB_ID_RE.match(job_id):  # cannot happen with validated parts; a guard all the same
        raise ParameterError(f"ogiltigt rapportnamn {job_id!r}")
    return job_id


def plan_jobs(
    specs: Mapping[str, ReportSpec],
    notebooks_dir: str | Path,
    data_dir: str | Path,
    parameters_of: Callable[[Path], Mapping[str, NotebookParameter]],
    *,
    notebooks: Sequence[str] | None = None,
    regions: Sequence[str | int] | None = None,
    year: int | None = None,
    parameters: Mapping[str, Any] | None = None,
    code_cells_of: Callable[[Path], int] | None = None,
    data_regions: Iterable[str] = (),
) -> tuple[list[Job], list[str]]:
    """The jobs of a run, every choice validated; returns ``(jobs, notes)``.

    * ``notebooks``: spec ids or notebook names (default: every report in the spec);
    * ``regions``: codes or names; default each spec's own regions and the regions that
      have data (``data_regions``, see :func:`default_regions`). A comparison
      (``per_region = false``) gets the chosen regions as its list; it is skipped (with a
      note) when fewer than two regions are chosen and it was not asked for by name;
    * ``year``: default the notebook's own default for ``year``;
    * ``parameters``: extra parameters; each must be declared in every chosen notebook.

    ``parameters_of(path)`` returns a notebook's declared parameters (papermill's
    ``inspect_notebook``). Raises :class:`ParameterError` or :class:`SpecError`.
    """
    notebooks_dir = Path(notebooks_dir)
    notes: list[str] = []
    explicit = notebooks is not None and len(notebooks) > 0
    chosen = resolve_spec_names(specs, notebooks) if explicit else sorted(specs, key=lambda s: (specs[s].order, s))
    chosen_regions = resolve_report_regions(regions) if regions else None
    extra = dict(parameters or {})
    for key in extra:
        if key in RESERVED_PARAMETERS:
            option = {"region": "--region", "regions": "--region", "year": "--year", "data_dir": "--data-dir"}[key]
            raise ParameterError(f"parametern {key} sätts med {option}, inte med -p")
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int) or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise ParameterError(f"ogiltigt år {year!r}; förväntat ett år mellan {YEAR_RANGE[0]} och {YEAR_RANGE[1]}")

    jobs: list[Job] = []
    for sid in chosen:
        spec = specs[sid]
        path = notebooks_dir / spec.notebook
        if not path.is_file():
            raise SpecError(f"notebooken {spec.notebook} för rapporten {sid} finns inte i {notebooks_dir}")
        declared = parameters_of(path)
        needed = ["region" if spec.per_region else "regions", "year", "data_dir"]
        missing = [n for n in needed if n not in declared]
        if missing:
            have = ", ".join(declared) or "inga"
            raise SpecError(
                f"{spec.notebook} saknar parametern {', '.join(missing)} i cellen taggad 'parameters' "
                f"(notebooken har: {have})"
            )
        for key in list(spec.parameters) + list(extra):
            if key not in declared:
                own = ", ".join(n for n in declared if n not in RESERVED_PARAMETERS) or "inga utöver region, year och data_dir"
                raise ParameterError(
                    f"okänd parameter {key!r} för {spec.notebook}; notebookens parametrar: {own}"
                    + (" (välj notebook med --notebook om parametern bara finns i en av dem)" if len(chosen) > 1 else "")
                )
        job_year = year if year is not None else literal_default(declared["year"])
        if isinstance(job_year, bool) or not isinstance(job_year, int) or not YEAR_RANGE[0] <= job_year <= YEAR_RANGE[1]:
            raise SpecError(f"{spec.notebook}: standardvärdet för year ({declared['year'].default}) är inget år; ange --year")
        params_base = {**spec.parameters, **extra, "year": job_year, "data_dir": str(Path(data_dir).resolve())}
        cells = code_cells_of(path) if code_cells_of else 0
        defaults = default_regions(spec, data_regions)
        if spec.per_region:
            for code in chosen_regions or defaults:
                title = spec.title.format(region_name=REGIONS[code].name, year=job_year, regions=REGIONS[code].short)
                jobs.append(
                    Job(_job_id(sid, code, job_year), sid, spec.notebook, path, title, (code,), job_year,
                        {"region": code, **params_base}, cells, spec.order)
                )
        else:
            group = chosen_regions or defaults
            if len(group) < 2:
                if explicit:
                    raise ParameterError(f"rapporten {sid} jämför regioner och behöver minst två; ange fler --region")
                notes.append(f"{sid} hoppades över: en jämförelse behöver minst två regioner")
                continue
            same = sorted(group) == sorted(defaults)
            job_id = _job_id(sid, job_year) if same else _job_id(sid, "-".join(sorted(group)), job_year)
            names = ", ".join(REGIONS[c].short for c in group)
            title = spec.title.format(region_name=names, year=job_year, regions=names)
            jobs.append(
                Job(job_id, sid, spec.notebook, path, title, tuple(group), job_year,
                    {"regions": list(group), **params_base}, cells, spec.order)
            )
    seen: set[str] = set()
    for job in jobs:
        if job.id in seen:
            raise SpecError(f"två rapporter skulle få samma namn {job.id}")
        seen.add(job.id)
    return jobs, notes


def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """Top-level modules imported by the code cells of notebooks (for pre-importing in kernels)."""
    mods: dict[str, None] = {}
    for path in paths:
        try:
            nb = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            # IPython magics and shell escapes are not Python
            src = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(src)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        mods[alias.name] = None
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    mods[node.module] = None
                    for alias in node.names:
                        if alias.name != "*":
                            mods[f"{node.module}.{alias.name}"] = None  # may be a submodule
    return list(mods)


def count_code_cells(path: Path) -> int:
    """Number of code cells in a notebook (for the per-report time limit)."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(1 for c in nb.get("cells", []) if c.get("cell_type") == "code")
