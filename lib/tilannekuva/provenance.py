"""Provenance records: where every raw file came from (source, time, checksum, licence).

Every file under ``raw/`` has a ``<file>.provenance.json`` beside it; processed
tables carry the records of the inputs they were built from (see ``store``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field


class SourceRecord(BaseModel):
    """What is known of one input file."""

    source: str  # e.g. "survey", "registry-extract", "ytj", "population", "geo"
    file: str  # file name under raw/
    sha256: str
    retrieved: str  # ISO time of fetch or creation
    url: str | None = None
    query: dict[str, Any] | None = None
    http_status: int | None = None
    rows: int | None = None
    licence: str | None = None
    demo: bool = False
    note: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def record_path(raw_file: Path) -> Path:
    return raw_file.with_name(raw_file.name + ".provenance.json")


def write_record(raw_file: Path, source: str, **fields: Any) -> SourceRecord:
    """Write the provenance record beside ``raw_file`` and return it."""
    record = SourceRecord(
        source=source,
        file=raw_file.name,
        sha256=sha256_file(raw_file),
        retrieved=fields.pop("retrieved", None) or now_iso(),
        **fields,
    )
    record_path(raw_file).write_text(
        json.dumps(record.model_dump(exclude_none=True), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return record


def read_record(raw_file: Path) -> SourceRecord | None:
    """The record beside ``raw_file``, or None for a file given by hand without one."""
    path = record_path(raw_file)
    if not path.exists():
        return None
    return SourceRecord.model_validate_json(path.read_text(encoding="utf-8"))


def record_for(raw_file: Path, source: str, **fields: Any) -> SourceRecord:
    """The stored record of ``raw_file`` if it has one, else a fresh one (not written)."""
    stored = read_record(raw_file)
    if stored is not None and stored.sha256 == sha256_file(raw_file):
        return stored
    return SourceRecord(
        source=source,
        file=raw_file.name,
        sha256=sha256_file(raw_file),
        retrieved=now_iso(),
        **fields,
    )
