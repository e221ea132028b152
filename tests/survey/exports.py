"""The same four respondents exported in the shapes different survey tools write.

Each builder returns the file's bytes exactly as that tool lays it out: its own
metadata columns, header style (numbering, matrix separators, LimeSurvey
codes), answer style (labels, bare labels, numbers), multiple choice in one
cell or as 0/1 columns, encoding and separator. All four must ingest to the
same table.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from tilannekuva.questionnaire import load_questionnaire

Q = load_questionnaire()
ITEMS = Q.row_sets["items"]
GOALS = Q.row_sets["goals"]
LABEL = {(q.id, o.id): o.label for q in Q.questions for o in q.options}

# The respondents: None = no answer, "EOS" = "En osaa sanoa".
RESPONDENTS = [
    {
        "org_type": "volunteer",
        "field": "sports",
        "municipality": "Korpilahti",
        "size": "lt50",
        "structures": {"jarjestoareena", "municipal"},
        "importance": [5, "EOS", 4, 4, 3, 5, 5, 4, 4, 3, 2, 5, 5],
        "state": [2, 1, 3, "EOS", 2, 2, 3, 2, 3, 2, None, 1, 3],
        "goals": [3, 2, "EOS", 2],
        "open_priority": "Rahoitus on epävarmaa.\nSoittakaa: 040 123 4567",
        "open_other": None,
    },
    {
        "org_type": "staffed",
        "field": "social_health",
        "municipality": "Koko maakunta",
        "size": "50_199",
        "structures": {"none"},
        "importance": [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
        "state": [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3],
        "goals": [1, 2, 3, 4],
        "open_priority": "Tiedonkulku, ja yhteinen kumppanuussopimus",
        "open_other": "Kiitos! matti(at)esimerkki.fi",
    },
    {
        "org_type": "service_provider",
        "field": "culture",
        "municipality": "Laukaa",
        "size": "200_499",
        "structures": {"partnership_table", "expert_group"},
        "importance": [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
        "state": ["EOS"] * 13,
        "goals": ["EOS", "EOS", "EOS", "EOS"],
        "open_priority": None,
        "open_other": None,
    },
    {
        "org_type": "parish",
        "field": "other",
        "municipality": "ÄÄNEKOSKI",
        "size": "500plus",
        "structures": set(),
        "importance": [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3],
        "state": [5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 5, 4, 3],
        "goals": [5, 5, 5, 5],
        "open_priority": "Tilat, tilat ja tilat",
        "open_other": None,
    },
]
TIMES = ["2026-10-05 09:12:00", "2026-10-06 10:00:00", "2026-10-07 11:30:00", "2026-10-08 12:45:00"]


def _scale(value, scale: str, style: str) -> str | None:
    if value is None:
        return None
    if value == "EOS":
        return "En osaa sanoa"
    label = Q.scales[scale][value]
    return {"full": f"{value} {label}", "label": label, "number": str(value)}[style]


def _rows(header_style: str, scale_style: str, multi: str, numbered: bool):
    """(header, rows) for the questionnaire part of an export."""
    header, rows = [], [[] for _ in RESPONDENTS]

    def add(text: str, values: list) -> None:
        header.append(text)
        for row, value in zip(rows, values, strict=True):
            row.append(value)

    for n, question in enumerate(Q.questions, 1):
        title = f"{n}. {question.header}" if numbered else question.header
        if question.type == "single":
            add(title, [LABEL[(question.id, r[question.id])] for r in RESPONDENTS])
        elif question.type == "municipality":
            add(title, [r["municipality"] for r in RESPONDENTS])
        elif question.type == "multiple":
            if multi in ("semicolon", "comma"):
                sep = ";" if multi == "semicolon" else ", "
                add(
                    title,
                    [
                        (
                            sep.join(
                                LABEL[("structures", o.id)]
                                for o in question.options
                                if o.id in r["structures"]
                            )
                            + (";" if multi == "semicolon" and r["structures"] else "")
                        )
                        or None
                        for r in RESPONDENTS
                    ],
                )
            else:
                for i, option in enumerate(question.options, 1):
                    name = {
                        "dash": f"{title} - {option.label}",
                        "limesurvey": f"{title} [SQ{i:03d}]",
                    }[multi]
                    on, off = ("Y", "") if multi == "limesurvey" else ("1", "0")
                    add(
                        name,
                        [
                            (on if option.id in r["structures"] else off)
                            if r["structures"]
                            else ("" if multi == "limesurvey" else "0")
                            for r in RESPONDENTS
                        ],
                    )
        elif question.type == "matrix":
            rows_of = Q.rows(question.id)
            for i, row in enumerate(rows_of):
                name = {
                    "dash": f"{title} - {row.text}",
                    "endash": f"{title} – {row.text}",
                    "colon": f"{title}: {row.text}",
                    "bracket": f"{title} [{row.text}]",
                    "limesurvey": f"{title} [SQ{i + 1:03d}]",
                }[header_style]
                key = {"importance": "importance", "state": "state", "goals": "goals"}[question.id]
                add(name, [_scale(r[key][i], question.scale, scale_style) for r in RESPONDENTS])
        elif question.type == "text":
            add(title, [r[question.id] for r in RESPONDENTS])
    return header, rows


def _csv(header: list, rows: list, sep: str, encoding: str, before: list[list[str]] = ()) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    for line in before:
        writer.writerow(line)
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def webropol_csv() -> bytes:
    """Webropol-like: cp1252, ';', title rows, numbered questions, numbers, 0/1 option columns."""
    header, rows = _rows("dash", "number", "dash", numbered=True)
    header = ["Vastaajan numero", "Vastausaika", *header]
    rows = [
        [str(100 + i), t.replace("-", ".")[:10], *row]
        for i, (t, row) in enumerate(zip(TIMES, rows, strict=True))
    ]
    rows = [[r[0], f"{r[1][8:10]}.{r[1][5:7]}.{r[1][0:4]}", *r[2:]] for r in rows]
    title = [["Järjestöyhteistyön tilannekuva"], ["Raportti luotu 22.11.2026"], []]
    return _csv(header, rows, ";", "cp1252", title)


def forms_xlsx() -> bytes:
    """Microsoft Forms: ID, times, Email, Name; full labels; multi in one cell with trailing ';'."""
    header, rows = _rows("dash", "full", "semicolon", numbered=False)
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", *header])
    for i, (t, row) in enumerate(zip(TIMES, rows, strict=True)):
        sheet.append([i + 1, t, t, "anonymous", None, *row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def google_csv() -> bytes:
    """Google Forms: UTF-8, ',', Timestamp (M/D/YYYY), '[row]' matrix headers, bare labels, ', ' multi."""
    header, rows = _rows("bracket", "label", "comma", numbered=False)
    stamps = ["10/5/2026 9:12:00", "10/6/2026 10:00:00", "10/7/2026 11:30:00", "10/8/2026 12:45:00"]
    return _csv(
        ["Timestamp", "Email Address", *header],
        [[s, "x@example.fi", *row] for s, row in zip(stamps, rows, strict=True)],
        ",",
        "utf-8",
    )


def limesurvey_csv() -> bytes:
    """LimeSurvey: ';', UTF-8 BOM, its own columns, '[SQ001]' subquestion codes, 'Y' options."""
    header, rows = _rows("limesurvey", "number", "limesurvey", numbered=False)
    own = ["id", "submitdate", "lastpage", "startlanguage", "seed", "ipaddr"]
    body = [
        [str(i + 1), t, "3", "fi", "123", "10.0.0.1", *row]
        for i, (t, row) in enumerate(zip(TIMES, rows, strict=True))
    ]
    return b"\xef\xbb\xbf" + _csv([*own, *header], body, ";", "utf-8")
