"""Executing report notebooks in the worker's own process: an IPython shell, a papermill
engine on it, and the reset between reports.

A worker process used to drive a Jupyter kernel over ZeroMQ: a second Python process with
its own imports, every cell's outputs sent as messages. At 21 regions a cold run then
took 1,38× the CPU of the same reports made in warm processes without a kernel (the
bench's floor). Here the worker runs the code cells itself, as ipykernel does inside a
kernel:

* :class:`ReportShell` is an :class:`~IPython.core.interactiveshell.InteractiveShell`
  whose outputs become the cell's nbformat outputs, in the order they happen, as a
  notebook client records them from a kernel: ``display_data`` (``display()``, figures
  left open, shown by matplotlib's inline backend), ``execute_result`` (the value of the
  last line, with its execution count), ``stream`` (stdout, stderr, warnings; a run of
  writes to one stream is one output, as ipykernel's buffered streams send it), and
  ``error`` (name, value, traceback) for the exception that ends the cell.
* :class:`InProcessEngine` is a papermill engine: papermill injects the parameters,
  records each cell's status and times and writes the executed notebook, exactly as with
  its nbclient engine.
* :class:`ProcessState` remembers the process's state after its imports and puts it back
  after each report (user namespace, figures, matplotlib rc, pandas options, environment,
  ``sys.path``, warnings, working directory), so that report after report starts clean.

A cell that runs longer than the time limit is interrupted (``SIGALRM`` raises
:class:`CellTimeout` in it, as a kernel's interrupt raises ``KeyboardInterrupt``). A
report that fails may leave the process in any state: the worker then ends and the pool
starts a new one.
"""
from __future__ import annotations

import os
import signal
import sys
import warnings
from collections.abc import Mapping
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbformat import from_dict
from papermill.engines import Engine, papermill_engines

#: papermill engine name of the in-process engine
ENGINE_NAME = "regionanalys-inprocess"


class CellTimeout(BaseException):
    """Raised inside a cell that ran longer than its time limit (a BaseException, so that a
    cell's ``except Exception`` does not swallow it, like ``KeyboardInterrupt``)."""


def _output(output_type: str, **fields: Any):
    """An nbformat output with all its fields given, as ``nbformat.v4.new_output`` makes it
    but not validated one by one: that check takes jsonschema ~0,8 ms per output (a
    notebook's parts are checked by the slow validator), ~0,9 s per 21-region run, and the
    whole notebook is validated when papermill writes it and again when it is exported."""
    return from_dict({"output_type": output_type, **fields})


class _Outputs:
    """The outputs of the cell being executed, in order (what nbclient makes of a kernel's
    iopub messages)."""

    def __init__(self) -> None:
        self.items: list = []
        self._ids: dict[int, str] = {}  # display_data output -> its display id (not a notebook field)
        self._clear_pending = False

    def _add(self, out) -> None:
        if self._clear_pending:
            self.items.clear()
            self._clear_pending = False
        self.items.append(out)

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.items[-1] if self.items and not self._clear_pending else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self._add(_output("stream", name=name, text=text))

    def display(self, data: Mapping, metadata: Mapping | None, transient: Mapping | None, update: bool) -> None:
        display_id = (transient or {}).get("display_id")
        if update:  # update_display_data: replace what is shown under that id
            for out in self.items:
                if display_id is not None and self._ids.get(id(out)) == display_id:
                    out.data, out.metadata = dict(data), dict(metadata or {})
            return
        out = _output("display_data", data=dict(data), metadata=dict(metadata or {}))
        self._add(out)
        if display_id is not None:
            self._ids[id(out)] = display_id

    def result(self, data: Mapping, metadata: Mapping | None, count: int) -> None:
        self._add(_output("execute_result", data=dict(data), metadata=dict(metadata or {}), execution_count=count))

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self._add(_output("error", ename=ename, evalue=evalue, traceback=list(traceback)))

    def clear(self, wait: bool) -> None:
        if wait:
            self._clear_pending = True
        else:
            self.items.clear()
            self._clear_pending = False


class _Stream:
    """``sys.stdout`` / ``sys.stderr`` while a cell runs: text goes to the cell's outputs."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, shell: ReportShell, name: str):
        self._shell, self.name = shell, name

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._shell.outputs is not None:
            self._shell.outputs.stream(self.name, text)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


class _Publisher(DisplayPublisher):
    """``display()``: a display_data output of the current cell."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:  # noqa: ARG002
        if self.shell.outputs is not None:
            self.shell.outputs.display(data, metadata, transient, update)

    def clear_output(self, wait: bool = False) -> None:
        if self.shell.outputs is not None:
            self.shell.outputs.clear(wait)


class _ResultHook(DisplayHook):
    """The value of a cell's last line: an execute_result output with its count."""

    def start_displayhook(self) -> None:
        self._data: dict = {}
        self._metadata: dict = {}

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        self._data, self._metadata = format_dict, md_dict or {}

    def finish_displayhook(self) -> None:
        if self._data and self.shell.outputs is not None:
            self.shell.outputs.result(self._data, self._metadata, self.prompt_count)


