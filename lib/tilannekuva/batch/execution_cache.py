"""Executed notebooks reused when only the prose changed (as jupyter-cache and Jupyter Book do).

A page's *execution key* covers everything its outputs can depend on: the
source and metadata of its notebook's code cells (in order), its parameters, its
code version (the package modules it imports, the configuration files they
read, the region's reference files: :func:`~tilannekuva.batch.manifest.page_code_version`),
the hashes of the inputs it reads, the kernel and the Python that runs it.
Markdown and raw cells are not part of it. After a page executed cleanly the
build stores the key beside the executed notebook
(``DATA/build/executed/<page>.ipynb``, the key under ``DATA/build/cache/execution/``).
When the next build finds the same key, the page's new markdown is merged with
the stored outputs (:func:`merge_prose`) and the page is rendered again
without a kernel. Any change to code, parameters, data or a module the page
uses gives another key, so the page executes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from tilannekuva.paths import PROJECT_ROOT, DataLayout
from tilannekuva.store import atomic_write_bytes

CACHE_VERSION = 1
INJECTED = "injected-parameters"  # papermill's tag on the cell it adds
PARAMETERS = "parameters"
# The exact versions the environment was installed from: a library upgrade executes again.
LOCK_FILE = PROJECT_ROOT / "requirements.lock"


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _environment() -> str:
    try:
        lock = hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()
    except OSError:
        lock = "no lock file"
    return f"{sys.version}|{lock}"


def execution_key(
    notebook: Any,
    parameters: dict[str, Any],
    code_version: str,
    inputs: dict[str, str],
    kernel: str,
) -> str:
    """The hash of what a page's outputs depend on; its prose is left out."""
    # A code cell's metadata too (its tags, a hidden output): as the notebook's file states it.
    code = [[cell.source, cell.metadata] for cell in notebook.cells if cell.cell_type == "code"]
    payload = json.dumps(
        {
            "version": CACHE_VERSION,
            "code": code,
            "parameters": parameters,
            "code_version": code_version,
            "inputs": inputs,
            "kernel": kernel,
            "environment": _environment(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _key_file(layout: DataLayout, name: str) -> Path:
    return layout.build / "cache" / "execution" / f"{name}.key"


def executed_file(layout: DataLayout, name: str) -> Path:
    return layout.build / "executed" / f"{name}.ipynb"


def forget(layout: DataLayout, name: str) -> None:
    """Before the page's executed notebook is replaced or removed: its key no longer holds."""
    _key_file(layout, name).unlink(missing_ok=True)


def remember(layout: DataLayout, name: str, key: str) -> None:
    """After the page's executed notebook was written from a clean run with ``key``."""
    path = _key_file(layout, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, key.encode())


def cached_outputs(layout: DataLayout, name: str, key: str) -> Any | None:
    """The page's executed notebook when it was executed with ``key``, else None."""
    import nbformat

    try:
        stored = _key_file(layout, name).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if stored != key:
        return None
    try:
        text = executed_file(layout, name).read_text(encoding="utf-8")
        return nbformat.reads(text, as_version=4)
    except (OSError, ValueError, nbformat.ValidationError):
        return None  # gone or unreadable: execute again


def merge_prose(source: Any, executed: Any) -> Any | None:
    """``executed`` with the markdown and raw cells of ``source``; None when they do not match.

    The code cells (with their outputs) and papermill's injected parameters
    come from ``executed``, in the order ``source`` has them; every other cell
    comes from ``source``. None when the code cells differ (the key should have
    said so; then the page executes).
    """
    import copy

    import nbformat

    injected = [c for c in executed.cells if INJECTED in _tags(c)]
    ran = [c for c in executed.cells if c.cell_type == "code" and INJECTED not in _tags(c)]
    code = [c for c in source.cells if c.cell_type == "code"]
    if len(ran) != len(code) or any(a.source != b.source for a, b in zip(ran, code, strict=True)):
        return None
    cells = []
    outputs = iter(ran)
    has_parameters = False
    for cell in source.cells:
        if cell.cell_type != "code":
            cells.append(copy.deepcopy(cell))
            continue
        cells.append(next(outputs))
        if PARAMETERS in _tags(cell) and not has_parameters:
            has_parameters = True
            cells.extend(injected)  # papermill puts them right after the parameters cell
    if not has_parameters:
        cells = [*injected, *cells]  # … or first, when there is none
    return nbformat.from_dict({**executed, "cells": cells})
