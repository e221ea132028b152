"""WFS boundaries: EPSG:3067 GeoJSON → the region's municipalities in EPSG:4326, simplified."""

from __future__ import annotations

import json
from datetime import date

import pytest
import shapely
from tilannekuva.cli import app
from tilannekuva.errors import SourceUnavailable
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import read_record
from tilannekuva.sources import municipality_geometry
from tilannekuva.sources.geo import fetch_geo, read_features, region_geometry
from typer.testing import CliRunner

from tests.sources.conftest import fixture_bytes, fixture_json

EXCEPTION_REPORT = (
    '<?xml version="1.0" encoding="UTF-8"?><ows:ExceptionReport version="2.0.0" '
    'xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception exceptionCode="InvalidParameterValue" '
    'locator="typeName"><ows:ExceptionText>Feature type tilastointialueet:kunta4500k_2027 unknown'
    "</ows:ExceptionText></ows:Exception></ows:ExceptionReport>"
)


def _query(year: int) -> dict[str, str]:
    return {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeName": f"tilastointialueet:kunta4500k_{year}",
        "outputFormat": "json",
    }


def test_read_features_uses_the_collections_crs():
    frame = read_features(fixture_json("wfs_kunta4500k_2026.geojson"))
    assert frame.crs.to_epsg() == 3067
    assert list(frame["kunta"]) == ["091", "179", "410", "992"]


def test_region_geometry_keeps_region_reprojects_and_simplifies():
    frame = read_features(fixture_json("wfs_kunta4500k_2026.geojson"))
    region = region_geometry(frame, tolerance=50)
    assert list(region["municipality_code"]) == ["179", "410", "992"]
    assert list(region["municipality"]) == ["Jyväskylä", "Laukaa", "Äänekoski"]
    assert list(region["subregion"]) == ["131", "131", "135"]
    assert region.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = region.total_bounds
    assert 24.5 < minx < maxx < 26.5 and 62.0 < miny < maxy < 62.8  # Keski-Suomi
    before = frame[frame.kunta == "179"].geometry.iloc[0]
    after = region.geometry.iloc[0]
    assert shapely.get_num_coordinates(before) == 81
    assert shapely.get_num_coordinates(after) == 5  # the 8 m jitter is gone: a square
    assert region.geometry.is_valid.all()
    assert region.geometry.iloc[2].geom_type == "MultiPolygon"  # Äänekoski's two parts


def test_fetch_geo_saves_raw_and_processed(httpserver, make_client, tmp_path):
    httpserver.expect_request("/wfs", query_string=_query(2026)).respond_with_data(
        fixture_bytes("wfs_kunta4500k_2026.geojson"), content_type="application/json"
    )
    layout = DataLayout.at(tmp_path / "data")
    assert municipality_geometry(layout) is None
    path = fetch_geo(
        layout,
        base=httpserver.url_for("/wfs"),
        client=make_client("geo"),
        today=date(2026, 11, 20),
    )
    assert path == layout.processed / "municipalities.geojson"
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert [f["properties"]["municipality_code"] for f in saved["features"]] == [
        "179",
        "410",
        "992",
    ]
    assert path.stat().st_size < 5_000
    raw = layout.raw / "geo" / "2026-11-20" / "kunta4500k_2026.geojson"
    assert raw.read_bytes() == fixture_bytes("wfs_kunta4500k_2026.geojson")
    record = read_record(raw)
    assert record.source == "geo" and record.rows == 4 and record.http_status == 200
    assert "typeName=tilastointialueet%3Akunta4500k_2026" in record.url
    assert record.licence.startswith("CC BY 4.0")
    processed_record = read_record(path)
    assert processed_record.rows == 3 and "EPSG:4326" in processed_record.note
    polygons = municipality_geometry(layout)
    assert polygons is not None and polygons.crs.to_epsg() == 4326
    assert list(polygons["municipality"]) == ["Jyväskylä", "Laukaa", "Äänekoski"]


def test_fetch_geo_falls_back_to_last_years_layer(httpserver, make_client, tmp_path):
    httpserver.expect_request("/wfs", query_string=_query(2027)).respond_with_data(
        EXCEPTION_REPORT, status=400, content_type="application/xml"
    )
    httpserver.expect_request("/wfs", query_string=_query(2026)).respond_with_data(
        fixture_bytes("wfs_kunta4500k_2026.geojson"), content_type="application/json"
    )
    layout = DataLayout.at(tmp_path / "data")
    fetch_geo(
        layout,
        base=httpserver.url_for("/wfs"),
        client=make_client("geo"),
        today=date(2027, 1, 5),
    )
    assert (layout.raw / "geo" / "2027-01-05" / "kunta4500k_2026.geojson").exists()


def test_no_layer_is_one_clear_line(httpserver, make_client, tmp_path):
    httpserver.expect_request("/wfs").respond_with_data(
        EXCEPTION_REPORT, status=200, content_type="text/xml"
    )
    with pytest.raises(SourceUnavailable) as caught:
        fetch_geo(
            DataLayout.at(tmp_path / "d"),
            base=httpserver.url_for("/wfs"),
            client=make_client("geo"),
            today=date(2026, 11, 20),
        )
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("geo: http://")
    assert "kunta4500k_2026" in message and "kunta4500k_2024" in message
    assert "malformed JSON" in message


def test_cli_fetch_geo_offline(tmp_path, monkeypatch, refused_url):
    monkeypatch.setenv("TILANNEKUVA_WFS_URL", f"{refused_url}/wfs")
    monkeypatch.setenv("TILANNEKUVA_HTTP_BACKOFF", "0")
    result = CliRunner().invoke(app, ["fetch", "geo", "--data", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: geo: cannot connect to")
    assert len(result.stderr.strip().splitlines()) == 1
