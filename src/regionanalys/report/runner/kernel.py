"""The kernel a worker keeps for report after report, and the code that sets it up."""
from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable, Sequence
from pathlib import Path

#: seconds a kernel may take to start; the one retry gets RETRY_START_FACTOR times as long
DEFAULT_START_TIMEOUT = 60
RETRY_START_FACTOR = 3

_KERNEL_SETUP = r'''
def __regionanalys_setup(preimports, log_env, parent_pid):
    import gc, os, sys, types, warnings
    # the collector would walk the imports' new objects again and again (a seventh of the
    # pre-imports' CPU); they are frozen below anyway
    gc.disable()
    state = types.ModuleType("_regionanalys_runner_state")
    sys.modules["_regionanalys_runner_state"] = state
    state.failed = []
    if parent_pid:
        try:  # end with the worker: a killed run leaves no kernel behind
            from regionanalys.report.runner.orphans import die_with_parent
            die_with_parent(parent_pid)
        except Exception:
            state.failed.append("regionanalys.report.runner.orphans")
    for name in preimports:
        try:
            __import__(name)
        except Exception:
            state.failed.append(name)
    import matplotlib
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        state.rc = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    # the pre-imported modules live as long as the kernel: move them out of the collector's
    # sight, so that the gc.collect() of every reset between reports skips them
    gc.enable()
    gc.collect()
    gc.freeze()
    state.frozen = gc.get_freeze_count()
    state.env = dict(os.environ)
    state.env.pop(log_env, None)
    state.path = list(sys.path)
    state.filters = list(warnings.filters)

    def cleanup():
        """After a report: forget everything it did (runs while the worker exports HTML)."""
        from IPython import get_ipython
        ip = get_ipython()
        if ip is not None:
            ip.reset(new_session=True)  # user namespace, Out cache, counter; ends with gc.collect()
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(state.rc)
            if "pandas" in sys.modules:
                try:
                    sys.modules["pandas"].reset_option("all")
                except Exception:
                    pass
        os.environ.clear()
        os.environ.update(state.env)
        sys.path[:] = state.path
        warnings.filters[:] = state.filters
        warnings._filters_mutated()
        for mod in list(sys.modules.values()):
            reg = getattr(mod, "__warningregistry__", None)
            if isinstance(reg, dict):
                reg.clear()

    def prepare(read_log, cwd):
        """Before a report: where the loader logs its reads, and the working directory."""
        os.environ[log_env] = read_log
        os.chdir(cwd)

    state.cleanup = cleanup
    state.prepare = prepare
__regionanalys_setup(%(preimports)r, %(log_env)r, %(parent_pid)r)
del __regionanalys_setup
'''

_KERNEL_CLEANUP = '__import__("sys").modules["_regionanalys_runner_state"].cleanup()'
_KERNEL_PREPARE = '__import__("sys").modules["_regionanalys_runner_state"].prepare(%(read_log)r, %(cwd)r)'


class KernelStartError(RuntimeError):
    """The kernel did not start, even on the retry."""


