"""Memoizing pure computations on a tidy table within one report.

A report loads its table once and then asks many questions of it; several ask the same
one (the staffing report builds the same 13 monthly series 97 times). :func:`per_frame`
caches a function's results per DataFrame: the cache lives as long as that frame object
(a weak reference drops it) and is thrown away when the frame's content changes (a
fingerprint of every column, see :func:`fingerprint`, is checked on each call, so
editing the table in a notebook never gives a stale answer). Results are handed out as
copies, so a caller that edits one cannot change what the next caller gets.

Hand-written because functools.lru_cache cannot key on a DataFrame (unhashable, mutable).
"""
from __future__ import annotations

import copy
import functools
import inspect
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])

#: id(frame) -> (weak reference to it, its fingerprint, the cells it saw, {call key: result})
_frames: dict[int, tuple[weakref.ref, tuple, list, dict]] = {}


#: id(frame) -> its cache, for frames whose fingerprint an enclosing cached call has checked
#: (the frame is alive while that call runs, so its id cannot be reused meanwhile).
_checked: dict[int, dict] = {}


def _raw(values: pd.Index | pd.Series) -> np.ndarray:
    """The values as one numpy array whose bytes say what they are (see :func:`fingerprint`)."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) or (isinstance(dtype, pd.StringDtype) and dtype.storage == "python"):
        return values.to_numpy()  # numbers as they are; Python objects as their addresses
    if isinstance(dtype, pd.PeriodDtype):
        return values.array.asi8  # ordinals; the frequency is in the dtype
    # Other extension types (categories, Arrow strings): a hash per row.
    return pd.util.hash_pandas_object(values, index=False).to_numpy()


def _arrays(df: pd.DataFrame) -> list[np.ndarray]:
    return [_raw(df.index), *(_raw(col) for _, col in df.items())]


def fingerprint(df: pd.DataFrame) -> tuple:
    """A cheap summary of a frame that changes when any cell, row, column or index label
    changes: shape, labels, dtypes and the raw bytes of every column.

    For a column of Python objects (strings, Periods) the bytes are the objects'
    addresses. That is exact as long as the objects seen last time are kept alive (the
    cache keeps a copy of those columns), because two live objects never share an
    address; the cells must be immutable objects, as :func:`load` gives them.
    """
    columns = list(df.items())  # once: each pass builds a Series per column
    parts = [(name, col.dtype, _raw(col)) for name, col in columns]
    raw_index = _raw(df.index)
    return (df.shape, df.index.dtype, raw_index.dtype, raw_index.tobytes(),
            *((name, dtype, raw.dtype, raw.tobytes()) for name, dtype, raw in parts))


def _frame_cache(df: pd.DataFrame) -> dict:
    key, mark = id(df), fingerprint(df)
    entry = _frames.get(key)
    if entry is not None and entry[0]() is df and entry[1] == mark:
        return entry[3]

    def forget(ref: weakref.ref, key: int = key) -> None:
        # Only if the entry is still this frame's: a new frame may reuse the id.
        if _frames.get(key, (None,))[0] is ref:
            del _frames[key]

    # Copies hold the objects this fingerprint points at, so their addresses stay theirs.
    seen = [a.copy() for a in _arrays(df) if a.dtype == object]
    store: dict = {}
    _frames[key] = (weakref.ref(df, forget), mark, seen, store)
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

    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(df: pd.DataFrame, *args: Any, **kwargs: Any) -> Any:
        # One key per call however it is written: f(df, "17"), f(df, region="17") and
        # f(df, "17", orgs=False) with orgs=False the default are the same question.
        try:
            bound = signature.bind(df, *args, **kwargs)
        except TypeError:
            return func(df, *args, **kwargs)  # let the function raise its own error
        bound.apply_defaults()
        key = (func, tuple((k, _freeze(v)) for k, v in list(bound.arguments.items())[1:]))
        try:
            hash(key)
        except TypeError:
            return func(df, *args, **kwargs)
        # A call made while an enclosing cached call on the same frame runs needs no new
        # fingerprint: the functions are pure, so the frame cannot have changed meanwhile.
        store = _checked.get(id(df))
        outer = store is None
        if outer:
            store = _frame_cache(df)
        if key not in store:
            if outer:
                _checked[id(df)] = store
            try:
                store[key] = func(df, *args, **kwargs)
            finally:
                if outer:
                    del _checked[id(df)]
        return copy.deepcopy(store[key])

    wrapper.uncached = func  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def first_positions(*columns) -> dict[tuple, int]:
    """Position of the first row per distinct key, the key being a row's values in
    ``columns`` (equal-length sequences): what a mask per key and ``.iloc[0]`` would find,
    in one pass instead of a pass over the rows per key."""
    out: dict[tuple, int] = {}
    for pos, key in enumerate(zip(*columns)):
        out.setdefault(key, pos)
    return out


class Lookup:
    """The rows of a frame by the values of some key columns, split once.

    A loop that selects with a mask over the whole table per org, year or decision costs
    rows × iterations, and the iterations grow with the data too (30 orgs instead of one
    at 30× the rows): quadratic. Split once here (linear), then each lookup is a dict
    access. A lookup returns the rows in the frame's order with their index labels, as a
    boolean mask would, and an empty frame with the same columns for a key without rows.
    """

    def __init__(self, df: pd.DataFrame, keys: list[str]):
        self.keys = list(keys)
        self.empty = df.iloc[0:0]
        self._groups: dict = {} if df.empty else dict(iter(df.groupby(self.keys, sort=False, dropna=False)))

    def __call__(self, *key: Any) -> pd.DataFrame:
        """The rows whose key columns equal ``key`` (one value per key column)."""
        return self._groups.get(tuple(key), self.empty)
