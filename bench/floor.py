"""The floor of the benchmark: the reports' work alone, in ``JOBS`` warm processes.

    python bench/floor.py PLAN.json OUT_DIR JOBS [DURATIONS.json]

PLAN.json lists the reports (id, title, notebook path, parameters) as the runner plans
them. The floor starts ``JOBS`` worker processes, as many as the runner's workers; each
imports what the notebooks import (then ``gc.freeze()``, as the runner's workers do) and
compiles the report template: that start-up is timed apart and is not part of the floor.
Then, from one shared queue ordered longest first (by DURATIONS.json, the runner's last
durations, else plan order), each worker takes report after report and does in its own
process what the runner's workers do, but with no process start, no boot, no messages
to a main process, no manifest and no index:

* papermill's API injects the parameters (``papermill.parameterize.parameterize_notebook``,
  the same injected cell the runner gets);
* an IPython shell runs each code cell in this process (no kernel, no ZeroMQ), with
  the inline matplotlib backend; each cell's displayed data, results and streams
  become that cell's outputs; the namespace is reset between reports;
* the executed notebook is written once (``nbformat``) and exported with the runner's
  compiled nbconvert exporter (:class:`regionanalys.report.htmlexport.ReportExporter`)
  to OUT_DIR/<id>.html.

Prints one JSON line: wall seconds from "every worker is warm" to "the last report is
written", CPU seconds of that section summed over the workers (``time.process_time``,
every thread), start-up seconds, and per worker its reports, CPU and peak RSS
(``ru_maxrss``, the process's high-water mark, start-up included).
"""
from __future__ import annotations

import copy
import json
import multiprocessing as mp
import os
import queue
import resource
import sys
import time
from pathlib import Path


def _outputs(captured) -> list:
    """nbformat outputs of one cell from IPython's capture."""
    import nbformat

    outs = []
    if captured.stdout:
        outs.append(nbformat.v4.new_output("stream", name="stdout", text=captured.stdout))
    if captured.stderr:
        outs.append(nbformat.v4.new_output("stream", name="stderr", text=captured.stderr))
    for o in captured.outputs:
        outs.append(nbformat.v4.new_output("display_data", data=dict(o.data), metadata=dict(o.metadata or {})))
    return outs


def _worker(index: int, plan_path: str, out_dir: str, tasks, results, go) -> None:
    """One floor process; any exception goes to the parent as ("error", index, text)."""
    try:
        _work(index, plan_path, out_dir, tasks, results, go)
    except BaseException:  # noqa: BLE001 - the parent must hear of it, not wait forever
        import traceback

        results.put(("error", index, traceback.format_exc()[-3000:]))


def _work(index: int, plan_path: str, out_dir: str, tasks, results, go) -> None:
    """Warm up, wait for ``go``, then take reports until the sentinel."""
    t0 = time.perf_counter()
    os.environ.pop("REGIONANALYS_READ_LOG", None)
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    import gc
    import logging

    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from regionanalys.report.htmlexport import ReportExporter
    from regionanalys.report.specs import notebook_imports  # from PYTHONPATH: the bench's snapshot

    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    for name in notebook_imports({Path(j["notebook"]) for j in plan}):
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - "from x import function" is not a module
            pass

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):  # the inline backend needs no GUI event loop
            pass

    shell = Shell.instance()
    shell.enable_matplotlib("inline")  # as in the runner: figures left open are shown as PNG
    exporter = ReportExporter()
    sources = {j["notebook"]: load_notebook_node(j["notebook"]) for j in plan}  # as papermill reads them
    gc.collect()
    gc.freeze()  # as the runner's workers do after their pre-imports
    startup = time.perf_counter() - t0
    results.put(("ready", index, startup))
    go.wait()

    c0 = time.process_time()
    done = []
    while True:
        item = tasks.get()
        if item is None:
            break
        job = plan[item]
        nb = parameterize_notebook(copy.deepcopy(sources[job["notebook"]]), job["parameters"], report_mode=False)
        shell.reset(new_session=True)
        os.chdir(Path(job["notebook"]).parent)
        for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            with capture_output() as captured:
                result = shell.run_cell(cell.source, store_history=False, silent=False)
            cell.outputs = _outputs(captured)
            cell.execution_count = n + 1
            if not result.success:
                results.put(("error", index, f"{job['id']}: cell {n} failed: {result.error_in_exec or result.error_before_exec}"))
                return
        import matplotlib.pyplot as plt

        plt.close("all")
        nbformat.write(nb, os.path.join(out_dir, f"{job['id']}.ipynb"))
        html = exporter.export(nb, title=job.get("title") or job["id"], notebook=Path(job["notebook"]).name)
        Path(out_dir, f"{job['id']}.html").write_text(html, encoding="utf-8")
        done.append(job["id"])
    cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    results.put(("done", index, {"reports": done, "cpu": cpu, "peak_rss_mb": peak, "startup": startup}))


def main() -> int:
    plan_path, out_dir, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    durations = json.loads(Path(sys.argv[4]).read_text(encoding="utf-8")) if len(sys.argv) > 4 else {}
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    # longest first, as the runner schedules (its last durations)
    order = sorted(range(len(plan)), key=lambda i: -float(durations.get(plan[i]["id"], 0.0)))
    ctx = mp.get_context("spawn")
    tasks, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    for i in order:
        tasks.put(i)
    for _ in range(jobs):
        tasks.put(None)
    procs = [ctx.Process(target=_worker, args=(i, plan_path, out_dir, tasks, results, go)) for i in range(jobs)]
    for p in procs:
        p.start()
    def get():
        while True:
            try:
                kind, index, value = results.get(timeout=5)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    raise SystemExit("en golvprocess dog") from None
                continue
            if kind == "error":
                for p in procs:
                    p.terminate()
                raise SystemExit(value)
            return value

    startups = [get() for _ in range(jobs)]
    t0 = time.perf_counter()
    go.set()
    workers = [get() for _ in range(jobs)]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    print(json.dumps({"wall": wall, "cpu": sum(w["cpu"] for w in workers), "startup": max(startups),
                      "workers": workers}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
