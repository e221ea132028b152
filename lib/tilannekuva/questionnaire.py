"""The questionnaire as data: loaded from YAML, validated, expanded into columns.

The default questionnaire is ``data/config/questionnaire.yaml``. Everything that
depends on questions (ingestion, the demo, analysis, labels on charts) reads it
through :func:`load_questionnaire`, so adding a question or changing a scale is
an edit of that file alone.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tilannekuva.errors import ConfigError
from tilannekuva.paths import PROJECT_DATA, DataLayout
from tilannekuva.yamlfile import key_lines, load_yaml

QUESTIONNAIRE_FILE = "config/questionnaire.yaml"

QuestionType = Literal["single", "multiple", "municipality", "matrix", "scale", "text"]
SURVEYS_FOLDER = "config/surveys"  # one questionnaire file per extra survey: <id>.yaml
PAIR_ERROR = "pair"  # messages of the importance–state pair's check start "pair: "
SURVEY_ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    id: str
    label: str
    short: str | None = None
    aliases: list[str] = Field(default_factory=list)

    @property
    def display(self) -> str:
        return self.short or self.label


class Row(_Strict):
    id: str
    text: str
    short: str | None = None
    aliases: list[str] = Field(default_factory=list)
    about: list[str] = Field(default_factory=list)  # items or goals this row speaks to

    @property
    def display(self) -> str:
        return self.short or self.text


class Question(_Strict):
    id: str
    type: QuestionType
    header: str
    short: str | None = None
    aliases: list[str] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    scale: str | None = None
    rows: str | None = None
    column: str | None = None
    whole_region_label: str | None = None
    group: bool = False  # results are also broken down by this question's answers
    about: list[str] = Field(default_factory=list)  # items or goals this question speaks to
    # Answer codes of the export → the answer they stand for (LimeSurvey: A1 → its label).
    codes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        if self.type in ("single", "multiple") and not self.options:
            raise ValueError(f"question '{self.id}' of type {self.type} needs options")
        if self.type == "scale" and not self.scale:
            raise ValueError(f"scale question '{self.id}' needs a scale")
        if self.group and self.type not in ("single", "municipality"):
            raise ValueError(
                f"question '{self.id}': only single-choice and municipality questions can group"
            )
        if self.type == "matrix" and not (self.scale and self.rows and self.column):
            raise ValueError(f"matrix question '{self.id}' needs scale, rows and column")
        if self.type == "matrix" and "{row}" not in (self.column or ""):
            raise ValueError(f"matrix question '{self.id}': column must contain {{row}}")
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(f"question '{self.id}' has duplicate option ids")
        return self


class ImportanceState(_Strict):
    """Two matrix questions over the same rows: how important each row is and how it stands.

    Declared at the top of a questionnaire as ``pair: {importance: q_imp, state: q_state}``;
    the importance–state analysis (``analysis.ipa``) runs on every such pair.
    """

    importance: str
    state: str


class ScaleColumn(_Strict):
    """One scale column of the processed table (a row of a matrix question)."""

    column: str
    question: str
    row: Row
    header: str
    scale: str


class Questionnaire(_Strict):
    id: str
    title: str
    missing_labels: list[str] = Field(default_factory=lambda: ["En osaa sanoa"])
    scales: dict[str, dict[int, str]]
    questions: list[Question]
    row_sets: dict[str, list[Row]] = Field(default_factory=dict)
    # Export headers that identify a respondent: dropped at ingest, never stored.
    identifying: list[str] = Field(default_factory=list)
    pair: ImportanceState | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        ids = [q.id for q in self.questions]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"duplicate question ids: {sorted(duplicates)}")
        for q in self.questions:
            if q.type == "scale" and q.scale not in self.scales:
                raise ValueError(f"question '{q.id}': unknown scale '{q.scale}'")
            if q.type == "matrix":
                if q.scale not in self.scales:
                    raise ValueError(f"question '{q.id}': unknown scale '{q.scale}'")
                if q.rows not in self.row_sets:
                    raise ValueError(f"question '{q.id}': unknown row set '{q.rows}'")
        for name, labels in self.scales.items():
            if sorted(labels) != list(range(min(labels), max(labels) + 1)):
                raise ValueError(f"scale '{name}' must have consecutive integer points")
        if self.pair is not None:
            self._check_pair(self.pair)
        return self

    def _check_pair(self, pair: ImportanceState) -> None:
        try:
            self._check_pair_questions(pair)
        except ValueError as exc:
            raise ValueError(f"{PAIR_ERROR}: {exc}") from exc

    def _check_pair_questions(self, pair: ImportanceState) -> None:
        known = {q.id: q for q in self.questions}
        for role, qid in (("importance", pair.importance), ("state", pair.state)):
            if qid not in known:
                raise ValueError(f"{role}: no question '{qid}'; expected a matrix question's id")
            if known[qid].type != "matrix":
                raise ValueError(
                    f"{role}: question '{qid}' is {known[qid].type}; expected a matrix question"
                )
        importance, state = known[pair.importance], known[pair.state]
        if pair.importance == pair.state:
            raise ValueError("importance and state must be two different matrix questions")
        if importance.rows != state.rows:
            raise ValueError(
                f"questions '{importance.id}' (rows '{importance.rows}') and '{state.id}' "
                f"(rows '{state.rows}') must ask about the same rows"
            )
        ranges = {q.id: self.scale_range(q.scale or "") for q in (importance, state)}
        if len(set(ranges.values())) > 1:
            raise ValueError(
                "importance and state must be on scales of the same range (the gap is their "
                f"difference): {', '.join(f'{k} {lo}–{hi}' for k, (lo, hi) in ranges.items())}"
            )

    @property
    def importance_state(self) -> ImportanceState | None:
        """The declared pair; else the default questionnaire's ``importance`` and ``state``."""
        if self.pair is not None:
            return self.pair
        ids = {q.id: q for q in self.of_type("matrix")}
        if {"importance", "state"} <= set(ids) and ids["importance"].rows == ids["state"].rows:
            return ImportanceState(importance="importance", state="state")
        return None

    def pair_columns(self, row_id: str) -> tuple[str, str]:
        """The processed importance and state columns of a row of the pair."""
        pair = self.importance_state
        if pair is None:
            raise KeyError(f"questionnaire '{self.id}' declares no importance–state pair")
        return tuple(  # type: ignore[return-value]
            (self.question(qid).column or "").format(row=row_id)
            for qid in (pair.importance, pair.state)
        )

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def of_type(self, kind: QuestionType) -> list[Question]:
        return [q for q in self.questions if q.type == kind]

    def rows(self, question_id: str) -> list[Row]:
        q = self.question(question_id)
        return list(self.row_sets[q.rows]) if q.rows else []

    @cached_property
    def scale_columns(self) -> list[ScaleColumn]:
        """Every scale column, in questionnaire order (``i01_agreement__importance``, …)."""
        out = []
        for q in self.of_type("matrix"):
            for row in self.row_sets[q.rows or ""]:
                out.append(
                    ScaleColumn(
                        column=(q.column or "").format(row=row.id),
                        question=q.id,
                        row=row,
                        header=f"{q.header} – {row.text}",
                        scale=q.scale or "",
                    )
                )
        return out

    @cached_property
    def scale_targets(self) -> dict[str, str]:
        """Every processed scale column (matrix rows and scale questions) → its scale's name."""
        targets = {c.column: c.scale for c in self.scale_columns}
        for q in self.of_type("scale"):
            targets[q.id] = q.scale or ""
        return targets

    def about_ids(self) -> list[tuple[str, str]]:
        """(where, id) of every ``about`` declaration: ``question`` or ``question/row``."""
        found = [(q.id, a) for q in self.questions for a in q.about]
        for q in self.of_type("matrix"):
            found += [(f"{q.id}/{r.id}", a) for r in self.rows(q.id) for a in r.about]
        return found

    def option_label(self, question_id: str, option_id: str) -> str:
        for option in self.question(question_id).options:
            if option.id == option_id:
                return option.display
        return option_id

    def scale_range(self, scale: str) -> tuple[int, int]:
        points = self.scales[scale]
        return min(points), max(points)


