"""Network loaders for the public sources (data-sources.md), used by `tilannekuva fetch`.

| function | source | saves |
|---|---|---|
| :func:`fetch_registry` | YTJ open data v3 (PRH), registered associations | ``raw/ytj/<date>/`` |
| :func:`fetch_population` | Statistics Finland PxWeb v1, population | ``raw/population/<date>/``, ``processed/population.parquet`` |
| :func:`fetch_geo` | Statistics Finland WFS, municipality boundaries | ``raw/geo/<date>/``, ``processed/municipalities.geojson`` |

Every raw file has a provenance record. Network failures raise
:class:`~tilannekuva.errors.SourceUnavailable` with one clear line (see
:mod:`tilannekuva.sources.http`). Base URLs: ``TILANNEKUVA_YTJ_URL``,
``TILANNEKUVA_PXWEB_URL``, ``TILANNEKUVA_WFS_URL``.

The submodules are imported on first use, so that reading the population table
does not load geopandas.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tilannekuva.paths import DataLayout

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "fetch_geo",
    "fetch_population",
    "fetch_registry",
    "municipality_geometry",
    "population_table",
]


def fetch_registry(layout: DataLayout, **options: Any) -> Path:
    """Registered associations of the region from YTJ → ``raw/ytj/<date>/associations.json``."""
    from tilannekuva.sources.ytj import fetch_registry as fetch

    return fetch(layout, **options)


def fetch_population(layout: DataLayout, **options: Any) -> Path:
    """Populations from StatFin → ``processed/population.parquet`` (raw kept too)."""
    from tilannekuva.sources.population import fetch_population as fetch

    return fetch(layout, **options)


def fetch_geo(layout: DataLayout, **options: Any) -> Path:
    """Municipality boundaries from the WFS → ``processed/municipalities.geojson``."""
    from tilannekuva.sources.geo import fetch_geo as fetch

    return fetch(layout, **options)


def population_table(layout: DataLayout) -> pd.DataFrame:
    """Fetched populations if present, else the committed reference ones (with their year)."""
    from tilannekuva.sources.population import population_table as table

    return table(layout)


def municipality_geometry(layout: DataLayout) -> gpd.GeoDataFrame | None:
    """The region's municipality polygons (EPSG:4326) if fetched, else None."""
    from tilannekuva.sources.geo import municipality_geometry as geometry

    return geometry(layout)
