"""Matching an export's column headers to the questionnaire.

Headers are compared after normalisation: question numbering (``3.``, ``Q3``,
``3)``) removed, case folded, whitespace collapsed, quotes and trailing
punctuation dropped. A matrix question's row is found after `` - ``, `` – ``,
``:`` or inside ``[...]`` (LimeSurvey: ``[SQ001]`` codes given as ``aliases`` in
the questionnaire file). A multiple-choice question is either one column or
one 0/1 column per option. Tools' own columns that identify a respondent are
recognised so that they can be dropped and reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tilannekuva.questionnaire import Question, Questionnaire

IDENTIFYING = {
    "id",
    "respondent",
    "respondent id",
    "respondentid",
    "vastaaja",
    "vastaajan numero",
    "vastaajanumero",
    "vastaajatunnus",
    "response id",
    "responseid",
    "submission id",
    "email",
    "e-mail",
    "sähköposti",
    "sähköpostiosoite",
    "email address",
    "name",
    "nimi",
    "full name",
    "first name",
    "last name",
    "etunimi",
    "sukunimi",
    "ip",
    "ip address",
    "ip-osoite",
    "ipaddr",
    "ip osoite",
    "user",
    "username",
    "käyttäjä",
    "token",
    "phone",
    "puhelin",
    "puhelinnumero",
}
# The tool's own respondent number: rows sharing one are the same response exported twice.
RESPONDENT_NUMBER = {
    "id",
    "respondent",
    "respondent id",
    "respondentid",
    "vastaaja",
    "vastaajan numero",
    "vastaajanumero",
    "vastaajatunnus",
    "response id",
    "responseid",
    "submission id",
    "token",
}
METADATA = {
    "start time",
    "completion time",
    "last modified time",
    "timestamp",
    "aikaleima",
    "submitdate",
    "startdate",
    "datestamp",
    "lastpage",
    "startlanguage",
    "seed",
    "aloitusaika",
    "valmistumisaika",
    "vastausaika",
    "kesto",
    "duration",
    "time taken",
    "interview time",
    "refurl",
    "alkamisaika",
    "päättymisaika",
    "lähetetty",
    "created",
    "tila",
    "status",
    "language",
    "kieli",
    "date submitted",
    "last page",
    "viimeisin sivu",
    # SurveyMonkey's and Finnish Microsoft Forms' own columns.
    "collector id",
    "viimeksi muokattu",
    "viimeisin muokkausaika",
    "muokattu viimeksi",
    "last modified",
}
TIME_COLUMNS = {
    "completion time",
    "timestamp",
    "aikaleima",
    "submitdate",
    "datestamp",
    "date submitted",
    "valmistumisaika",
    "lähetetty",
    "päättymisaika",
    "start time",
    "startdate",
    "aloitusaika",
    "alkamisaika",
}


# Answers repeat (a few labels in thousands of cells): the keys are cached.
@lru_cache(maxsize=1 << 16)
def text_key(text: str) -> str:
    """Comparison key for answers: case, spacing and quotes do not matter."""
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ").casefold().strip()
    text = text.strip("\"'“”„ ")
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Comparison key for headers: as :func:`text_key`, and question numbering removed."""
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    text = re.sub(r"^\s*(?:q|k|kysymys)?\s*\d+(?:\.\d+)*\s*[.):]?\s+", "", text, flags=re.I)
    text = text.casefold().strip()
    text = text.strip("\"'“”„ ")
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(" .:*").strip()


def _strip_question_mark(text: str) -> str:
    return text.rstrip("?").strip()


@dataclass
class ColumnMatch:
    index: int
    header: str
    question: str  # question id
    kind: str  # "single" | "multiple" | "multiple-option" | "municipality" | "scale" | "text"
    target: str  # processed column, or option id for "multiple-option"


@dataclass
class HeaderMatch:
    columns: list[ColumnMatch] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    identifying: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    time_column: int | None = None
    respondent_columns: list[int] = field(default_factory=list)  # the tool's respondent number
    time_columns: list[int] = field(default_factory=list)  # every start/end/submit time


def _keys(question: Question) -> set[str]:
    keys = {norm(question.header), _strip_question_mark(norm(question.header))}
    keys |= {norm(a) for a in question.aliases}
    return keys


SEPARATOR = re.compile(r"\s*[-–—:|/]\s*")


