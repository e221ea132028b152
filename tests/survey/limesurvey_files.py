"""A small LimeSurvey survey as LimeSurvey writes it: the coded response CSV and its
structure as ``.lss`` (LimeSurvey 5: texts in ``question_l10ns``/``answer_l10ns``),
``.lss`` (LimeSurvey 3: texts in the rows) and the tab-separated ``.txt``.

Questions (codes as LimeSurvey's editor gives them):

- ``G01Q01`` list (L): who answers, options ``A1``–``A4`` (``A4`` never chosen);
- ``G01Q02`` array (F) over ``SQ001``–``SQ003``, answers ``A1``–``A5`` and ``A6``
  "En osaa sanoa";
- ``G01Q03`` multiple choice (M) over ``SQ001``–``SQ003``, cells ``Y``/empty;
- ``G01Q04`` long free text (T);
- ``G01Q05`` 5-point choice (5), cells 1–5.
"""

from __future__ import annotations

import csv
import io

N = 20
WHO = {"A1": "Vapaaehtoisvoimin toimiva yhdistys",
       "A2": "Järjestö, jossa on palkattuja työntekijöitä",
       "A3": "Hyvinvointialue tai kunta", "A4": "Seurakunta"}  # fmt: skip
ROWS = {"SQ001": "Ohjelman sisältö", "SQ002": "Käytännön järjestelyt", "SQ003": "Tiedotus"}
SCALE = {"A1": "Erittäin huonosti", "A2": "Melko huonosti", "A3": "Ei hyvin eikä huonosti",
         "A4": "Melko hyvin", "A5": "Erittäin hyvin", "A6": "En osaa sanoa"}  # fmt: skip
PARTS = {"SQ001": "Avauspuheenvuoro", "SQ002": "Työpajat", "SQ003": "Verkostokahvit"}
QUESTIONS = [
    ("G01Q01", "L", "<p>Millaista toimijaa <b>edustat</b>?</p>", {}, WHO),
    ("G01Q02", "F", "Kuinka hyvin tilaisuus onnistui?", ROWS, SCALE),
    ("G01Q03", "M", "Mistä osista oli hyötyä?", PARTS, {}),
    ("G01Q04", "T", "Terveisiä järjestäjille", {}, {}),
    ("G01Q05", "5", "Kokonaisarvosana", {}, {}),
]


def _cycle(values: list, n: int = N) -> list:
    return [values[i % len(values)] for i in range(n)]


ANSWERS = {
    "G01Q01": _cycle(["A1", "A2", "A1", "A3"]),  # A1 10, A2 5, A3 5
    "G01Q02[SQ001]": _cycle(["A5", "A4", "A4", "A6"]),  # mean of 5,4,4: 13/3
    "G01Q02[SQ002]": _cycle(["A3", "A2", "A4", "A5", ""]),  # mean of 3,2,4,5: 3.5
    "G01Q02[SQ003]": _cycle(["A1", "A2"]),  # mean 1.5
    "G01Q03[SQ001]": _cycle(["Y", ""]),
    "G01Q03[SQ002]": _cycle(["Y", "Y", ""]),
    "G01Q03[SQ003]": _cycle(["", "", "", "Y"]),
    "G01Q04": [f"Kiitos {i}." if i % 5 == 0 else "" for i in range(N)],
    "G01Q05": _cycle(["5", "4", "3", "4"]),
}
OWN = ["id", "submitdate", "lastpage", "startlanguage", "seed"]


def response_csv(headers: str = "code") -> bytes:
    """LimeSurvey's response export: answer codes; headers as codes or "code. text"."""
    columns = list(ANSWERS)
    if headers == "code-text":
        texts = {code: text for code, _, text, _, _ in QUESTIONS}
        named = []
        for column in columns:
            code, _, sub = column.partition("[")
            text = texts[code].replace("<p>", "").replace("</p>", "").replace("<b>", "")
            text = text.replace("</b>", "")
            if sub:
                sub = sub.rstrip("]")
                row = {**ROWS, **PARTS}[sub] if code in ("G01Q02", "G01Q03") else sub
                named.append(f"{column}. {text} [{row}]")
            else:
                named.append(f"{column}. {text}")
        columns_shown = named
    else:
        columns_shown = columns
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([*OWN, *columns_shown])
    for i in range(N):
        own = [str(i + 1), f"2026-10-{1 + i % 28:02d} 12:00:00", "2", "fi", str(1000 + i)]
        writer.writerow([*own, *(ANSWERS[c][i] for c in columns)])
    return buffer.getvalue().encode("utf-8")


def _table(name: str, fields: list[str], rows: list[dict]) -> str:
    out = [f"<{name}><fields>", *(f"<fieldname>{f}</fieldname>" for f in fields), "</fields><rows>"]
    for row in rows:
        cells = "".join(
            f"<{f}><![CDATA[{row[f]}]]></{f}>" if f in row else f"<{f}/>" for f in fields
        )
        out.append(f"<row>{cells}</row>")
    out.append(f"</rows></{name}>")
    return "\n".join(out)


