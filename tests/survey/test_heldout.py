"""Export shapes the tests had not seen: each gives a correct draft and ingest."""

from __future__ import annotations

import pytest
import yaml
from tilannekuva.paths import DataLayout
from tilannekuva.store import read_table
from tilannekuva.survey.ingest import ingest_survey
from tilannekuva.survey.init import init_survey

from tests.survey.heldout_exports import EXTRA_TYPES, SHAPES
from tests.survey.other_exports import (
    EXPECTED_TYPES,
    PLANTED_EMAIL,
    PLANTED_PHONE,
    QUESTIONNAIRES,
    N,
    mean_of,
)

CASES = [(name, shape) for name in QUESTIONNAIRES for shape in SHAPES]


pytestmark = pytest.mark.usefixtures("project_region")


@pytest.mark.parametrize(("name", "shape"), CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_unseen_export_shapes_give_a_correct_draft_and_ingest(tmp_path, name, shape):
    export = tmp_path / shape
    export.write_bytes(SHAPES[shape](QUESTIONNAIRES[name]))
    data = tmp_path / "data"
    layout = DataLayout.at(data)
    result = init_survey(export, layout, name)
    spec = yaml.safe_load(result.path.read_text("utf-8"))
    questions = spec["questions"]
    assert [q["type"] for q in questions] == EXPECTED_TYPES[name] + EXTRA_TYPES.get(shape, [])
    ingest_survey(export, layout, survey_id=name)
    table = read_table(layout, f"surveys/{name}")
    assert len(table) == N
    for question, source in zip(questions, QUESTIONNAIRES[name], strict=False):
        assert question["header"].endswith(source.header)
        if source.kind == "matrix":
            for row, values in zip(spec["row_sets"][question["rows"]], source.answers, strict=True):
                column = question["column"].format(row=row["id"])
                mean, n = mean_of(values)
                assert table[column].notna().sum() == n
                assert table[column].mean() == pytest.approx(mean)
        elif source.kind == "scale":
            mean, n = mean_of(source.answers)
            assert table[question["id"]].mean() == pytest.approx(mean)
            assert table[question["id"]].notna().sum() == n
        elif source.kind == "single":
            by_label = {o["label"]: o["id"] for o in question["options"]}
            for label in source.options:
                expected = sum(a == label for a in source.answers)
                assert (table[question["id"]] == by_label[label]).sum() == expected
        elif source.kind == "multiple":
            for option in question["options"]:
                expected = sum(option["label"] in chosen for chosen in source.answers)
                assert table[f"{question['id']}__{option['id']}"].sum() == expected
            assert sorted(o["label"] for o in question["options"]) == sorted(source.options)
        elif source.kind == "municipality":
            expected = sum(a in ("Jyväskylä", "Korpilahti") for a in source.answers)
            assert (table["municipality"] == "Jyväskylä").sum() == expected
        elif source.kind == "text":
            assert table[question["id"]].notna().sum() == sum(bool(a) for a in source.answers)
    text = "\n".join(str(v) for v in table.to_numpy().ravel())
    for secret in (PLANTED_EMAIL, PLANTED_PHONE, "esimerkki.fi", "192.0.2."):
        assert secret not in text


def test_surveymonkey_other_boxes_and_an_osittain_agreement_scale(tmp_path):
    from tests.survey.heldout_exports import (
        KINDS,
        MONKEY_N,
        STATEMENTS,
        surveymonkey_other_csv,
    )

    export = tmp_path / "monkey.csv"
    export.write_bytes(surveymonkey_other_csv())
    layout = DataLayout.at(tmp_path / "data")
    spec = yaml.safe_load(init_survey(export, layout, "tuki").path.read_text("utf-8"))
    questions = spec["questions"]
    assert [q["type"] for q in questions] == ["single", "text", "matrix", "multiple", "text"]
    assert [o["label"] for o in questions[3]["options"]] == ["Tilat", "Avustukset"]
    ingest_survey(export, layout, survey_id="tuki")
    table = read_table(layout, "surveys/tuki")
    assert len(table) == MONKEY_N
    kinds = {o["label"]: o["id"] for o in questions[0]["options"]}
    assert (table[questions[0]["id"]] == kinds[KINDS[2]]).sum() == 6
    assert table[questions[1]["id"]].notna().sum() == 6  # the respondents' own words kept
    matrix = questions[2]
    for row in spec["row_sets"][matrix["rows"]]:
        values = STATEMENTS[row["text"]]
        answers = [values[i % len(values)] for i in range(MONKEY_N)]
        mean, n = mean_of(answers)
        column = table[matrix["column"].format(row=row["id"])]
        assert column.notna().sum() == n and column.mean() == pytest.approx(mean)
    assert table[questions[4]["id"]].notna().sum() == 4


def test_equal_answers_without_an_id_or_time_column_are_all_kept(tmp_path):
    """A one-question poll of ten: five distinct answers, ten respondents, none dropped."""
    export = tmp_path / "kysely.csv"
    export.write_text("Arvio\n" + "".join(f"{1 + i % 5}\n" for i in range(10)), encoding="utf-8")
    layout = DataLayout.at(tmp_path / "data")
    init_survey(export, layout, "kysely")
    report = ingest_survey(export, layout, survey_id="kysely")
    table = read_table(layout, "surveys/kysely")
    assert len(table) == 10 and table.iloc[:, 2].astype(float).mean() == pytest.approx(3.0)
    assert report.duplicates == [] and "5 rows repeat an earlier row's answers" in report.to_text()


def test_two_question_columns_with_one_header_are_named(tmp_path):
    from tilannekuva.errors import InputError

    export = tmp_path / "kaksi.csv"
    rows = ["Aikaleima,Arvio,Arvio"] + [f"1.10.2026 9.{i:02d},{1 + i % 5},{5 - i % 5}"
                                         for i in range(12)]  # fmt: skip
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    layout = DataLayout.at(tmp_path / "data")
    with pytest.raises(InputError) as caught:
        init_survey(export, layout, "kaksi")
    (problem,) = caught.value.problems
    assert "'Arvio' heads columns B, C" in problem.expected and problem.file == str(export)
    assert not (tmp_path / "data" / "config" / "surveys" / "kaksi.yaml").exists()


def test_municipalities_written_as_kunta_or_kaupunki(tmp_path):
    """ "Laukaan kunta", "Jyväskylän kaupunki": the genitive before kunta/kaupunki."""
    forms = {"Laukaan kunta": "Laukaa", "Jyväskylän kaupunki": "Jyväskylä",
             "Konneveden kunta": "Konnevesi", "Pihtiputaan kunta": "Pihtipudas",
             "Korpilahden kunta": "Jyväskylä", "Muurame": "Muurame"}  # fmt: skip
    values = list(forms) * 3
    export = tmp_path / "kunnat.csv"
    export.write_text(
        "ID;Kunta;Arvio\n" + "".join(f"{i};{v};{1 + i % 5}\n" for i, v in enumerate(values)),
        encoding="utf-8",
    )
    layout = DataLayout.at(tmp_path / "data")
    spec = yaml.safe_load(init_survey(export, layout, "kunnat").path.read_text("utf-8"))
    assert [q["type"] for q in spec["questions"]] == ["municipality", "scale"]
    ingest_survey(export, layout, survey_id="kunnat")
    table = read_table(layout, "surveys/kunnat")
    assert table["municipality"].tolist() == [forms[v] for v in values]