def _splits(header: str) -> list[tuple[str, str]]:
    """Every (question part, row part) reading of a matrix-style header."""
    bracket = re.fullmatch(r"(.*?)\s*\[(.+?)\]\s*", header)
    out = [(bracket.group(1), bracket.group(2))] if bracket else []
    for sep in SEPARATOR.finditer(header):
        question, row = header[: sep.start()], header[sep.end() :]
        if question and row:
            out.append((question, row))
    return out


LIME_CODE = re.compile(
    r"^\s*([A-Za-z][A-Za-z0-9_]*\d[A-Za-z0-9_]*)(?:\[([A-Za-z0-9_#]+)\])?(?:\.\s|$)"
)


def _lime_code(header: str) -> tuple[str, str | None] | None:
    """(question code, subquestion code) of a LimeSurvey-coded header, e.g. ``Q3[SQ001]. …``."""
    match = LIME_CODE.match(header)
    return (match.group(1), match.group(2)) if match else None


def match_headers(header: list[str], questionnaire: Questionnaire) -> HeaderMatch:
    result = HeaderMatch()
    simple = {}
    for q in questionnaire.questions:
        if q.type != "matrix":
            for key in _keys(q):
                simple[key] = q
    matrix = [q for q in questionnaire.questions if q.type == "matrix"]
    multiple = [q for q in questionnaire.questions if q.type == "multiple"]
    # Columns the questionnaire itself marks as identifying (e.g. drafted by `survey init`).
    marked = {norm(h) for h in questionnaire.identifying}

    # LimeSurvey codes the questionnaire lists as aliases ("Q3[SQ001]. Text [Row]" → "q3[sq001]").
    coded_aliases = {norm(a) for q in questionnaire.questions for a in q.aliases}

    for index, raw in enumerate(header):
        key = norm(raw)
        if not key:
            continue
        coded = _lime_code(raw or "")
        if coded and norm(coded[0]) in coded_aliases:
            key = norm(f"{coded[0]}[{coded[1]}]" if coded[1] else coded[0])
        if key in marked:
            result.identifying.append(raw)
            if key in RESPONDENT_NUMBER:
                result.respondent_columns.append(index)
            continue
        if key in simple or _strip_question_mark(key) in simple:
            q = simple.get(key) or simple[_strip_question_mark(key)]
            kind = {
                "single": "single",
                "multiple": "multiple",
                "municipality": "municipality",
                "scale": "scale",
                "text": "text",
            }[q.type]
            result.columns.append(ColumnMatch(index, raw, q.id, kind, q.id))
            continue
        found = _match_split(key, matrix, multiple, questionnaire)
        if found:
            result.columns.append(ColumnMatch(index, raw, *found))
            continue
        if key in IDENTIFYING or key.replace("_", " ") in IDENTIFYING:
            result.identifying.append(raw)
            if key in RESPONDENT_NUMBER or key.replace("_", " ") in RESPONDENT_NUMBER:
                result.respondent_columns.append(index)
        elif key in METADATA or key.replace("_", " ") in METADATA:
            result.metadata.append(raw)
            if key in TIME_COLUMNS:
                result.time_columns.append(index)
            if key in TIME_COLUMNS and (
                result.time_column is None
                or key in {"completion time", "timestamp", "aikaleima", "submitdate"}
            ):
                result.time_column = index
        else:
            result.unmatched.append(raw)
    return result


def _match_split(key: str, matrix, multiple, questionnaire: Questionnaire):
    for question_part, row_part in _splits(key):
        found = _match_parts(
            _strip_question_mark(norm(question_part)),
            norm(row_part),
            matrix,
            multiple,
            questionnaire,
        )
        if found:
            return found
    return None


def _match_parts(question_part: str, row_part: str, matrix, multiple, questionnaire):
    for q in matrix:
        if question_part not in {_strip_question_mark(k) for k in _keys(q)}:
            continue
        for row in questionnaire.rows(q.id):
            names = {norm(row.text), norm(row.id)} | {norm(a) for a in row.aliases}
            if row.short:
                names.add(norm(row.short))
            if row_part in names:
                return q.id, "scale", (q.column or "").format(row=row.id)
    for q in multiple:
        if question_part not in {_strip_question_mark(k) for k in _keys(q)}:
            continue
        for option in q.options:
            names = {norm(option.label), norm(option.id)} | {norm(a) for a in option.aliases}
            if row_part in names:
                return q.id, "multiple-option", option.id
    return None