class KernelSession:
    """One kernel a worker keeps for report after report (async jupyter_client API).

    Every method runs its coroutine on the worker thread's event loop via
    ``jupyter_core.utils.run_sync``: the loop nbclient uses too, so the kernel client's
    sockets are shared with papermill's notebook client.

    Starting is split in :meth:`launch` (process and sockets), :meth:`ready` (wait for the
    kernel, then send the set-up code) and :meth:`wait` (the set-up's reply) so that a
    worker can import papermill and compile its HTML template while the kernel boots and
    pre-imports the notebooks' libraries. Likewise :meth:`cleanup` is sent after a report
    and only waited for before the next one, so the kernel cleans up while the worker
    exports.
    """

    def __init__(self, kernel_name: str, start_timeout: float, preimports: Sequence[str], cwd: Path, log_env: str):
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self.preimports = list(preimports)
        self.cwd = Path(cwd)
        self.log_env = log_env
        self.km = None
        self.kc = None
        self.starts = 0
        self.attempts = 0
        self.log_path: Path | None = None
        self._sock_dir: str | None = None
        self._pending: tuple[str, str] | None = None  # (msg_id, what) of a request not yet answered
        #: the kernel ends when this process does (0: not watched)
        self.watch_pid = 0

    # -- starting ----------------------------------------------------------------
    def start(self, timeouts: Sequence[float] | None = None) -> None:
        """Start the kernel (blocking); a failed start is retried once with a longer timeout."""
        timeouts = list(timeouts or [self.start_timeout, self.start_timeout * RETRY_START_FACTOR])
        errors = []
        for timeout in timeouts:
            try:
                self.launch()
                self.ready(timeout)
                self.wait(timeout + 300)
                return
            except Exception as exc:  # noqa: BLE001 - any start failure is retried once
                errors.append(self._describe(exc))
                self.shutdown()
        raise KernelStartError(
            f"kärnan {self.kernel_name!r} startade inte (försök med "
            + " och ".join(f"{t:.0f} s" for t in timeouts) + "): " + " / ".join(errors)
        )

    def start_overlapped(self, work: Callable[[], None]) -> None:
        """Start the kernel while ``work()`` runs in this process; retry once like :meth:`start`."""
        first_error = None
        try:
            self.launch()
        except Exception as exc:  # noqa: BLE001
            first_error = self._describe(exc)
            self.shutdown()
        work()
        if first_error is None:
            try:
                self.ready(self.start_timeout)
                self.wait(self.start_timeout + 300)
                return
            except Exception as exc:  # noqa: BLE001
                first_error = self._describe(exc)
                self.shutdown()
        try:
            self.start([self.start_timeout * RETRY_START_FACTOR])
        except KernelStartError as exc:
            raise KernelStartError(f"{exc} (första försöket, {self.start_timeout:.0f} s: {first_error})") from None

    def _describe(self, exc: BaseException) -> str:
        tail = self.log_tail()
        return f"{type(exc).__name__}: {exc}" + (f" [kärnans logg: {tail}]" if tail else "")

    def launch(self) -> None:
        """Start the kernel process and connect the client; returns at once."""
        from jupyter_core.utils import run_sync

        run_sync(self._alaunch)()

    async def _alaunch(self) -> None:
        import tempfile

        from jupyter_client.manager import AsyncKernelManager

        # IPC sockets rather than TCP on localhost: nothing listens on the network and
        # ipykernel does not warn about unencrypted TCP. Socket paths must be short
        # (108 bytes), hence the system temp dir. Windows has no IPC sockets in ZeroMQ:
        # there the kernel listens on 127.0.0.1 (Jupyter's default).
        self._sock_dir = tempfile.mkdtemp(prefix="ra-k-")
        # the connection file goes there too, not to Jupyter's runtime dir in $HOME
        where = {"transport": "tcp", "ip": "127.0.0.1"} if os.name == "nt" else {
            "transport": "ipc", "ip": os.path.join(self._sock_dir, "k")}
        km = AsyncKernelManager(kernel_name=self.kernel_name, **where,
                                connection_file=os.path.join(self._sock_dir, "kernel.json"))
        self.km = km
        env = {k: v for k, v in os.environ.items() if k != self.log_env}
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        # the kernel process's own log (cell output comes over the sockets, not here)
        self.attempts += 1
        self.log_path = self.cwd / f"kernel-{os.getpid()}-{self.attempts}.log"
        with open(self.log_path, "ab") as log:
            await km.start_kernel(cwd=str(self.cwd), env=env, extra_arguments=["--HistoryManager.enabled=False"],
                                  stdout=log, stderr=log)
        kc = km.client()
        kc.start_channels()
        self.kc = kc

    def ready(self, timeout: float) -> None:
        """Wait until the kernel answers, then send the set-up code (pre-imports) without waiting."""
        from jupyter_core.utils import run_sync

        async def go():
            await self.kc.wait_for_ready(timeout=timeout)
            self.kc.allow_stdin = False
            self._send(_KERNEL_SETUP % {"preimports": self.preimports, "log_env": self.log_env, "parent_pid": self.watch_pid},
                       "set-up")

        run_sync(go)()

    # -- requests ------------------------------------------------------------------
    def _send(self, code: str, what: str) -> None:
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        self._pending = (msg_id, what)

    def wait(self, timeout: float = 300) -> None:
        """Wait for the reply to the request sent last; raise if it failed."""
        from jupyter_core.utils import run_sync

        if self._pending is None:
            return
        msg_id, what = self._pending

        async def go():
            deadline = time.monotonic() + timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"kärnan svarade inte på {what} inom {timeout:.0f} s")
                try:
                    msg = await self.kc.get_shell_msg(timeout=min(remaining, 5))
                except queue.Empty:
                    if not await self.km.is_alive():
                        raise RuntimeError(f"kärnan dog under {what}") from None
                    continue
                if msg["parent_header"].get("msg_id") == msg_id:
                    return msg["content"]

        content = run_sync(go)()
        self._pending = None
        if content.get("status") != "ok":
            raise RuntimeError(f"{what} i kärnan misslyckades: {content.get('ename')}: {content.get('evalue')}")
        if what == "set-up":
            self.starts += 1

    def cleanup(self) -> None:
        """Ask the kernel to forget the last report; answered before the next :meth:`prepare`."""
        self._send(_KERNEL_CLEANUP, "städning")

    def prepare(self, read_log: Path, cwd: Path, timeout: float = 120) -> None:
        """Make the kernel ready for the next report (waits for a pending clean-up first)."""
        self.wait(timeout)
        self._send(_KERNEL_PREPARE % {"read_log": str(read_log), "cwd": str(cwd)}, "förberedelse")
        self.wait(timeout)

    def is_alive(self) -> bool:
        from jupyter_core.utils import run_sync

        if self.km is None:
            return False
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    @property
    def pid(self) -> int | None:
        try:
            return self.km.provisioner.process.pid  # type: ignore[union-attr]
        except AttributeError:
            return None

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        kc, km = self.kc, self.km
        self.kc = self.km = None
        self._pending = None
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:  # noqa: BLE001
                pass
        if km is not None:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001
                pass
        if self._sock_dir:
            import shutil

            shutil.rmtree(self._sock_dir, ignore_errors=True)
            self._sock_dir = None

    def log_tail(self, lines: int = 5) -> str:
        """The last lines of the kernel process's log (for a kernel that would not start)."""
        try:
            text = Path(self.log_path).read_text(encoding="utf-8", errors="replace")  # type: ignore[arg-type]
        except (TypeError, OSError):
            return ""
        return " / ".join(text.strip().splitlines()[-lines:])
