"""Cheap checks of every notebook template (after notebooker): it parses, it is stored
clean, it has a parameters cell, it uses the project kernel, its percent-format .py twin
says the same, and the report specs name notebooks that exist with the parameters the
runner passes."""
import tomllib

import jupytext
import nbformat
import papermill
import pytest

from regionanalys import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
SOURCES = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.py"))
SYNC_HINT = "kör `.venv/bin/jupytext --sync notebooks/*.py` (eller spara i JupyterLab med jupytext)"
SPECS = tomllib.loads((config.NOTEBOOKS_DIR / "reports.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_valid_clean_and_parameterized(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
        f"{path.name} har utdata eller körningsnummer; lagra utan: `.venv/bin/nbstripout {path.relative_to(config.PROJECT_ROOT)}`"
        " (make setup installerar nbstripout som git-filter)")
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


@pytest.mark.parametrize("name", sorted(SPECS), ids=str)
def test_report_reads_every_file_from_its_data_dir(name):
    """A loader called without ``data_dir`` reads the project's own data/, not the folder the
    run was given (the savings report once took its quotes from there)."""
    import ast

    nb = nbformat.read(config.NOTEBOOKS_DIR / SPECS[name]["notebook"], as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
                called = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                if called == "load" or called.startswith("load_"):
                    names = [a.id for a in node.args if isinstance(a, ast.Name)] + [k.arg for k in node.keywords]
                    assert "data_dir" in names, f"{SPECS[name]['notebook']}: {ast.unparse(node)} läser inte data_dir"


def _cells(nb) -> list[tuple[str, str, bool]]:
    """What a pair must agree on: each cell's type and source and whether it is the parameters cell."""
    return [(c.cell_type, c.source, "parameters" in c.metadata.get("tags", [])) for c in nb.cells]


def test_every_notebook_has_its_text_source_and_back():
    assert NOTEBOOKS, config.NOTEBOOKS_DIR
    assert [p.stem for p in NOTEBOOKS] == [p.stem for p in SOURCES], f"varje NN_namn.ipynb ska ha sin NN_namn.py; {SYNC_HINT}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_paired_with_its_percent_source(path):
    """JupyterLab (with jupytext) and `jupytext --sync` read the pairing from jupytext.toml."""
    found = jupytext.config.load_jupytext_config(str(path))
    assert found is not None, "jupytext.toml saknas"
    assert found.default_formats(str(path)) == "ipynb,py:percent"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_notebook_pair_is_in_sync(path):
    text = jupytext.read(path)
    assert text.metadata["jupytext"]["text_representation"]["format_name"] == "percent"
    ipynb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert _cells(text) == _cells(ipynb), f"{path.name} och {path.with_suffix('.ipynb').name} skiljer sig; {SYNC_HINT}"
    assert text.metadata["kernelspec"]["name"] == ipynb.metadata["kernelspec"]["name"]


def test_saving_in_jupyterlab_updates_the_text_source(tmp_path):
    """What JupyterLab does on save, through jupytext's contents manager, on a copy:
    an edit made in the .ipynb reaches the .py, and the .py opens as a notebook."""
    from jupytext import TextFileContentsManager

    for path in (config.NOTEBOOKS_DIR / "jupytext.toml", NOTEBOOKS[0], SOURCES[0]):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    manager = TextFileContentsManager(root_dir=str(tmp_path))
    nb = manager.get(NOTEBOOKS[0].name)["content"]
    nb.cells[-1].source += "\n# ändrad i JupyterLab"
    manager.save({"type": "notebook", "content": nb}, NOTEBOOKS[0].name)
    assert "# ändrad i JupyterLab" in (tmp_path / SOURCES[0].name).read_text(encoding="utf-8")
    assert manager.get(SOURCES[0].name)["type"] == "notebook"
