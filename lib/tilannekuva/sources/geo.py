"""Municipality boundaries from Statistics Finland's geoserver WFS (data-sources.md §2b).

``GET {base}?service=WFS&version=2.0.0&request=GetFeature&typeName=tilastointialueet:
kunta4500k_YYYY&outputFormat=json``: a GeoJSON FeatureCollection in EPSG:3067
(ETRS-TM35FIN; the collection's ``crs`` member is honoured when present) with
the attributes ``kunta`` (3-digit code), ``nimi``, ``name``. The layer of the
current year is tried first, then the years before it (a layer for a year not
yet published answers with an error status or an XML exception report).

The features are read with geopandas, the region's 22 municipalities kept
(``kunta``, merged codes mapped to today's), simplified in metres
(``tolerance``, default 50 m, topology preserved; the 1:4 500 000 layer is
already generalised, so the region is some tens of kB, the 1:1 000 000 layer
``kunta1000k`` a few hundred kB), reprojected to EPSG:4326 with coordinates
rounded to 1e-5° (about a metre), and saved as
``processed/municipalities.geojson`` with properties ``municipality_code``,
``municipality``, ``subregion`` and a provenance record beside it. The raw
answer goes to ``raw/geo/<YYYY-MM-DD>/<layer>_<year>.geojson`` with its record.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from pyproj import CRS

from tilannekuva.errors import SourceUnavailable
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import write_record
from tilannekuva.region import normalise_municipality
from tilannekuva.sources.http import BadResponse, HttpClient, HttpStatusError, base_url
from tilannekuva.store import atomic_write_bytes

log = logging.getLogger(__name__)

SOURCE = "geo"
DEFAULT_BASE = "https://geo.stat.fi/geoserver/wfs"
ENV_BASE = "TILANNEKUVA_WFS_URL"
LAYER = "kunta4500k"
LICENCE = "CC BY 4.0 (Tilastokeskus, kuntarajat)"
SOURCE_CRS = "EPSG:3067"
WEB_CRS = "EPSG:4326"
PROCESSED_FILE = "municipalities.geojson"
EXPECTED = 'a GeoJSON FeatureCollection {"type": "FeatureCollection", "features": [ … ]}'


def wfs_params(layer: str, year: int) -> dict[str, str]:
    return {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeName": f"tilastointialueet:{layer}_{year}",
        "outputFormat": "json",
    }


def read_features(payload: Any) -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection → GeoDataFrame in its own CRS (default EPSG:3067).

    Raises ValueError saying what is wrong.
    """
    if not isinstance(payload, dict) or payload.get("type") != "FeatureCollection":
        raise ValueError("not a FeatureCollection")
    features = payload.get("features")
    if not isinstance(features, list):
        raise ValueError("no 'features' list")
    crs = SOURCE_CRS
    named = payload.get("crs")
    if isinstance(named, dict) and isinstance(named.get("properties"), dict):
        crs = named["properties"].get("name") or SOURCE_CRS
    try:
        parsed_crs = CRS.from_user_input(crs)
    except Exception as exc:
        raise ValueError(f"unknown crs {crs!r}") from exc
    if not features:
        return gpd.GeoDataFrame({"kunta": []}, geometry=[], crs=parsed_crs)
    try:
        frame = gpd.GeoDataFrame.from_features(features, crs=parsed_crs)
    except Exception as exc:
        raise ValueError(f"features could not be read: {exc}") from exc
    if "kunta" not in frame.columns:
        raise ValueError(f"no 'kunta' attribute (found {', '.join(map(str, frame.columns))})")
    return frame


