"""Results the pages of one warm kernel share, keyed by the data they come from.

A build runs dozens of pages in one kernel (:mod:`tilannekuva.batch.pool`), and
most of them read the same tables and compute the same region-wide figures:
associations per municipality and field, per 1 000 inhabitants, the region's
survey priorities, which respondent groups are hidden. Pages ask for them
through :func:`shared`, which computes each once per kernel and data version.

The version is a fingerprint (name, size, modification time, inode) of every
file a page reads: the processed tables and geometry, the build's shared
preparation, and the configuration and reference files of the data directory
and the project. A re-ingest, a fresh fetch or an edited setting changes it,
so a kernel never serves figures of data that has since changed, and an
analyst's kernel in JupyterLab sees new data on the next run of a cell.

Data frames come back as shallow copies: with pandas' copy-on-write a page may
change its copy freely without touching what the next page gets.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

import pandas as pd

from tilannekuva.paths import PROJECT_DATA, DataLayout

T = TypeVar("T")
MAX_ENTRIES = 512  # a national site's kernel holds a few hundred small tables at most

_results: dict[tuple, object] = {}


def _listing(folder: Path) -> tuple:
    try:
        with os.scandir(folder) as entries:
            return tuple(
                sorted(
                    (e.name, s.st_size, s.st_mtime_ns, s.st_ino)
                    for e in entries
                    if e.is_file()
                    for s in (e.stat(),)
                )
            )
    except FileNotFoundError:
        return ()


def data_version(layout: DataLayout) -> tuple:
    """A fingerprint of every file the pages of ``layout`` read."""
    folders = [
        layout.processed,
        layout.processed / "surveys",  # the other surveys' tables
        layout.build / "shared",
        layout.root / "config",
        layout.root / "config" / "surveys",
        layout.root / "reference",
        PROJECT_DATA / "config",
        PROJECT_DATA / "config" / "surveys",
        PROJECT_DATA / "reference",
    ]
    return tuple(_listing(folder) for folder in folders)


def shared(
    layout: DataLayout, key: Hashable, compute: Callable[[], T], version: tuple | None = None
) -> T:
    """``compute()``'s result for ``key``, computed once per kernel and data version.

    ``version``: :func:`data_version` of ``layout`` when the caller has it already.
    """
    full = (str(layout.root), version if version is not None else data_version(layout), key)
    if full not in _results:
        if len(_results) >= MAX_ENTRIES:
            _results.clear()
        _results[full] = compute()
    value = _results[full]
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)  # type: ignore[return-value]
    return value  # type: ignore[return-value]


def clear() -> None:
    """Forget every shared result (tests; a kernel never needs to)."""
    _results.clear()
