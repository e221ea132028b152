"""The warm-kernel pool: same pages as plain papermill, no leaks, failures and hangs contained."""

from __future__ import annotations

import os
import time
from pathlib import Path

import jupytext
import pytest
from tilannekuva.batch.pool import KernelPool, PageJob

pytestmark = pytest.mark.notebooks

PAGE = """# %% tags=["parameters"]
value = 1
data_dir = "x"

# %%
import plotly.graph_objects as go
import tilannekuva.charts  # noqa: F401

leaked = globals().get("secret_from_previous_page", "none")
print("value", value, "leaked", leaked)
secret_from_previous_page = "page-%s" % value

# %%
go.Figure(go.Bar(x=["a", "b"], y=[value, 2]))
"""


def job(name: str, source: str, **parameters) -> PageJob:
    return PageJob(name, jupytext.reads(source, fmt="py:percent"), parameters, Path.cwd())


def outputs(notebook) -> list:
    """Cell outputs without execution counts or timings."""
    out = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            out.append(
                [{k: v for k, v in o.items() if k != "execution_count"} for o in cell.outputs]
            )
    return out


def test_warm_pool_equals_plain_papermill_and_leaks_nothing():
    jobs = [job(f"p{i}", PAGE, value=i) for i in range(4)]
    with_warm = {r.name: r for r in KernelPool(2).run(jobs)}
    isolated = {r.name: r for r in KernelPool(2, isolate=True).run(jobs)}
    assert all(r.ok for r in with_warm.values()), [r.error for r in with_warm.values()]
    for name in with_warm:
        assert outputs(with_warm[name].notebook) == outputs(isolated[name].notebook), name
        text = str(outputs(with_warm[name].notebook))
        assert "leaked none" in text, f"{name}: a variable leaked from a previous page"
        # What papermill writes: the injected cell and its metadata.
        notebook = with_warm[name].notebook
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in notebook.cells)
        assert notebook.metadata["papermill"]["parameters"]["value"] == int(name[1:])


def test_a_failing_page_does_not_stop_the_others():
    failing = PAGE.replace('print("value"', 'raise ValueError("boom " + str(value))\nprint("value"')
    results = {
        r.name: r for r in KernelPool(1).run([job("bad", failing, value=7), job("good", PAGE)])
    }
    assert not results["bad"].ok and "ValueError: boom 7" in results["bad"].error
    assert results["good"].ok
    assert "papermill-error-cell-tag" in str(results["bad"].notebook.cells[0].metadata)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie waiting for its parent counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def kernel_pids() -> set[int]:
    pids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if b"ipykernel_launcher" in cmdline:
                pids.add(int(entry))
    return pids


def test_a_hung_page_is_killed_and_no_kernel_is_left_behind():
    before = kernel_pids()
    hung = PAGE.replace('print("value"', 'import time\ntime.sleep(1000)\nprint("value"')
    start = time.perf_counter()
    results = {
        r.name: r
        for r in KernelPool(1, page_timeout=8).run([job("hung", hung), job("after", PAGE)])
    }
    assert time.perf_counter() - start < 60
    assert not results["hung"].ok and "timeout" in results["hung"].error
    assert results["after"].ok  # a fresh kernel took over
    time.sleep(1)
    assert not {p for p in kernel_pids() - before if _alive(p)}, "kernel processes left behind"
