"""Every path the project uses, derived from one place.

The project root is found from this file (``src/regionanalys/config.py``) so that an
editable install, a notebook kernel and the test suite all agree. Environment variables
override the defaults for scheduled runs and tests.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("REGIONANALYS_ROOT", PACKAGE_DIR.parent.parent)).resolve()

DATA_DIR = Path(os.environ.get("REGIONANALYS_DATA_DIR", PROJECT_ROOT / "data")).resolve()
NOTEBOOKS_DIR = Path(os.environ.get("REGIONANALYS_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks")).resolve()
REPORTS_DIR = Path(os.environ.get("REGIONANALYS_REPORTS_DIR", PROJECT_ROOT / "reports")).resolve()
REGISTRY_DIR = PACKAGE_DIR / "data" / "series"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"

#: Files under these sub-folders of data/ are not observations (metadata such as events).
META_SUBDIR = "meta"

#: Kernel the notebooks run in; installed into the project's venv by ``make``.
KERNEL_NAME = "regionanalys"

#: Environment variable naming a file to which :func:`regionanalys.load` appends every file
#: it reads; the report runner uses it to know which data files a report depends on. (Here,
#: not in the loader: the runner's main process must not import pandas to name it.)
READ_LOG_ENV = "REGIONANALYS_READ_LOG"

#: Largest data file the loader accepts; anything bigger is not a hand-made export.
MAX_FILE_BYTES = 50 * 1024 * 1024


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data directory to use: ``path`` if given, else the project's ``data/``."""
    return Path(path).resolve() if path is not None else DATA_DIR
