"""00_utforska executed through a Jupyter kernel as an analyst runs it in JupyterLab:
with the kernel's own (inline) backend, its chart cells must show images and its last
step must write a report."""
import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from regionanalys import config

pytestmark = pytest.mark.slow

NOTEBOOK = config.NOTEBOOKS_DIR / "00_utforska.ipynb"
IMAGE_TYPES = ("image/png", "image/svg+xml")


def _kernel_name() -> str:
    """The project kernel when `make setup` installed it, else the default kernel (same venv)."""
    return config.KERNEL_NAME if config.KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def _is_chart_cell(cell) -> bool:
    return cell.cell_type == "code" and ("_chart(" in cell.source or ".plot(" in cell.source)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run top to bottom, with the report written to a temporary folder
    (injected after the parameters cell, as papermill does)."""
    out = tmp_path_factory.mktemp("utforska")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(f"out_dir = {str(out / 'rapporter')!r}"))
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("MPLBACKEND", raising=False)  # the kernel picks its backend, as in JupyterLab
        NotebookClient(nb, kernel_name=_kernel_name(), timeout=600,
                       resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}}).execute()
    return nb, out / "rapporter"


def test_chart_cells_show_an_image_in_the_kernel(executed):
    nb, _ = executed
    charts = [c for c in nb.cells if _is_chart_cell(c)]
    assert len(charts) >= 2, "00_utforska ska visa både bibliotekets diagram och ett eget pandas-diagram"
    for cell in charts:
        images = [o for o in cell.outputs if any(t in o.get("data", {}) for t in IMAGE_TYPES)]
        assert len(images) == 1, f"diagramcellen visar {len(images)} bilder (väntat 1):\n{cell.source}"


def test_last_step_writes_a_report(executed):
    nb, out = executed
    shown = [o.get("data", {}).get("text/plain", o.get("text", "")) for o in nb.cells[-1].outputs]
    assert list(out.glob("region_*.html")), f"ingen rapport i {out}: {shown}"
