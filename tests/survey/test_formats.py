"""What a file really is: ODS, an HTML table or Excel 2003 XML saved as .xlsx, two-row
headers, formulas without stored values, ZIP bombs, NUL bytes and very long answers.

Every readable form of the Forms export ingests to the same table as the XLSX;
everything else stops with one message naming the file and what it is.
"""

from __future__ import annotations

import html
import io
import re
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from tilannekuva.errors import InputError
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.spreadsheet import MAX_ROWS
from tilannekuva.store import read_table
from tilannekuva.survey.ingest import MAX_ANSWER_CHARS, ingest_survey

from tests.conftest import run_cli
from tests.survey import exports

VOLATILE = ["round", "respondent", "source_sha256"]
FORMS_ROWS = [
    list(r)
    for r in load_workbook(io.BytesIO(exports.forms_xlsx())).active.iter_rows(values_only=True)
]


def ingest(tmp_path: Path, name: str, data: bytes, **kwargs):
    path = tmp_path / name
    path.write_bytes(data)
    layout = DataLayout.at(tmp_path / "data")
    return ingest_survey(path, layout, "2026-syksy", **kwargs), read_table(layout, "survey")


def fails(tmp_path: Path, name: str, data: bytes) -> list[str]:
    with pytest.raises(InputError) as err:
        ingest(tmp_path, name, data)
    assert not (tmp_path / "data" / "processed").exists()
    return [str(p) for p in err.value.problems]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> pd.DataFrame:
    _, table = ingest(tmp_path_factory.mktemp("forms"), "forms.xlsx", exports.forms_xlsx())
    return table.drop(columns=VOLATILE)


def same(table: pd.DataFrame, reference: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(table.drop(columns=VOLATILE), reference)


# --- other formats of the same export ---


def test_ods_reads_like_xlsx(tmp_path, reference):
    buffer = io.BytesIO()
    frame = pd.DataFrame(FORMS_ROWS[1:], columns=FORMS_ROWS[0])
    frame.to_excel(buffer, engine="odf", index=False, sheet_name="Vastaukset")
    report, table = ingest(tmp_path, "vastaukset.ods", buffer.getvalue())
    assert report.format == "ODS" and report.sheet == "Vastaukset"
    same(table, reference)


def test_html_table_saved_as_xlsx_reads_like_xlsx(tmp_path, reference):
    def cells(row, tag):
        return "".join(f"<{tag}>{'' if v is None else html.escape(str(v))}</{tag}>" for v in row)

    page = (
        '<html><head><meta charset="utf-8"><title>Vastaukset</title></head><body><table>'
        f"<tr>{cells(FORMS_ROWS[0], 'th')}</tr>"
        + "".join(f"<tr>{cells(r, 'td')}</tr>" for r in FORMS_ROWS[1:])
        + "</table></body></html>"
    )
    report, table = ingest(tmp_path, "vienti.xlsx", page.encode("utf-8"))
    assert report.format == "HTML table"
    same(table, reference)


def test_excel_2003_xml_reads_like_xlsx(tmp_path, reference):
    def cell(value) -> str:
        if value is None:
            return "<Cell/>"
        kind = "Number" if isinstance(value, int) else "String"
        return f'<Cell><Data ss:Type="{kind}">{html.escape(str(value))}</Data></Cell>'

    rows = "".join(f"<Row>{''.join(cell(v) for v in r)}</Row>" for r in FORMS_ROWS)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        f'<Worksheet ss:Name="Taul1"><Table>{rows}</Table></Worksheet></Workbook>'
    )
    report, table = ingest(tmp_path, "vienti.xlsx", xml.encode("utf-8"))
    assert report.format == "Excel 2003 XML" and report.sheet == "Taul1"
    same(table, reference)


def test_two_row_header_with_merged_question_cells(tmp_path, reference):
    """The question in a merged cell above its sub-items, as some tools export matrices."""
    q = load_questionnaire()
    top, sub = [], []
    matrices = {q_.header: q_ for q_ in q.questions if q_.type == "matrix"}
    spans = []
    for header in FORMS_ROWS[0]:
        question = next((h for h in matrices if header.startswith(h + " - ")), None)
        if question is None:
            top.append(header)
            sub.append(None)
            continue
        item = header[len(question) + 3 :]
        if not spans or spans[-1][0] != question:
            spans.append((question, len(top)))
            top.append(question)
        else:
            top.append(None)
        sub.append(item)
    book = Workbook()
    sheet = book.active
    sheet.append(top)
    sheet.append(sub)
    for row in FORMS_ROWS[1:]:
        sheet.append(row)
    for question, start in spans:
        width = sum(1 for h in FORMS_ROWS[0] if h.startswith(question + " - "))
        sheet.merge_cells(start_row=1, end_row=1, start_column=start + 1, end_column=start + width)
    buffer = io.BytesIO()
    book.save(buffer)
    report, table = ingest(tmp_path, "kaksirivinen.xlsx", buffer.getvalue())
    assert report.header_rows == "rows 1–2"
    assert "two-row header (rows 1–2)" in report.to_text()
    same(table, reference)


# --- what cannot be read is named ---


