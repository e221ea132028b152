"""`build --watch`: a saved notebook rebuilds its page, only that page; Ctrl-C leaves no kernel."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.notebooks

NOTEBOOK = """# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %% [markdown]
# {text}

# %%
import tilannekuva.charts  # noqa: F401

print("{name}")
"""

PAGES = """pages:
  - notebook: 00_yleiskuva
    group: Testi
    title: Yleiskuva
    reads: []
  - notebook: 30_avoimet
    group: Testi
    title: Avoimet
    reads: []
"""


def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("00_yleiskuva", "30_avoimet"):
        text = NOTEBOOK.format(text=f"Alkuperäinen teksti {name}.", name=name)
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    (folder / "pages.yaml").write_text(PAGES, encoding="utf-8")
    data = tmp_path / "data"
    (data / "processed").mkdir(parents=True)
    return folder, data, tmp_path / "site"


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


def _wait_for(lines: queue.Queue, needle: str, seen: list[str], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if needle in line:
            return
    raise AssertionError(f"no line with {needle!r} in:\n" + "\n".join(seen))


def test_watch_rebuilds_the_saved_notebooks_page_only_and_ctrl_c_leaves_no_kernel(tmp_path):
    folder, data, site = project(tmp_path)
    command = [
        *(sys.executable, "-m", "tilannekuva", "build", "--watch", "--jobs", "1"),
        *("--data", str(data), "--out", str(site), "--pages", str(folder / "pages.yaml")),
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "200"},
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        _wait_for(lines, "watch: watching", seen)
        page = site / "30_avoimet.html"
        other = site / "00_yleiskuva.html"
        assert "Alkuperäinen teksti 30_avoimet." in page.read_text(encoding="utf-8")
        other_before = other.read_text(encoding="utf-8")

        notebook = folder / "30_avoimet.py"
        notebook.write_text(
            notebook.read_text(encoding="utf-8").replace("Alkuperäinen", "Muokattu"),
            encoding="utf-8",
        )
        _wait_for(lines, "watch: site updated", seen)
        rebuilt = [line for line in seen if line.endswith(" s") and "rebuilt in" in line]
        assert [line.split()[1] for line in rebuilt] == ["30_avoimet"], seen
        assert "Muokattu teksti 30_avoimet." in page.read_text(encoding="utf-8")
        # The other page was not run again: the same file, not even re-rendered.
        assert other.read_text(encoding="utf-8") == other_before

        family = psutil.Process(process.pid).children(recursive=True)
        assert any("ipykernel" in " ".join(p.cmdline()) for p in family), "no warm kernel"
        process.send_signal(signal.SIGINT)
        # Stopping closes the warm kernels: generous, a loaded 2-core machine is slow at it.
        assert process.wait(timeout=180) == 0
        _wait_for(lines, "watch: stopped", seen, timeout=10)
        _gone, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, [p.cmdline() for p in alive]
    finally:
        if process.poll() is None:
            process.kill()
