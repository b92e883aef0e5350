"""regionanalys: Swedish regions' deficits and savings programmes, from documents and
exports to reports.

>>> import regionanalys as ra
>>> df = ra.load()            # every observation under data/, validated
>>> ra.validate()             # [] when the data is valid, else located problems

The names below are imported on first use (PEP 562), so ``import regionanalys`` and the
CLI start without loading pandas and pandera until something needs them.
"""
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

_EXPORTS = {
    "load": "loading", "load_events": "loading", "load_orgs": "loading", "validate": "loading",
    "all_regions": "regions", "region_name": "regions", "resolve_region": "regions",
    "get_series": "registry", "series_registry": "registry",
    "DataError": "validation", "Problem": "validation",
}

try:
    __version__ = version("regionanalys")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