def test_formulas_without_stored_values_are_named(tmp_path):
    rows = [list(r) for r in FORMS_ROWS]
    column = rows[0].index(next(h for h in rows[0] if h.startswith("Kuinka tärkeä")))
    for row in rows[1:]:
        row[column] = "=2+2"  # openpyxl, like many scripts, stores no computed value
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    (problem,) = fails(tmp_path, "kaavat.xlsx", buffer.getvalue())
    letter = get_column_letter(column + 1)
    assert f"{letter}2, {letter}3, {letter}4, {letter}5 (4 cells)" in problem
    assert "formulas without a computed value" in problem


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "pommi.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(210):
                member.write(block)
    assert path.stat().st_size < 2 * 2**20
    started = time.perf_counter()
    result = run_cli("ingest", "survey", str(path), "--data", str(tmp_path / "data"))
    assert result.returncode == 1
    assert "content unpacks to 210 MB" in result.stderr and "200 MB" in result.stderr
    assert "refused before reading" in result.stderr and "Traceback" not in result.stderr
    assert time.perf_counter() - started < 15
    assert not (tmp_path / "data" / "processed").exists()
    assert list((tmp_path / "data" / "raw" / "survey").rglob("pommi.xlsx"))


def test_sheet_declaring_too_many_rows_is_refused(tmp_path):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(exports.forms_xlsx())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="A1:AZ300000"', content
                )
            target.writestr(member, content)
    (problem,) = fails(tmp_path, "iso.xlsx", out.getvalue())
    assert "declares 300 000 rows" in problem and f"{MAX_ROWS:,}".replace(",", " ") in problem


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("sivu.xlsx", b"<!DOCTYPE html><html><body><p>Kiitos vastauksista</p></body></html>",
         "HTML page with no table"),
        ("muistio.xlsx", None, "Word document"),
        ("data.xlsx", b'<?xml version="1.0"?><rss><channel/></rss>', "other XML"),
        ("rikki.xlsx", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet>',
         "well-formed Excel 2003 XML"),
    ],
)  # fmt: skip
def test_what_a_file_really_is_is_named(tmp_path, name, data, expected):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<document/>")
        data = buffer.getvalue()
    problems = fails(tmp_path, name, data)
    assert any(expected in p for p in problems), problems


# --- damaged cells: named, and the rest kept ---


def test_nul_byte_is_removed_and_its_row_named(tmp_path, reference):
    data = exports.google_csv().replace(b"Tilat, tilat ja tilat", b"Tilat, tilat\x00 ja tilat")
    report, table = ingest(tmp_path, "nul.csv", data)
    assert report.rows_kept == 4
    column = load_questionnaire().question("open_priority").header
    assert report.notes == [f"{tmp_path / 'nul.csv'}, row 5, column '{column}': "
                            "NUL character(s) removed from the cell"]  # fmt: skip
    assert table["open_priority"].iloc[3] == "Tilat, tilat ja tilat"


def test_a_160_kb_answer_is_kept_cut_and_reported(tmp_path):
    long = "Tilat ovat tärkeitä ja rahoitus epävarmaa. " * 3800
    assert len(long.encode()) > 160_000
    data = exports.google_csv().replace(
        b"Tilat, tilat ja tilat", long.encode("utf-8").replace(b",", b" ")
    )
    report, table = ingest(tmp_path, "pitka.csv", data)
    assert report.rows_kept == 4
    assert len(table["open_priority"].iloc[3]) == MAX_ANSWER_CHARS
    assert table["open_priority"].iloc[3] == long[:MAX_ANSWER_CHARS]
    (note,) = report.notes
    header = load_questionnaire().question("open_priority").header
    assert note == (
        f"{tmp_path / 'pitka.csv'}, row 5, column '{header}': answer of {len(long.strip())} characters "
        f"cut to the first {MAX_ANSWER_CHARS}"
    )


def test_a_misspelt_municipality_suggests_the_name(tmp_path):
    data = exports.google_csv().replace(b"Laukaa", "Jyvässkylä".encode())
    (problem,) = fails(tmp_path, "typo.csv", data)
    assert "row 4" in problem and "did you mean 'Jyväskylä'?" in problem


def test_two_row_header_csv_with_response_subheaders(tmp_path, reference):
    """SurveyMonkey-style CSV: questions on row 1 (a matrix once), 'Response' or the item below."""
    import csv

    header = FORMS_ROWS[0]
    matrices = [q.header for q in load_questionnaire().questions if q.type == "matrix"]
    top, sub, seen = [], [], set()
    for text in header:
        question = next((m for m in matrices if text.startswith(m + " - ")), None)
        if question:
            top.append("" if question in seen else question)
            sub.append(text[len(question) + 3 :])
            seen.add(question)
        elif text in ("ID", "Start time", "Completion time", "Email", "Name"):
            top.append(text)
            sub.append("")
        else:
            top.append(text)
            sub.append("Response")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([top, sub, *[["" if v is None else v for v in r] for r in FORMS_ROWS[1:]]])
    report, table = ingest(tmp_path, "monkey.csv", out.getvalue().encode("utf-8"))
    assert report.header_rows == "rows 1–2"
    same(table, reference)


def test_a_damaged_sheet_is_one_message(tmp_path):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(exports.forms_xlsx())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # cut off mid-sheet
            target.writestr(member, content)
    (problem,) = fails(tmp_path, "katkennut.xlsx", out.getvalue())
    assert "a readable XLSX workbook (sheet 'Sheet': ParseError)" in problem


def test_ods_rows_are_counted_before_odfpy_parses(tmp_path, monkeypatch):
    import tilannekuva.spreadsheet as spreadsheet

    buffer = io.BytesIO()
    pd.DataFrame(FORMS_ROWS[1:], columns=FORMS_ROWS[0]).to_excel(buffer, engine="odf", index=False)
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 4)  # the export has a header and 4 rows
    monkeypatch.setattr(pd, "read_excel", lambda *a, **k: pytest.fail("parsed before the check"))
    (problem,) = fails(tmp_path, "iso.ods", buffer.getvalue())
    assert "its sheets have 5 rows" in problem and "refused before reading" in problem
