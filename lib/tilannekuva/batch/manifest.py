"""The build manifest (``site/manifest.json``): what each page was built from.

A page's key is the hash of its notebook's text, its parameters and title,
its code version and the processed inputs it reads. The code version covers
only what the page can reach (:mod:`tilannekuva.batch.deps`): the package
modules its notebook imports, transitively, with the renderer's; the
configuration files those modules read; and the region's reference files,
which every page reads. So an edit to ``config/themes.yaml`` rebuilds the
pages whose code reads themes, and an edit to a module only the field pages
import leaves the survey pages as they are. A page is rebuilt only when its
key changed or it failed last time; ``--force`` rebuilds all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tilannekuva.batch.deps import PACKAGE_DIR, PageDependencies
from tilannekuva.paths import PROJECT_DATA, PROJECT_ROOT, DataLayout
from tilannekuva.store import atomic_write_bytes

MANIFEST = "manifest.json"


def hash_file(path: Path) -> str:
    stat = path.stat()
    return _hash_file(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@lru_cache(maxsize=256)
def _hash_file(path: str, mtime_ns: int, size: int, inode: int) -> str:
    # Keyed by the file's identity: a build plans hundreds of pages over the same inputs.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def hash_tree(root: Path, patterns: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def code_version(layout: DataLayout) -> str:
    """The package's code and templates, plus the configuration and reference files pages read."""
    package = hash_tree(
        PROJECT_ROOT / "lib" / "tilannekuva", ("**/*.py", "**/*.j2", "**/*.css", "**/*.json")
    )
    patterns = ("config/*.yaml", "config/surveys/*.yaml", "reference/*.csv", "reference/*.yaml")
    config = hash_tree(PROJECT_DATA, patterns)
    own = hash_tree(layout.root, patterns) if layout.root != PROJECT_DATA else ""
    return hashlib.sha256(f"{package}{config}{own}".encode()).hexdigest()[:16]


def page_code_version(layout: DataLayout, dependencies: PageDependencies) -> str:
    """One page's code version: the package files it reaches, its configuration, the region."""
    digest = hashlib.sha256()
    for path in dependencies.modules:
        digest.update(f"{path.relative_to(PACKAGE_DIR)}:{hash_file(path)}\n".encode())
    for relative in dependencies.config:
        # The data directory's own copy wins over the project's (DataLayout.config_file).
        path = layout.config_file(relative)
        content = hash_file(path) if path.is_file() else "absent"
        digest.update(f"{relative}:{path}:{content}\n".encode())
    reference = ("reference/*.csv", "reference/*.yaml")
    digest.update(hash_tree(PROJECT_DATA, reference).encode())
    if layout.root != PROJECT_DATA:
        digest.update(hash_tree(layout.root, reference).encode())
    return digest.hexdigest()[:16]


def input_hashes(layout: DataLayout, tables: list[str] | None) -> dict[str, str]:
    """sha256 of each processed input a page reads (all of them when ``tables`` is None).

    Inputs are the processed tables (parquet) and geometry (GeoJSON), named by
    their stem (``survey``, ``associations``, ``municipalities``), and the
    build's shared preparation under ``build/shared/`` (e.g. ``comparison``).
    """
    folders = [layout.processed, layout.build / "shared"]
    paths = sorted(
        p
        for folder in folders
        if folder.exists()
        for p in folder.iterdir()
        if p.suffix in {".parquet", ".geojson", ".json"} and p.is_file()
    )
    if tables is not None:
        paths = [p for p in paths if p.stem in tables]
    hashes = {p.name: hash_file(p) for p in paths}
    # The other surveys' tables (processed/surveys/<id>.parquet) are the input "surveys".
    if tables is None or "surveys" in tables:
        for path in sorted((layout.processed / "surveys").glob("*.parquet")):
            hashes[f"surveys/{path.name}"] = hash_file(path)
    return hashes


def page_key(
    notebook_text: str,
    parameters: dict[str, Any],
    code: str,
    inputs: dict[str, str],
    title: str = "",
) -> str:
    payload = json.dumps(
        {
            "notebook": notebook_text,
            "parameters": parameters,
            "code": code,
            "inputs": inputs,
            "title": title,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class PageEntry:
    name: str
    notebook: str
    parameters: dict[str, Any]
    inputs: dict[str, str]
    code_version: str
    key: str | None
    status: str  # built | reused | failed
    seconds: float
    built_at: str | None
    error: str | None = None


@dataclass
class Manifest:
    pages: dict[str, PageEntry] = field(default_factory=dict)

    @classmethod
    def read(cls, site: Path) -> Manifest:
        path = site / MANIFEST
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls({name: PageEntry(**entry) for name, entry in raw.get("pages", {}).items()})
        except (json.JSONDecodeError, TypeError):
            return cls()  # an unreadable manifest means: rebuild everything

    def write(self, site: Path) -> None:
        payload = {"pages": {name: asdict(entry) for name, entry in sorted(self.pages.items())}}
        atomic_write_bytes(
            site / MANIFEST, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
        )

    def needs_rebuild(self, name: str, key: str, site: Path) -> bool:
        entry = self.pages.get(name)
        return (
            entry is None
            or entry.key != key
            or entry.status == "failed"
            or not (site / f"{name}.html").exists()
        )
