"""Cheap checks of every notebook template (after notebooker): it parses, it is stored
clean, it has a parameters cell, it uses the project kernel, and the report specs name
notebooks that exist with the parameters the runner passes."""
import tomllib

import nbformat
import papermill
import pytest

from regionanalys import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
SPECS = tomllib.loads((config.NOTEBOOKS_DIR / "reports.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_valid_clean_and_parameterized(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "lagra utan utdata"
    assert any("parameters" in c.metadata.get("tags", []) for c in code), "parameters-cell saknas"
    assert nb.metadata["kernelspec"]["name"] == config.KERNEL_NAME


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_stay_thin(path):
    """Analysis belongs in the library: no groupby/pivot/merge in a notebook."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for banned in (".groupby(", ".pivot", ".merge(", "def ", "import numpy"):
                assert banned not in cell.source, f"{path.name}: {banned!r} hör hemma i src/regionanalys"


@pytest.mark.parametrize("name", sorted(SPECS), ids=str)
def test_report_specs_point_at_notebooks_with_the_right_parameters(name):
    spec = SPECS[name]
    path = config.NOTEBOOKS_DIR / spec["notebook"]
    assert path.exists()
    params = papermill.inspect_notebook(str(path))
    expected = {"region", "year", "data_dir"} if spec["per_region"] else {"regions", "year", "data_dir"}
    assert expected <= set(params)
