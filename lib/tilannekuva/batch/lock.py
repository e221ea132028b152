"""One writer at a time on a data directory and on a site folder.

A build locks ``DATA/build/.lock`` and a lock beside its output folder
(``OUT.parent/.OUT.lock``: not inside OUT, which the build swaps whole); the
commands that write ``processed/`` (``ingest``, ``demo``, ``fetch``) lock the
data directory too, so an ingest never replaces a table under a running build.
The locks are operating-system file locks (:mod:`filelock`), which the system
releases when their holder dies, even when it is killed.

Beside each lock a sidecar ``<lock>.json`` says who holds it (pid, host,
command, start time), so a second writer stops at once with a line such as
"a build (pid 1234, started 23.11.2026 klo 21.40) is running on DATA; wait for
it or stop it". A lock whose holder no longer runs on this host (a killed
build; psutil answers) is taken over, and the taker says so in a note.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import filelock
import psutil

from tilannekuva.errors import TilannekuvaError
from tilannekuva.formats import fi_date

SIDECAR_SUFFIX = ".json"
# A new holder writes its sidecar right after taking the lock; wait this long for it.
SIDECAR_WAIT = 1.0


class LockedError(TilannekuvaError):
    """Another command holds the lock (exit 1: nothing was done)."""


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as written in its sidecar."""

    pid: int
    host: str
    command: str
    started: str  # ISO time with offset

    @classmethod
    def me(cls, command: str) -> Holder:
        return cls(
            os.getpid(),
            socket.gethostname(),
            command,
            datetime.now().astimezone().isoformat(timespec="seconds"),
        )

    @property
    def kind(self) -> str:
        """What the holder does, for the message: a build, an ingest, …"""
        words = self.command.split()
        verb = next((w for w in words if w in KINDS), "")
        return KINDS.get(verb, "another command")

    def describe(self) -> str:
        try:
            started = datetime.fromisoformat(self.started)
            when = f"{fi_date(started)} klo {started:%H.%M}"
        except ValueError:
            when = self.started
        where = "" if self.host == socket.gethostname() else f" on host {self.host}"
        return f"{self.kind} (pid {self.pid}{where}, started {when})"

    def is_gone(self) -> bool:
        """True when the holder is known to have ended: same host and its pid no longer runs."""
        if self.host != socket.gethostname():
            return False  # another machine's process cannot be checked from here
        return not psutil.pid_exists(self.pid)


KINDS = {
    "build": "a build",
    "ingest": "an ingest",
    "demo": "a demo ingest",
    "fetch": "a fetch",
}


def _read_holder(sidecar: Path) -> Holder | None:
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), str(data["host"]), str(data["command"]), data["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_holder(sidecar: Path, holder: Holder) -> None:
    tmp = sidecar.with_name(f"{sidecar.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(holder), ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(sidecar)


def command_line() -> str:
    """This process's command, as the user typed it (for the sidecar)."""
    words = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv else ["python"]
    if words[0] in {"__main__.py", "-m"}:
        words[0] = "tilannekuva"
    return " ".join(words)


class DirectoryLock:
    """The lock file ``path`` with its sidecar; ``what`` names the locked folder in messages."""

    def __init__(self, path: Path, what: str, doing: str = "is running on"):
        self.path = path
        self.sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        self.what = what
        self.doing = doing
        self._lock = filelock.FileLock(str(path), timeout=0)
        self.note: str | None = None

    def acquire(self, command: str) -> None:
        """Take the lock now or raise :class:`LockedError` naming its holder."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except filelock.Timeout:  # a TimeoutError, so an OSError: caught first
            self._take_over_from_the_dead()
        except OSError as exc:
            raise LockedError(
                f"cannot lock {self.what}: {self.path}: {exc.strerror or exc}; "
                "fix the folder's permissions"
            ) from None
        # A holder removes its sidecar before it lets go, so one still here once we hold the
        # lock was left by a holder that ended without releasing it.
        previous = _read_holder(self.sidecar)
        if previous is not None and previous.pid != os.getpid():
            self.note = (
                f"took over the lock of {previous.describe()} on {self.what}, "
                "which no longer runs (killed?)"
            )
        _write_holder(self.sidecar, Holder.me(command))

    def _take_over_from_the_dead(self) -> None:
        """The lock is held: raise naming the holder, unless the holder is known to be dead."""
        holder = self._holder_after_wait()
        if holder is not None and holder.is_gone():
            # A new holder may be about to replace a dead one's sidecar: look again.
            time.sleep(SIDECAR_WAIT / 4)
            again = _read_holder(self.sidecar)
            holder = holder if again == holder else again
        if holder is None or not holder.is_gone():
            raise LockedError(self._busy_message(holder))
        # The file lock outlived its holder (a descendant kept the descriptor open, or a
        # network file system): start on a fresh lock file.
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._lock = filelock.FileLock(str(self.path), timeout=0)
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise LockedError(self._busy_message(holder)) from None

    def _holder_after_wait(self) -> Holder | None:
        deadline = time.monotonic() + SIDECAR_WAIT
        while True:
            holder = _read_holder(self.sidecar)
            if holder is not None or time.monotonic() > deadline:
                return holder
            time.sleep(0.05)

    def _busy_message(self, holder: Holder | None) -> str:
        who = holder.describe() if holder else "another command (holder unknown)"
        return f"{who} {self.doing} {self.what}; wait for it or stop it"

    def release(self) -> None:
        if not self._lock.is_locked:
            return
        holder = _read_holder(self.sidecar)
        if holder is not None and holder.pid == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                self.sidecar.unlink()
        self._lock.release()


def data_lock(data_dir: Path) -> DirectoryLock:
    """The lock of a data directory: ``DATA/build/.lock``."""
    return DirectoryLock(Path(data_dir) / "build" / ".lock", str(data_dir))


def site_lock(out: Path) -> DirectoryLock:
    """The lock of a site folder, beside it: ``OUT.parent/.OUT.lock``."""
    out = Path(out)
    return DirectoryLock(out.with_name(f".{out.name}.lock"), str(out), doing="is writing")


@contextlib.contextmanager
def holding(*locks: DirectoryLock, command: str | None = None) -> Iterator[list[str]]:
    """Hold every lock in order (all or none); yields the takeover notes."""
    taken: list[DirectoryLock] = []
    try:
        for lock in locks:
            lock.acquire(command or command_line())
            taken.append(lock)
        yield [lock.note for lock in taken if lock.note]
    finally:
        for lock in reversed(taken):
            lock.release()
