"""An invented national region for the benchmark: ≈300 municipalities in ≈70 sub-regions.

Written as a data directory's own ``reference/`` (see :mod:`tilannekuva.region`),
so ingestion and the build treat it as they treat Keski-Suomi: a page per
municipality and per sub-region. Names, codes, populations and coordinates are
made up (sizes drawn to look like Finland's: a few cities, many small
municipalities, 5.6 million inhabitants in all); nothing here is a real place.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import yaml

REGION = {
    "code": "SSS",
    "name": "Koko Suomi (keksitty)",
    "name_genitive": "Suomen",
    "name_inessive": "Suomessa",
    "whole_region_label": "Koko maa",
}
POPULATION = 5_600_000
COLUMNS = ("code", "name", "subregion_code", "subregion", "population", "population_year")
COLUMNS += ("population_source", "lat", "lon")
SYLLABLES = ("ka", "la", "jo", "ki", "pe", "su", "vaa", "roi", "mä", "lah", "ti", "nie", "ru")
ENDINGS = ("la", "nen", "vesi", "joki", "salmi", "mäki", "järvi", "koski", "niemi", "lahti")


def _names(count: int, rng: np.random.Generator) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        stem = "".join(rng.choice(SYLLABLES, size=int(rng.integers(1, 3))))
        names.add((stem + str(rng.choice(ENDINGS))).capitalize())
    return sorted(names)


def national_reference(
    municipalities: int = 300, subregions: int = 70, seed: int = 20261123
) -> dict[str, bytes]:
    """The reference files (``region.yaml``, ``kunnat.csv``) as bytes, by file name."""
    rng = np.random.default_rng(seed)
    codes = sorted(rng.choice(np.arange(1, 1000), size=municipalities, replace=False))
    names = _names(municipalities, rng)
    rng.shuffle(names)
    weights = rng.lognormal(mean=0.0, sigma=1.3, size=municipalities)
    population = np.maximum(np.rint(weights / weights.sum() * POPULATION), 700).astype(int)
    # Sub-regions are runs of neighbouring codes, as seutukunnat roughly are.
    subregion_of = np.sort(rng.integers(0, subregions, size=municipalities))
    subregion_names = _names(subregions, rng)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, code in enumerate(codes):
        sub = int(subregion_of[i])
        writer.writerow(
            [
                f"{code:03d}",
                names[i],
                f"{sub + 1:03d}",
                f"{subregion_names[sub]}n seutukunta",
                int(population[i]),
                2025,
                "keksitty",
                round(float(rng.uniform(60.0, 69.5)), 3),
                round(float(rng.uniform(21.0, 31.0)), 3),
            ]
        )
    region = yaml.safe_dump(REGION, allow_unicode=True, sort_keys=False)
    return {"region.yaml": region.encode("utf-8"), "kunnat.csv": out.getvalue().encode("utf-8")}


def write_national_reference(folder: Path, **options: int) -> Path:
    """Write the invented region into ``folder`` (a data directory's ``reference/``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in national_reference(**options).items():
        (folder / name).write_bytes(data)
    return folder