def load_questionnaire(path: Path | None = None, layout: DataLayout | None = None) -> Questionnaire:
    """Load and validate a questionnaire file (default: the project's).

    Read once per file version (pages ask for it several times; parsing costs 30 ms).
    """
    if path is None:
        # Never relative to the working directory: the data directory's, else the project's.
        path = (layout or DataLayout.at(PROJECT_DATA)).config_file(QUESTIONNAIRE_FILE)
    try:
        stat = Path(path).stat()
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: questionnaire file not found") from exc
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


def survey_questionnaire_file(layout: DataLayout, survey_id: str) -> Path:
    """``config/surveys/<id>.yaml`` of the data directory (else the project's)."""
    return layout.config_file(f"{SURVEYS_FOLDER}/{survey_id}.yaml")


@lru_cache(maxsize=32)
def _load(path: str, mtime_ns: int, size: int) -> Questionnaire:
    raw = load_yaml(path, "questionnaire file")
    try:
        return Questionnaire.model_validate(raw)
    except ValidationError as exc:
        lines = key_lines(Path(path).read_text(encoding="utf-8"))
        raise ConfigError("\n".join(_message(path, err, lines) for err in exc.errors())) from exc


def _message(path: str, err: dict, lines: dict[str, int]) -> str:
    """One validation error with the line of its top-level key (``pair: …`` → its line)."""
    where = ".".join(str(p) for p in err["loc"])
    line = lines.get(str(err["loc"][0])) if err["loc"] else None
    if line is None and not err["loc"] and f"{PAIR_ERROR}:" in err["msg"]:
        # The pair is checked against the whole questionnaire: point at its line.
        line = lines.get(PAIR_ERROR)
    prefix = f"line {line}: " if line else ""
    return f"{path}: {prefix}{where or '(top)'}: {err['msg']}"
