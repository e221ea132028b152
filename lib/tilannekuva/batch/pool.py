"""A pool of warm project kernels that execute pages one after another.

Starting a kernel and importing pandas and plotly is most of a page's cost
(about 2.7 s of papermill's run against 0.05 s of the page's own work). Each
of ``jobs`` worker processes therefore starts one kernel of the project, warms
it with the pages' common imports, and runs page after page on it through
papermill's own execution path (``papermill.execute_notebook(..., km=kernel)``),
so executed notebooks are exactly what papermill writes: the
``injected-parameters`` cell, papermill's metadata, its error markers.

Between pages the user namespace is reset (``%reset -f``, the warm-up imports
re-run from the module cache), so no variable leaks from one page into the
next. Two costs of that loop are not the page's own work and are avoided:
a new kernel client per call (``wait_for_ready`` waits up to 0.2 s for IOPub
on every connection; the worker keeps one open client and hands it to
papermill through a small engine, :class:`WarmClientEngine`), and the full
garbage collection ``%reset`` runs (the warm modules are frozen out of it with
``gc.freeze()``, so it walks only the last page's objects). A worker starts a fresh kernel
after a failure, a timeout, or every ``recycle_after`` pages. Kernels talk
over IPC, not TCP (with several kernels on TCP ports, one died of "Address
already in use"). The parent enforces each page's wall-clock limit: it kills
the stuck worker and its kernel's whole process group, reports the page as
timed out and starts a replacement worker. Shutdown is immediate
(``now=True``): the default graceful wait would cost seconds per kernel.

A pool can stay open between builds (``build --watch``): its workers keep
their warm kernels until :meth:`KernelPool.close`, which stops every worker
and kernel (also on Ctrl-C).

``isolate=True`` runs every page in its own fresh kernel exactly as plain
papermill does, for comparison and debugging.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

KERNEL_NAME = "tilannekuva"
# The pages' common imports, paid once per kernel. simplemma's Finnish dictionary (3–4 s to load) is
# not warmed: only the open-answers page needs it, so one page pays once
# instead of every kernel start.
WARMUP = (
    "import pandas, plotly.graph_objects, plotly.io, scipy.stats\n"
    "import tilannekuva.charts, tilannekuva.pages.common, tilannekuva.pages.survey\n"
    "import tilannekuva.pages.field, tilannekuva.knowledge.comparison\n"
)
# After the first warm-up only: what is loaded now lives as long as the kernel.
FREEZE = "import gc as _gc\n_gc.collect()\n_gc.freeze()\ndel _gc\n"
ENGINE = "tilannekuva-warm"


_registered = False


def _register_engine() -> None:
    """Register :class:`WarmClientEngine` with papermill (once per worker process)."""
    global _registered
    if _registered:
        return
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmClientEngine(NBClientEngine):
        """papermill's own nbclient engine, on the worker's already connected client.

        nbclient connects a client only when it has none (``kc is None``) and
        leaves one it did not create open, so the executed notebook is exactly
        what papermill writes; only the connection is reused.
        """

        client = None  # set by the worker before each page

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            # As NBClientEngine.execute_managed_notebook (papermill 2.x), plus the client.
            from papermill.clientwrap import PapermillNotebookClient
            from papermill.utils import merge_kwargs, remove_args

            timeout = execution_timeout if execution_timeout else kwargs.get("timeout")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                kwargs,
                timeout=timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            notebook_client = PapermillNotebookClient(nb_man, **final_kwargs)
            notebook_client.kc = cls.client
            return notebook_client.execute()

    papermill_engines.register(ENGINE, WarmClientEngine)
    _registered = True


@dataclass
class PageJob:
    name: str
    notebook: nbformat.NotebookNode
    parameters: dict[str, Any]
    cwd: Path


@dataclass
class PageResult:
    name: str
    ok: bool
    notebook: nbformat.NotebookNode
    seconds: float
    error: str | None = None
    worker: int = 0
    text: str | None = None  # the notebook file as papermill wrote it (None: it wrote none)


# --- inside a worker process ---------------------------------------------------------


class _WarmKernel:
    """One kernel of the project, started once, reused page after page."""

    def __init__(self, kernel_name: str, warmup: str, start_timeout: float):
        self.kernel_name, self.warmup, self.start_timeout = kernel_name, warmup, start_timeout
        self.km = None
        self.client = None  # one connection for the kernel's life (see the module's notes)
        self.pages = 0
        self.folder: str | None = None  # the kernel's IPC sockets; removed with the kernel

    def start(self) -> None:
        from jupyter_client.manager import KernelManager

        self.folder = tempfile.mkdtemp(prefix="tk-kernel-")
        self.km = KernelManager(
            kernel_name=self.kernel_name, transport="ipc", ip=os.path.join(self.folder, "kernel")
        )
        self.km.start_kernel()
        self.client = self.km.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=self.start_timeout)
        self._run(self.warmup + FREEZE)
        self.pages = 0

    @property
    def pid(self) -> int | None:
        provisioner = getattr(self.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)

    def _run(self, code: str) -> None:
        reply = self.client.execute_interactive(
            code, store_history=False, timeout=self.start_timeout, output_hook=lambda msg: None
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel warm-up failed: {reply['content'].get('evalue')}")

    def reset(self) -> None:
        # The execution counter keeps running: resetting it makes IPython's history
        # database print an error into the next page.
        self._run("%reset -f\n" + self.warmup)

    def kill_process_group(self) -> None:
        """SIGKILL the kernel and everything it started (it leads its own session)."""
        pid = self.pid
        if pid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)

    def kill(self) -> None:
        """Stop the kernel now and release its resources."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
            self.client = None
        self.kill_process_group()
        if self.km is not None:
            with contextlib.suppress(Exception):
                self.km.shutdown_kernel(now=True)
            with contextlib.suppress(Exception):
                self.km.cleanup_resources()
        self.km = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _execute(
    kernel: _WarmKernel | None, job: PageJob, settings: dict
) -> tuple[nbformat.NotebookNode, str | None, str | None]:
    """(executed notebook, error or None, the notebook file's text as papermill wrote it)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with tempfile.TemporaryDirectory() as scratch:
        output = os.path.join(scratch, "out.ipynb")
        kwargs = dict(
            parameters=job.parameters,
            kernel_name=settings["kernel_name"],
            cwd=str(job.cwd),
            language="python",
            progress_bar=False,
            execution_timeout=settings["cell_timeout"],
            start_timeout=settings["start_timeout"],
            # Write the notebook once at the end, not after every cell: a page
            # with plotly figures is megabytes, and saving it per cell was a
            # large share of a page's time.
            request_save_on_cell_execute=False,
        )
        if kernel is not None:
            _register_engine()
            from papermill.engines import papermill_engines

            papermill_engines.get_engine(ENGINE).client = kernel.client
            kwargs["km"] = kernel.km
            kwargs["engine_name"] = ENGINE

        def written() -> str | None:
            return Path(output).read_text(encoding="utf-8") if os.path.exists(output) else None

        try:
            notebook = papermill.execute_notebook(job.notebook, output, **kwargs)
            return notebook, None, written()
        except PapermillExecutionError as exc:
            text = written()
            return nbformat.reads(text, as_version=4), f"{exc.ename}: {exc.evalue}", text
        except Exception as exc:  # the kernel died or was killed, a start timed out, …
            text = written()
            failed = nbformat.reads(text, as_version=4) if text else job.notebook
            return failed, f"{type(exc).__name__}: {exc}", text


def _worker(index: int, tasks, results, settings: dict) -> None:
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    kernel = (
        None
        if settings["isolate"]
        else _WarmKernel(settings["kernel_name"], settings["warmup"], settings["start_timeout"])
    )
    try:
        if kernel is not None:
            try:
                kernel.start()  # warm before the first page arrives
            except Exception:
                kernel.kill()  # the first page tries again and reports the failure
        parent = os.getppid()
        while True:
            try:
                job = tasks.get(timeout=1)
            except queue.Empty:
                if os.getppid() != parent:
                    break  # the build died without closing the pool: never outlive it
                continue
            except (EOFError, OSError):
                break  # the queue is gone with the build
            if job is None:
                break
            start = time.perf_counter()
            try:
                if kernel is not None:
                    if kernel.km is None or kernel.pages >= settings["recycle_after"]:
                        kernel.kill()
                        kernel.start()
                    elif kernel.pages:
                        kernel.reset()
                # The page's wall-clock limit starts now, not with a kernel's start-up.
                results.put(("start", job.name, index))
                notebook, error, text = _execute(kernel, job, settings)
            except Exception as exc:  # the kernel's start, warm-up or reset failed
                results.put(("start", job.name, index))
                notebook, error, text = job.notebook, f"{type(exc).__name__}: {exc}", None
            if kernel is not None:
                kernel.pages += 1
                if error is not None:
                    kernel.kill()  # a fresh kernel for the next page
            results.put(
                (
                    "done",
                    PageResult(
                        job.name,
                        error is None,
                        notebook,
                        time.perf_counter() - start,
                        error,
                        index,
                        text,
                    ),
                    index,
                )
            )
    finally:
        if kernel is not None:
            kernel.kill()
        results.put(("exit", None, index))


# --- in the build process ------------------------------------------------------------


class KernelPool:
    """Run pages on ``jobs`` warm kernels; results arrive in completion order.

    Used once (:meth:`run` starts the workers and stops them when the pages are
    done), or kept open (:meth:`start`, then any number of :meth:`run` calls on
    the same warm kernels, then :meth:`close`; also as a context manager), as
    ``build --watch`` does. Workers start their kernel as soon as they start.
    """

    def __init__(
        self,
        jobs: int | None = None,
        *,
        kernel_name: str = KERNEL_NAME,
        warmup: str = WARMUP,
        # Measured: a kernel's memory stays flat (≈360 MB) over 150 national pages,
        # and each fresh kernel costs ≈4 s of imports plus the shared tables again.
        recycle_after: int = 100,
        start_timeout: float = 60,
        cell_timeout: float = 300,
        page_timeout: float = 600,
        isolate: bool = False,
    ):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.settings = dict(
            kernel_name=kernel_name,
            warmup=warmup,
            recycle_after=recycle_after,
            start_timeout=start_timeout,
            cell_timeout=cell_timeout,
            page_timeout=page_timeout,
            isolate=isolate,
        )
        self._context = mp.get_context("spawn")  # no inherited threads or sockets in workers
        self._tasks = None
        self._results = None
        self._processes: dict[int, Any] = {}
        self._next = 0

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def started(self) -> bool:
        return bool(self._processes)

    def start(self, workers: int | None = None) -> None:
        """Start ``workers`` (default ``jobs``) workers now; their kernels warm up meanwhile."""
        if self._processes:
            return
        self._tasks, self._results = self._context.Queue(), self._context.Queue()
        for _ in range(workers or self.jobs):
            self._spawn()

    def _spawn(self) -> None:
        index, self._next = self._next, self._next + 1
        process = self._context.Process(
            target=_worker, args=(index, self._tasks, self._results, self.settings), daemon=True
        )
        process.start()
        self._processes[index] = process

    def close(self) -> None:
        """Stop every worker and its kernel; nothing is left running."""
        if not self._processes:
            return
        processes, self._processes = self._processes, {}
        for _ in processes:
            with contextlib.suppress(Exception):
                self._tasks.put(None)
        for process in processes.values():
            process.join(timeout=10)
            if process.is_alive():
                _kill_tree(process.pid)
        for channel in (self._tasks, self._results):
            channel.cancel_join_thread()  # never block the exit on an unread message
            channel.close()
        self._tasks = self._results = None

    def restart(self) -> None:
        """Fresh workers and kernels (e.g. after the package's code changed)."""
        workers = len(self._processes) or self.jobs
        self.close()
        self.start(workers)

    def run(
        self,
        jobs: Sequence[PageJob],
        on_done: Callable[[PageResult], None] | None = None,
        on_start: Callable[[str], None] | None = None,
    ) -> list[PageResult]:
        if not jobs:
            return []
        own = not self._processes
        if own:
            self.start(min(self.jobs, len(jobs)))
        try:
            return self._run(jobs, on_done, on_start)
        finally:
            if own:
                self.close()

    def _run(self, jobs, on_done, on_start) -> list[PageResult]:
        by_name = {job.name: job for job in jobs}
        for job in jobs:
            self._tasks.put(job)
        running: dict[int, tuple[str, float]] = {}
        done: list[PageResult] = []
        pending = set(by_name)
        replacements = 0

        def finish(result: PageResult) -> None:
            pending.discard(result.name)
            done.append(result)
            if on_done:
                on_done(result)

        while pending:
            try:
                kind, payload, index = self._results.get(timeout=0.5)
            except queue.Empty:
                kind = None
            if kind == "start":
                running[index] = (payload, time.perf_counter())
                if on_start:
                    on_start(payload)
            elif kind == "done":
                running.pop(index, None)
                if payload.name in pending:
                    finish(payload)
            # The wall-clock limit, enforced from outside: a kernel stuck in C code
            # or a cell that never returns cannot be trusted to stop itself.
            for index, (name, started) in list(running.items()):
                elapsed = time.perf_counter() - started
                if elapsed > self.settings["page_timeout"]:
                    _kill_tree(self._processes[index].pid)
                    self._processes.pop(index).join(timeout=5)
                    running.pop(index)
                    finish(
                        PageResult(
                            name,
                            False,
                            by_name[name].notebook,
                            elapsed,
                            f"timeout: the page ran longer than "
                            f"{self.settings['page_timeout']:.0f} s and was stopped",
                            index,
                        )
                    )
                    self._spawn()
            if kind is None:
                # A worker that died takes its page with it: report it, never lose it.
                for index, process in list(self._processes.items()):
                    if process.is_alive():
                        continue
                    self._processes.pop(index)
                    if index in running:
                        name, _ = running.pop(index)
                        finish(
                            PageResult(name, False, by_name[name].notebook, 0.0, "the worker died")
                        )
                    replacements += 1
                    if replacements <= len(jobs):
                        self._spawn()
                if not self._processes:
                    break
        for name in sorted(pending):
            finish(PageResult(name, False, by_name[name].notebook, 0.0, "the worker process died"))
        return done


def _kill_tree(pid: int) -> None:
    """Kill a worker, its kernels and what they started (psutil walks the tree, portably).

    Each kernel leads its own process group, so on POSIX the group of each of the
    worker's children goes too: it also holds what a kernel started and detached.
    """
    import psutil

    try:
        worker = psutil.Process(pid)
        children = worker.children(recursive=False)
        family = [worker, *worker.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    if hasattr(os, "killpg"):
        own = os.getpgid(0)
        for child in children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                group = os.getpgid(child.pid)
                if group != own:  # never the build's own group
                    os.killpg(group, signal.SIGKILL)
    for process in family:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            process.kill()
    psutil.wait_procs(family, timeout=5)
