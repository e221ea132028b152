"""The region the site describes: its municipalities, sub-regions, old names.

A region is a folder of reference tables: ``region.yaml`` (code, name, the
label respondents use for the whole region), ``kunnat.csv`` (municipalities:
code, name, sub-region, population, centre coordinates) and, optionally,
``kuntaliitokset.csv`` (old municipalities merged into today's ones). The
project's own is Keski-Suomi in ``data/reference/``; a data directory with its
own ``reference/region.yaml`` describes another region (the benchmark's
national run uses this), and its tables replace the project's as a whole.

Pages and the build take their region explicitly: :func:`region_of` (a data
directory's region, which ``Settings.region`` carries) and the :class:`Region`'s
own tables and methods. Commands that read inputs (ingest, fetch, demo) and the
site's chrome still :func:`activate` the region of the data directory they
work on and ask the module functions (:func:`municipalities`,
:func:`normalise_municipality`, …), which answer for the active region; no
page depends on that. :func:`normalise_municipality` turns what a
respondent or a register extract writes (a name in any case or spacing, an old
name of a merged municipality, a code such as ``179``, ``KU179`` or ``179
Jyväskylä``) into the current municipality.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from tilannekuva.errors import ConfigError
from tilannekuva.paths import PROJECT_DATA, DataLayout
from tilannekuva.yamlfile import load_yaml

PROJECT_REFERENCE = PROJECT_DATA / "reference"
REGION_FILE = "region.yaml"
MUNICIPALITIES_FILE = "kunnat.csv"
MERGERS_FILE = "kuntaliitokset.csv"
MUNICIPALITY_COLUMNS = ("code", "name", "subregion_code", "subregion", "population")


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    subregion_code: str
    subregion: str


def _key(text: str) -> str:
    """Comparison key: case-, accent-form- and spacing-insensitive."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = re.sub(r"[\s\-–_]+", " ", text)
    return text.strip(" .")


