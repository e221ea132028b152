"""LimeSurvey exports: question and answer codes turned into the texts a person reads.

LimeSurvey's response export may carry codes instead of texts: headers such as
``G01Q03`` or ``G01Q03[SQ001]`` ("question code"), or ``Q3[SQ001]. Text
[Row]`` ("question code & question text"), and answer codes such as ``A1``.
The survey's *structure export* says what the codes mean; it comes in two
forms, both read here:

- ``.lss``: XML. Tables ``questions``, ``subquestions`` and ``answers`` (each
  ``<rows><row>…``); LimeSurvey 3 keeps the texts in the rows (``question``,
  ``answer`` with ``language``), LimeSurvey 4 and later in
  ``question_l10ns`` (by ``qid``) and ``answer_l10ns`` (by ``aid``).
- ``.txt``: the tab-separated structure export, one row per object with
  ``class`` ``Q`` (question: ``name`` its code, ``type/scale`` its type,
  ``text``), ``SQ`` (its subquestion) and ``A`` (its answer option: ``name``
  the code, ``text`` the label); rows follow their question, once per language.

:func:`translate` rewrites an export's headers and cells into texts and keeps,
per header, the codes it came from (:class:`Hints`), so that the drafted
questionnaire lists them as ``aliases`` and ``codes`` and the same coded
export can later be ingested without the structure. Array questions' answers
become ``"<position> <label>"`` so that their order is kept as a scale.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from tilannekuva.errors import InputError, Problem, TilannekuvaError
from tilannekuva.spreadsheet import RawTable

# LimeSurvey question types whose answer options are an ordered scale (arrays).
ARRAY_TYPES = {"F", "H", "1"}
# Types with fixed answer codes LimeSurvey does not list in the structure.
FIXED_ANSWERS = {
    "Y": {"Y": "Kyllä", "N": "Ei"},
    "G": {"F": "Nainen", "M": "Mies"},
    "C": {"Y": "Kyllä", "N": "Ei", "U": "En osaa sanoa"},
    "E": {"I": "Lisääntynyt", "S": "Pysynyt samana", "D": "Vähentynyt"},
}
MULTIPLE_TYPES = {"M", "P"}
# LimeSurvey's own response columns (never questions).
OWN_COLUMNS = {
    "id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
    "ipaddr", "refurl", "token", "interviewtime",
}  # fmt: skip
# ``G01Q03``, ``Q3[SQ001]``, ``Q3[SQ001]. Text [Row]``, ``Q3. Text``.
CODE_HEADER = re.compile(
    r"^\s*([A-Za-z][A-Za-z0-9_]*)(?:\[([A-Za-z0-9_#]+)\])?(?:\.\s+(.*))?\s*$", re.S
)
ANSWER_CODE = re.compile(r"^(?:A|AO)\d+$")
SUBQUESTION_CODE = re.compile(r"^SQ\d+$", re.I)
OTHER_SUFFIXES = {"other": "muu, mikä", "comment": "kommentti"}
CODES_ONLY_HELP = (
    "LimeSurvey-vienti sisältää vain koodeja (esim. G01Q03[SQ001], A1): anna kyselyn "
    "rakenne valitsimella --structure (LimeSurveyssa Vie → Kyselyn rakenne, .lss tai .txt) "
    "tai vie vastaukset uudelleen valinnoilla Täydet vastaukset ja Kysymyksen teksti."
)


class CodesOnlyError(TilannekuvaError):
    """A codes-only LimeSurvey export drafted without its structure (exit 1, nothing written)."""


@dataclass
class LimeQuestion:
    code: str
    text: str
    type: str
    subquestions: dict[str, str] = field(default_factory=dict)  # code → text
    answers: dict[str, str] = field(default_factory=dict)  # code → label, in order


@dataclass
class Hints:
    """Per translated header: the question code and the subquestion code it came from."""

    headers: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # question code → code → text

    def question_code(self, header: str) -> str | None:
        found = self.headers.get(header)
        return found[0] if found else None

    def sub_code(self, header: str) -> str | None:
        found = self.headers.get(header)
        return found[1] if found else None


def _plain(text: str | None) -> str:
    """A question text without LimeSurvey's HTML, whitespace collapsed."""
    if not text:
        return ""
    if "<" in text or "&" in text:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for block in soup.find_all(["br", "p", "div", "li", "h1", "h2", "h3", "h4"]):
            block.insert_after(" ")  # blocks are separate words; inline markup is not
        text = soup.get_text()
    return re.sub(r"\s+", " ", text).strip()


# --- reading the structure ---


