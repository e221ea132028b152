"""Survey ingestion: every tool's export of the questionnaire ingests to the same table."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from tilannekuva.errors import InputError
from tilannekuva.paths import DataLayout
from tilannekuva.store import read_table, table_sources
from tilannekuva.survey.ingest import ingest_survey

from tests.survey import exports

TOOLS = {
    "webropol.csv": exports.webropol_csv,
    "forms.xlsx": exports.forms_xlsx,
    "google.csv": exports.google_csv,
    "limesurvey.csv": exports.limesurvey_csv,
}
VOLATILE = ["round", "respondent", "source_sha256"]


def ingest(tmp_path: Path, name: str, data: bytes, **kwargs):
    path = tmp_path / name
    path.write_bytes(data)
    layout = DataLayout.at(tmp_path / "data")
    return ingest_survey(path, layout, **kwargs), read_table(layout, "survey")


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    out = {}
    for name, build in TOOLS.items():
        _, table = ingest(tmp_path_factory.mktemp(name), name, build(), round_label="2026-syksy")
        out[name] = table
    return out


@pytest.mark.parametrize("tool", list(TOOLS))
def test_every_tool_gives_the_same_table(tables, tool):
    reference = tables["forms.xlsx"].drop(columns=VOLATILE)
    pd.testing.assert_frame_equal(tables[tool].drop(columns=VOLATILE), reference)


def test_known_values(tables):
    t = tables["webropol.csv"]
    first, second, third, fourth = (t.iloc[i] for i in range(4))
    assert (
        first["municipality_code"] == "179" and first["municipality"] == "Jyväskylä"
    )  # Korpilahti
    assert first["subregion"] == "131"
    assert second["municipality_code"] == "MK13" and pd.isna(second["subregion"])
    assert fourth["municipality"] == "Äänekoski"
    assert first["i01_agreement__importance"] == 5
    assert pd.isna(first["i02_councillors__importance"])  # "En osaa sanoa"
    assert pd.isna(first["i11_wellbeing_data__state"])  # no answer
    assert third[[c for c in t.columns if c.endswith("__state")]].isna().all()
    assert first["structures__jarjestoareena"] and not first["structures__none"]
    assert second["structures__none"]
    assert pd.isna(fourth["structures__municipal"])  # nothing ticked = not answered
    assert first["org_type"] == "volunteer" and second["org_type"] == "staffed"
    assert second["g4_expertise"] == 4
    # Open answers are redacted at ingest, line breaks kept.
    assert first["open_priority"] == "Rahoitus on epävarmaa.\nSoittakaa: [puhelin]"
    assert second["open_other"] == "Kiitos! [sähköposti]"
    assert str(t["i01_agreement__importance"].dtype) == "Int8"


def test_identifying_columns_are_dropped_and_reported(tmp_path):
    report, table = ingest(tmp_path, "l.csv", exports.limesurvey_csv())
    assert "ipaddr" in report.dropped and "id" in report.dropped
    text = report.to_text()
    assert "identifying columns dropped: 'id', 'ipaddr'" in text
    assert not any("10.0.0.1" in str(v) for v in table.to_numpy().ravel())
    assert not set(table["respondent"]) & {"1", "2", "3", "4"}


def test_round_from_the_files_dates_and_replacing_a_round(tmp_path):
    report, table = ingest(tmp_path, "g.csv", exports.google_csv())
    assert report.round == "2026-syksy"
    _, table = ingest(tmp_path, "w.csv", exports.webropol_csv(), round_label="2025-kevät")
    assert sorted(table["round"].unique()) == ["2025-kevät", "2026-syksy"]
    report3, table = ingest(
        tmp_path, "f.xlsx", exports.forms_xlsx(), round_label="2025-kevät", replace_round=True
    )
    assert report3.replaced_round
    assert (table["round"] == "2025-kevät").sum() == 4 and len(table) == 8
    layout = DataLayout.at(tmp_path / "data")
    rounds = sorted(s.extra["round"] for s in table_sources(layout, "survey"))
    assert rounds == ["2025-kevät", "2026-syksy"]


def test_unmatched_headers_are_reported_not_fatal(tmp_path):
    data = exports.google_csv().replace(b"Timestamp,", b"Timestamp,Lempiruoka,", 1)
    lines = data.split(b"\r\n")
    lines = [lines[0]] + [line.replace(b",", b",pizza,", 1) for line in lines[1:] if line]
    report, _ = ingest(tmp_path, "g.csv", b"\r\n".join(lines) + b"\r\n")
    assert report.unmatched == ["Lempiruoka"]


def test_shuffled_columns_give_the_same_table(tmp_path, tables):
    book = load_workbook(io.BytesIO(exports.forms_xlsx()))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    order = list(reversed(range(len(rows[0]))))
    shuffled = Workbook()
    for row in rows:
        shuffled.active.append([row[i] for i in order])
    buffer = io.BytesIO()
    shuffled.save(buffer)
    _, table = ingest(tmp_path, "s.xlsx", buffer.getvalue(), round_label="2026-syksy")
    pd.testing.assert_frame_equal(
        table.drop(columns=VOLATILE), tables["forms.xlsx"].drop(columns=VOLATILE)
    )


def test_xlsx_title_row_and_second_sheet(tmp_path):
    book = load_workbook(io.BytesIO(exports.forms_xlsx()))
    book.active.insert_rows(1, 2)
    book.active["A1"] = "Järjestöyhteistyön tilannekuva – vastaukset"
    other = book.create_sheet("Yhteenveto")
    other.append(["Tämä välilehti ei ole vastauksia"])
    buffer = io.BytesIO()
    book.save(buffer)
    report, table = ingest(tmp_path, "t.xlsx", buffer.getvalue())
    assert report.sheet == "Sheet" and len(table) == 4
    with pytest.raises(InputError) as err:
        ingest(tmp_path, "t2.xlsx", buffer.getvalue(), sheet="Yhteenveto")
    assert "a column for the question" in str(err.value)


# --- every error path: exit 1 material, every problem named, processed/ untouched ---


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def existing(tmp_path) -> tuple[Path, dict]:
    ingest(tmp_path, "ok.xlsx", exports.forms_xlsx())
    processed = tmp_path / "data" / "processed"
    return processed, snapshot(processed)


def fails(tmp_path: Path, name: str, data: bytes, existing) -> list:
    processed, before = existing
    with pytest.raises(InputError) as err:
        ingest(tmp_path, name, data)
    assert snapshot(processed) == before, "processed/ changed on bad input"
    return err.value.problems


def test_missing_question_names_it(tmp_path, existing):
    header, *rest = exports.google_csv().decode().split("\r\n")
    cut = header.replace("Mikä on organisaationne pääasiallinen toimiala?", "Jotain muuta")
    problems = fails(tmp_path, "m.csv", "\r\n".join([cut, *rest]).encode(), existing)
    assert any("Mikä on organisaationne pääasiallinen toimiala?" in p.expected for p in problems)


def test_every_bad_answer_is_listed_with_row_column_value(tmp_path, existing):
    text = exports.google_csv().decode()
    text = text.replace("Laukaa", "Tampere").replace("Erittäin tärkeä", "Tosi tärkeä", 1)
    problems = fails(tmp_path, "b.csv", text.encode(), existing)
    by_value = {p.value: p for p in problems}
    assert by_value["Tampere"].row == 4  # header is row 1; third respondent
    assert by_value["Tampere"].column == "Missä kunnassa organisaationne pääasiallisesti toimii?"
    assert "municipality of Keski-Suomi" in by_value["Tampere"].expected
    assert by_value["Tosi tärkeä"].row == 2
    assert "scale point 1–5" in by_value["Tosi tärkeä"].expected


def test_out_of_scale_number(tmp_path, existing):
    text = exports.webropol_csv().decode("cp1252")
    header, title2, blank, head, first, *rest = text.split("\r\n")
    cells = first.split(";")
    index = head.split(";").index(
        "6. Kuinka tärkeä asia on? - Järjestöjen ja hyvinvointialueen välinen kumppanuussopimus tai yhteistyön asiakirja"
    )
    cells[index] = "6"
    data = "\r\n".join([header, title2, blank, head, ";".join(cells), *rest]).encode("cp1252")
    problems = fails(tmp_path, "o.csv", data, existing)
    assert [(p.row, p.value) for p in problems] == [(5, "6")]


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\r\n \r\n", "empty"),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("broken.xlsx", b"PK\x03\x04not really a zip", "XLSX"),
        ("report.csv", b"%PDF-1.7\n1 0 obj", "PDF document"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (
            "mojibake.csv",
            "Mikä on organisaationne pääasiallinen toimiala?\nKulttuuri\n".encode()
            .decode("cp1252")
            .encode("utf-8"),
            "mojibake",
        ),
        ("header-only.csv", exports.google_csv().split(b"\r\n")[0] + b"\r\n", "every row is empty"),
    ],
)
def test_unreadable_files(tmp_path, existing, name, data, expected):
    problems = fails(tmp_path, name, data, existing)
    assert any(expected in p.expected for p in problems), [str(p) for p in problems]
