"""Importing the monthly exports analysts take from HR and finance systems.

An export is a CSV file (``;`` or ``,`` or tab separated, UTF-8 or cp1252 as Excel
saves it) or an Excel workbook (.xlsx), in one of two layouts:

* **wide**: a row per month, a column per series ("Månad; Hyrläkare; Hyrsjuksköterskor; …");
* **long**: a row per value ("Konto; Ansvar; Period; Belopp"), where ``[[rows]]`` groups
  (e.g. the accounts that make up one series) and ``aggregate = "sum"`` sum many rows
  into one value.

A *mapping* (a TOML file or a dict) says which column is which series, region, org,
category, kind and unit; every key is described in ``docs/importing.md`` and in
:class:`Mapping`, with three worked examples in ``tests/fixtures/imports/``. Numbers and
months are read with :mod:`regionanalys.data.parsing`. Anything that cannot be read is a
located :class:`~regionanalys.data.validation.Problem` (file and sheet, row, column, what
was expected, values in the export's own unit); all problems are raised together as
:class:`~regionanalys.data.validation.DataError`. Nothing is dropped quietly: ignored
columns, skipped rows and checked sum rows are listed in :attr:`ImportResult.skipped`, and
a column with numbers that the mapping does not name is an error.

The result is a tidy frame in the data contract (values in the export's unit, which the
loader converts, e.g. tkr to mnkr); :func:`import_and_write` checks it with the loader and
saves it as an observation CSV under ``data/`` atomically, with ``source`` naming the
export file, sheet, row and column of every value (or what was summed).

Command line::

    regionanalys import export.xlsx --mapping mapping.toml [--out data/imports/24_hyrpersonal.csv]
    python -m regionanalys.data.importing export.xlsx --mapping mapping.toml

Where it lives: :mod:`.mapping` (the TOML mapping and its checks), :mod:`.readers` (CSV
and Excel into rows of cells, one cell as a number or a month), :mod:`.frame`
(:func:`import_file`), :mod:`.rows` (sum rows, aggregation, the contract checks),
:mod:`.writer` (the observation file, :func:`import_and_write`) and :mod:`.command` (the
command line). Every public name is importable from here.
"""
from regionanalys.data.fileio import atomic_write_text
from regionanalys.data.importing.command import MAX_SKIPPED_SHOWN, SPREADSHEET_SUFFIXES, import_hint, main, print_written
from regionanalys.data.importing.frame import ImportResult, import_file
from regionanalys.data.importing.mapping import Field, Group, Mapping, MappingError, ValueColumn, as_mapping, match_value
from regionanalys.data.importing.readers import EXCEL_SUFFIXES, HEADER_SEARCH_ROWS, Sheet, read_export, read_month, read_number
from regionanalys.data.importing.rows import CONTRACT_COLUMNS, total_label
from regionanalys.data.importing.writer import (
    IMPORTS_SUBDIR, Written, default_out, format_period, format_value, import_and_write, import_to_csv, observation_csv,
    write_observations,
)

__all__ = [
    "CONTRACT_COLUMNS", "EXCEL_SUFFIXES", "HEADER_SEARCH_ROWS", "IMPORTS_SUBDIR", "MAX_SKIPPED_SHOWN", "SPREADSHEET_SUFFIXES",
    "Field", "Group", "ImportResult", "Mapping", "MappingError", "Sheet", "ValueColumn", "Written",
    "as_mapping", "atomic_write_text", "default_out", "format_period", "format_value", "import_and_write", "import_file",
    "import_hint", "import_to_csv", "main", "match_value", "observation_csv", "print_written", "read_export", "read_month",
    "read_number", "total_label", "write_observations",
]
