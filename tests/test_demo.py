"""The demo: deterministic raw inputs in real formats, ingested through the real path."""

from __future__ import annotations

import pandas as pd
from tilannekuva.demo.registry import registry_csv
from tilannekuva.demo.survey import RESPONDENTS, survey_xlsx
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import read_record
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.store import read_table, table_sources, uses_demo_data


def test_demo_inputs_are_deterministic():
    questionnaire = load_questionnaire()
    assert survey_xlsx(questionnaire) == survey_xlsx(questionnaire)
    assert registry_csv() == registry_csv()


def test_registry_extract_looks_like_the_region(tmp_path):
    path = tmp_path / "ote.csv"
    path.write_bytes(registry_csv())
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)
    active = frame[frame["Tila"] == "Rekisterissä"]
    assert 5200 <= len(active) <= 5400
    assert (active["Kotipaikka"] == "Jyväskylä").sum() > 2000
    assert set(frame["Toimialaluokka"]) == {
        "Sosiaali- ja terveysala",
        "Kulttuuri",
        "Urheilu ja liikunta",
        "Vapaa-aika ja harrastukset",
        "Ammatti ja elinkeino",
        "Poliittinen toiminta",
        "Muu",
    }
    assert frame["Lopettamispäivä"].notna().sum() > 300  # deregistered rows are kept


def test_demo_is_ingested_and_marked_as_demo(demo_data):
    layout = DataLayout.at(demo_data)
    survey = read_table(layout, "survey")
    assert len(survey) == RESPONDENTS
    assert uses_demo_data(layout)
    assert all(s.demo for s in table_sources(layout, "survey"))
    for raw in (layout.raw / "demo").glob("*.xlsx"):
        assert read_record(raw).demo
    assoc = read_table(layout, "associations")
    assert 5200 <= assoc["ended"].isna().sum() <= 5400
