"""The region as configuration: the project's Keski-Suomi, or a data directory's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from tilannekuva import region
from tilannekuva.batch.pages import load_pages
from tilannekuva.demo.national import national_reference, write_national_reference
from tilannekuva.errors import ConfigError
from tilannekuva.paths import DataLayout

from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def project_region_afterwards(tmp_path):
    yield
    region.activate(DataLayout.at(tmp_path / "no-reference-here"))


def own_region(tmp_path: Path, municipalities: int = 25) -> DataLayout:
    layout = DataLayout.at(tmp_path / "data")
    write_national_reference(layout.root / "reference", municipalities=municipalities, subregions=6)
    return layout


def test_the_project_region_is_keski_suomi():
    assert region.current().code == "MK13"
    assert len(region.municipalities()) == 22
    assert len(region.subregions()) == 6
    assert region.normalise_municipality("Jyväskylän mlk") is None  # not a name we know
    assert region.normalise_municipality("jyväskylän  maalaiskunta").code == "179"
    assert region.normalise_municipality("KU179").name == "Jyväskylä"
    assert region.is_whole_region("Koko maakunta")
    assert region.is_whole_region("Keski-Suomi")


def test_a_data_directory_with_its_own_reference_describes_another_region(tmp_path):
    layout = own_region(tmp_path)
    active = region.activate(layout)
    assert active.code == "SSS" and active.folder == layout.root / "reference"
    towns = region.municipalities()
    assert len(towns) == 25 and towns["code"].str.fullmatch(r"\d{3}").all()
    first = towns.iloc[0]
    assert region.normalise_municipality(first["name"].upper()).code == first["code"]
    assert region.normalise_municipality("Jyväskylä") is None  # Keski-Suomi is not active
    assert region.is_whole_region("Koko maa")
    assert region.mergers().empty  # the merger table is optional

    # Pages follow the active region: one field page and one card per municipality.
    pages = load_pages()
    cards = [p for p in pages if p.notebook == "50_kuntakortti"]
    assert sorted(p.parameters["municipality"] for p in cards) == sorted(towns["code"])
    field_region = next(p for p in pages if p.name == "10_jarjestokentta")
    assert field_region.title == "Järjestökenttä: Koko Suomi (keksitty)"
    surveys = [p for p in pages if p.name.startswith("20_kysely--seutukunta-")]
    assert len(surveys) == region.subregions().shape[0] == towns["subregion_code"].nunique()

    region.activate(DataLayout.at(tmp_path / "other"))  # no reference: the project's again
    assert len(region.municipalities()) == 22


def test_the_national_reference_is_national_in_size():
    files = national_reference()
    lines = files["kunnat.csv"].decode().splitlines()
    assert len(lines) == 301
    assert len({line.split(",")[0] for line in lines[1:]}) == 300
    assert len({line.split(",")[2] for line in lines[1:]}) > 60


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda folder: (folder / "kunnat.csv").write_text(
                "code,name,subregion_code,subregion,population\n"
                "001,Aa,001,A,100\n12a,Bb,001,A,200\n",
                encoding="utf-8",
            ),
            "kunnat.csv: row 3, column 'code': value '12a': expected a municipality code",
        ),
        (
            lambda folder: (folder / "kunnat.csv").write_text(
                "code,name,subregion_code,subregion,population\n001,Aa,001,A,paljon\n",
                encoding="utf-8",
            ),
            "kunnat.csv: row 2, column 'population': expected a number of inhabitants",
        ),
        (
            lambda folder: (folder / "kunnat.csv").write_text(
                "code,name,subregion\n001,Aa,A\n", encoding="utf-8"
            ),
            "kunnat.csv: missing column(s) subregion_code, population",
        ),
        (
            lambda folder: (folder / "region.yaml").write_text("code: X\n", encoding="utf-8"),
            "region.yaml: missing name, whole_region_label",
        ),
        (
            lambda folder: (folder / "kuntaliitokset.csv").write_text(
                "old_code,old_name,new_code,year\n900,Vanha,999,2009\n", encoding="utf-8"
            ),
            "kuntaliitokset.csv: row 2, column 'new_code': value '999'",
        ),
    ],
)
def test_a_broken_reference_is_named_by_file_row_and_column(tmp_path, edit, expected):
    layout = own_region(tmp_path)
    edit(layout.root / "reference")
    with pytest.raises(ConfigError, match=None) as caught:
        region.activate(layout)
    assert expected in str(caught.value)
    assert region.current().code == "MK13"  # a broken region never becomes active


def test_the_command_line_reports_a_broken_reference_in_one_line(tmp_path):
    layout = own_region(tmp_path)
    (layout.root / "reference" / "kunnat.csv").write_text(
        "code,name,subregion_code,subregion,population\n001,Aa,001,A,100\n001,Bb,001,A,5\n",
        encoding="utf-8",
    )
    export = tmp_path / "ote.csv"
    export.write_text("Rekisterinumero;Yhdistyksen nimi;Kotipaikka\n1;A ry;Aa\n", encoding="utf-8")
    result = run_cli("ingest", "registry", str(export), "--data", str(layout.root))
    assert result.returncode == 1
    assert "kunnat.csv: row 3, column 'code': the code appears twice" in result.stderr
    assert "Traceback" not in result.stderr
    assert not layout.processed.exists()
