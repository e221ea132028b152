"""A configured question missing from the processed survey table: one line, what to run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tilannekuva.batch.pages import Page
from tilannekuva.batch.preflight import PreflightError, check_survey_questions, survey_columns
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.survey.schema import survey_schema

from tests.conftest import run_cli

META = {"round", "respondent", "source_sha256"}


def test_the_columns_are_those_the_ingest_writes():
    questionnaire = load_questionnaire()
    assert set(survey_columns(questionnaire)) == set(survey_schema(questionnaire).columns) - META


def _survey_without(layout: DataLayout, dropped: str) -> None:
    columns = [c for c in survey_columns(load_questionnaire()) if not c.startswith(dropped)]
    layout.processed.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame({c: pd.Series([None], dtype="string") for c in [*META, *columns]})
    frame.to_parquet(layout.processed / "survey.parquet")


def page(reads: tuple[str, ...]) -> Page:
    return Page("20_kysely", "20_kysely", "Kysely", "Kysely", {}, reads=reads)


def test_a_question_missing_from_the_table_names_the_question_and_the_command(tmp_path: Path):
    layout = DataLayout.at(tmp_path)
    _survey_without(layout, "i13_")
    with pytest.raises(PreflightError) as raised:
        check_survey_questions(layout, load_questionnaire(), [page(("survey",))])
    lines = str(raised.value).splitlines()
    # Both scale columns of the item are missing; the question is named once.
    assert len(lines) == 1
    assert lines[0].startswith("kysymys i13_health_promotion puuttuu aineistosta ")
    assert "processed/survey.parquet" in lines[0]
    assert "tilannekuva rebuild-processed" in lines[0] and "ingest survey" in lines[0]


def test_pages_that_do_not_read_the_survey_are_not_stopped(tmp_path: Path):
    layout = DataLayout.at(tmp_path)
    _survey_without(layout, "i13_")
    check_survey_questions(layout, load_questionnaire(), [page(("associations",))])


def test_a_complete_table_passes(tmp_path: Path):
    layout = DataLayout.at(tmp_path)
    _survey_without(layout, "no-such-prefix")
    check_survey_questions(layout, load_questionnaire(), [page(("survey",))])


def test_the_build_stops_before_any_kernel_with_that_line(tmp_path: Path):
    layout = DataLayout.at(tmp_path / "data")
    _survey_without(layout, "i13_")
    pages = tmp_path / "pages.yaml"
    pages.write_text("pages:\n  - notebook: 30_avoimet\n    reads: [survey]\n", encoding="utf-8")
    (tmp_path / "30_avoimet.py").write_text("# %%\nprint(1)\n", encoding="utf-8")
    result = run_cli(
        "build", "--data", str(layout.root), "--out", str(tmp_path / "site"), "--pages", str(pages)
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "kysymys i13_health_promotion puuttuu aineistosta" in errors[0]
    assert not (tmp_path / "site").exists()