def read_structure(path: Path) -> dict[str, LimeQuestion]:
    """The questions of a ``.lss`` or tab-separated ``.txt`` structure export, by code."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            Problem(str(path), f"a readable LimeSurvey structure file ({exc})")
        ) from exc
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    reader = _read_lss if head.startswith(b"<") else _read_tsv
    questions = reader(data, str(path))
    if not questions:
        raise InputError(
            Problem(
                str(path),
                "a LimeSurvey structure export (.lss XML or the tab-separated .txt) with at "
                "least one question; none found",
            )
        )
    return questions


def _rows(root, table: str) -> list[dict[str, str]]:
    node = root.find(table)
    if node is None:
        return []
    rows = node.find("rows")
    if rows is None:
        return []
    return [{child.tag: (child.text or "") for child in row} for row in rows.findall("row")]


def _first_language(rows: list[dict[str, str]], preferred: str | None) -> str | None:
    languages = [r.get("language") for r in rows if r.get("language")]
    if preferred in languages:
        return preferred
    return languages[0] if languages else None


def _read_lss(data: bytes, name: str) -> dict[str, LimeQuestion]:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise InputError(Problem(name, f"a LimeSurvey .lss file (XML); {exc}")) from exc
    if root.findtext("LimeSurveyDocType") not in (None, "Survey"):
        raise InputError(Problem(name, "a survey's .lss structure (LimeSurveyDocType Survey)"))
    survey_language = root.findtext("languages/language")
    questions = _rows(root, "questions")
    subquestions = _rows(root, "subquestions")
    texts = {}
    l10ns = _rows(root, "question_l10ns")
    language = _first_language(l10ns or questions, survey_language)
    for row in l10ns:  # LimeSurvey 4 and later
        if row.get("language") in (None, "", language):
            texts.setdefault(row.get("qid", ""), row.get("question", ""))
    for row in [*questions, *subquestions]:  # LimeSurvey 3: texts in the rows
        if row.get("question") and row.get("language") in (None, "", language):
            texts.setdefault(row.get("qid", ""), row.get("question", ""))
    out: dict[str, LimeQuestion] = {}
    by_qid: dict[str, LimeQuestion] = {}
    ordered = sorted(
        (r for r in questions if r.get("parent_qid", "0") in ("", "0")),
        key=lambda r: (_int(r.get("gid")), _int(r.get("question_order")), _int(r.get("qid"))),
    )
    for row in ordered:
        qid = row.get("qid", "")
        if qid in by_qid:
            continue  # LimeSurvey 3 repeats a question per language
        q = LimeQuestion(row.get("title", ""), _plain(texts.get(qid)), row.get("type", ""))
        by_qid[qid] = q
        out[q.code] = q
    for row in sorted(subquestions, key=lambda r: _int(r.get("question_order"))):
        parent = by_qid.get(row.get("parent_qid", ""))
        if parent is not None and row.get("scale_id", "0") in ("", "0"):
            parent.subquestions.setdefault(row.get("title", ""), _plain(texts.get(row["qid"])))
    answers = _rows(root, "answers")
    labels = {}
    for row in _rows(root, "answer_l10ns"):  # LimeSurvey 4 and later
        if row.get("language") in (None, "", language):
            labels.setdefault(row.get("aid", ""), row.get("answer", ""))
    for row in sorted(answers, key=lambda r: _int(r.get("sortorder"))):
        q = by_qid.get(row.get("qid", ""))
        if q is None or row.get("scale_id", "0") not in ("", "0"):
            continue
        if row.get("language") not in (None, "", language):
            continue
        label = row.get("answer") or labels.get(row.get("aid", ""), "")
        q.answers.setdefault(row.get("code", ""), _plain(label))
    return out


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _read_tsv(data: bytes, name: str) -> dict[str, LimeQuestion]:
    from tilannekuva.spreadsheet import decode

    text, _ = decode(data, name)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    needed = {"class", "type/scale", "name", "text"}
    if not reader.fieldnames or not needed <= set(reader.fieldnames):
        raise InputError(
            Problem(
                name,
                "LimeSurvey's tab-separated structure export with the columns class, "
                f"type/scale, name, text (found: {', '.join(reader.fieldnames or [])[:120]})",
                row=1,
            )
        )
    out: dict[str, LimeQuestion] = {}
    current: LimeQuestion | None = None
    language = None
    for row in reader:
        kind = (row.get("class") or "").strip()
        row_language = (row.get("language") or "").strip() or None
        if kind == "Q":
            language = language or row_language
            if row_language not in (None, language):
                current = None  # the same question again in another language
                continue
            code = (row.get("name") or "").strip()
            current = out.setdefault(
                code, LimeQuestion(code, _plain(row.get("text")), (row.get("type/scale") or ""))
            )
        elif kind == "SQ" and current is not None:
            if (row.get("type/scale") or "0").strip() in ("", "0"):
                current.subquestions.setdefault(
                    (row.get("name") or "").strip(), _plain(row.get("text"))
                )
        elif kind == "A" and current is not None:
            if (row.get("type/scale") or "0").strip() in ("", "0"):
                current.answers.setdefault((row.get("name") or "").strip(), _plain(row.get("text")))
        elif kind in ("G", "S", "SL"):
            current = None if kind == "G" else current
    return out


# --- the export ---


def _coded(header: str) -> tuple[str, str | None, str | None] | None:
    """(code, subquestion code, text after the code) of a LimeSurvey-coded header."""
    match = CODE_HEADER.match(header or "")
    if not match or not re.search(r"\d", match.group(1)):
        return None
    return match.group(1), match.group(2), match.group(3)


def looks_like_limesurvey(raw: RawTable) -> bool:
    """LimeSurvey's own columns, or a header coded ``CODE[SUB]``."""
    names = {(h or "").strip().casefold() for h in raw.header}
    if names & {"lastpage", "startlanguage", "seed"}:
        return True
    return any((found := _coded(h or "")) and found[1] for h in raw.header)


