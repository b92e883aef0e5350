"""regionanalys: Swedish regions' deficits and savings programmes, from documents and
exports to reports.

>>> import regionanalys as ra
>>> df = ra.load()            # every observation under data/, validated
>>> ra.validate()             # [] when the data is valid, else located problems
"""
from importlib.metadata import PackageNotFoundError, version

from .loading import load, load_events, load_orgs, validate
from .regions import all_regions, region_name, resolve_region
from .registry import get_series, series_registry
from .validation import DataError, Problem

try:
    __version__ = version("regionanalys")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "DataError", "Problem", "all_regions", "get_series", "load", "load_events", "load_orgs",
    "region_name", "resolve_region", "series_registry", "validate", "__version__",
]
