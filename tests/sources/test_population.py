"""PxWeb population: both variable-code generations, JSON-stat 2.0, the reference fallback."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from tilannekuva.cli import app
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import read_record
from tilannekuva.sources import population_table
from tilannekuva.sources.http import BadResponse
from tilannekuva.sources.population import (
    fetch_population,
    parse_jsonstat2,
    pick_variables,
)
from tilannekuva.store import read_table, table_sources
from typer.testing import CliRunner
from werkzeug import Request, Response

from tests.sources.conftest import fixture_bytes, fixture_json

GENERATIONS = {
    # generation: (table served, area code, year code, contents code, population value)
    "2025": ("statfin_vaerak_pxt_11ra.px", "Alue", "Vuosi", "Tiedot", "vaesto"),
    "2026": ("11ra.px", "alue_kunta", "timeperiod_y", "contentscode", "vaerak-vaesto"),
}
EXPECTED = {
    "2025": {
        ("179", 2023): 146845,
        ("179", 2024): 148122,
        ("410", 2023): 18962,
        ("410", 2024): 19031,
        ("992", 2023): 17951,  # 2024 is null in the answer: left out
    },
    "2026": {
        ("179", 2024): 148122,
        ("179", 2025): 149304,
        ("410", 2024): 19031,
        ("410", 2025): 19110,
        ("992", 2024): 17890,
        ("992", 2025): 17822,
    },
}


@pytest.mark.parametrize("generation", list(GENERATIONS))
def test_pick_variables_by_prefix(generation):
    _, area, year, contents, value = GENERATIONS[generation]
    picked = pick_variables(fixture_json(f"pxweb_metadata_{generation}.json"))
    assert (picked.area, picked.year, picked.contents, picked.population) == (
        area,
        year,
        contents,
        value,
    )
    # Only the region's municipalities: not SSS, MK13 or Helsinki.
    assert picked.areas == {"KU179": "179", "KU410": "410", "KU992": "992"}
    assert picked.others == {}


def test_pick_variables_says_what_is_missing():
    metadata = fixture_json("pxweb_metadata_2025.json")
    metadata["variables"] = [v for v in metadata["variables"] if v["code"] != "Vuosi"]
    del metadata["variables"][0]["elimination"]
    with pytest.raises(ValueError, match=r"no year variable .*found Alue, Tiedot"):
        pick_variables(metadata)


def test_parse_jsonstat2_row_major():
    dataset = fixture_json("pxweb_data_2025.json")
    frame = parse_jsonstat2(dataset)
    assert list(frame.columns) == ["Alue", "Vuosi", "Tiedot", "value"]
    assert frame.iloc[1].tolist() == ["KU179", "2024", "vaesto", 148122]
    assert frame.iloc[2].tolist() == ["KU410", "2023", "vaesto", 18962]
    assert frame["value"].isna().sum() == 1


def test_parse_jsonstat2_sparse_values_and_errors():
    dataset = fixture_json("pxweb_data_2026.json")
    dataset["value"] = {"0": 1, "5": 6}
    frame = parse_jsonstat2(dataset)
    assert frame["value"].tolist()[0] == 1 and frame["value"].tolist()[5] == 6
    assert frame["value"].isna().sum() == 4
    dataset["value"] = [1, 2, 3]
    with pytest.raises(ValueError, match="3 values for size"):
        parse_jsonstat2(dataset)
    with pytest.raises(ValueError, match="not 'dataset'"):
        parse_jsonstat2({"class": "collection"})


def _serve(httpserver, generation: str, posted: list) -> None:
    table = GENERATIONS[generation][0]
    if table != "11ra.px":  # the old generation lives under the older table name only
        httpserver.expect_request("/vaerak/11ra.px").respond_with_json(
            {"error": "not found"}, status=404
        )

    def post(request: Request) -> Response:
        posted.append(json.loads(request.data))
        return Response(
            fixture_bytes(f"pxweb_data_{generation}.json"), content_type="application/json"
        )

    httpserver.expect_request(f"/vaerak/{table}", method="GET").respond_with_data(
        fixture_bytes(f"pxweb_metadata_{generation}.json"), content_type="application/json"
    )
    httpserver.expect_request(f"/vaerak/{table}", method="POST").respond_with_handler(post)


@pytest.mark.parametrize("generation", list(GENERATIONS))
def test_fetch_population_both_generations(httpserver, make_client, tmp_path, generation):
    table, area, year, contents, value = GENERATIONS[generation]
    posted: list = []
    _serve(httpserver, generation, posted)
    layout = DataLayout.at(tmp_path / "data")
    path = fetch_population(
        layout,
        base=httpserver.url_for("/vaerak"),
        client=make_client("population"),
        today=date(2026, 11, 20),
    )
    assert path == layout.processed / "population.parquet"
    (query,) = posted
    assert query["response"] == {"format": "json-stat2"}
    selections = {q["code"]: q["selection"] for q in query["query"]}
    assert selections == {
        area: {"filter": "item", "values": ["KU179", "KU410", "KU992"]},
        year: {"filter": "all", "values": ["*"]},
        contents: {"filter": "item", "values": [value]},
    }
    frame = read_table(layout, "population")
    assert list(frame.columns) == ["municipality_code", "municipality", "year", "population"]
    got = {(r.municipality_code, r.year): r.population for r in frame.itertuples()}
    assert got == EXPECTED[generation]
    assert set(frame[frame.municipality_code == "992"]["municipality"]) == {"Äänekoski"}
    raw = layout.raw / "population" / "2026-11-20"
    record = read_record(raw / "population.json")
    assert record.source == "population" and record.url.endswith(f"/vaerak/{table}")
    assert record.query == query and record.rows == len(frame) and record.http_status == 200
    assert record.extra["variables"]["area"] == area
    assert read_record(raw / "metadata.json").http_status == 200
    assert [s.file for s in table_sources(layout, "population")] == ["population.json"]


def test_population_table_prefers_fetched_then_reference(httpserver, make_client, tmp_path):
    layout = DataLayout.at(tmp_path / "data")
    reference = population_table(layout)
    assert len(reference) == 22
    assert set(reference["year"]) == {2022}
    row = reference.set_index("municipality_code").loc["179"]
    assert row["population"] == 145887 and row["municipality"] == "Jyväskylä"
    assert "Sotkanet" in row["source"] and "reference" in row["source"]

    _serve(httpserver, "2026", [])
    fetch_population(layout, base=httpserver.url_for("/vaerak"), client=make_client())
    fetched = population_table(layout)
    assert len(fetched) == 6 and set(fetched["year"]) == {2024, 2025}
    assert fetched["source"].str.contains("StatFin").all()


def test_a_dataset_without_the_area_is_a_clear_error(httpserver, make_client, tmp_path):
    dataset = fixture_json("pxweb_data_2026.json")
    dataset["id"][0] = "kunta"
    dataset["dimension"]["kunta"] = dataset["dimension"].pop("alue_kunta")
    httpserver.expect_request("/vaerak/11ra.px", method="GET").respond_with_data(
        fixture_bytes("pxweb_metadata_2026.json")
    )
    httpserver.expect_request("/vaerak/11ra.px", method="POST").respond_with_json(dataset)
    layout = DataLayout.at(tmp_path / "data")
    with pytest.raises(BadResponse) as caught:
        fetch_population(
            layout, base=httpserver.url_for("/vaerak"), client=make_client("population")
        )
    message = str(caught.value)
    assert message.startswith("population: http://") and "/vaerak/11ra.px" in message
    assert "expected a JSON-stat 2.0 dataset" in message and "no dimension 'alue_kunta'" in message
    assert not layout.processed.exists()


def test_cli_fetch_population(httpserver, tmp_path, monkeypatch):
    _serve(httpserver, "2025", [])
    monkeypatch.setenv("TILANNEKUVA_PXWEB_URL", httpserver.url_for("/vaerak"))
    data = tmp_path / "data"
    result = CliRunner().invoke(app, ["fetch", "population", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "population: saved" in result.output
    frame = pd.read_parquet(data / "processed" / "population.parquet")
    assert len(frame) == 5
