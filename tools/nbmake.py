"""Write a clean notebook from a list of cells (used to author the report notebooks).

Usage from Python: ``write_notebook(path, [("md", "..."), ("code", "..."), ("params", "...")])``.
Cells are stored without outputs and with the project kernel, as the repo expects.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

KERNEL = {"name": "regionanalys", "display_name": "Python (regionanalys)", "language": "python"}


def write_notebook(path: str | Path, cells: list[tuple[str, str]]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    for kind, source in cells:
        source = source.strip("\n")
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
        cell["id"] = f"{Path(path).stem[:2]}-{len(nb.cells):02d}"
        nb.cells.append(cell)
    nbformat.validator.normalize(nb)
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def region_parameters(region: str = "17", year: int = 2023) -> tuple[str, str]:
    """The parameters cell of a per-region report (the runner passes region and year)."""
    return ("params", f'# Parametrar (papermill ersätter dem vid körning)\nregion = "{region}"\nyear = {year}\ndata_dir = None')


def comparison_parameters(regions: tuple[str, ...] = ("17", "18", "24"), year: int = 2023) -> tuple[str, str]:
    """The parameters cell of a report across regions."""
    listed = ", ".join(f'"{r}"' for r in regions)
    return ("params", f"# Parametrar (papermill ersätter dem vid körning)\nregions = [{listed}]\nyear = {year}\ndata_dir = None")