class ReportShell(InteractiveShell):
    """An IPython shell that records each cell's outputs as nbformat outputs."""

    displayhook_class = _ResultHook
    display_pub_class = _Publisher

    def __init__(self, **kwargs: Any) -> None:
        from traitlets.config import Config

        cfg = Config()
        cfg.HistoryManager.enabled = False  # as the kernels were started: no history database
        super().__init__(config=cfg, **kwargs)
        self.outputs: _Outputs | None = None

    def enable_gui(self, gui=None):  # noqa: ARG002 - the inline backend needs no GUI event loop
        pass

    def should_run_async(self, raw_cell: str, *, transformed_cell=None, preprocessing_exc_tuple=None) -> bool:
        # IPython compiles every cell once more to find a top-level await (~0,2 ms per line);
        # a cell without the words await or async cannot have one.
        if "await" not in raw_cell and "async" not in raw_cell:
            return False
        return super().should_run_async(raw_cell, transformed_cell=transformed_cell,
                                        preprocessing_exc_tuple=preprocessing_exc_tuple)

    def _showtraceback(self, etype, evalue, stb) -> None:
        # as ipykernel: the exception becomes the cell's error output
        if self.outputs is not None:
            self.outputs.error(etype.__name__ if isinstance(etype, type) else str(etype), str(evalue), stb)

    def execute(self, source: str, timeout: float | None) -> tuple[list, bool]:
        """Run one cell; returns its outputs and whether it succeeded."""
        outputs = self.outputs = _Outputs()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream(self, "stdout"), _Stream(self, "stderr")
        ok = False
        try:
            with _time_limit(timeout):
                result = self.run_cell(source, store_history=True, silent=False)
            ok = result.success
        except CellTimeout as exc:  # fired outside the cell's own code (formatting, post-run hooks)
            outputs.error(type(exc).__name__, str(exc), [f"{type(exc).__name__}: {exc}"])
        finally:
            sys.stdout, sys.stderr = saved
            self.outputs = None
        return outputs.items, ok


class _time_limit:
    """``SIGALRM`` after ``seconds``: :class:`CellTimeout` in the code running then."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds if seconds and seconds > 0 and hasattr(signal, "setitimer") else None

    def __enter__(self):
        if self.seconds is not None:
            def fire(signum, frame):  # noqa: ARG001
                raise CellTimeout(f"cellen kördes längre än {self.seconds:g} s och avbröts")

            self._old = signal.signal(signal.SIGALRM, fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.seconds is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)
        return False


class CellFailed(Exception):
    """A cell ended with an error (papermill then raises its PapermillExecutionError, whose
    ``ename`` is ``CellTimeout`` for a cell over its time limit)."""


class InProcessEngine(Engine):
    """papermill engine: execute the notebook's code cells in this process's shell.

    Call through :func:`papermill.execute_notebook` with ``engine_name=ENGINE_NAME`` and
    the keywords ``shell`` (a :class:`ReportShell`) and ``execution_timeout`` (seconds per
    cell). Like papermill's nbclient engine it stops at the first failing cell.
    """

    @classmethod
    def nb_kernel_name(cls, nb, name=None):  # noqa: ARG003 - no kernel is started
        return name or nb.metadata.get("kernelspec", {}).get("name") or "python3"

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, shell: ReportShell | None = None,  # noqa: ARG003
                                 execution_timeout: float | None = None, **kwargs) -> None:
        if shell is None:
            raise ValueError("InProcessEngine behöver shell=ReportShell")
        for index, cell in enumerate(nb_man.nb.cells):
            try:
                nb_man.cell_start(cell, index)
                if cell.cell_type != "code" or not cell.source.strip():
                    continue  # as nbclient: nothing to run, no execution count
                if "skip-execution" in cell.metadata.get("tags", []):
                    continue
                outputs, ok = shell.execute(cell.source, execution_timeout)
                cell.outputs = outputs
                cell.execution_count = shell.execution_count - 1
                if not ok:
                    if not any(o.output_type == "error" for o in outputs):
                        cell.outputs.append(_output("error", ename="Fel", evalue="cellen misslyckades", traceback=[]))
                    raise CellFailed(f"cell {index} failed")
            except CellFailed as exc:
                nb_man.cell_exception(nb_man.nb.cells[index], cell_index=index, exception=exc)
                break
            finally:
                nb_man.cell_complete(nb_man.nb.cells[index], cell_index=index)


papermill_engines.register(ENGINE_NAME, InProcessEngine)


class ProcessState:
    """What a report may change in the process, as it was after the imports; :meth:`reset`
    puts it back after a report (so the next one starts as in a fresh kernel)."""

    def __init__(self, shell: ReportShell, log_env: str):
        import matplotlib

        self.shell, self.log_env = shell, log_env
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.rc = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
        self.env = {k: v for k, v in os.environ.items() if k != log_env}
        self.path = list(sys.path)
        self.filters = list(warnings.filters)
        self.cwd = os.getcwd()

    def prepare(self, read_log: str, cwd: str) -> None:
        """Before a report: where the loader logs its reads, and the working directory."""
        os.environ[self.log_env] = read_log
        os.chdir(cwd)

    def reset(self) -> None:
        """After a report: forget everything it did."""
        import matplotlib

        self.shell.reset(new_session=True)  # user namespace, Out cache, counter; ends with gc.collect()
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(self.rc)
            if "pandas" in sys.modules:
                try:
                    sys.modules["pandas"].reset_option("all")
                except Exception:  # noqa: BLE001 - an option pandas cannot reset is not worth a failed run
                    pass
        os.environ.clear()
        os.environ.update(self.env)
        sys.path[:] = self.path
        warnings.filters[:] = self.filters
        warnings._filters_mutated()  # noqa: SLF001 - the documented way to make changed filters count
        for mod in list(sys.modules.values()):
            reg = getattr(mod, "__warningregistry__", None)
            if isinstance(reg, dict):
                reg.clear()
        os.chdir(self.cwd)


def new_shell() -> ReportShell:
    """The process's shell, with matplotlib's inline backend (figures left open at the end
    of a cell are shown as PNG, as in a kernel)."""
    shell = ReportShell.instance()
    shell.enable_matplotlib("inline")
    return shell
