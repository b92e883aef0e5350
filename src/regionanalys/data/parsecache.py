"""A cache of parsed data files, keyed by each file's content, shared between processes.

The report runner's kernels and the next run read the same files again and again; a file
whose bytes are unchanged is not parsed again. The key is the SHA-256 of the file's bytes,
its path relative to the data directory (a ``17_`` prefix changes the rules), the size
limit, and a fingerprint of the data layer (library version and the source of the modules
and registry files that shape a parse), so a code or registry change can never serve a
stale parse. Entries are pickles written atomically (temporary file + ``os.replace``);
an unreadable entry is treated as a miss.

Location: ``$REGIONANALYS_CACHE_DIR``, else ``$XDG_CACHE_HOME/regionanalys/parsed``
(``~/.cache/...``). ``REGIONANALYS_CACHE=off`` turns it off.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

#: Environment variable naming the cache directory.
CACHE_DIR_ENV = "REGIONANALYS_CACHE_DIR"
#: Environment variable that turns the cache off when set to ``off`` (or ``0``).
CACHE_ENV = "REGIONANALYS_CACHE"


def cache_dir() -> Path:
    """Where parsed files are kept."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "regionanalys" / "parsed"


def enabled() -> bool:
    return os.environ.get(CACHE_ENV, "").strip().lower() not in ("off", "0", "no", "false")


@cache
def fingerprint() -> str:
    """The library version and the bytes of everything that decides how a file parses."""
    import regionanalys
    from regionanalys import config

    h = hashlib.sha256(str(getattr(regionanalys, "__version__", "")).encode())
    here = Path(__file__).parent
    sources = sorted(here.glob("*.py")) + sorted(Path(config.REGISTRY_DIR).glob("*.toml"))
    sources.append(Path(config.__file__))
    for p in sources:
        h.update(p.name.encode())
        with contextlib.suppress(OSError):
            h.update(p.read_bytes())
    for mod in ("pandas", "numpy", "pyarrow"):
        with contextlib.suppress(Exception):
            h.update(__import__(mod).__version__.encode())
    return h.hexdigest()[:16]


def key(raw: bytes, display: str, limit: int) -> str:
    """Cache key of a file's parse."""
    h = hashlib.sha256(raw)
    h.update(b"\0" + display.encode() + b"\0" + str(limit).encode() + b"\0" + fingerprint().encode())
    return h.hexdigest()


def table_key(file_keys: list[str], before: str) -> str:
    """Cache key of the checked table made of files with these keys (in this order) and the
    problems ``before`` reading (as text)."""
    h = hashlib.sha256(b"table\0" + fingerprint().encode())
    for k in file_keys:
        h.update(b"\0" + k.encode())
    h.update(b"\0" + before.encode())
    return h.hexdigest()


def get(k: str):
    """The cached result for key ``k``, or None."""
    if not enabled():
        return None
    path = cache_dir() / k[:2] / f"{k}.pkl"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # a missing, truncated or foreign entry is a miss, never an error
        return None


def put(k: str, value) -> None:
    """Store ``value`` under ``k`` atomically; a cache that cannot be written is skipped."""
    if not enabled():
        return
    folder = cache_dir() / k[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"{k}.pkl")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass
