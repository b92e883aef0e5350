"""Data layer: from files to one validated, tidy table with provenance on every value.

Holds the region and series registries (``series/*.toml``), Swedish number, period and
unit parsing and formatting, the loader and its validation rules, the importer for
analysts' own exports, the example-data generator and the atomic file writer.

May import: ``regionanalys.config`` and the standard/third-party libraries only.
"""
