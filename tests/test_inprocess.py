"""The in-process engine: a cell's outputs as a kernel gives them, failures, time-outs, the
reset between reports.

Each test executes notebooks in a new Python process (the shell switches matplotlib to the
inline backend and installs display hooks: not something to do inside pytest's own
process). The slow test executes the same notebook in a real Jupyter kernel (nbclient) and
compares the outputs.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

CELLS = [
    # 0: a parameters cell, as papermill wants one
    ("x = 1", ["parameters"]),
    # 1: order of prints and displays; a run of prints is one stream output
    ("from IPython.display import display, HTML\n"
     "print('a'); print('b')\n"
     "display(HTML('<b>mitten</b>'))\n"
     "print('c')", []),
    # 2: the last line's value, with its execution count; a warning goes to stderr
    ("import warnings\nwarnings.warn('akta dig')\n{'svar': 42}", []),
    # 3: a figure left open is shown as PNG by the inline backend
    ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1))\nax.plot([1, 2])", []),
    # 4: display with an id, then updated; a trailing semicolon hides the value
    ("h = display(HTML('gammal'), display_id=True)\nh.update(HTML('ny'))\n1 + 1;", []),
    # 5: nothing to run
    ("   ", []),
    # 6: a state the next report must not see
    ("import os, sys, matplotlib\nleak = 1\nos.environ['RA_LEAK'] = '1'\nsys.path.append('/ingenstans')\n"
     "matplotlib.rcParams['lines.linewidth'] = 9\nos.chdir('/')", []),
]

_SCRIPT = r'''
import json, os, sys
import nbformat, papermill
from papermill.exceptions import PapermillExecutionError
from regionanalys.report.runner import inprocess

nb_path, out_dir, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
shell = inprocess.new_shell()
state = inprocess.ProcessState(shell, "RA_TEST_LOG")
result = {}
def run(name, params, path=nb_path):
    out = os.path.join(out_dir, name + ".ipynb")
    try:
        papermill.execute_notebook(path, out, parameters=params, engine_name=inprocess.ENGINE_NAME,
                                   request_save_on_cell_execute=False, progress_bar=False,
                                   shell=shell, execution_timeout=timeout)
        failure = None
    except PapermillExecutionError as exc:
        failure = {"cell": exc.cell_index, "ename": exc.ename, "timed_out": exc.ename == inprocess.CellTimeout.__name__}
    return {"nb": nbformat.read(out, as_version=4), "failure": failure}
cwd = os.getcwd()
first = run("first", {})
state.reset()
import matplotlib
result["after_reset"] = {"leak": "leak" in shell.user_ns, "env": "RA_TEST_LOG" in os.environ or "RA_LEAK" in os.environ,
                         "path": "/ingenstans" in sys.path, "rc": matplotlib.rcParams["lines.linewidth"],
                         "cwd": os.getcwd() == cwd, "count": shell.execution_count}
second = run("second", {"x": 2})
result["first"] = first["failure"]; result["second"] = second["failure"]
result["outputs"] = [c.get("outputs", []) for c in first["nb"].cells]
result["counts"] = [c.get("execution_count") for c in first["nb"].cells]
result["second_counts"] = [c.get("execution_count") for c in second["nb"].cells]
for extra in sys.argv[4:]:
    name, source = extra.split("=", 1)
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell(source))
    path = os.path.join(out_dir, name + ".src.ipynb")
    nbformat.write(nb, path)
    res = run(name, {}, path)
    state.reset()
    cells = [c for c in res["nb"].cells if "papermill" in c.metadata]  # not papermill's error marker
    result[name] = {"failure": res["failure"], "statuses": [c.metadata.papermill.get("status") for c in cells],
                    "outputs": [c.get("outputs", []) for c in cells]}
print(json.dumps(result))
'''


def _notebook(path: Path, cells=CELLS) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "regionanalys", "display_name": "regionanalys", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for source, tags in cells:
        cell = nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


def _execute(tmp_path: Path, *extra: str, timeout: float = 30) -> dict:
    nb = _notebook(tmp_path / "prov.ipynb")
    proc = subprocess.run([sys.executable, "-c", _SCRIPT, str(nb), str(tmp_path), str(timeout), *extra],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    return _execute(tmp_path_factory.mktemp("inprocess"), "fails=print('före'); 1/0",
                    "awaits=import asyncio\nawait asyncio.sleep(0)\n'väntat'")


def _kinds(outputs):
    return [(o["output_type"], o.get("name")) for o in outputs]


def test_outputs_come_in_order_with_streams_joined(executed):
    outs = executed["outputs"]
    # papermill's injected-parameters cell is not added when no parameters are passed
    assert _kinds(outs[1]) == [("stream", "stdout"), ("display_data", None), ("stream", "stdout")]
    assert outs[1][0]["text"] == "a\nb\n" and outs[1][2]["text"] == "c\n"
    assert outs[1][1]["data"]["text/html"] == "<b>mitten</b>"


def test_last_value_is_an_execute_result_and_warnings_go_to_stderr(executed):
    outs = executed["outputs"][2]
    assert _kinds(outs) == [("stream", "stderr"), ("execute_result", None)]
    assert "UserWarning: akta dig" in outs[0]["text"]
    assert outs[1]["data"]["text/plain"] == "{'svar': 42}" and outs[1]["execution_count"] == executed["counts"][2]


def test_open_figure_is_shown_as_png_and_display_updates_replace(executed):
    fig = executed["outputs"][3]
    assert [o["output_type"] for o in fig] == ["execute_result", "display_data"]
    assert "image/png" in fig[1]["data"]
    shown = executed["outputs"][4]
    assert [o["output_type"] for o in shown] == ["display_data"]  # "1 + 1;" shows nothing
    assert shown[0]["data"]["text/html"] == "ny"


def test_execution_counts_as_in_a_kernel_and_restart_after_reset(executed):
    assert executed["counts"] == [1, 2, 3, 4, 5, None, 6]
    assert executed["after_reset"]["count"] == 1
    # the second report: papermill's injected cell comes after the parameters cell
    assert executed["second_counts"] == [1, 2, 3, 4, 5, 6, None, 7]


def test_reset_forgets_what_a_report_changed(executed):
    assert executed["after_reset"] == {"leak": False, "env": False, "path": False, "rc": 1.5, "cwd": True, "count": 1}
    assert executed["first"] is None and executed["second"] is None


def test_top_level_await_runs_as_in_a_kernel(executed):
    # the shell skips IPython's async check for cells without "await"/"async", not for these
    res = executed["awaits"]
    assert res["failure"] is None and set(res["statuses"]) == {"completed"}
    assert [o["data"]["text/plain"] for o in res["outputs"][2]] == ["'väntat'"]


def test_failing_cell_is_an_error_output_and_stops_the_notebook(executed):
    res = executed["fails"]
    assert res["failure"] == {"cell": 2, "ename": "ZeroDivisionError", "timed_out": False}
    assert _kinds(res["outputs"][2]) == [("stream", "stdout"), ("error", None)]
    assert res["statuses"][2] == "failed" and set(res["statuses"][3:]) == {"pending"}


def test_cell_over_its_time_limit_is_interrupted(tmp_path):
    # the second cell catches Exception: the time-out is not an Exception, so it still ends the cell
    found = _execute(tmp_path, "hangs=import time\nwhile True: time.sleep(0.01)",
                     "hangs_hard=import time\nwhile True:\n    try:\n        time.sleep(0.01)\n"
                     "    except Exception:\n        pass", timeout=1)
    for name in ("hangs", "hangs_hard"):
        assert found[name]["failure"] == {"cell": 2, "ename": "CellTimeout", "timed_out": True}, name
        assert found[name]["statuses"][2] == "failed"


@pytest.mark.slow
def test_outputs_equal_a_real_kernels(tmp_path, executed):
    """nbclient in the project's kernel gives the same outputs for the same cells."""
    from nbclient import NotebookClient

    from regionanalys import config

    nb = nbformat.read(_notebook(tmp_path / "k.ipynb", CELLS[:-1]), as_version=4)
    NotebookClient(nb, timeout=60, kernel_name=config.KERNEL_NAME, resources={"metadata": {"path": str(tmp_path)}}).execute()

    def comparable(outputs):
        out = []
        for o in outputs:
            o = {k: v for k, v in o.items() if k != "metadata"}
            if "data" in o:  # the PNG's bytes depend on the backend's dpi; its presence is compared
                o["data"] = {k: (v if k != "image/png" else "png") for k, v in o["data"].items()}
                o["data"].pop("text/plain", None) if "image/png" in o["data"] else None
            if "text/plain" in o.get("data", {}):  # object reprs name memory addresses
                o["data"]["text/plain"] = re.sub(r" at 0x[0-9a-f]+", "", o["data"]["text/plain"])
            if o.get("name") == "stderr":  # the warning names the file the code ran from
                o["text"] = o["text"].split("UserWarning")[-1]
            out.append(o)
        return out

    kernel = [comparable(c.outputs) for c in nb.cells]
    ours = [comparable(o) for o in executed["outputs"][:-1]]
    assert kernel == ours