@dataclass(frozen=True)
class Region:
    """One region's reference tables, read and checked from ``folder``."""

    folder: Path
    code: str
    name: str
    whole_region_label: str
    whole_region_aliases: tuple[str, ...] = field(default=())
    name_genitive: str = ""  # "Keski-Suomen", for the pages' sentences
    name_inessive: str = ""  # "Keski-Suomessa"

    @classmethod
    def read(cls, folder: Path) -> Region:
        path = folder / REGION_FILE
        spec = load_yaml(path, "region description") or {}
        missing = [k for k in ("code", "name", "whole_region_label") if not spec.get(k)]
        if missing:
            raise ConfigError(f"{path}: missing {', '.join(missing)} (expected text values)")
        region = cls(
            folder=folder,
            code=str(spec["code"]),
            name=str(spec["name"]),
            whole_region_label=str(spec["whole_region_label"]),
            whole_region_aliases=tuple(str(a) for a in spec.get("whole_region_aliases") or ()),
            name_genitive=str(spec.get("name_genitive") or spec["name"]),
            name_inessive=str(spec.get("name_inessive") or spec["name"]),
        )
        region.municipalities  # noqa: B018 - read and check the tables now, not mid-build
        region.mergers  # noqa: B018
        return region

    @cached_property
    def municipalities(self) -> pd.DataFrame:
        """code (3 digits), name, subregion_code, subregion, population, … ."""
        path = self.folder / MUNICIPALITIES_FILE
        try:
            frame = pd.read_csv(path, dtype={"code": str, "subregion_code": str})
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read the municipalities: {exc}") from exc
        missing = [c for c in MUNICIPALITY_COLUMNS if c not in frame.columns]
        if missing:
            raise ConfigError(f"{path}: missing column(s) {', '.join(missing)}")
        frame["code"] = frame["code"].str.strip().str.zfill(3)
        bad = ~frame["code"].str.fullmatch(r"\d{3}")
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 2  # the file's own row number
            raise ConfigError(
                f"{path}: row {row}, column 'code': value {frame['code'][bad].iloc[0]!r}: "
                "expected a municipality code of up to 3 digits"
            )
        duplicated = frame["code"].duplicated()
        if duplicated.any():
            row = int(duplicated.to_numpy().nonzero()[0][0]) + 2
            raise ConfigError(f"{path}: row {row}, column 'code': the code appears twice")
        population = pd.to_numeric(frame["population"], errors="coerce")
        if population.isna().any():
            row = int(population.isna().to_numpy().nonzero()[0][0]) + 2
            raise ConfigError(
                f"{path}: row {row}, column 'population': expected a number of inhabitants"
            )
        frame["population"] = population.astype("int64")
        return frame

    @cached_property
    def mergers(self) -> pd.DataFrame:
        """old_code, old_name, new_code, year; empty when the region has no such file."""
        path = self.folder / MERGERS_FILE
        if not path.exists():
            return pd.DataFrame(columns=["old_code", "old_name", "new_code", "year"], dtype=str)
        try:
            frame = pd.read_csv(path, dtype={"old_code": str, "new_code": str})
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read the merged municipalities: {exc}") from exc
        frame["old_code"] = frame["old_code"].str.zfill(3)
        frame["new_code"] = frame["new_code"].str.zfill(3)
        unknown = ~frame["new_code"].isin(self.municipalities["code"])
        if unknown.any():
            row = int(unknown.to_numpy().nonzero()[0][0]) + 2
            raise ConfigError(
                f"{path}: row {row}, column 'new_code': value {frame['new_code'][unknown].iloc[0]!r}"
                f": expected a code in {self.folder / MUNICIPALITIES_FILE}"
            )
        return frame

    @cached_property
    def subregions(self) -> pd.DataFrame:
        """Sub-regions (seutukunnat): subregion_code, subregion, population, municipalities."""
        return (
            self.municipalities.groupby(["subregion_code", "subregion"], as_index=False)
            .agg(population=("population", "sum"), municipalities=("code", "count"))
            .sort_values("subregion_code", ignore_index=True)
        )

    @cached_property
    def _lookup(self) -> dict[str, Municipality]:
        by_code = {
            row.code: Municipality(row.code, row.name, row.subregion_code, row.subregion)
            for row in self.municipalities.itertuples()
        }
        lookup: dict[str, Municipality] = {}
        for code, municipality in by_code.items():
            lookup[_key(municipality.name)] = municipality
            lookup[code] = municipality
        for row in self.mergers.itertuples():
            lookup.setdefault(_key(row.old_name), by_code[row.new_code])
            lookup.setdefault(row.old_code, by_code[row.new_code])
        return lookup

    def normalise(self, text: object) -> Municipality | None:
        """The current municipality meant by ``text``, or None if it is not in the region."""
        if text is None or (isinstance(text, float) and pd.isna(text)):
            return None
        raw = str(text).strip()
        if not raw:
            return None
        lookup = self._lookup
        key = _key(raw)
        if key in lookup:
            return lookup[key]
        # Codes: "179", "KU179", "179 Jyväskylä", or a number read from a spreadsheet ("77.0").
        match = re.fullmatch(r"(?:ku)?\s*(\d{1,3})(?:\.0)?(?:\s+(.*))?", key)
        if match:
            found = lookup.get(match.group(1).zfill(3))
            if found and (match.group(2) is None or _key(match.group(2)) in lookup):
                return found
        return None

    def is_whole_region(self, text: object) -> bool:
        names = {self.whole_region_label, self.code, self.name, *self.whole_region_aliases}
        return isinstance(text, str) and _key(text) in {_key(n) for n in names}


@lru_cache(maxsize=8)
def read_region(folder: Path) -> Region:
    """The region described by ``folder`` (read and checked once per process)."""
    return Region.read(folder)


def reference_folder(layout: DataLayout) -> Path:
    """The data directory's own ``reference/`` when it describes a region, else the project's."""
    own = layout.root / "reference"
    return own if (own / REGION_FILE).exists() else PROJECT_REFERENCE


def region_of(layout: DataLayout) -> Region:
    """The region of ``layout``'s data directory: its own ``reference/``, else the project's."""
    return read_region(reference_folder(layout))


_active: Path = PROJECT_REFERENCE


def activate(layout: DataLayout) -> Region:
    """Make the region of ``layout``'s data directory the one the module functions answer for."""
    global _active
    folder = reference_folder(layout)
    region = read_region(folder)  # read and checked before it becomes active
    _active = folder
    return region


def current() -> Region:
    """The active region (the project's own until a data directory activates another)."""
    return read_region(_active)


def municipalities() -> pd.DataFrame:
    """The active region's municipalities: code, name, subregion_code, subregion, population, … ."""
    return current().municipalities


def mergers() -> pd.DataFrame:
    return current().mergers


def subregions() -> pd.DataFrame:
    """Sub-regions (seutukunnat): subregion_code, subregion, population, municipalities."""
    return current().subregions


def normalise_municipality(text: object) -> Municipality | None:
    """The current municipality meant by ``text``, or None if it is not in the active region."""
    return current().normalise(text)


def is_whole_region(text: object) -> bool:
    """True when ``text`` names the whole region (e.g. "Koko maakunta") rather than a municipality."""
    return current().is_whole_region(text)
