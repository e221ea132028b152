"""A build never runs twice at once, never starts what it cannot finish, never publishes nothing.

Real builds of one small page (``--only 40_painopisteet``) on a copy of the
demo data; every refusal is checked against checksums of ``processed/``,
``build/`` and the site taken before it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.conftest import CLI, ROOT, run_cli

pytestmark = pytest.mark.notebooks

PAGE = "40_painopisteet"


def _checksums(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".lock")
    }


def _state(data: Path, site: Path) -> dict[str, dict[str, str]]:
    return {
        "processed": _checksums(data / "processed"),
        "build": _checksums(data / "build"),
        "site": _checksums(site),
    }


def _build(data: Path, site: Path, *extra: str):
    return run_cli("build", "--data", str(data), "--out", str(site), "--only", PAGE, *extra)


def _copy_data(demo_data: Path, folder: Path) -> Path:
    shutil.copytree(demo_data / "processed", folder / "processed")
    shutil.copytree(demo_data / "raw", folder / "raw")
    return folder


@pytest.fixture(scope="module")
def built(demo_data: Path, tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the demo data and a site of one page built from it."""
    root = tmp_path_factory.mktemp("safety")
    data = _copy_data(demo_data, root / "data")
    site = root / "site"
    result = _build(data, site)
    assert result.returncode == 0, result.stderr
    return data, site


def _one_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1, result.stdout + result.stderr
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return lines[0]


# -- two builds at once ---------------------------------------------------------------------


def _start_build(data: Path, site: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "build", "--data", str(data), "--out", str(site), "--only", PAGE, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def _wait_for_holder(sidecar: Path, pid: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            holder = json.loads(sidecar.read_text(encoding="utf-8"))
            if holder["pid"] == pid:
                return holder
        time.sleep(0.1)
    raise AssertionError(f"no lock of pid {pid} in {sidecar}")


def _kill_tree(pid: int) -> None:
    """SIGKILL a build and every process it started (workers, kernels), as `kill -9` would."""
    parent = psutil.Process(pid)
    family = [parent, *parent.children(recursive=True)]
    for process in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGKILL)
    psutil.wait_procs(family, timeout=30)


def test_a_second_build_or_an_ingest_stops_at_once_and_a_killed_builds_lock_is_taken_over(
    built, demo_data, tmp_path
):
    data, site = built
    before = _state(data, site)
    # One job on many pages: the first build is still running when the others try
    # (about 60 pages; one page's rebuild is now a matter of seconds).
    many = ("--only", "20_kysely", "--only", "10_jarjestokentta", "--only", "50_kuntakortti")
    first = _start_build(data, site, "--force", "--jobs", "1", *many)
    try:
        holder = _wait_for_holder(data / "build" / ".lock.json", first.pid)
        assert holder["command"].endswith(f"--only {PAGE} --force --jobs 1 {' '.join(many)}")
        _wait_for_holder(site.with_name(f".{site.name}.lock.json"), first.pid)
        assert first.poll() is None, "the first build must still run for this test"

        # The same data and site, 12 s later in the issue: refused at once, naming the holder.
        started = time.monotonic()
        second = _build(data, site)
        line = _one_line(second)
        assert line.startswith(f"error: a build (pid {first.pid}, started ")
        assert f"is running on {data.resolve()}; wait for it or stop it" in line
        assert time.monotonic() - started < 60
        # Another data directory, the same site: the site's lock names it.
        other = _copy_data(demo_data, tmp_path / "other")
        third = _build(other, site)
        line = _one_line(third)
        assert f"error: a build (pid {first.pid}, started " in line
        assert f"is writing {site.resolve()}" in line
        assert not (other / "build" / "executed").exists()
        # An ingest would replace processed/ under the running build: refused too.
        extract = next((data / "raw" / "demo").glob("*.csv"))
        ingest = run_cli("ingest", "registry", str(extract), "--data", str(data))
        assert f"error: a build (pid {first.pid}, started " in _one_line(ingest)
        assert _checksums(data / "processed") == before["processed"]
        assert first.poll() is None, "the first build must still run for this test"
    finally:
        # The first build is killed mid-way (its kernels too), leaving its lock's sidecar.
        _kill_tree(first.pid)
        first.communicate()
    # A killed build published nothing: the old site stands, byte for byte.
    assert _checksums(site) == before["site"]

    after = _build(data, site)
    assert after.returncode == 0, after.stderr
    assert f"note: took over the lock of a build (pid {first.pid}, started " in after.stderr
    assert "which no longer runs" in after.stderr
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pages"][PAGE]["status"] in {"built", "reused"}
    assert _checksums(data / "processed") == before["processed"]
    assert not (data / "build" / ".lock.json").exists()  # released on the way out


# -- permissions -----------------------------------------------------------------------------


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """``folder`` refuses new entries: mode 555, or the immutable flag for root (who ignores modes)."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"cannot make {folder} read-only as root here: {made.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)


@pytest.mark.parametrize(
    ("which", "expected"),
    [
        ("site", "cannot replace the site"),
        ("site-parent", "cannot write the site beside"),
        ("data-build", "cannot write in"),
    ],
)
def test_read_only_folders_stop_the_build_before_any_kernel(built, which, expected):
    data, site = built
    folder = {"site": site, "site-parent": site.parent, "data-build": data / "build"}[which]
    before = _state(data, site)
    with _read_only(folder):
        started = time.monotonic()
        result = _build(data, site, "--force")
        elapsed = time.monotonic() - started
    line = _one_line(result)
    assert expected in line
    assert str(folder) in line
    # Nothing ran: no executed notebook, no manifest, no page changed.
    assert _state(data, site) == before
    assert elapsed < 60


# -- an empty processed/ ---------------------------------------------------------------------


def test_empty_processed_stops_before_any_kernel_and_keeps_the_site(built, tmp_path):
    _, good_site = built
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    data = tmp_path / "data"
    (data / "processed").mkdir(parents=True)
    before = _state(data, site)
    line = _one_line(_build(data, site, "--force"))
    assert f"{data / 'processed'} has no survey table" in line
    assert "run `tilannekuva ingest survey FILE`" in line
    assert "`tilannekuva demo" in line
    assert _state(data, site) == before
    assert not (data / "build").exists()
    assert (site / f"{PAGE}.html").exists()  # the old site, not an index of failed pages


def test_a_missing_table_is_named_for_the_pages_that_read_it(built, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(built[0] / "processed", data / "processed")
    (data / "processed" / "survey.parquet").unlink()
    line = _one_line(run_cli("build", "--data", str(data), "--out", str(tmp_path / "site")))
    assert "has no survey table: run `tilannekuva ingest survey FILE`" in line
    assert "associations" not in line
    assert not (tmp_path / "site").exists()
