"""`survey init` drafts a questionnaire from exports of unseen surveys; ingest with it works."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from tilannekuva.paths import DataLayout
from tilannekuva.store import read_table
from tilannekuva.survey.draft import draft_questionnaire
from tilannekuva.survey.ingest import ingest_survey
from tilannekuva.survey.init import init_survey

from tests.conftest import run_cli
from tests.survey.other_exports import (
    EXPECTED_TYPES,
    PLANTED_EMAIL,
    PLANTED_PHONE,
    QUESTIONNAIRES,
    TOOLS,
    N,
    mean_of,
)

CASES = [(name, tool) for name in QUESTIONNAIRES for tool in TOOLS]


pytestmark = pytest.mark.usefixtures("project_region")


def _export(tmp_path, name: str, tool: str):
    path = tmp_path / f"{name}-{tool}"
    path.write_bytes(TOOLS[tool](QUESTIONNAIRES[name]))
    return path


@pytest.mark.parametrize(("name", "tool"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_inferred_types_are_what_a_person_would_choose(tmp_path, name, tool):
    draft = draft_questionnaire(_export(tmp_path, name, tool), name)
    spec = yaml.safe_load(draft.text)
    assert [q["type"] for q in spec["questions"]] == EXPECTED_TYPES[name]
    headers = [q["header"] for q in spec["questions"]]
    numbered = tool == "webropol.csv"
    assert headers == [
        f"{i}. {s.header}" if numbered else s.header for i, s in enumerate(QUESTIONNAIRES[name], 1)
    ]
    for question, source in zip(spec["questions"], QUESTIONNAIRES[name], strict=True):
        if source.kind == "single" or (source.kind == "multiple" and tool != "limesurvey.csv"):
            assert sorted(o["label"] for o in question["options"]) == sorted(source.options)
        if source.kind == "multiple" and tool == "limesurvey.csv":  # subquestion codes
            labels = [o["label"] for o in question["options"]]
            assert labels == [f"SQ{i + 1:03d}" for i in range(len(source.options))]
        if source.kind == "matrix":
            rows = [r["text"] for r in spec["row_sets"][question["rows"]]]
            expected = (
                [f"SQ{i + 1:03d}" for i in range(len(source.rows))]
                if tool == "limesurvey.csv"
                else list(source.rows)
            )
            assert rows == expected
            scale = spec["scales"][question["scale"]]
            assert sorted(scale) == [1, 2, 3, 4, 5]
            if tool in ("forms.xlsx", "google.csv"):  # the others export numbers only
                assert scale[5] == source.labels[5] and scale[1] == source.labels[1]
    # Identifying columns are marked to drop; the tools' time columns are left to ingest.
    identifying = {"webropol.csv": {"Vastaajan numero"}, "forms.xlsx": {"ID", "Email", "Name"},
                   "google.csv": {"Email Address"}, "limesurvey.csv": {"id", "ipaddr"}}[tool]  # fmt: skip
    assert set(spec["identifying"]) == identifying


@pytest.mark.parametrize(("name", "tool"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_ingest_with_the_draft_gives_known_counts_and_means(tmp_path, name, tool):
    data = tmp_path / "data"
    export = _export(tmp_path, name, tool)
    layout = DataLayout.at(data)
    init_survey(export, layout, name)
    ingest_survey(export, layout, survey_id=name)
    table = read_table(layout, f"surveys/{name}")
    assert len(table) == N
    assert not (data / "processed" / "survey.parquet").exists()  # the default survey untouched
    spec = yaml.safe_load((data / "config" / "surveys" / f"{name}.yaml").read_text("utf-8"))
    questions = spec["questions"]
    for question, source in zip(questions, QUESTIONNAIRES[name], strict=True):
        if source.kind == "matrix":
            for row, values in zip(spec["row_sets"][question["rows"]], source.answers, strict=True):
                column = question["column"].format(row=row["id"])
                mean, n = mean_of(values)
                assert table[column].notna().sum() == n
                assert table[column].mean() == pytest.approx(mean)
        elif source.kind == "scale":
            mean, n = mean_of(source.answers)
            assert table[question["id"]].notna().sum() == n
            assert table[question["id"]].mean() == pytest.approx(mean)
        elif source.kind == "single":
            by_label = {o["label"]: o["id"] for o in question["options"]}
            for label in source.options:
                expected = sum(a == label for a in source.answers)
                assert (table[question["id"]] == by_label[label]).sum() == expected
        elif source.kind == "multiple":
            # LimeSurvey's options are codes in column order; the others carry their labels.
            labels = (
                source.options
                if tool == "limesurvey.csv"
                else [o["label"] for o in question["options"]]
            )
            for option, label in zip(question["options"], labels, strict=True):
                expected = sum(label in chosen for chosen in source.answers)
                assert table[f"{question['id']}__{option['id']}"].sum() == expected
            answered = sum(bool(chosen) for chosen in source.answers)
            first = f"{question['id']}__{question['options'][0]['id']}"
            assert table[first].notna().sum() == answered
        elif source.kind == "municipality":
            # Korpilahti is an old name of Jyväskylä.
            expected = sum(a in ("Jyväskylä", "Korpilahti") for a in source.answers)
            assert (table["municipality"] == "Jyväskylä").sum() == expected
    text = "\n".join(str(v) for v in table.to_numpy().ravel())
    for secret in (PLANTED_EMAIL, PLANTED_PHONE, "esimerkki.fi", "Numero1"):
        assert secret not in text


def test_second_init_does_not_overwrite(tmp_path):
    data = tmp_path / "data"
    export = _export(tmp_path, "event", "forms.xlsx")
    run_cli("survey", "init", str(export), "--id", "palaute", "--data", str(data), check=True)
    path = data / "config" / "surveys" / "palaute.yaml"
    path.write_text(path.read_text("utf-8") + "# analyst's edit\n", encoding="utf-8")
    again = run_cli("survey", "init", str(export), "--id", "palaute", "--data", str(data))
    assert again.returncode == 1
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert path.read_text("utf-8").endswith("# analyst's edit\n")
    forced = run_cli(
        "survey", "init", str(export), "--id", "palaute", "--data", str(data), "--force"
    )
    assert forced.returncode == 0, forced.stderr
    assert "analyst's edit" not in path.read_text("utf-8")


def test_init_prints_a_finnish_summary(tmp_path):
    data = tmp_path / "data"
    export = _export(tmp_path, "partnership", "google.csv")
    result = run_cli("survey", "init", str(export), "--id", "kunta", "--data", str(data))
    assert result.returncode == 0, result.stderr
    for word in ("matriisi", "monivalinta", "kunta", "tunnistetieto", "ingest survey"):
        assert word in result.stdout


def test_ingesting_one_survey_never_touches_another(tmp_path):
    data = tmp_path / "data"
    layout = DataLayout.at(data)
    exports = {n: _export(tmp_path, n, "forms.xlsx") for n in QUESTIONNAIRES}
    for name, export in exports.items():
        run_cli("survey", "init", str(export), "--id", name, "--data", str(data), check=True)
    ingest_survey(exports["event"], layout, "2026-syksy", survey_id="event")
    before = (data / "processed" / "surveys" / "event.parquet").read_bytes()
    ingest_survey(exports["partnership"], layout, "2026-syksy", survey_id="partnership")
    assert (data / "processed" / "surveys" / "event.parquet").read_bytes() == before
    # The same round again is refused without --replace, and nothing changes.
    again = run_cli(
        "ingest", "survey", str(exports["event"]), "--survey", "event", "--round", "2026-syksy",
        "--data", str(data),
    )  # fmt: skip
    assert again.returncode == 1 and "--replace" in again.stderr
    assert (data / "processed" / "surveys" / "event.parquet").read_bytes() == before


def test_rebuild_processed_replays_other_surveys(tmp_path):
    data = tmp_path / "data"
    layout = DataLayout.at(data)
    export = _export(tmp_path, "event", "webropol.csv")
    run_cli("survey", "init", str(export), "--id", "event", "--data", str(data), check=True)
    run_cli("ingest", "survey", str(export), "--survey", "event", "--data", str(data), check=True)
    before = read_table(layout, "surveys/event")
    # The live questionnaire changes afterwards: the replay uses the archived copy.
    (data / "config" / "surveys" / "event.yaml").unlink()
    run_cli("rebuild-processed", "--data", str(data), check=True)
    after = read_table(layout, "surveys/event")
    pd.testing.assert_frame_equal(before, after)


def test_unknown_about_id_is_named_with_file_and_line(tmp_path):
    data = tmp_path / "data"
    export = _export(tmp_path, "event", "forms.xlsx")
    run_cli("survey", "init", str(export), "--id", "event", "--data", str(data), check=True)
    path = data / "config" / "surveys" / "event.yaml"
    lines = path.read_text("utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "type: scale" in line)
    lines.insert(at + 1, "    about: [i99_nothing]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("ingest", "survey", str(export), "--survey", "event", "--data", str(data))
    assert result.returncode == 1
    assert f"line {at + 2}" in result.stderr and "i99_nothing" in result.stderr
    assert not (data / "processed").exists() or not any((data / "processed").rglob("*.parquet"))


def test_demo_feedback_export_is_the_same_bytes_each_time():
    import time

    from tilannekuva.demo.feedback import feedback_xlsx

    first = feedback_xlsx()
    time.sleep(1.1)  # a save time in the file would differ now
    assert feedback_xlsx() == first


def test_two_row_webropol_workbook_of_the_demo(tmp_path):
    """The demo's export: questions above, matrix rows below, a free-worded e-mail column."""
    from tilannekuva.demo.feedback import feedback_xlsx

    path = tmp_path / "palaute.xlsx"
    path.write_bytes(feedback_xlsx())
    draft = draft_questionnaire(path, "palaute")
    spec = yaml.safe_load(draft.text)
    types = [q["type"] for q in spec["questions"]]
    assert types == ["single", "municipality", "matrix", "scale", "multiple", "text"]
    assert draft.header_rows == "rivit 1–2"
    (matrix,) = [q for q in spec["questions"] if q["type"] == "matrix"]
    assert len(spec["row_sets"][matrix["rows"]]) == 5
    assert spec["identifying"] == [
        "Vastaajan numero",
        "7. Sähköpostiosoitteesi, jos haluat kutsun seuraavaan tilaisuuteen",
    ]
    single = spec["questions"][0]
    assert "Järjestö, jossa on palkattuja työntekijöitä" in [o["label"] for o in single["options"]]
