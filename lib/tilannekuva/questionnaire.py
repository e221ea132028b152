"""The questionnaire as data: loaded from YAML, validated, expanded into columns.

The default questionnaire is ``data/config/questionnaire.yaml``. Everything that
depends on questions (ingestion, the demo, analysis, labels on charts) reads it
through :func:`load_questionnaire`, so adding a question or changing a scale is
an edit of that file alone.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tilannekuva.errors import ConfigError
from tilannekuva.paths import PROJECT_DATA, DataLayout
from tilannekuva.yamlfile import load_yaml

QUESTIONNAIRE_FILE = "config/questionnaire.yaml"

QuestionType = Literal["single", "multiple", "municipality", "matrix", "text"]


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

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        if self.type in ("single", "multiple") and not self.options:
            raise ValueError(f"question '{self.id}' of type {self.type} needs options")
        if self.type == "matrix" and not (self.scale and self.rows and self.column):
            raise ValueError(f"matrix question '{self.id}' needs scale, rows and column")
        if self.type == "matrix" and "{row}" not in (self.column or ""):
            raise ValueError(f"matrix question '{self.id}': column must contain {{row}}")
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(f"question '{self.id}' has duplicate option ids")
        return self


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

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        ids = [q.id for q in self.questions]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"duplicate question ids: {sorted(duplicates)}")
        for q in self.questions:
            if q.type == "matrix":
                if q.scale not in self.scales:
                    raise ValueError(f"question '{q.id}': unknown scale '{q.scale}'")
                if q.rows not in self.row_sets:
                    raise ValueError(f"question '{q.id}': unknown row set '{q.rows}'")
        for name, labels in self.scales.items():
            if sorted(labels) != list(range(min(labels), max(labels) + 1)):
                raise ValueError(f"scale '{name}' must have consecutive integer points")
        return self

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


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> Questionnaire:
    raw = load_yaml(path, "questionnaire file")
    try:
        return Questionnaire.model_validate(raw)
    except ValidationError as exc:
        lines = [
            f"{path}: {'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        ]
        raise ConfigError("\n".join(lines)) from exc
