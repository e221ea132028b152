"""Parameter schemas of the report notebooks.

Every parameter set is validated here before any kernel starts: unknown keys and
wrong types are errors (papermill itself only warns). A test keeps each
notebook's ``parameters`` cell in agreement with its schema.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

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


class OtherSurveyParams(PageParams):
    survey: str = "jarjestopaiva"  # id of a survey in config/surveys/


class OpenAnswersParams(PageParams):
    region: str = "MK13"


class PrioritiesParams(PageParams):
    region: str = "MK13"


class CardParams(PageParams):
    municipality: str = "179"


class DocumentParams(PageParams):
    document: str = ""  # the document's id (processed/documents.parquet)


SCHEMAS: dict[str, type[PageParams]] = {
    "00_yleiskuva": OverviewParams,
    "10_jarjestokentta": FieldParams,
    "20_kysely": SurveyParams,
    "25_muu_kysely": OtherSurveyParams,
    "30_avoimet": OpenAnswersParams,
    "40_painopisteet": PrioritiesParams,
    "45_asiakirja": DocumentParams,
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


_TRUE = {"true", "yes", "on", "1", "kyllä", "k"}
_FALSE = {"false", "no", "off", "0", "ei", "e"}
_NONE = {"", "none", "null", "~"}


def _types(annotation: Any) -> tuple[type, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def parse_parameter_text(notebook: str, key: str, text: str) -> Any:
    """A ``--param key=text`` value read as the type of the notebook's field ``key``.

    A string field keeps the text as written (``179`` stays ``"179"``, not the
    number 179); bool and number fields parse it; ``none`` or nothing is None only
    for a field that may be None. An unknown key is returned as text and reported
    by :func:`validate_parameters` with the notebook's other problems.
    """
    field = SCHEMAS[notebook].model_fields.get(key) if notebook in SCHEMAS else None
    if field is None:
        return text
    kinds = _types(field.annotation)
    if type(None) in kinds and text.strip().casefold() in _NONE:
        return None
    if str in kinds:
        return text
    word = text.strip().casefold()
    if bool in kinds:
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise UsageError(f"--param {key}={text}: expected true or false ({notebook})")
    if int in kinds:
        try:
            return int(word)
        except ValueError:
            raise UsageError(
                f"--param {key}={text}: expected a whole number ({notebook})"
            ) from None
    if float in kinds:
        try:
            return float(word)
        except ValueError:
            raise UsageError(f"--param {key}={text}: expected a number ({notebook})") from None
    return text


def parse_parameter_texts(notebook: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every text read by :func:`parse_parameter_text`; other values as given."""
    return {
        key: parse_parameter_text(notebook, key, value) if isinstance(value, str) else value
        for key, value in values.items()
    }
