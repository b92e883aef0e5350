"""Swapping one attribute of a class or module for the length of a block.

The report code replaces a few matplotlib methods while a chart is laid out and drawn (the
caches of :mod:`regionanalys.report.charts.style`) and one function while a worker imports
(:func:`regionanalys.report.runner.worker.boot`). This module imports nothing heavy, so the
worker can use it before matplotlib is imported.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def replaced(owner: Any, name: str, replacement: Any) -> Iterator[None]:
    """``owner.name`` is ``replacement`` inside the block and the original again after it."""
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)
