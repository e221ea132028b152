"""Parameter schemas of the report notebooks.

Every parameter set is validated here before any kernel starts: unknown keys and
wrong types are errors (papermill itself only warns). A test keeps each
notebook's ``parameters`` cell in agreement with its schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from tilannekuva.errors import UsageError


class PageParams(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    data_dir: str = "../data"  # relative to notebooks/ when an analyst runs a notebook by hand
    demo: bool = False  # set by the build from the processed data's provenance


class OverviewParams(PageParams):
    region: str = "MK13"


class FieldParams(PageParams):
    region: str = "MK13"
    municipality: str | None = None  # 3-digit code; None = the whole region


class SurveyParams(PageParams):
    region: str = "MK13"
    subregion: str | None = None  # sub-region code, e.g. "131"
    org_type: str | None = None  # respondent group (option id of org_type)


class OpenAnswersParams(PageParams):
    region: str = "MK13"


class PrioritiesParams(PageParams):
    region: str = "MK13"


class CardParams(PageParams):
    municipality: str = "179"


SCHEMAS: dict[str, type[PageParams]] = {
    "00_yleiskuva": OverviewParams,
    "10_jarjestokentta": FieldParams,
    "20_kysely": SurveyParams,
    "30_avoimet": OpenAnswersParams,
    "40_painopisteet": PrioritiesParams,
    "50_kuntakortti": CardParams,
}


def validate_parameters(notebook: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The full, validated parameter set of a page (defaults filled in)."""
    schema = SCHEMAS.get(notebook)
    if schema is None:
        raise UsageError(
            f"notebook '{notebook}' has no parameter schema in tilannekuva.batch.params"
        )
    try:
        return schema.model_validate(parameters).model_dump()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise UsageError(f"parameters of {notebook}: {problems}") from exc
