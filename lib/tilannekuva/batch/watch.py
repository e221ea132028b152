"""`tilannekuva build --watch`: keep warm kernels and rebuild a page when its files change.

The first build runs as usual; then the command watches the notebooks folder,
the configuration and reference files (the data directory's and the
project's), the processed tables and the package's code. After each change it
builds again on the same open :class:`~tilannekuva.batch.pool.KernelPool`: the
page keys (:mod:`tilannekuva.batch.manifest`) decide which pages the change
touches, so a notebook edit rebuilds that notebook's pages only, and the page
is executed on a kernel that is already warm. A change to the package's code
restarts the kernels first, since a running kernel keeps the modules it has
imported. Ctrl-C stops the watch, the workers and every kernel.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tilannekuva.batch.build import BuildResult, BuildSettings, prepared_build
from tilannekuva.batch.deps import PACKAGE_DIR
from tilannekuva.batch.pool import KernelPool
from tilannekuva.errors import TilannekuvaError
from tilannekuva.paths import PROJECT_DATA

# Milliseconds a burst of file events is gathered for (an editor's save is several).
DEBOUNCE_MS = 100
STEP_MS = 20
READY_TIMEOUT_MS = 300  # how soon after starting the watcher says it is watching
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".git"}
IGNORED_SUFFIXES = (".pyc", ".swp", ".swx", "~", ".tmp", ".ipynb", ".lock")


@dataclass(frozen=True)
class Rebuild:
    """One round of the watch: what changed and what the build did about it."""

    changed: tuple[Path, ...]
    result: BuildResult
    seconds: float
    restarted: bool  # the kernels were restarted for a code change


def watched_paths(settings: BuildSettings) -> list[Path]:
    """Folders whose files can change a page (those that exist)."""
    layout = settings.layout
    candidates = [
        settings.pages_file.parent,
        layout.root / "config",
        layout.root / "reference",
        layout.processed,
        PROJECT_DATA / "config",
        PROJECT_DATA / "reference",
        PACKAGE_DIR,
    ]
    unique = []
    for path in candidates:
        if path.is_dir() and path.resolve() not in {p.resolve() for p in unique}:
            unique.append(path)
    return unique


def relevant(path: Path) -> bool:
    return not (IGNORED_PARTS & set(path.parts)) and not path.name.endswith(IGNORED_SUFFIXES)


def watch(
    settings: BuildSettings,
    on_build: Callable[[Rebuild], None],
    *,
    stop: threading.Event | None = None,
    on_ready: Callable[[list[Path]], None] | None = None,
    on_error: Callable[[TilannekuvaError], None] | None = None,
    progress_factory: Callable[[], object] | None = None,
) -> None:
    """Build, then rebuild on every relevant change until ``stop`` is set or Ctrl-C.

    ``on_build`` receives each round (the first one too, with no changed files);
    ``on_ready`` the watched folders once the watcher runs; ``on_error`` a
    round stopped by bad input (a broken configuration file, a missing
    table): the watch goes on, and the next save tries again.
    """
    import dataclasses

    import watchfiles

    # The page first, its PDFs (if any) right after: the analyst sees the page sooner.
    settings = dataclasses.replace(settings, pdfs_after_publish=True)
    stop = stop or threading.Event()
    pool = KernelPool(
        settings.jobs,
        cell_timeout=settings.cell_timeout,
        page_timeout=settings.page_timeout,
        isolate=settings.isolate,
    )
    pool.start()
    try:
        _guarded(settings, pool, (), False, progress_factory, on_build, on_error)
        paths = watched_paths(settings)
        ready = False
        for changes in watchfiles.watch(
            *paths,
            watch_filter=lambda _change, name: relevant(Path(name)),
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=stop,
            raise_interrupt=True,
            # The first (empty) yield comes once the watcher runs: only then is a save
            # seen, so only then is the analyst told the watch is on.
            rust_timeout=READY_TIMEOUT_MS,
            yield_on_timeout=True,
        ):
            if not ready:
                ready = True
                if on_ready:
                    on_ready(paths)
            if not changes:
                continue
            changed = tuple(sorted({Path(name) for _, name in changes}))
            code = any(p.suffix == ".py" and p.is_relative_to(PACKAGE_DIR) for p in changed)
            if code:
                pool.restart()  # a warm kernel keeps the modules it imported
            _guarded(settings, pool, changed, code, progress_factory, on_build, on_error)
    finally:
        pool.close()


def _guarded(settings, pool, changed, restarted, progress_factory, on_build, on_error) -> None:
    try:
        rebuild = _round(settings, pool, changed, restarted, progress_factory)
    except TilannekuvaError as exc:
        if on_error is None:
            raise
        on_error(exc)
        return
    on_build(rebuild)


def _round(settings, pool, changed, restarted, progress_factory) -> Rebuild:
    start = time.perf_counter()
    progress = progress_factory() if progress_factory else None
    with prepared_build(settings, pool) as run:
        if progress is None:
            result = run()
        else:
            with progress:
                result = run(progress)
    return Rebuild(changed, result, time.perf_counter() - start, restarted)
