"""The surveys of a data directory: the default one and any number of others.

A survey is an id, a questionnaire file and its rounds. The default survey
keeps ``config/questionnaire.yaml`` and ``processed/survey.parquet`` (its pages
are the field's own); every other survey ``<id>`` has
``config/surveys/<id>.yaml`` and ``processed/surveys/<id>.parquet``, written
by ``ingest survey FILE --survey <id>``, so ingesting one survey never touches
another. An ``about:`` list on a question or a matrix row names the items and
goals of the default questionnaire it speaks to; unknown ids stop with the
file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tilannekuva.errors import ConfigError, UsageError
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import (
    SURVEY_ID,
    SURVEYS_FOLDER,
    Questionnaire,
    load_questionnaire,
    survey_questionnaire_file,
)

DEFAULT_TABLE = "survey"
TABLES_FOLDER = "surveys"  # processed/surveys/<id>.parquet
# The default questionnaire's row sets whose ids `about:` may name.
ABOUT_ROW_SETS = ("items", "goals")


@dataclass(frozen=True)
class Survey:
    """One survey of a data directory: where its questions and answers live."""

    id: str
    title: str
    questionnaire_file: Path
    table: str  # processed table name ("survey" or "surveys/<id>")
    default: bool = False

    @property
    def report_file(self) -> str:
        """The ingest report's path under ``processed/``."""
        return f"{self.table}.ingest-report.txt"

    @property
    def archive_source(self) -> str:
        """Where its inputs are archived under ``raw/`` (``survey`` or ``surveys/<id>``)."""
        return "survey" if self.default else f"{TABLES_FOLDER}/{self.id}"


def check_survey_id(survey_id: str) -> str:
    if not SURVEY_ID.fullmatch(survey_id or ""):
        raise UsageError(
            f"survey id '{survey_id}': expected lower-case letters, digits, '-' or '_' "
            "(e.g. jarjestopaiva-2026)"
        )
    return survey_id


def default_survey(layout: DataLayout) -> Survey:
    from tilannekuva.settings import QUESTIONNAIRE_FILE

    path = layout.config_file(QUESTIONNAIRE_FILE)
    questionnaire = load_questionnaire(path)
    return Survey(questionnaire.id, questionnaire.title, path, DEFAULT_TABLE, default=True)


def survey_for(
    layout: DataLayout, survey_id: str | None, questionnaire_file: Path | None = None
) -> Survey:
    """The survey ``survey_id`` (None, or the default questionnaire's id: the default survey).

    ``questionnaire_file``: the questions to use instead of the live file (a replay
    of an ingest reads the copy archived with it).
    """
    if survey_id is None:
        return default_survey(layout)
    check_survey_id(survey_id)
    if questionnaire_file is not None:
        questionnaire = load_survey_questionnaire(layout, questionnaire_file)
        return Survey(survey_id, questionnaire.title, questionnaire_file, _table(survey_id))
    default = default_survey(layout)
    if survey_id == default.id:
        return default
    path = survey_questionnaire_file(layout, survey_id)
    if not path.exists():
        raise ConfigError(
            f"{layout.root / SURVEYS_FOLDER / (survey_id + '.yaml')}: no questionnaire for survey "
            f"'{survey_id}'; draft one with `tilannekuva survey init FILE --id {survey_id}`"
        )
    questionnaire = load_survey_questionnaire(layout, path)
    return Survey(survey_id, questionnaire.title, path, _table(survey_id))


def _table(survey_id: str) -> str:
    return f"{TABLES_FOLDER}/{survey_id}"


def extra_surveys(layout: DataLayout) -> list[Survey]:
    """Every non-default survey with ingested answers, by id."""
    folder = layout.processed / TABLES_FOLDER
    if not folder.is_dir():
        return []
    return [survey_for(layout, path.stem) for path in sorted(folder.glob("*.parquet"))]


def about_ids(layout: DataLayout) -> dict[str, str]:
    """Item and goal ids an ``about:`` may name → their short labels (default questionnaire)."""
    default = load_questionnaire(default_survey(layout).questionnaire_file)
    return {
        row.id: row.display for name in ABOUT_ROW_SETS for row in default.row_sets.get(name, [])
    }


def load_survey_questionnaire(layout: DataLayout, path: Path) -> Questionnaire:
    """A survey's questionnaire, its ``about:`` ids checked against the items and goals."""
    questionnaire = load_questionnaire(path)
    known = about_ids(layout)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    problems = []
    for where, item in questionnaire.about_ids():
        if item not in known:
            line = next(
                (
                    number
                    for number, text in enumerate(lines, 1)
                    if "about" in text and re.search(rf"\b{re.escape(item)}\b", text)
                ),
                "?",
            )
            problems.append(
                f"{path}: line {line}: '{where}': about '{item}' is not an item or goal; "
                f"expected one of {', '.join(sorted(known))}"
            )
    if problems:
        raise ConfigError("\n".join(problems))
    return questionnaire
