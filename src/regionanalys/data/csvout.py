"""Cells of every CSV the project writes, so that no spreadsheet executes them.

A text cell that a spreadsheet would read as a formula (``=``, ``@``, ``+`` or ``-``
followed by text, a leading tab or carriage return: :func:`~regionanalys.data.parsing.formula_prefix`,
the rule the loader rejects) gets a leading ``'``, the usual neutralization (OWASP "CSV
injection"). Plain numbers (``-478``) are left alone.

The loader reads back what the writers write: :func:`unquote_cell` removes exactly the
``'`` that :func:`safe_cell` added. A text that already starts with ``'`` before such a
prefix gets one more, so the pair is exact for every text: ``unquote_cell(safe_cell(x)) == x``.
"""
from __future__ import annotations

from regionanalys.data.parsing import formula_prefix


def _needs_quote(text: str) -> bool:
    # Apostrophes first, then a formula: "'=x" must become "''=x" to read back as "'=x".
    return formula_prefix(text.lstrip("'")) is not None


def safe_cell(value: object) -> object:
    """``value`` as written to a CSV: a formula-like text gets a leading ``'``; anything else unchanged.

    >>> safe_cell("=SUM(A1)"), safe_cell("-478"), safe_cell("-A1"), safe_cell("Område IT")
    ("'=SUM(A1)", '-478', "'-A1", 'Område IT')
    """
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unquote_cell(text: str) -> str:
    """The text :func:`safe_cell` was given: one leading ``'`` before a formula-like text removed.

    >>> unquote_cell("'=SUM(A1)"), unquote_cell("'vanlig"), unquote_cell("-478")
    ('=SUM(A1)', "'vanlig", '-478')
    """
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def safe_row(cells: list) -> list:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(c) for c in cells]
