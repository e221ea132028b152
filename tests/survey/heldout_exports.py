"""Export shapes not seen before: SurveyMonkey, Finnish Microsoft and Google Forms, Excel's
semicolon CSV, a Likert scale in words only, empty and all-missing columns.

Built from the fixed respondents of :mod:`tests.survey.other_exports`, so counts
and means are known.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from tests.survey.other_exports import EOS, N, Spec, _columns, _scale_cell

MONKEY_OWN = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
              "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip


def _monkey_columns(specs: list[Spec]):
    """(row 1, row 2, cells) per column as SurveyMonkey writes them."""
    out = []
    for spec in specs:
        if spec.kind in ("single", "municipality"):
            out.append((spec.header, "Response", spec.answers))
        elif spec.kind == "text":
            out.append((spec.header, "Open-Ended Response", spec.answers))
        elif spec.kind == "scale":
            out.append(
                (spec.header, "Response", [_scale_cell(v, None, "number") for v in spec.answers])
            )
        elif spec.kind == "matrix":
            for i, (row, values) in enumerate(zip(spec.rows, spec.answers, strict=True)):
                cells = [_scale_cell(v, spec.labels, "label") for v in values]
                out.append((spec.header if i == 0 else "", row, cells))
        elif spec.kind == "multiple":
            for i, option in enumerate(spec.options):
                cells = [option if option in chosen else None for chosen in spec.answers]
                out.append((spec.header if i == 0 else "", option, cells))
    return out


def surveymonkey_rows(specs: list[Spec]) -> list[list]:
    columns = _monkey_columns(specs)
    first = [*MONKEY_OWN, *(c[0] for c in columns)]
    second = [""] * len(MONKEY_OWN) + [c[1] for c in columns]
    rows = []
    for i in range(N):
        own = [str(11400000000 + i), "431000000", f"11/{1 + i % 28:02d}/2026 10:15:32 AM",
               f"11/{1 + i % 28:02d}/2026 10:21:02 AM", f"192.0.2.{i + 1}", "", "", "", ""]  # fmt: skip
        rows.append([*own, *(c[2][i] for c in columns)])
    return [first, second, *rows]


def surveymonkey_csv(specs: list[Spec]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in surveymonkey_rows(specs):
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


def surveymonkey_xlsx(specs: list[Spec]) -> bytes:
    book = Workbook()
    for row in surveymonkey_rows(specs):
        book.active.append([None if v in ("", None) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def forms_fi_xlsx(specs: list[Spec]) -> bytes:
    """Microsoft Forms in Finnish: Tunnus, Aloitusaika, …; options joined with ';' and a trailing ';'."""
    columns = _columns(specs, "dash", "full", "semicolon")
    header = ["Tunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi",
              "Viimeksi muokattu", *[c[0] for c in columns]]  # fmt: skip
    book = Workbook()
    book.active.append(header)
    for i in range(N):
        cells = []
        for (_, _, values), spec_kind in zip(columns, _kinds(specs), strict=True):
            value = values[i]
            cells.append(f"{value};" if spec_kind == "multiple" and value else value)
        book.active.append(
            [i + 1, f"1.10.2026 10.{i % 60:02d}.00", f"1.10.2026 10.{i % 60:02d}.30",
             "anonymous", None, None, *cells]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _kinds(specs: list[Spec]) -> list[str]:
    """The kind of each column ``_columns`` writes (a matrix gives one per row)."""
    out = []
    for spec in specs:
        out += [spec.kind] * (len(spec.rows) if spec.kind == "matrix" else 1)
    return out


def google_fi_csv(specs: list[Spec]) -> bytes:
    """Google Forms in Finnish: Aikaleima, Sähköpostiosoite; checkboxes joined with ', '."""
    columns = _columns(specs, "bracket", "label", "comma")
    header = ["Aikaleima", "Sähköpostiosoite", *[c[0] for c in columns]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for i in range(N):
        writer.writerow(
            [f"{1 + i % 28}.10.2026 klo 9.{i % 60:02d}.00", f"g{i}@esimerkki.fi",
             *["" if c[2][i] is None else c[2][i] for c in columns]]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def excel_semicolon_csv(specs: list[Spec], encoding: str) -> bytes:
    """Excel's Finnish CSV: ';', decimal commas ("4,0"), cp1252 or UTF-8 with a BOM."""
    columns = _columns(specs, "dash", "number", "dash")
    header = ["Vastaajan numero", *[c[0] for c in columns]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for i in range(N):
        cells = []
        for _, _, values in columns:
            value = values[i]
            cells.append(f"{value},0" if value and value.isdigit() and len(value) == 1 else value)
        writer.writerow([str(i + 1), *["" if v is None else v for v in cells]])
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if encoding == "utf-8-sig" else text.encode(encoding)


def likert_words_csv(specs: list[Spec]) -> bytes:
    """A Likert matrix in words only, one column per statement: "Väite: …" headers."""
    columns = _columns(specs, "dash", "label", "semicolon")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["Vastaajan numero", *(c[0] for c in columns)])
    for i in range(N):
        writer.writerow([str(i + 1), *("" if c[2][i] is None else c[2][i] for c in columns)])
    return buffer.getvalue().encode("utf-8")


