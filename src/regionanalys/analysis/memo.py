"""Memoizing pure computations on a tidy table within one report.

A report loads its table once and then asks many questions of it; several ask the same
one (the staffing report builds the same 13 monthly series 97 times). :func:`per_frame`
caches a function's results per DataFrame: the cache lives as long as that frame object
(a weak reference drops it) and is thrown away when the frame's content changes (a
fingerprint of every column is checked on each call, so editing the table in a notebook
never gives a stale answer). Results are handed out as copies, so a caller that edits
one cannot change what the next caller gets.

Hand-written because functools.lru_cache cannot key on a DataFrame (unhashable, mutable).
"""
from __future__ import annotations

import copy
import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])

#: id(frame) -> (weak reference to it, its fingerprint, {call key: result})
_frames: dict[int, tuple[weakref.ref, tuple, dict]] = {}


def fingerprint(df: pd.DataFrame) -> tuple:
    """A cheap summary of a frame's content that changes when any cell, row, column or
    index label changes (hashes of each column's values; numbers by their bytes)."""
    parts: list = [df.shape, tuple(df.columns), hash(tuple(df.index))]
    for _, col in df.items():
        values = col.to_numpy()
        if values.dtype.kind in "biufcmM":
            parts.append((values.dtype.str, hash(values.tobytes())))
        else:
            parts.append(hash(tuple(values.tolist())))
    return tuple(parts)


def _frame_cache(df: pd.DataFrame) -> dict:
    key, mark = id(df), fingerprint(df)
    entry = _frames.get(key)
    if entry is not None and entry[0]() is df and entry[1] == mark:
        return entry[2]

    def forget(ref: weakref.ref, key: int = key) -> None:
        # Only if the entry is still this frame's: a new frame may reuse the id.
        if _frames.get(key, (None,))[0] is ref:
            del _frames[key]

    store: dict = {}
    _frames[key] = (weakref.ref(df, forget), mark, store)
    return store


def _freeze(value: Any) -> Any:
    """Lists and sets (e.g. several categories) as tuples, so a call key is hashable."""
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(value)
    return value


def per_frame(func: F) -> F:
    """Cache ``func(df, *args, **kwargs)`` per frame ``df`` (see the module docstring).

    ``func`` must be pure: its result depends only on the frame's content and the
    arguments. Calls whose arguments cannot be hashed are computed without the cache.
    """

    @functools.wraps(func)
    def wrapper(df: pd.DataFrame, *args: Any, **kwargs: Any) -> Any:
        key = (func.__qualname__, _freeze(args), tuple(sorted((k, _freeze(v)) for k, v in kwargs.items())))
        try:
            hash(key)
        except TypeError:
            return func(df, *args, **kwargs)
        store = _frame_cache(df)
        if key not in store:
            store[key] = func(df, *args, **kwargs)
        return copy.deepcopy(store[key])

    wrapper.uncached = func  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
