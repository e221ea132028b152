"""The raw archive: every ingested input is first copied under ``raw/`` and every ingest logged.

``ingest survey`` and ``ingest registry`` read their input from its copy in
``raw/<source>/<date>/`` (a file already under ``raw/``, such as the demo's or
a fetched register, is used in place), with a ``<file>.provenance.json``
beside it. A successful ingest appends one line to ``raw/ingest-log.jsonl``:
which archived file, its checksum and the ingest's options (round, sheet,
keep-duplicates, replace, the questionnaire used, itself archived under
``raw/config/``). ``tilannekuva rebuild-processed`` replays that log in order,
so every processed table can be rebuilt from ``raw/`` and a replaced round
stays recoverable. A failed ingest keeps its copy but adds no log line.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from tilannekuva.errors import InputError, Problem
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import (
    SourceRecord,
    now_iso,
    read_record,
    record_path,
    sha256_file,
    write_record,
)
from tilannekuva.store import atomic_write_bytes

LOG_FILE = "ingest-log.jsonl"
CONFIG_FOLDER = "config"
Result = TypeVar("Result")


class LogEntry(BaseModel):
    """One successful ingest, enough to replay it from ``raw/``."""

    seq: int
    kind: str  # "survey" | "registry"
    file: str  # path under raw/, with "/" separators
    sha256: str
    at: str
    options: dict[str, Any] = Field(default_factory=dict)
    rows: int | None = None


@dataclass(frozen=True)
class ArchivedInput:
    path: Path  # the copy under raw/ that is ingested
    record: SourceRecord
    copied: bool  # False when the input already lived under raw/


def log_path(layout: DataLayout) -> Path:
    return layout.raw / LOG_FILE


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def archive_input(
    path: Path,
    layout: DataLayout,
    source: str,
    *,
    record: SourceRecord | None = None,
    options: dict[str, Any] | None = None,
    today: date | None = None,
) -> ArchivedInput:
    """Copy ``path`` to ``raw/<source>/<date>/`` with its provenance record (before any parsing).

    The same bytes already archived under that name that day are not copied
    twice; a different file of the same name gets the checksum in its name,
    so nothing archived is ever overwritten.
    """
    path = Path(path)
    sha = sha256_file(path)
    if _inside(path, layout.raw):
        stored = read_record(path)
        if stored is not None and stored.sha256 == sha:
            return ArchivedInput(path, record or stored, copied=False)
        record = record or SourceRecord(
            source=source, file=path.name, sha256=sha, retrieved=now_iso()
        )
        if stored is None:
            record = write_record(
                path, source, **record.model_dump(exclude={"source", "file", "sha256"})
            )
        return ArchivedInput(path, record, copied=False)

    folder = layout.raw / source / (today or date.today()).isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists() and sha256_file(target) != sha:
        target = folder / f"{path.stem}-{sha[:12]}{path.suffix}"
    if not target.exists():
        tmp = folder / f".{target.name}.tmp"
        shutil.copyfile(path, tmp)
        tmp.replace(target)
    stored = read_record(target)
    if stored is not None and stored.sha256 == sha:
        return ArchivedInput(target, stored, copied=True)
    base = record.model_dump(exclude={"source", "file", "sha256"}) if record else {}
    extra = {**base.pop("extra", {}), "original": str(path.resolve())}
    if options:
        extra["ingest"] = options
    written = write_record(target, record.source if record else source, extra=extra, **base)
    return ArchivedInput(target, written, copied=True)


def archive_config(layout: DataLayout, config_file: Path) -> str:
    """Keep the configuration file an ingest used (e.g. the questionnaire) under ``raw/config/``.

    Returns its path under ``raw/``; a replay reads the same questions even
    after the analyst has edited the live file.
    """
    sha = sha256_file(config_file)
    folder = layout.raw / CONFIG_FOLDER
    target = folder / f"{config_file.stem}-{sha[:12]}{config_file.suffix}"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, config_file.read_bytes())
    return target.relative_to(layout.raw).as_posix()


def read_log(layout: DataLayout) -> list[LogEntry]:
    """The logged ingests in order ([] when nothing has been ingested)."""
    path = log_path(layout)
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(LogEntry.model_validate_json(line))
        except ValueError as exc:
            raise InputError(
                Problem(str(path), "one JSON ingest record per line", row=number, value=line[:80])
            ) from exc
    return entries


def append_log(
    layout: DataLayout,
    kind: str,
    archived: ArchivedInput,
    options: dict[str, Any],
    rows: int | None = None,
) -> LogEntry:
    """Add one successful ingest to the log (the whole log rewritten in one rename)."""
    entries = read_log(layout)
    entry = LogEntry(
        seq=(entries[-1].seq + 1) if entries else 1,
        kind=kind,
        file=archived.path.resolve().relative_to(layout.raw.resolve()).as_posix(),
        sha256=archived.record.sha256,
        at=now_iso(),
        options=options,
        rows=rows,
    )
    lines = [e.model_dump_json() for e in [*entries, entry]]
    atomic_write_bytes(log_path(layout), ("\n".join(lines) + "\n").encode("utf-8"))
    return entry


def ingest_archived(
    path: Path,
    layout: DataLayout,
    kind: str,
    source: str,
    options: dict[str, Any],
    record: SourceRecord | None,
    run: Callable[[Path, SourceRecord], Result],
) -> Result:
    """Archive ``path``, ingest the archived copy with ``run``, and log the ingest if it succeeded."""
    archived = archive_input(path, layout, source, record=record, options=options)
    result = run(archived.path, archived.record)
    append_log(layout, kind, archived, options)
    return result


def archived_file(layout: DataLayout, entry: LogEntry) -> Path:
    """The raw file of a log entry, checked against its checksum."""
    path = layout.raw / entry.file
    if not path.is_file():
        raise InputError(
            Problem(
                str(log_path(layout)),
                "the archived input of this ingest",
                row=entry.seq,
                value=entry.file,
            )
        )
    if sha256_file(path) != entry.sha256:
        raise InputError(
            Problem(
                str(path),
                f"the bytes that were ingested (sha256 {entry.sha256[:12]}…); "
                "the archived file has changed",
                row=None,
            )
        )
    return path


__all__ = [
    "ArchivedInput",
    "LogEntry",
    "append_log",
    "archive_config",
    "archive_input",
    "archived_file",
    "ingest_archived",
    "log_path",
    "read_log",
    "record_path",
]
