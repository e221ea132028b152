"""Webropol XLSX whose question row is narrower than the answers (merged cells over a matrix)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
import yaml
from openpyxl import Workbook
from tilannekuva.paths import DataLayout
from tilannekuva.store import read_table
from tilannekuva.survey.draft import draft_questionnaire

from tests.conftest import run_cli

ROWS = ("Ohjelma", "Järjestelyt", "Tiedotus")
N = 12
MATRIX = {  # answers per row, respondent by respondent
    "Ohjelma": [5, 4, 4, 3, 5, 4] * 2,
    "Järjestelyt": [3, 3, 4, 2, 3, 3] * 2,
    "Tiedotus": [2, 1, 2, 3, 2, 2] * 2,
}


def webropol_xlsx(*, wrong_dimension: bool, matrix_last: bool = True) -> bytes:
    """Question row over a sub-item row; the matrix's question merged across its columns."""
    book = Workbook()
    sheet = book.active
    questions = ["Vastaajan numero", "1. Millaista toimijaa edustat?", "2. Kokonaisarvio",
                 "3. Kuinka hyvin päivä onnistui?", None, None]  # fmt: skip
    items = [None, None, None, *ROWS]
    if not matrix_last:
        questions.append("4. Terveisiä järjestäjille")
        items.append(None)
    sheet.append(questions)
    sheet.append(items)
    sheet.merge_cells(start_row=1, start_column=4, end_row=1, end_column=6)
    for i in range(N):
        row = [str(100 + i), ["Yhdistys", "Kunta", "Yhdistys"][i % 3], str(1 + i % 5)]
        row += [MATRIX[r][i] for r in ROWS]
        if not matrix_last:
            row.append("Kiitos!" if i % 4 == 0 else None)
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if not wrong_dimension:
        return data
    # Writers that declare the sheet as "A1" (or as the header row only) whatever it holds.
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:D1"/>', body)
            target.writestr(item, body)
    return out.getvalue()


@pytest.mark.parametrize("wrong_dimension", [True, False])
@pytest.mark.parametrize("matrix_last", [True, False])
def test_the_matrix_under_a_merged_narrow_question_row_is_read(
    tmp_path, wrong_dimension, matrix_last
):
    export = tmp_path / "webropol.xlsx"
    export.write_bytes(webropol_xlsx(wrong_dimension=wrong_dimension, matrix_last=matrix_last))
    draft = draft_questionnaire(export, "paiva")
    spec = yaml.safe_load(draft.text)
    kinds = [q["type"] for q in spec["questions"]]
    assert kinds == ["single", "scale", "matrix"] + ([] if matrix_last else ["text"])
    matrix = spec["questions"][2]
    assert [r["text"] for r in spec["row_sets"][matrix["rows"]]] == list(ROWS)
    data = tmp_path / "data"
    path = data / "config" / "surveys" / "paiva.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(draft.text, encoding="utf-8")
    result = run_cli("ingest", "survey", str(export), "--survey", "paiva", "--data", str(data))
    assert result.returncode == 0, result.stderr
    table = read_table(DataLayout.at(data), "surveys/paiva")
    assert len(table) == N
    for row in spec["row_sets"][matrix["rows"]]:
        values = table[matrix["column"].format(row=row["id"])].astype(float)
        assert values.notna().all()
        assert values.mean() == pytest.approx(sum(MATRIX[row["text"]]) / N)


def test_answers_under_no_header_are_named_not_dropped(tmp_path):
    """A CSV whose header row stops short of the answers: the extra column is named."""
    export = tmp_path / "lyhyt.csv"
    lines = ["Vastaajan numero;Arvio"] + [f"{i};{1 + i % 5};{'Hyvä' if i % 2 else ''}"
                                         for i in range(10)]  # fmt: skip
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    draft = draft_questionnaire(export, "lyhyt")
    headers = [q["header"] for q in yaml.safe_load(draft.text)["questions"]]
    assert headers == ["Arvio", "Sarake C"]
