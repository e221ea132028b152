"""`--param key=value`: the value is read by the type of the notebook's field."""

from __future__ import annotations

import pytest
from tilannekuva.batch.build import BuildSettings, page_parameters
from tilannekuva.batch.pages import load_pages
from tilannekuva.batch.params import parse_parameter_text
from tilannekuva.cli import _parse_params
from tilannekuva.errors import UsageError
from tilannekuva.paths import DataLayout


def test_string_fields_keep_the_text_as_written():
    assert parse_parameter_text("50_kuntakortti", "municipality", "179") == "179"
    assert parse_parameter_text("10_jarjestokentta", "municipality", "077") == "077"
    assert parse_parameter_text("20_kysely", "subregion", "131") == "131"
    assert parse_parameter_text("00_yleiskuva", "region", "true") == "true"


def test_none_only_for_optional_fields():
    assert parse_parameter_text("10_jarjestokentta", "municipality", "none") is None
    assert parse_parameter_text("10_jarjestokentta", "municipality", "") is None
    assert parse_parameter_text("50_kuntakortti", "municipality", "none") == "none"


def test_bool_fields_parse_and_reject_other_words():
    assert parse_parameter_text("00_yleiskuva", "demo", "true") is True
    assert parse_parameter_text("00_yleiskuva", "demo", "ei") is False
    with pytest.raises(UsageError, match=r"--param demo=ehkä: expected true or false"):
        parse_parameter_text("00_yleiskuva", "demo", "ehkä")


def test_cli_pairs_stay_text():
    assert _parse_params(["municipality=179", "subregion=", "x=a=b"]) == {
        "municipality": "179",
        "subregion": "",
        "x": "a=b",
    }
    with pytest.raises(UsageError, match="expected key=value"):
        _parse_params(["municipality"])


def test_a_card_page_accepts_a_numeric_looking_municipality(tmp_path):
    layout = DataLayout.at(tmp_path / "data")
    card = next(p for p in load_pages() if p.notebook == "50_kuntakortti")
    settings = BuildSettings(
        layout=layout, out=tmp_path / "site", overrides=_parse_params(["municipality=179"])
    )
    parameters = page_parameters(card, settings, demo=True)
    assert parameters["municipality"] == "179"
    field_page = next(p for p in load_pages() if p.notebook == "10_jarjestokentta")
    settings.overrides = _parse_params(["municipality=none"])
    assert page_parameters(field_page, settings, demo=True)["municipality"] is None
