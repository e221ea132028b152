"""Another region end to end: a data directory with its own reference builds its own pages."""

from __future__ import annotations

import json

import pytest
from tilannekuva import region
from tilannekuva.batch.build import BuildSettings, build_site
from tilannekuva.demo.national import write_national_reference
from tilannekuva.demo.registry import registry_csv
from tilannekuva.demo.survey import survey_xlsx
from tilannekuva.pages.common import PageData
from tilannekuva.pages.field import MAX_BARS, FieldScope
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.registry.ingest import ingest_registry
from tilannekuva.survey.ingest import ingest_survey

pytestmark = pytest.mark.notebooks


@pytest.fixture
def national_data(tmp_path):
    layout = DataLayout.at(tmp_path / "data")
    write_national_reference(layout.root / "reference", municipalities=60, subregions=6)
    region.activate(layout)
    raw = layout.raw / "bench"
    raw.mkdir(parents=True)
    (raw / "ote.csv").write_bytes(registry_csv(scale=0.2))
    (raw / "kysely.xlsx").write_bytes(survey_xlsx(load_questionnaire(), respondents=400))
    ingest_registry(raw / "ote.csv", layout)
    ingest_survey(raw / "kysely.xlsx", layout, "2026-syksy")
    yield layout
    region.activate(DataLayout.at(tmp_path / "project"))


def test_a_national_data_directory_builds_pages_of_its_own_municipalities(national_data, tmp_path):
    towns = region.municipalities()
    biggest = towns.sort_values("population").iloc[-1]
    code, name = biggest["code"], biggest["name"]
    site = tmp_path / "site"
    only = [f"10_jarjestokentta--kunta-{code}", f"50_kuntakortti--kunta-{code}"]
    result = build_site(BuildSettings(layout=national_data, out=site, only=only))
    assert result.ok, [o.error for o in result.failed]

    field_page = (site / f"10_jarjestokentta--kunta-{code}.html").read_text(encoding="utf-8")
    assert f"Järjestökenttä: {name}" in field_page
    assert "Koko Suomessa luku on" in field_page  # the region's own name, in its case
    assert "Keski-Suomi" not in field_page
    card = (site / f"50_kuntakortti--kunta-{code}.html").read_text(encoding="utf-8")
    assert f"Kuntakortti: {name}" in card and "Koko Suomi (keksitty)" in card

    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["pages"]
    assert manifest[only[0]]["parameters"]["region"] == "SSS"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Järjestökentän tilannekuva · Koko Suomi (keksitty)" in index
    assert all(f"{page}.html" in index for page in only)


def test_a_large_region_shows_a_municipality_among_its_sub_region(national_data):
    towns = region.municipalities()
    assert len(towns) > MAX_BARS
    town = towns.iloc[7]
    neighbours = towns[towns["subregion_code"] == town["subregion_code"]]

    figure = FieldScope(PageData(national_data.root), town["code"]).per_1000_figure().fig
    bars = figure.data[0]
    assert sorted(bars.y) == sorted(neighbours["name"])
    assert town["subregion"] in figure.layout.title.text
    highlighted = [
        c for c, name in zip(bars.marker.color, bars.y, strict=True) if name == town["name"]
    ]
    assert len(set(bars.marker.color)) == 2 and len(highlighted) == 1

    # The map, too: the sub-region's municipalities, the region's colour scale.
    point_map = FieldScope(PageData(national_data.root), town["code"]).map_figure().fig
    assert {t.split(":")[0] for t in point_map.data[0].text} == set(neighbours["name"])
    assert len(point_map.data[0].x) == len(neighbours)
    rates = FieldScope(PageData(national_data.root)).per_inhabitants["per_1000"]
    assert point_map.data[0].marker.cmax == pytest.approx(rates.iloc[:-1].max())

    # The region's page: one bar per sub-region, each the sub-region's own rate.
    figure = FieldScope(PageData(national_data.root)).per_1000_figure().fig
    bars = figure.data[0]
    assert sorted(bars.y) == sorted(region.subregions()["subregion"])
    table = FieldScope(PageData(national_data.root)).per_inhabitants
    first = region.subregions().iloc[0]
    rows = table[table["subregion"] == first["subregion_code"]]
    expected = rows["n"].sum() / rows["population"].sum() * 1000
    assert list(bars.x)[list(bars.y).index(first["subregion"])] == pytest.approx(expected)