def codes_only(raw: RawTable) -> bool:
    """Whether a LimeSurvey export carries codes where a person needs texts.

    Either most question headers are bare codes (``G01Q03``, ``Q3[SQ001]``) or
    some column's answers are all answer codes (``A1``, ``A2``, …).
    """
    columns = [
        (i, h) for i, h in enumerate(raw.header) if h and h.strip().casefold() not in OWN_COLUMNS
    ]
    if not columns:
        return False
    bare = sum(1 for _, h in columns if (found := _coded(h)) and found[2] is None)
    if bare >= 0.8 * len(columns):
        return True
    for index, _ in columns:
        values = {str(r[index]).strip() for r in raw.rows if index < len(r) and r[index]}
        values.discard("")
        if values and all(ANSWER_CODE.match(v) for v in values):
            return True
    return False


def translate(raw: RawTable, structure: dict[str, LimeQuestion] | None) -> tuple[RawTable, Hints]:
    """Headers and answer codes as texts (see the module docstring), with the codes kept.

    Without ``structure`` only the "code & text" headers are read: the code is
    kept as a hint and the text stays.
    """
    hints = Hints()
    header = list(raw.header)
    cell_codes: dict[int, dict[str, str]] = {}
    unknown = []
    for index, text in enumerate(raw.header):
        found = _coded(text or "")
        if found is None or (text or "").strip().casefold() in OWN_COLUMNS:
            continue
        code, sub, rest = found
        question = (structure or {}).get(code)
        if question is None:
            if structure is not None and rest is None:
                unknown.append(text)
            if rest is None:
                continue
            # "Q3[SQ001]. Text [Row]": the text is there, the codes are kept as hints.
            header[index] = rest.strip()
            hints.headers[header[index]] = (code, sub)
            continue
        name = question.text or code
        if sub in OTHER_SUFFIXES:
            header[index] = f"{name} ({OTHER_SUFFIXES[sub]})"
            continue
        if sub is not None:
            row = question.subquestions.get(sub) or sub
            header[index] = f"{name} [{row}]"
        else:
            header[index] = name
        hints.headers[header[index]] = (code, sub)
        meaning = _answer_texts(question)
        if meaning:
            cell_codes[index] = meaning
            hints.codes[code] = meaning
    if unknown:
        raise InputError(
            Problem(
                raw.file,
                "question codes found in the LimeSurvey structure; not found: "
                + ", ".join(unknown[:8])
                + (" …" if len(unknown) > 8 else ""),
                row=raw.header_row,
            )
        )
    rows = [
        [
            cell_codes[i].get(str(v).strip(), v) if i in cell_codes and v is not None else v
            for i, v in enumerate(row)
        ]
        for row in raw.rows
    ]
    return replace(raw, header=header, rows=rows), hints


def _answer_texts(question: LimeQuestion) -> dict[str, str]:
    """Answer code → the text a cell should read (arrays: "<position> <label>")."""
    if question.type in FIXED_ANSWERS:
        return dict(FIXED_ANSWERS[question.type])
    if question.type in MULTIPLE_TYPES or not question.answers:
        return {}
    if question.type in ARRAY_TYPES:
        from tilannekuva.survey.draft import MISSING_LABELS
        from tilannekuva.survey.headers import text_key

        missing = {text_key(m) for m in MISSING_LABELS}
        out, position = {}, 0
        for code, label in question.answers.items():
            if text_key(label) in missing:
                out[code] = label
                continue
            position += 1
            out[code] = label if re.match(r"\d", label) else f"{position} {label}"
        return out
    return dict(question.answers)