def with_empty_columns(specs: list[Spec]) -> bytes:
    """Forms-style XLSX plus a column nobody answered and one with 'En osaa sanoa' only."""
    columns = _columns(specs, "dash", "full", "semicolon")
    header = ["ID", "Email", *[c[0] for c in columns], "Lisätietoja", "Arvio uudesta palvelusta"]
    book = Workbook()
    book.active.append(header)
    for i in range(N):
        book.active.append([i + 1, f"v{i}@esimerkki.fi", *[c[2][i] for c in columns], None, EOS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SHAPES = {
    "surveymonkey.csv": surveymonkey_csv,
    "surveymonkey.xlsx": surveymonkey_xlsx,
    "forms-fi.xlsx": forms_fi_xlsx,
    "google-fi.csv": google_fi_csv,
    "excel-cp1252.csv": lambda specs: excel_semicolon_csv(specs, "cp1252"),
    "excel-utf8-bom.csv": lambda specs: excel_semicolon_csv(specs, "utf-8-sig"),
    "likert-words.csv": likert_words_csv,
    "empty-columns.xlsx": with_empty_columns,
}
# Columns the shape adds after the questionnaire's own (an empty one, an all-missing one).
EXTRA_TYPES = {"empty-columns.xlsx": ["text", "text"]}


# SurveyMonkey with "Other (please specify)" boxes and an agreement scale worded "Osittain".
LIKERT = {1: "Täysin eri mieltä", 2: "Osittain eri mieltä", 3: "Ei samaa eikä eri mieltä",
          4: "Osittain samaa mieltä", 5: "Täysin samaa mieltä"}  # fmt: skip
KINDS = ("Urheiluseura", "Kulttuuriyhdistys", "Other (please specify)")
STATEMENTS = {"Kunta tukee": [5, 4, 4, 2, EOS], "Tilat riittävät": [1, 2, 3, 2],
              "Tieto kulkee": [4, 5, 3, 3, 4]}  # fmt: skip
NEEDS = ("Tilat", "Avustukset")
MONKEY_N = 20


def surveymonkey_other_csv() -> bytes:
    first = ["Respondent ID", "Collector ID", "Start Date", "Mikä kuvaa yhdistystäsi?", "",
             "Miten samaa mieltä olet?", "", "", "Mitä tukea tarvitsette?", "", ""]  # fmt: skip
    second = ["", "", "", "Response", "Other (please specify)", *STATEMENTS, *NEEDS,
              "Other (please specify)"]  # fmt: skip
    rows = [first, second]
    for i in range(MONKEY_N):
        kind = KINDS[i % 3]
        likert = [
            v if v == EOS else LIKERT[v]
            for v in (values[i % len(values)] for values in STATEMENTS.values())
        ]
        needs = [need if (i + j) % 2 else "" for j, need in enumerate(NEEDS)]
        rows.append(
            [str(1000 + i), "431", f"11/{1 + i % 9:02d}/2026 10:00:00 AM", kind,
             f"Kyläyhdistys {i}" if kind.startswith("Other") else "", *likert, *needs,
             "Lainaamo" if i % 5 == 0 else ""]
        )  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")
