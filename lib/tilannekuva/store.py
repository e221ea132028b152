"""Processed tables: validated parquet under ``processed/``, written atomically.

Each table carries, in its parquet metadata, the provenance records of the raw
files it was built from, so that pages can name their sources, and so that
whether a table holds demo data is a fact of the data, not of the build.
A write goes to a temporary file in the same folder and is then renamed over
the old one: a failed ingest leaves the previous table untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tilannekuva.paths import DataLayout
from tilannekuva.provenance import SourceRecord

METADATA_KEY = b"tilannekuva"


def table_path(layout: DataLayout, name: str) -> Path:
    return layout.processed / f"{name}.parquet"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename; never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(
    layout: DataLayout, name: str, frame: pd.DataFrame, sources: list[SourceRecord]
) -> Path:
    """Write ``frame`` as ``processed/<name>.parquet`` with its sources, atomically."""
    path = table_path(layout, name)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[METADATA_KEY] = json.dumps(
        {"table": name, "sources": [s.model_dump(exclude_none=True) for s in sources]},
        ensure_ascii=False,
    ).encode("utf-8")
    table = table.replace_schema_metadata(meta)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    atomic_write_bytes(path, sink.getvalue().to_pybytes())
    return path


def read_table(layout: DataLayout, name: str) -> pd.DataFrame:
    return pd.read_parquet(table_path(layout, name))


def table_sources(layout: DataLayout, name: str) -> list[SourceRecord]:
    """The provenance records stored with a processed table ([] if it has none)."""
    path = table_path(layout, name)
    if not path.exists():
        return []
    meta = pq.read_schema(path).metadata or {}
    if METADATA_KEY not in meta:
        return []
    payload = json.loads(meta[METADATA_KEY].decode("utf-8"))
    return [SourceRecord.model_validate(s) for s in payload.get("sources", [])]


def has_table(layout: DataLayout, name: str) -> bool:
    return table_path(layout, name).exists()


def uses_demo_data(layout: DataLayout) -> bool:
    """True when any processed table was built from demo inputs."""
    if not layout.processed.exists():
        return False
    return any(
        record.demo
        for path in layout.processed.glob("*.parquet")
        for record in table_sources(layout, path.stem)
    )
