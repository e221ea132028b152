"""Terminal progress for the build: pages done / total, the running page, time; a summary."""

from __future__ import annotations

import signal
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

_console = Console(stderr=True)


class ConsoleProgress:
    """Receives `started(name)` and `finished(outcome)` from the build."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]sivut"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=_console,
            transient=True,
        )
        self._task = None
        self._running: set[str] = set()

    def __enter__(self) -> ConsoleProgress:
        self._progress.__enter__()
        self._task = self._progress.add_task("", total=None)
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.__exit__(*exc)

    def planned(self, total: int) -> None:
        self._progress.update(self._task, total=total)

    def started(self, name: str) -> None:
        self._running.add(name)
        self._progress.update(self._task, description=", ".join(sorted(self._running)))

    def finished(self, outcome) -> None:
        self._running.discard(outcome.page.name)
        self._progress.update(self._task, advance=1, description=", ".join(sorted(self._running)))


def print_summary(result) -> None:
    table = Table(title="tilannekuva build", show_lines=False)
    table.add_column("page")
    table.add_column("status")
    table.add_column("seconds", justify="right")
    for outcome in result.outcomes:
        style = {"failed": "red", "reused": "dim"}.get(outcome.status, "green")
        table.add_row(
            outcome.page.name, f"[{style}]{outcome.status}[/{style}]", f"{outcome.seconds:.1f}"
        )
    _console.print(table)
    counts = {s: sum(o.status == s for o in result.outcomes) for s in ("built", "reused", "failed")}
    _console.print(
        f"built {counts['built']}, reused {counts['reused']}, failed {counts['failed']}; "
        f"site: {result.site}"
    )
    for outcome in result.failed:
        failure = getattr(outcome, "failure", None)
        if failure is not None:
            # markup=False: a parameter value or a source line may contain [brackets].
            _console.print(failure.to_text(), markup=False, highlight=False, soft_wrap=True)
        else:
            _console.print(f"[red]failed:[/red] {outcome.page.name}: {outcome.error}")
    for note in getattr(result, "notes", []):
        _console.print(f"[yellow]note:[/yellow] {note}")
    for finding in result.privacy_findings:
        _console.print(f"[red]privacy:[/red] {finding}")
    if result.privacy_findings:
        _console.print("[red]The site was NOT published: personal data found in the output.[/red]")


def watch_build(settings) -> None:
    """``build --watch``: the first build, then one short report per rebuild, until Ctrl-C."""
    from tilannekuva.batch.watch import watch

    first = True

    def on_build(rebuild) -> None:
        nonlocal first
        result = rebuild.result
        if first:
            first = False
            print_summary(result)
            return
        names = ", ".join(str(p) for p in rebuild.changed[:3])
        more = f" (+{len(rebuild.changed) - 3})" if len(rebuild.changed) > 3 else ""
        restarted = "; kernels restarted for the code change" if rebuild.restarted else ""
        _console.print(f"watch: changed {names}{more}{restarted}", markup=False, highlight=False)
        built = [o for o in result.outcomes if o.status == "built"]
        for outcome in built:
            _console.print(
                f"watch: {outcome.page.name} rebuilt in {outcome.seconds:.1f} s",
                markup=False,
                highlight=False,
            )
        for outcome in result.failed:
            failure = getattr(outcome, "failure", None)
            text = failure.to_text() if failure else f"{outcome.page.name}: {outcome.error}"
            _console.print(text, markup=False, highlight=False, soft_wrap=True)
        if not built and not result.failed:
            _console.print("watch: no page depends on that change", markup=False)
        for finding in result.privacy_findings:
            _console.print(f"[red]privacy:[/red] {finding}")
        _console.print(
            f"watch: site updated in {rebuild.seconds:.1f} s: {result.site}", markup=False
        )

    def on_ready(paths) -> None:
        _console.print(
            "watch: watching " + ", ".join(str(p) for p in paths) + " (Ctrl-C stops)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )

    def on_error(exc) -> None:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            _console.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)
        _console.print("watch: fix it and save again", markup=False)

    def terminate(signum, frame) -> None:
        raise KeyboardInterrupt  # SIGTERM (or a closed terminal) stops as Ctrl-C does

    previous = {sig: signal.signal(sig, terminate) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        watch(settings, on_build, on_ready=on_ready, on_error=on_error)
    except KeyboardInterrupt:
        _console.print("watch: stopped; no kernel left running", markup=False)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
