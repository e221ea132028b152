"""Property-based: whatever the bytes, ingestion ends in a clean result or a clean InputError."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tilannekuva.errors import InputError
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.store import read_table
from tilannekuva.survey.answers import AnswerError, parse_scale
from tilannekuva.survey.ingest import ingest_survey

from tests.survey import exports

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
GOOD = exports.google_csv()


def attempt(tmp_path, data: bytes, name: str = "x.csv") -> None:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        ingest_survey(path, DataLayout.at(tmp_path / "data"), "2026-syksy")
    except InputError as err:
        assert err.problems and all(str(p) for p in err.problems)


@FAST
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path, data):
    attempt(tmp_path, data)


@FAST
@given(data=st.binary(max_size=500))
def test_arbitrary_bytes_behind_an_xlsx_signature(tmp_path, data):
    attempt(tmp_path, b"PK\x03\x04" + data, "x.xlsx")


@FAST
@given(cut=st.integers(min_value=0, max_value=len(GOOD)))
def test_truncated_files(tmp_path, cut):
    attempt(tmp_path, GOOD[:cut])


@FAST
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_shuffled_columns_ingest_the_same(tmp_path, seed):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(GOOD.decode())))
    order = list(range(len(rows[0])))
    random.Random(seed).shuffle(order)
    out = io.StringIO()
    csv.writer(out).writerows([[r[i] for i in order] for r in rows])
    path = tmp_path / f"s{seed}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    layout = DataLayout.at(tmp_path / f"d{seed}")
    ingest_survey(path, layout, "2026-syksy")
    table = read_table(layout, "survey")
    assert list(table["org_type"]) == ["volunteer", "staffed", "service_provider", "parish"]


LABELS = load_questionnaire().scales["importance"]


@given(
    point=st.sampled_from(sorted(LABELS)),
    form=st.sampled_from(["full", "label", "number", "decimal", "dash"]),
    case=st.sampled_from([str.lower, str.upper, str.title, lambda s: s]),
    pad=st.sampled_from(["", " ", "  ", "\u00a0"]),
)
def test_label_spellings_are_the_same_answer(point, form, case, pad):
    label = LABELS[point]
    text = {
        "full": f"{point} {label}",
        "label": label,
        "number": str(point),
        "decimal": f"{point}.0",
        "dash": f"{point} - {label}",
    }[form]
    assert parse_scale(pad + case(text) + pad, LABELS) == point


@given(text=st.text(max_size=30))
def test_anything_else_is_an_answer_error_not_a_crash(text):
    try:
        assert parse_scale(text, LABELS) in LABELS
    except AnswerError as err:
        assert "scale point" in str(err)


@pytest.mark.parametrize("wrong", ["5 Vähän tärkeä", "0", "6", "55", "tärkeä"])
def test_conflicting_or_out_of_range_spellings_are_errors(wrong):
    with pytest.raises(AnswerError):
        parse_scale(wrong, LABELS)
