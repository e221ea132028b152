"""The processed survey table (``processed/survey.parquet``), documented and checked with pandera.

One row per respondent and round. Columns, generated from the questionnaire:

- ``round`` (str): survey round, e.g. ``2026-syksy``
- ``respondent`` (str): new pseudonymous id (not the tool's respondent number)
- ``org_type``, ``field``, ``size`` (str, nullable): option ids of the background questions
- ``municipality_code`` (str, nullable): 3-digit Statistics Finland code; the region's code
  (``MK13``, or ``SSS`` for a national region) = the whole region
- ``municipality`` (str, nullable): current name, or ``Koko maakunta``
- ``subregion`` (str, nullable): sub-region code (``131`` …), null for the whole region
- ``structures__<option>`` (boolean, nullable): multiple-choice options
- ``<item>__importance``, ``<item>__state``, ``<goal>`` (Int8, nullable): scale points;
  NA = "En osaa sanoa" or no answer
- ``open_priority``, ``open_other`` (str, nullable): redacted free text
- ``source_sha256`` (str): checksum of the raw file the row came from
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from tilannekuva.questionnaire import Questionnaire


def column_order(questionnaire: Questionnaire) -> list[str]:
    columns = ["round", "respondent"]
    for q in questionnaire.questions:
        if q.type == "single":
            columns.append(q.id)
        elif q.type == "municipality":
            columns += ["municipality_code", "municipality", "subregion"]
        elif q.type == "multiple":
            columns += [f"{q.id}__{o.id}" for o in q.options]
        elif q.type == "matrix":
            columns += [(q.column or "").format(row=r.id) for r in questionnaire.rows(q.id)]
        elif q.type in ("text", "scale"):
            columns.append(q.id)
    return [*columns, "source_sha256"]


def survey_schema(questionnaire: Questionnaire) -> pa.DataFrameSchema:
    """Types first (coerced), then ranges; every failure is collected (lazy validation)."""
    text = {"dtype": pd.StringDtype(), "nullable": True}
    columns: dict[str, pa.Column] = {
        "round": pa.Column(pd.StringDtype(), pa.Check.str_matches(r"^\S+$"), nullable=False),
        "respondent": pa.Column(pd.StringDtype(), nullable=False, unique=True),
        "source_sha256": pa.Column(pd.StringDtype(), pa.Check.str_length(64, 64), nullable=False),
    }
    for q in questionnaire.questions:
        if q.type == "single":
            columns[q.id] = pa.Column(checks=pa.Check.isin([o.id for o in q.options]), **text)
        elif q.type == "municipality":
            columns["municipality_code"] = pa.Column(
                checks=pa.Check.str_matches(r"^(\d{3}|MK\d+|SSS)$"), **text
            )
            columns["municipality"] = pa.Column(**text)
            columns["subregion"] = pa.Column(checks=pa.Check.str_matches(r"^\d{3}$"), **text)
        elif q.type == "multiple":
            for o in q.options:
                columns[f"{q.id}__{o.id}"] = pa.Column(pd.BooleanDtype(), nullable=True)
        elif q.type == "matrix":
            low, high = questionnaire.scale_range(q.scale or "")
            for r in questionnaire.rows(q.id):
                columns[(q.column or "").format(row=r.id)] = pa.Column(
                    pd.Int8Dtype(), pa.Check.in_range(low, high), nullable=True
                )
        elif q.type == "scale":
            low, high = questionnaire.scale_range(q.scale or "")
            columns[q.id] = pa.Column(pd.Int8Dtype(), pa.Check.in_range(low, high), nullable=True)
        elif q.type == "text":
            columns[q.id] = pa.Column(**text)
    return pa.DataFrameSchema(columns, strict=True, ordered=False, coerce=True, name="survey")
