"""The region's municipalities: codes, names, sub-regions, populations, old names.

Read from the committed reference tables in ``data/reference/`` (sources in its
README). :func:`normalise_municipality` turns what a respondent or a register
extract writes (a name in any case or spacing, an old name of a merged
municipality, a code such as ``179``, ``KU179`` or ``179 Jyväskylä``) into the
current municipality.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tilannekuva.paths import PROJECT_DATA

REGION_CODE = "MK13"
REGION_NAME = "Keski-Suomi"
WHOLE_REGION_CODE = "MK13"
WHOLE_REGION_LABEL = "Koko maakunta"

MUNICIPALITIES_FILE = PROJECT_DATA / "reference" / "kunnat.csv"
MERGERS_FILE = PROJECT_DATA / "reference" / "kuntaliitokset.csv"


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


@lru_cache(maxsize=4)
def municipalities(path: Path = MUNICIPALITIES_FILE) -> pd.DataFrame:
    """The reference table: code, name, subregion_code, subregion, population, … ."""
    frame = pd.read_csv(path, dtype={"code": str, "subregion_code": str})
    frame["code"] = frame["code"].str.zfill(3)
    return frame


@lru_cache(maxsize=4)
def mergers(path: Path = MERGERS_FILE) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"old_code": str, "new_code": str})
    frame["old_code"] = frame["old_code"].str.zfill(3)
    frame["new_code"] = frame["new_code"].str.zfill(3)
    return frame


@lru_cache(maxsize=1)
def _lookup() -> dict[str, Municipality]:
    table = municipalities()
    by_code = {
        row.code: Municipality(row.code, row.name, row.subregion_code, row.subregion)
        for row in table.itertuples()
    }
    lookup: dict[str, Municipality] = {}
    for code, municipality in by_code.items():
        lookup[_key(municipality.name)] = municipality
        lookup[code] = municipality
    for row in mergers().itertuples():
        lookup[_key(row.old_name)] = by_code[row.new_code]
        lookup[row.old_code] = by_code[row.new_code]
    return lookup


def normalise_municipality(text: object) -> Municipality | None:
    """The current municipality meant by ``text``, or None if it is not in the region."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    raw = str(text).strip()
    if not raw:
        return None
    lookup = _lookup()
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


def is_whole_region(text: object) -> bool:
    return isinstance(text, str) and _key(text) in {_key(WHOLE_REGION_LABEL), "mk13", "keski suomi"}


def subregions() -> pd.DataFrame:
    """Sub-regions (seutukunnat): subregion_code, subregion, population, municipalities."""
    table = municipalities()
    return (
        table.groupby(["subregion_code", "subregion"], as_index=False)
        .agg(population=("population", "sum"), municipalities=("code", "count"))
        .sort_values("subregion_code", ignore_index=True)
    )
