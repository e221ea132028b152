"""The directory locks: who holds one, refusing a second holder, taking over from a dead one."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from tilannekuva.batch.lock import LockedError, data_lock, holding, site_lock

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tilannekuva.batch.lock import data_lock, holding
    with holding(data_lock(Path(sys.argv[1])), command="tilannekuva build --force"):
        print("held", flush=True)
        time.sleep(60)
    """
)


def _dead_pid() -> int:
    pid = 999_999
    while psutil.pid_exists(pid):
        pid -= 1
    return pid


@pytest.fixture
def holder(tmp_path: Path):
    """Another process holding the data directory's lock."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "data")], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()


def test_a_second_holder_is_refused_naming_the_first(tmp_path, holder):
    with pytest.raises(LockedError) as caught, holding(data_lock(tmp_path / "data"), command="x"):
        pass
    message = str(caught.value)
    assert message.startswith(f"a build (pid {holder.pid}, started ")
    assert message.endswith(f"is running on {tmp_path / 'data'}; wait for it or stop it")
    assert "\n" not in message


def test_a_lock_is_released_with_its_sidecar(tmp_path):
    lock = data_lock(tmp_path / "data")
    with holding(lock, command="tilannekuva ingest survey x.csv") as notes:
        sidecar = json.loads(lock.sidecar.read_text(encoding="utf-8"))
        assert sidecar["pid"] == os.getpid() and sidecar["host"] == socket.gethostname()
        assert sidecar["command"] == "tilannekuva ingest survey x.csv"
        assert notes == []
    assert not lock.sidecar.exists()
    with holding(data_lock(tmp_path / "data"), command="again") as notes:
        assert notes == []


def test_a_sidecar_left_by_a_killed_holder_is_taken_over_with_a_note(tmp_path):
    lock = site_lock(tmp_path / "site")
    lock.path.parent.mkdir(parents=True, exist_ok=True)
    dead = _dead_pid()
    lock.sidecar.write_text(
        json.dumps(
            {
                "pid": dead,
                "host": socket.gethostname(),
                "command": "tilannekuva build",
                "started": "2026-11-23T21:40:00+00:00",
            }
        ),
        encoding="utf-8",
    )
    with holding(lock, command="tilannekuva build") as notes:
        assert notes == [
            f"took over the lock of a build (pid {dead}, started 23.11.2026 klo 21.40) on "
            f"{tmp_path / 'site'}, which no longer runs (killed?)"
        ]
        assert json.loads(lock.sidecar.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_a_lock_kept_open_by_a_survivor_of_a_dead_holder_is_taken_over(tmp_path, holder):
    # The file lock is still held (as by a kernel that outlived its build), but the
    # sidecar's build is gone: the next build starts on a fresh lock file.
    lock = data_lock(tmp_path / "data")
    recorded = json.loads(lock.sidecar.read_text(encoding="utf-8"))
    recorded["pid"] = _dead_pid()
    lock.sidecar.write_text(json.dumps(recorded), encoding="utf-8")
    started = time.monotonic()
    with holding(lock, command="tilannekuva build") as notes:
        assert len(notes) == 1 and f"(pid {recorded['pid']}," in notes[0]
    assert time.monotonic() - started < 5


def test_a_holder_on_another_host_is_never_taken_over(tmp_path, holder):
    lock = data_lock(tmp_path / "data")
    recorded = json.loads(lock.sidecar.read_text(encoding="utf-8"))
    recorded.update(pid=_dead_pid(), host="toinen-kone")
    lock.sidecar.write_text(json.dumps(recorded), encoding="utf-8")
    with pytest.raises(LockedError, match=r"a build \(pid \d+ on host toinen-kone, started"):
        lock.acquire("tilannekuva build")
