"""Where things live: the project's own files and the layout of a data directory.

A data directory (``--data DIR``, default ``data/``) holds ``raw/`` (immutable
inputs with provenance records), ``processed/`` (validated parquet), ``build/``
(staging, executed notebooks, quarantine) and ``snapshots/``. Configuration
files (questionnaire, themes, knowledge base) and the region's reference tables
are read from DIR when DIR has them, otherwise from the project's ``data/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROJECT_DATA = PROJECT_ROOT / "data"
NOTEBOOKS = PROJECT_ROOT / "notebooks"


@dataclass(frozen=True)
class DataLayout:
    """The folders of one data directory."""

    root: Path

    @classmethod
    def at(cls, root: Path | str) -> DataLayout:
        return cls(Path(root).resolve())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def quarantine(self) -> Path:
        return self.build / "quarantine"

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    def config_file(self, relative: str) -> Path:
        """A configuration or reference file: DIR's own copy, else the project's."""
        own = self.root / relative
        return own if own.exists() else PROJECT_DATA / relative
