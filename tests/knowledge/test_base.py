"""The knowledge base file: the shipped one loads; every kind of mistake is named precisely."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from tilannekuva.errors import ConfigError
from tilannekuva.knowledge.base import STATUSES, load_knowledge_base
from tilannekuva.paths import PROJECT_DATA, DataLayout
from tilannekuva.questionnaire import load_questionnaire

SHIPPED = PROJECT_DATA / "config" / "knowledge_base.yaml"


def _shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict | str) -> DataLayout:
    """A data directory with its own knowledge base (the loader must pick it up)."""
    target = tmp_path / "config" / "knowledge_base.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    target.write_text(text, encoding="utf-8")
    return DataLayout.at(tmp_path)


def _error(tmp_path: Path, data: dict | str) -> str:
    layout = _write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_knowledge_base(layout)
    return str(info.value)


def _lines_about(message: str, entry: str) -> list[str]:
    return [line for line in message.splitlines() if f"entry '{entry}'" in line]


def test_shipped_file_has_every_item_and_goal_open():
    # The file itself: `make report` may have logged the demo's decisions in data/processed.
    kb = load_knowledge_base(path=SHIPPED)
    questionnaire = load_questionnaire()
    expected = [r.id for r in questionnaire.row_sets["items"]] + [
        r.id for r in questionnaire.row_sets["goals"]
    ]
    assert [e.id for e in kb.entries] == expected
    assert len(expected) == 17
    assert set(kb.statuses.values()) == {"avoin"}
    for entry in kb.entries:
        assert entry.owner
        assert entry.history[0].date.year == 2026
        assert entry.id in entry.evidence.survey
    frame = kb.as_frame()
    assert frame.loc[frame["id"] == "i07_coordinator", "title"].item() == (
        "Järjestöyhteistyön koordinaattori selkeällä työnkuvalla"
    )
    assert set(frame["kind"]) == {"item", "goal"}
    assert (frame["kind"] == "goal").sum() == 4
    assert set(frame["status_label"]) == {"Avoin"}


def test_frames_follow_history(tmp_path):
    data = _shipped()
    data["items"]["i07_coordinator"]["history"] += [
        {"date": "2026-10-15", "status": "valmistelussa", "text": "Työnkuva valmisteilla."},
        {
            "date": "2026-11-20",
            "status": "sovittu",
            "text": "Koordinaattorin tehtävä sovittiin.",
            "reference": "Kumppanuuspöydän muistio 20.11.2026",
        },
    ]
    data["items"]["i07_coordinator"]["status"] = "sovittu"
    kb = load_knowledge_base(_write(tmp_path, data))
    row = kb.as_frame().set_index("id").loc["i07_coordinator"]
    assert row["status"] == "sovittu"
    assert row["status_label"] == "Sovittu"
    assert row["last_decision_date"] == dt.datetime(2026, 11, 20)
    assert row["last_decision"] == "Koordinaattorin tehtävä sovittiin."
    assert row["reference"] == "Kumppanuuspöydän muistio 20.11.2026"
    timeline = kb.timeline()
    steps = timeline[timeline["id"] == "i07_coordinator"]
    assert steps["status"].tolist() == ["avoin", "valmistelussa", "sovittu"]
    assert steps["status_rank"].tolist() == [0, 1, 2]
    assert len(timeline) == 17 + 2
    assert kb.statuses_on(dt.date(2026, 10, 31))["i07_coordinator"] == "valmistelussa"
    assert kb.statuses_on(dt.date(2026, 8, 1)) == {}


def test_status_may_be_left_out_and_is_derived(tmp_path):
    data = _shipped()
    entry = data["goals"]["g3_conditions"]
    del entry["status"]
    entry["history"].append({"date": "2026-10-01", "status": "valmistelussa", "text": "Alkoi."})
    kb = load_knowledge_base(_write(tmp_path, data))
    assert kb.entry("g3_conditions").status == "valmistelussa"


def test_data_directory_copy_wins_over_project_file(tmp_path):
    data = _shipped()
    data["items"]["i01_agreement"]["owner"] = "Testiomistaja"
    kb = load_knowledge_base(_write(tmp_path, data))
    assert kb.entry("i01_agreement").owner == "Testiomistaja"
    assert kb.source == tmp_path.resolve() / "config" / "knowledge_base.yaml"


def test_missing_field_names_file_entry_and_field(tmp_path):
    data = _shipped()
    del data["items"]["i02_councillors"]["owner"]
    message = _error(tmp_path, data)
    (line,) = _lines_about(message, "i02_councillors")
    assert "knowledge_base.yaml" in line
    assert "field 'owner'" in line
    assert "required" in line.lower()


def test_bad_status_names_field_and_value(tmp_path):
    data = _shipped()
    data["items"]["i05_rules"]["history"][0]["status"] = "valmis"
    data["items"]["i05_rules"]["status"] = "valmis"
    message = _error(tmp_path, data)
    lines = _lines_about(message, "i05_rules")
    assert any("field 'history[1].status'" in line and "'valmis'" in line for line in lines)
    assert any("field 'status'" in line and "'valmis'" in line for line in lines)
    assert all(str(tmp_path) in line for line in lines)
    for status in STATUSES:
        assert status in lines[0]


def test_unknown_id_is_an_error_and_a_goal_under_items_is_pointed_out(tmp_path):
    data = _shipped()
    data["items"]["i14_new"] = data["items"]["i01_agreement"]
    data["items"]["g1_role"] = data["goals"]["g1_role"]
    message = _error(tmp_path, data)
    assert "entry 'i14_new': unknown id" in message
    assert "entry 'g1_role': unknown id: belongs under 'goals'" in message


def test_missing_entry_is_an_error(tmp_path):
    data = _shipped()
    del data["goals"]["g4_expertise"]
    message = _error(tmp_path, data)
    assert "entry 'g4_expertise': missing" in message


@pytest.mark.parametrize(
    ("value", "shown"),
    [("1.9.2026", "'1.9.2026'"), ("2026-13-01", "'2026-13-01'"), ("20260901", "20260901")],
)
def test_bad_date_names_file_entry_field_and_value(tmp_path, value, shown):
    text = SHIPPED.read_text(encoding="utf-8")
    # Edit the text itself, as an analyst would: the first history date of i03.
    pattern = re.compile(r"(  i03_structure:\n(?:    .*\n)*?      - date: )2026-09-01")
    text, count = pattern.subn(rf"\g<1>{value}", text)
    assert count == 1
    message = _error(tmp_path, text)
    (line,) = _lines_about(message, "i03_structure")
    assert line.startswith(str(tmp_path))
    assert "field 'history[1].date'" in line
    assert shown in line
    assert "ISO" in line


def test_history_out_of_order_and_status_disagreeing(tmp_path):
    data = _shipped()
    entry = data["items"]["i06_grants"]
    entry["history"].append({"date": "2026-08-01", "status": "sovittu", "text": "Väärä järjestys."})
    message = _error(tmp_path, data)
    lines = _lines_about(message, "i06_grants")
    assert any("field 'history[2].date'" in line and "date order" in line for line in lines)
    assert any(
        "field 'status'" in line and "last history status 'sovittu'" in line for line in lines
    )


def test_every_problem_is_listed_at_once(tmp_path):
    data = _shipped()
    del data["items"]["i02_councillors"]["owner"]
    data["items"]["i09_premises"]["history"] = []
    data["goals"]["g2_structures"]["evidence"]["survey"].append("i99_nothing")
    data["goals"]["g2_structures"]["evidence"]["documents"] = [{"title": "Muistio"}]
    message = _error(tmp_path, data)
    assert _lines_about(message, "i02_councillors")
    assert any("field 'history'" in line for line in _lines_about(message, "i09_premises"))
    g2 = _lines_about(message, "g2_structures")
    assert any("evidence.survey[" in line and "i99_nothing" in line for line in g2)
    assert any("evidence.documents[1]" in line and "'url' or 'path'" in line for line in g2)


def test_duplicate_key_and_unknown_section(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace("\ngoals:\n", "\ngoals:\n  g1_role:\n    owner: x\n", 1)
    message = _error(tmp_path, text)
    assert "duplicate key 'g1_role'" in message
    data = _shipped()
    data["itmes"] = {}
    assert "field 'itmes': unknown section" in _error(tmp_path, data)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_knowledge_base(path=tmp_path / "nothing.yaml")
