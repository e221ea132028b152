"""The region as configuration: the project's Keski-Suomi, or a data directory's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from tilannekuva import region
from tilannekuva.batch.pages import load_pages
from tilannekuva.demo.national import national_reference, write_national_reference
from tilannekuva.errors import ConfigError
from tilannekuva.paths import DataLayout
from tilannekuva.settings import Settings

from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def project_region_afterwards(tmp_path):
    yield
    region.activate(DataLayout.at(tmp_path / "no-reference-here"))


def own_region(tmp_path: Path, municipalities: int = 25) -> DataLayout:
    layout = DataLayout.at(tmp_path / "data")
    write_national_reference(layout.root / "reference", municipalities=municipalities, subregions=6)
    return layout


def test_the_project_region_is_keski_suomi(tmp_path):
    keski_suomi = region.region_of(DataLayout.at(tmp_path / "no-reference-here"))
    assert keski_suomi.code == "MK13"
    assert len(keski_suomi.municipalities) == 22
    assert len(keski_suomi.subregions) == 6
    assert keski_suomi.normalise("Jyväskylän mlk") is None  # not a name we know
    assert keski_suomi.normalise("jyväskylän  maalaiskunta").code == "179"
    assert keski_suomi.normalise("KU179").name == "Jyväskylä"
    assert keski_suomi.is_whole_region("Koko maakunta")
    assert keski_suomi.is_whole_region("Keski-Suomi")
    # The commands' active region (ingest, fetch, demo) is the project's until one activates.
    assert region.current() == keski_suomi


def test_a_data_directory_with_its_own_reference_describes_another_region(tmp_path):
    layout = own_region(tmp_path)
    own = region.region_of(layout)
    assert own.code == "SSS" and own.folder == layout.root / "reference"
    assert Settings.from_data_dir(layout.root).region == own
    towns = own.municipalities
    assert len(towns) == 25 and towns["code"].str.fullmatch(r"\d{3}").all()
    first = towns.iloc[0]
    assert own.normalise(first["name"].upper()).code == first["code"]
    assert own.normalise("Jyväskylä") is None  # not a municipality of this region
    assert own.is_whole_region("Koko maa")
    assert own.mergers.empty  # the merger table is optional

    # Pages follow the region passed to them: one field page and one card per municipality.
    pages = load_pages(region=own)
    cards = [p for p in pages if p.notebook == "50_kuntakortti"]
    assert sorted(p.parameters["municipality"] for p in cards) == sorted(towns["code"])
    field_region = next(p for p in pages if p.name == "10_jarjestokentta")
    assert field_region.title == "Järjestökenttä: Koko Suomi (keksitty)"
    surveys = [p for p in pages if p.name.startswith("20_kysely--seutukunta-")]
    assert len(surveys) == own.subregions.shape[0] == towns["subregion_code"].nunique()
    # Nothing was activated: the project's region is still what module functions answer.
    assert len(region.municipalities()) == 22


def test_a_page_reads_its_data_directorys_region_without_activating_it(tmp_path):
    from tilannekuva.pages.common import PageData

    layout = own_region(tmp_path)
    data = PageData(layout.root)
    assert data.region.code == "SSS"
    assert region.current().code == "MK13"  # pages leave no region behind in the kernel


def test_the_site_chrome_shows_the_region_passed_to_it_without_activating_it(tmp_path):
    from tilannekuva.site.chrome import related_links
    from tilannekuva.site.index import render_index

    own = region.region_of(own_region(tmp_path))
    html = render_index([], region=own, demo=True, built="1.11.2026 klo 9.00")
    first = own.municipalities.iloc[0]
    assert own.name in html and first["name"] in html
    assert "Jyväskylä" not in html  # the header's finder lists this region's places only
    links = related_links({"municipality": first["code"]}, own)
    assert links[-1] == (f"Koko {own.name}", "00_yleiskuva.html")
    assert region.current().code == "MK13"  # the build activates nothing


def test_activation_for_commands_still_follows_the_data_directory(tmp_path):
    layout = own_region(tmp_path)
    active = region.activate(layout)
    assert active.code == "SSS"
    assert region.normalise_municipality("Jyväskylä") is None  # Keski-Suomi is not active
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
        region.region_of(layout)
    assert expected in str(caught.value)
    with pytest.raises(ConfigError):
        region.activate(layout)
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