def lss(version: int = 5) -> bytes:
    """The structure as XML: LimeSurvey 5 (l10n tables) or 3 (texts in the rows)."""
    questions, subquestions, answers, q_l10n, a_l10n = [], [], [], [], []
    qid, aid = 100, 500
    for order, (code, kind, text, subs, opts) in enumerate(QUESTIONS, 1):
        qid += 1
        parent = qid
        row = {"qid": parent, "parent_qid": 0, "sid": 123456, "gid": 1, "type": kind,
               "title": code, "question_order": order, "language": "fi"}  # fmt: skip
        if version == 3:
            row["question"] = text
        questions.append(row)
        q_l10n.append({"id": parent, "qid": parent, "question": text, "language": "fi"})
        q_l10n.append({"id": parent + 1000, "qid": parent, "question": "(en) " + text,
                       "language": "en"})  # fmt: skip
        for sub_order, (sub, sub_text) in enumerate(subs.items(), 1):
            qid += 1
            sub_row = {"qid": qid, "parent_qid": parent, "sid": 123456, "gid": 1, "type": "T",
                       "title": sub, "question_order": sub_order, "scale_id": 0,
                       "language": "fi"}  # fmt: skip
            if version == 3:
                sub_row["question"] = sub_text
            subquestions.append(sub_row)
            q_l10n.append({"id": qid, "qid": qid, "question": sub_text, "language": "fi"})
        for sort, (answer_code, label) in enumerate(opts.items(), 1):
            aid += 1
            answer = {"aid": aid, "qid": parent, "code": answer_code, "sortorder": sort,
                      "assessment_value": 0, "scale_id": 0}  # fmt: skip
            if version == 3:
                answer |= {"answer": label, "language": "fi"}
            answers.append(answer)
            a_l10n.append({"id": aid, "aid": aid, "answer": label, "language": "fi"})
            a_l10n.append({"id": aid + 1000, "aid": aid, "answer": "en", "language": "en"})
    q_fields = ["qid", "parent_qid", "sid", "gid", "type", "title", "question_order"]
    if version == 3:
        q_fields += ["question", "language"]
    a_fields = ["aid", "qid", "code", "sortorder", "assessment_value", "scale_id"]
    if version == 3:
        a_fields = ["qid", "code", "answer", "sortorder", "assessment_value", "scale_id",
                    "language"]  # fmt: skip
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<document>",
        "<LimeSurveyDocType>Survey</LimeSurveyDocType>",
        f"<DBVersion>{'366' if version == 3 else '495'}</DBVersion>",
        "<languages><language>fi</language><language>en</language></languages>",
        _table("answers", a_fields, answers),
    ]
    if version != 3:
        parts.append(_table("answer_l10ns", ["id", "aid", "answer", "language"], a_l10n))
    parts.append(_table("questions", q_fields, questions))
    parts.append(_table("subquestions", [*q_fields, "scale_id"], subquestions))
    if version != 3:
        parts.append(_table("question_l10ns", ["id", "qid", "question", "language"], q_l10n))
    parts.append("</document>")
    return "\n".join(parts).encode("utf-8")


TSV_FIELDS = ["id", "related_id", "class", "type/scale", "name", "relevance", "text", "help",
              "language", "validation", "mandatory", "other", "default", "same_default"]  # fmt: skip


def tsv() -> bytes:
    """The tab-separated structure export: S/SL rows, then per language G, Q, SQ and A rows."""
    rows = [
        {"class": "S", "name": "sid", "text": "123456"},
        {"class": "S", "name": "language", "text": "fi"},
        {"class": "SL", "name": "surveyls_title", "text": "Palaute", "language": "fi"},
    ]
    for language in ("fi", "en"):
        rows.append({"id": "1", "class": "G", "type/scale": "0", "name": "Palaute",
                     "language": language})  # fmt: skip
        for qid, (code, kind, text, subs, opts) in enumerate(QUESTIONS, 101):
            shown = text if language == "fi" else f"(en) {text}"
            rows.append({"id": str(qid), "class": "Q", "type/scale": kind, "name": code,
                         "relevance": "1", "text": shown, "language": language,
                         "mandatory": "N", "other": "N"})  # fmt: skip
            for sub, sub_text in subs.items():
                rows.append({"id": str(qid * 10), "class": "SQ", "type/scale": "0", "name": sub,
                             "relevance": "1", "text": sub_text if language == "fi" else sub,
                             "language": language})  # fmt: skip
            for answer_code, label in opts.items():
                rows.append({"id": str(qid), "class": "A", "type/scale": "0",
                             "name": answer_code, "text": label if language == "fi" else "en",
                             "language": language})  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, TSV_FIELDS, delimiter="\t", lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
