"""regionanalys: Swedish regions' deficits and savings programmes, from documents and
exports to reports.

>>> import regionanalys as ra
>>> df = ra.load()            # every observation under data/, validated
>>> ra.validate()             # [] when the data is valid, else located problems

The code is laid out by layer, imports pointing one way::

    data/      files -> validated tidy table (registries, parsing, loading, importing)
    analysis/  indicators and readings computed from that table
    kolada/    Kolada's API client, the fetch command and the Kolada comparisons
    report/    presentation, charts, HTML export and the report runner
    cli.py     the ``regionanalys`` command;  config.py  every path

The names below are imported on first use (PEP 562), so ``import regionanalys`` and the
CLI start without loading pandas and pandera until something needs them. The layer
modules are reachable by their short name too (``ra.importing``, ``ra.staffing``).
"""
from importlib import import_module

_EXPORTS = {
    "load": "data.loading", "load_events": "data.loading", "load_orgs": "data.loading",
    "validate": "data.loading", "load_region": "data.loading",
    "all_regions": "data.regions", "region_name": "data.regions", "resolve_region": "data.regions",
    "get_series": "data.registry", "series_registry": "data.registry",
    "DataError": "data.validation", "Problem": "data.validation",
}
#: Short names for the modules analysts use most, so ``ra.importing.import_file(...)`` works.
_MODULES = {
    "regions": "data.regions", "registry": "data.registry", "loading": "data.loading",
    "importing": "data.importing", "formatting": "data.formatting",
    "indicators": "analysis.indicators", "deficits": "analysis.deficits",
    "savings": "analysis.savings", "staffing": "analysis.staffing", "effect": "analysis.effect",
    "reconciliation": "analysis.reconciliation", "present": "report.present",
    "charts": "report.charts", "runner": "report.runner",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str):
    if name == "__version__":  # importlib.metadata costs more than the rest of a run with nothing to do
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("regionanalys")
        except PackageNotFoundError:  # running from a source tree without install
            value = "0.0.0"
    elif name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    elif name in _MODULES:
        value = import_module(f".{_MODULES[name]}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_MODULES) | {"__version__"})
