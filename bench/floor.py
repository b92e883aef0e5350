"""The floor of the benchmark: every report's notebook code in ONE warm Python process.

    python bench/floor.py PLAN.json OUT_DIR RUNS

PLAN.json lists the reports (id, notebook path, parameters) exactly as the runner plans
them. The process first imports what the notebooks import (that is the "warm" part and
is timed separately), then RUNS times runs every report: an IPython shell executes each
code cell, with the parameters injected after the cell tagged ``parameters`` as papermill
does, the shell's namespace is reset between reports as the runner's kernels are, and the
HTML and images each report displays are written to OUT_DIR/<id>.html. No kernel, no
ZeroMQ, no notebook files, no nbconvert. Prints one JSON line: {"imports": s, "runs": [s, …]}.
"""
from __future__ import annotations

import base64
import json
import os
import sys
import time
from pathlib import Path


def cells(path: str) -> tuple[list[str], int]:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    code, params_at = [], -1
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        code.append(src)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            params_at = len(code) - 1
    return code, params_at


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(sys.argv[2])
    runs = int(sys.argv[3])
    os.environ.pop("REGIONANALYS_READ_LOG", None)

    t0 = time.perf_counter()
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from regionanalys.report.specs import notebook_imports  # from PYTHONPATH: the bench's snapshot

    for name in notebook_imports({Path(j["notebook"]) for j in plan}):
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - "from x import function" is not a module
            pass
    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):  # the inline backend needs no GUI event loop
            pass

    shell = Shell.instance()
    shell.enable_matplotlib("inline")  # as in the kernel: figures left open are shown as PNG
    programs = {j["notebook"]: cells(j["notebook"]) for j in plan}
    imports = time.perf_counter() - t0

    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for job in plan:
            code, params_at = programs[job["notebook"]]
            injected = "\n".join(f"{k} = {v!r}" for k, v in job["parameters"].items())
            shell.reset(new_session=True)
            os.chdir(Path(job["notebook"]).parent)
            html = []
            with capture_output() as captured:
                for i, src in enumerate(code):
                    for piece in (src, injected) if i == params_at else (src,):
                        result = shell.run_cell(piece, store_history=False, silent=False)
                        if not result.success:
                            raise SystemExit(f"{job['id']}: cell {i} failed: {result.error_in_exec or result.error_before_exec}")
            for output in captured.outputs:
                data = output.data
                if "text/html" in data:
                    html.append(data["text/html"])
                elif "image/png" in data:
                    png = data["image/png"]
                    png = png if isinstance(png, str) else base64.b64encode(png).decode()
                    html.append(f'<img src="data:image/png;base64,{png}">')
            (out / f"{job['id']}.html").write_text("\n".join(html), encoding="utf-8")
        times.append(time.perf_counter() - t0)
    print(json.dumps({"imports": imports, "runs": times}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
