"""Imported by the run's fork server before it forks any worker (Linux).

With multiprocessing's "forkserver" start method the pool starts one server process per
run, which imports this module and then forks a worker for each request. Importing it
boots the process (:func:`regionanalys.report.runner.worker.boot`: papermill, the
notebooks' libraries, the shell, the HTML template; then ``gc.freeze()``) as the pool
describes it in ``$REGIONANALYS_WORKER_PRELOAD``, so that this work is done once per run
and every worker starts with it done (its pages shared copy-on-write) instead of each
worker doing it again. A failure here is not raised (the fork server would die): the
workers then boot themselves, and meet the same error in their own process.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from regionanalys.report.runner.worker import PRELOAD_ENV

_spec = os.environ.pop(PRELOAD_ENV, None)
if _spec:
    try:
        from regionanalys.report.runner.worker import boot, log_output_to

        _args = json.loads(_spec)
        log_output_to(Path(_args["log"]))
        boot(tuple(_args["preimports"]), _args["log_env"])
    except Exception:  # noqa: BLE001 - see the module docstring
        import traceback

        traceback.print_exc()  # into the fork server's log
