"""LimeSurvey exports with question and answer codes: the structure export gives the texts."""

from __future__ import annotations

import pytest
import yaml
from tilannekuva.paths import DataLayout
from tilannekuva.store import read_table

from tests.conftest import run_cli
from tests.survey import limesurvey_files as ls

STRUCTURES = {
    "lss5.lss": lambda: ls.lss(5),
    "lss3.lss": lambda: ls.lss(3),
    "rakenne.txt": ls.tsv,
}


def _files(tmp_path, structure: str, headers: str = "code"):
    export = tmp_path / "vastaukset.csv"
    export.write_bytes(ls.response_csv(headers))
    path = tmp_path / structure
    path.write_bytes(STRUCTURES[structure]())
    return export, path


def _init(tmp_path, export, *extra):
    data = tmp_path / "data"
    result = run_cli("survey", "init", str(export), "--id", "palaute", "--data", str(data), *extra)
    return data, result


@pytest.mark.parametrize("structure", list(STRUCTURES))
def test_structure_gives_texts_and_ingest_with_the_draft_gives_labels(tmp_path, structure):
    export, path = _files(tmp_path, structure)
    data, result = _init(tmp_path, export, "--structure", str(path))
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load((data / "config/surveys/palaute.yaml").read_text("utf-8"))
    questions = spec["questions"]
    assert [q["type"] for q in questions] == ["single", "matrix", "multiple", "text", "scale"]
    who, array, parts, _, overall = questions
    assert who["header"] == "Millaista toimijaa edustat?"  # the HTML is gone
    assert [o["label"] for o in who["options"]] == list(ls.WHO.values())  # A4 too
    assert who["aliases"] == ["G01Q01"] and who["codes"]["A2"] == ls.WHO["A2"]
    rows = spec["row_sets"][array["rows"]]
    assert [r["text"] for r in rows] == list(ls.ROWS.values())
    assert [r["aliases"] for r in rows] == [["SQ001"], ["SQ002"], ["SQ003"]]
    assert spec["scales"][array["scale"]][5] == "Erittäin hyvin"
    assert [o["label"] for o in parts["options"]] == list(ls.PARTS.values())
    assert overall["aliases"] == ["G01Q05"]
    # The coded export is ingested with the draft alone.
    ingest = run_cli("ingest", "survey", str(export), "--survey", "palaute", "--data", str(data))
    assert ingest.returncode == 0, ingest.stderr
    table = read_table(DataLayout.at(data), "surveys/palaute")
    assert len(table) == ls.N
    ids = {o["label"]: o["id"] for o in who["options"]}
    counts = table[who["id"]].value_counts().to_dict()
    assert counts == {ids[ls.WHO["A1"]]: 10, ids[ls.WHO["A2"]]: 5, ids[ls.WHO["A3"]]: 5}
    column = array["column"].format(row=rows[0]["id"])
    assert table[column].dropna().astype(float).mean() == pytest.approx(13 / 3)
    assert table[column].isna().sum() == 5  # "En osaa sanoa" is a missing answer
    assert table[array["column"].format(row=rows[1]["id"])].dropna().mean() == pytest.approx(3.5)
    chosen = table[f"{parts['id']}__{parts['options'][1]['id']}"]
    assert int(chosen.sum()) == 14  # Työpajat: "Y" on two rows of every three
    assert table[overall["id"]].astype(float).mean() == pytest.approx(4.0)


def test_code_and_text_headers_with_answer_codes(tmp_path):
    export, path = _files(tmp_path, "lss5.lss", headers="code-text")
    data, result = _init(tmp_path, export, "--structure", str(path))
    assert result.returncode == 0, result.stderr
    ingest = run_cli("ingest", "survey", str(export), "--survey", "palaute", "--data", str(data))
    assert ingest.returncode == 0, ingest.stderr
    table = read_table(DataLayout.at(data), "surveys/palaute")
    assert len(table) == ls.N and table.filter(like="__").notna().any().all()


def test_codes_only_export_without_structure_says_what_to_do(tmp_path):
    export, _ = _files(tmp_path, "lss5.lss")
    data, result = _init(tmp_path, export)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--structure" in lines[0] and "LimeSurvey" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (data / "config" / "surveys" / "palaute.yaml").exists()


def test_a_broken_or_foreign_structure_file_is_named(tmp_path):
    export, _ = _files(tmp_path, "lss5.lss")
    broken = tmp_path / "rikki.lss"
    broken.write_bytes(ls.lss(5)[:300])
    data, result = _init(tmp_path, export, "--structure", str(broken))
    assert result.returncode == 1 and str(broken) in result.stderr
    assert "Traceback" not in result.stderr
    other = tmp_path / "muu.txt"
    other.write_text("a\tb\n1\t2\n", encoding="utf-8")
    _, result = _init(tmp_path, export, "--structure", str(other))
    assert result.returncode == 1 and "class, type/scale, name, text" in result.stderr
    assert not (data / "config" / "surveys" / "palaute.yaml").exists()


def test_a_code_missing_from_the_structure_is_named(tmp_path):
    export, path = _files(tmp_path, "rakenne.txt")
    text = path.read_text("utf-8").replace("G01Q05", "G01Q99")
    path.write_text(text, encoding="utf-8")
    _, result = _init(tmp_path, export, "--structure", str(path))
    assert result.returncode == 1 and "G01Q05" in result.stderr