def region_geometry(frame: gpd.GeoDataFrame, tolerance: float = 50.0) -> gpd.GeoDataFrame:
    """Keep the region's municipalities, simplify (metres), reproject to EPSG:4326."""
    found = frame["kunta"].map(lambda code: normalise_municipality(str(code).zfill(3)))
    kept = frame[found.notna()].copy()
    municipalities = found[found.notna()]
    out = gpd.GeoDataFrame(
        {
            "municipality_code": [m.code for m in municipalities],
            "municipality": [m.name for m in municipalities],
            "subregion": [m.subregion_code for m in municipalities],
        },
        geometry=kept.geometry.values,
        crs=frame.crs,
    )
    if out.crs is not None and out.crs.is_geographic:
        out = out.to_crs(SOURCE_CRS)
    out = out.dissolve(by="municipality_code", as_index=False, aggfunc="first")
    if tolerance > 0:
        out["geometry"] = out.geometry.simplify(tolerance, preserve_topology=True)
    out = out.to_crs(WEB_CRS)
    out["geometry"] = shapely.set_precision(out.geometry.values, 1e-5)
    return out[["municipality_code", "municipality", "subregion", "geometry"]].sort_values(
        "municipality_code", ignore_index=True
    )


def fetch_geo(
    layout: DataLayout,
    *,
    base: str | None = None,
    layer: str = LAYER,
    year: int | None = None,
    tolerance: float = 50.0,
    client: HttpClient | None = None,
    today: date | None = None,
) -> Path:
    """Download the municipality layer, keep the region, save raw and processed.

    Returns ``processed/municipalities.geojson``. ``year`` None tries this year
    and the two before it.
    """
    root = base_url(DEFAULT_BASE, ENV_BASE, base)
    day = today or date.today()
    years = [year] if year is not None else [day.year, day.year - 1, day.year - 2]
    own = client is None
    http = client or HttpClient(SOURCE)
    tried: list[str] = []
    try:
        for candidate in years:
            params = wfs_params(layer, candidate)
            try:
                payload, response = http.get_json(root, params, expected=EXPECTED)
            except (HttpStatusError, BadResponse) as exc:
                status = getattr(exc, "status", None)
                if status is not None and status not in (400, 404):
                    raise
                tried.append(f"{params['typeName']} ({exc})")
                continue
            try:
                frame = read_features(payload)
            except ValueError as exc:
                raise http.bad_shape(response, EXPECTED, str(exc)) from None
            if frame.empty:
                tried.append(f"{params['typeName']} (no features)")
                continue
            break
        else:
            raise SourceUnavailable(
                f"geo: {root}: no municipality layer could be read; tried " + "; ".join(tried)
            )
    finally:
        if own:
            http.close()
    region = region_geometry(frame, tolerance)
    if region.empty:
        raise BadResponse(
            f"geo: {response.request.url}: none of the region's municipalities in the layer",
            str(response.request.url),
        )
    folder = layout.raw / "geo" / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    raw_file = folder / f"{layer}_{candidate}.geojson"
    raw_file.write_bytes(response.content)
    write_record(
        raw_file,
        SOURCE,
        url=str(response.request.url),
        query=params,
        http_status=response.status_code,
        rows=len(frame),
        licence=LICENCE,
    )
    processed = layout.processed / PROCESSED_FILE
    atomic_write_bytes(processed, region.to_json(drop_id=True, ensure_ascii=False).encode("utf-8"))
    write_record(
        processed,
        SOURCE,
        url=str(response.request.url),
        query=params,
        http_status=response.status_code,
        rows=len(region),
        licence=LICENCE,
        note=(
            f"from raw/geo/{day.isoformat()}/{raw_file.name}: the region's municipalities, "
            f"simplified {tolerance:g} m in {SOURCE_CRS}, reprojected to {WEB_CRS}"
        ),
    )
    log.info("geo: %d municipalities, %d bytes", len(region), processed.stat().st_size)
    return processed


def municipality_geometry(layout: DataLayout) -> gpd.GeoDataFrame | None:
    """The region's municipality polygons (EPSG:4326) if fetched, else None."""
    path = layout.processed / PROCESSED_FILE
    if not path.exists():
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    frame = gpd.GeoDataFrame.from_features(payload["features"], crs=WEB_CRS)
    return frame[["municipality_code", "municipality", "subregion", "geometry"]]
