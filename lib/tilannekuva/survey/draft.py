"""`tilannekuva survey init FILE --id ID`: a draft questionnaire inferred from an export.

The export is read as ingest reads it (CSV, XLSX, ODS, HTML, SpreadsheetML;
two-row headers). Each column's type is inferred from its header and values:

- tool columns ingest already recognises (times, status, language) are left out;
  columns that identify a respondent (e-mail, name, phone, IP, respondent
  number, by header or by their values) and unrecognised timestamps and
  durations are listed under ``identifying:`` and dropped at ingest;
- consecutive columns sharing a question before a separator (`` - ``, `` – ``,
  ``: ``, ``[...]``) are a **multiple choice** when every cell is a 0/1 mark,
  otherwise a **matrix** when every cell is a scale answer;
- one column is a **municipality** when its values are the region's
  municipalities (or old names of merged ones), a **scale** when its values are
  whole numbers of a short range or labelled points (``1 Ei lainkaan`` …
  ``5 Erittäin hyvin``, or the labels of a known Finnish scale), a **multiple
  choice** when cells join recurring options with ``;`` or ``,``, a **single
  choice** when a few answers repeat, and **free text** otherwise.

"En osaa sanoa" and the other missing labels never count as answers. The
draft is commented YAML the analyst checks; :class:`Decision` rows are shown
as a Finnish summary by the command.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from tilannekuva.errors import InputError, Problem
from tilannekuva.questionnaire import Questionnaire
from tilannekuva.region import is_whole_region
from tilannekuva.spreadsheet import RawTable, column_letter, name_blank_columns, read_export
from tilannekuva.survey.answers import municipality_of
from tilannekuva.survey.headers import (
    IDENTIFYING,
    METADATA,
    RESPONDENT_NUMBER,
    norm,
    text_key,
)
from tilannekuva.survey.ingest import GENERIC_SUBHEADERS, combine_headers
from tilannekuva.survey.limesurvey import (
    CODES_ONLY_HELP,
    CodesOnlyError,
    Hints,
    codes_only,
    looks_like_limesurvey,
    read_structure,
    translate,
)

MISSING_LABELS = ["En osaa sanoa", "Ei osaa sanoa", "EOS", "Ei kantaa", "Don't know"]
# Finnish label scales seen in survey tools, lowest point first.
KNOWN_SCALES = [
    ["Ei lainkaan tärkeä", "Vähän tärkeä", "Jonkin verran tärkeä", "Melko tärkeä",
     "Erittäin tärkeä"],
    ["Ei lainkaan", "Heikosti", "Kohtalaisesti", "Hyvin", "Erittäin hyvin"],
    ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä",
     "Jokseenkin samaa mieltä", "Täysin samaa mieltä"],
    ["Erittäin tyytymätön", "Melko tyytymätön", "Ei tyytyväinen eikä tyytymätön",
     "Melko tyytyväinen", "Erittäin tyytyväinen"],
    ["Erittäin huono", "Melko huono", "Ei hyvä eikä huono", "Melko hyvä", "Erittäin hyvä"],
    ["Erittäin huonosti", "Melko huonosti", "Ei hyvin eikä huonosti", "Melko hyvin",
     "Erittäin hyvin"],
    ["Ei lainkaan", "Vähän", "Jonkin verran", "Paljon", "Erittäin paljon"],
]  # fmt: skip
# Agreement scales as Finnish tools word them: "Osittain/Jokseenkin/Melko", three neutrals.
KNOWN_SCALES += [
    ["Täysin eri mieltä", f"{middle} eri mieltä", neutral, f"{middle} samaa mieltä",
     "Täysin samaa mieltä"]
    for middle in ("Jokseenkin", "Osittain", "Melko")
    for neutral in ("Ei samaa eikä eri mieltä", "En samaa enkä eri mieltä",
                    "Ei samaa mieltä eikä eri mieltä", "Neutraali")
]  # fmt: skip
# A tool's "other, please specify" box beside a choice: the respondent's own words.
OTHER_BOX = re.compile(r"(please specify|muu,? mikä|muu \(mikä|\bother\b.*\bspecify\b)", re.I)
# Header words that mark a column as identifying a respondent.
IDENTIFYING_WORDS = re.compile(
    r"(sähköposti|e-?mail|puhelin|phone|ip[- ]?(osoite|address)?$|\bnimi\b|\bnimesi\b|"
    r"yhteystie|\bname\b|\bhetu\b|henkilötunnus|osoitteesi|^custom data\b)",
    re.I,
)
TIME_WORDS = re.compile(r"(aika|time|date|päivämäärä|kesto|duration|pvm|timestamp)", re.I)
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
TIMESTAMP = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}/\d{1,2}/\d{4})([ T]\d{1,2}[:.]\d{2}"
    r"([:.]\d{2})?)?|^\d{1,2}:\d{2}(:\d{2})?$"
)
SCALE_POINT = re.compile(r"^(\d{1,2})(?:[.,]0+)?\s*(?:[-–=:.)]\s*)?(.*)$")
MATRIX_SPLIT = (re.compile(r"^(.*?)\s*\[(.+?)\]\s*$"), re.compile(r"^(.+?)\s+[-–—]\s+(.+)$"),
                re.compile(r"^(.+?):\s+(.+)$"))  # fmt: skip
FLAG_WORDS = {"1", "0", "x", "y", "kyllä", "ei", "yes", "no", "true", "false", "valittu", "-"}
MAX_SINGLE_OPTIONS = 15
MAX_OPTION_LENGTH = 80

KIND_WORDS = {
    "single": "yksi valinta",
    "multiple": "monivalinta",
    "scale": "asteikko",
    "matrix": "matriisi",
    "municipality": "kunta",
    "text": "avoin vastaus",
    "identifying": "tunnistetieto: poistetaan",
    "tool": "kyselytyökalun sarake: ohitetaan",
    "empty": "tyhjä sarake: kirjattu avoimeksi kysymykseksi",
}


@dataclass
class Decision:
    """What the draft does with one column (or a group of columns)."""

    headers: list[str]
    kind: str  # a key of KIND_WORDS
    detail: str = ""  # e.g. "5 vaihtoehtoa", "1–5"
    check: str = ""  # what the analyst should check, in Finnish


@dataclass
class Draft:
    text: str  # the YAML
    decisions: list[Decision] = field(default_factory=list)
    header_rows: str | None = None
    respondents: int = 0


def _slug(text: str, length: int = 24) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("ä", "a").replace("ö", "o"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", text)
    slug = "_".join(words)[:length].strip("_")
    return slug or "x"


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _y(text: object) -> str:
    """A YAML scalar: JSON's double-quoted string is valid YAML."""
    return json.dumps(str(text), ensure_ascii=False)


def _is_missing(value: str | None) -> bool:
    return value is None or text_key(value) in {"", *(text_key(m) for m in MISSING_LABELS)}


def _values(raw: RawTable, index: int) -> list[str]:
    return [
        str(row[index]).strip()
        for row in raw.rows
        if index < len(row) and not _is_missing(row[index])
    ]


# --- header readings ---


def _header_reading(raw: RawTable) -> tuple[RawTable, str | None]:
    """One header row, or a question row over a sub-item row (merged cells)."""
    if raw.above is not None and sum(1 for c in raw.above if c and str(c).strip()) >= 2:
        header = combine_headers(raw.above, raw.header)
        return replace(raw, header=header), f"rivit {raw.above_row}–{raw.header_row}"
    if raw.rows:
        first = raw.rows[0]
        blanks_filled = any(
            not (h or "").strip() and i < len(first) and (first[i] or "").strip()
            for i, h in enumerate(raw.header)
        )
        generic = any(norm(c or "") in GENERIC_SUBHEADERS for c in first)
        if blanks_filled or generic:
            two = replace(
                raw,
                header=combine_headers(raw.header, first),
                rows=raw.rows[1:],
                row_numbers=raw.row_numbers[1:],
                header_row=raw.row_numbers[0],
            )
            return two, f"rivit {raw.header_row}–{raw.row_numbers[0]}"
    return raw, None


# --- single columns ---


def _identifying(header: str, values: list[str]) -> bool:
    key = norm(header)
    if key in IDENTIFYING or key.replace("_", " ") in IDENTIFYING:
        return True
    if IDENTIFYING_WORDS.search(key):
        return True
    contacts = sum(bool(EMAIL.match(v) or IPV4.match(v)) for v in values)
    return bool(values) and contacts >= 0.8 * len(values)


def _respondent_number(header: str, values: list[str]) -> bool:
    key = norm(header)
    if key in RESPONDENT_NUMBER:
        return True
    numbered = re.search(r"(numero|nro|\bid\b|tunnus)", key)
    return bool(numbered and values and len(set(values)) == len(values))


def _timestamp(header: str, values: list[str]) -> bool:
    if not values:
        return False
    stamps = sum(bool(TIMESTAMP.match(v)) for v in values)
    return stamps >= 0.9 * len(values) or (
        bool(TIME_WORDS.search(norm(header))) and stamps >= 0.5 * len(values)
    )


def _known_scale(values: set[str]) -> list[str] | None:
    keys = {text_key(v) for v in values}
    for labels in KNOWN_SCALES:
        if keys and keys <= {text_key(label) for label in labels}:
            return labels
    return None


def _scale_points(values: list[str]) -> dict[int, str | None] | None:
    """Point → label (None: no label seen) when every value is a scale point; else None."""
    distinct = set(values)
    known = _known_scale(distinct)
    if known is not None and len(distinct) >= 2:
        return {i + 1: label for i, label in enumerate(known)}
    points: dict[int, str | None] = {}
    for value in distinct:
        match = SCALE_POINT.match(value)
        if not match:
            return None
        point, label = int(match.group(1)), match.group(2).strip() or None
        if point > 10 or (label and not label[0].isalpha()):
            return None
        if label and points.get(point) not in (None, label):
            return None
        points[point] = label or points.get(point)
    if len(points) < 2:
        return None
    return _complete_labels(points)


def _complete_labels(points: dict[int, str | None]) -> dict[int, str | None]:
    """Labels of points nobody chose, from a known scale whose labels the chosen ones match."""
    labelled = {p: text_key(label) for p, label in points.items() if label}
    if not labelled or min(points) < 1:
        return points
    for labels in KNOWN_SCALES:
        if all(p <= len(labels) and text_key(labels[p - 1]) == k for p, k in labelled.items()):
            return {i + 1: label for i, label in enumerate(labels)}
    return points


def _scale_range(points: dict[int, str | None]) -> tuple[int, int]:
    """The scale's ends: 0 or 1, and the usual end (5, 7, 10) at or above the top answer.

    A labelled top point that reads as an extreme ("Erittäin …", "Täysin …") is the end.
    """
    low = 0 if min(points) == 0 else 1
    top = max(points)
    label = (points.get(top) or "").casefold()
    if label.startswith(("erittäin", "täysin", "very", "extremely")):
        return low, top
    return low, next((end for end in (5, 7, 10) if top <= end), top)


def _split_options(values: list[str]) -> tuple[str, list[str]] | None:
    """(separator, options) when cells join recurring options; None otherwise.

    A cell whose parts are never chosen alone is one option with the separator in
    its label ("Järjestö, jossa on palkattuja työntekijöitä"), not a combination.
    """
    for separator in (";", ","):
        if not any(separator in v for v in values):
            continue

        def parts(value: str, separator: str = separator) -> list[str]:
            return [p.strip() for p in value.split(separator) if p.strip()]

        whole = {separator.join(parts(v)) for v in values}
        combined = {w for w in whole if len(parts(w)) >= 2}
        atomic = {w for w in combined if not any(p in whole for p in parts(w))}
        if not combined - atomic:
            continue
        pieces: Counter = Counter()
        for v in values:
            joined = separator.join(parts(v))
            for piece in [joined] if joined in atomic else parts(v):
                pieces[piece] += 1
        if (
            len(pieces) <= MAX_SINGLE_OPTIONS
            and sum(c >= 2 for c in pieces.values()) >= 0.7 * len(pieces)
            and max(len(p) for p in pieces) <= MAX_OPTION_LENGTH
        ):
            ordered = [p for p, _ in sorted(pieces.items(), key=lambda kv: (-kv[1], kv[0]))]
            return separator, ordered
    return None


def _municipality(values: list[str]) -> bool:
    if not values:
        return False
    found = sum(municipality_of(v) is not None or is_whole_region(v) for v in set(values))
    return found >= 0.9 * len(set(values)) and found >= 2


def _single(values: list[str]) -> list[str] | None:
    counts = Counter(values)
    if not values or len(counts) > MAX_SINGLE_OPTIONS:
        return None
    if max(len(v) for v in counts) > MAX_OPTION_LENGTH:
        return None
    # Sentences are someone's own words, even when several people wrote the same.
    sentences = sum(v.rstrip().endswith((".", "!", "?")) or len(v.split()) >= 7 for v in counts)
    if sentences > len(counts) / 2:
        return None
    if len(counts) > max(2, len(values) // 2) or max(counts.values()) < 2:
        return None
    return [v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def flag_key(value: str) -> str:
    """A 0/1 mark's key; Excel's decimal forms ("1,0", "0.00") are the whole number."""
    return re.sub(r"^(\d+)[.,]0+$", r"\1", text_key(value))


def _flag_column(values: list[str], option: str) -> bool:
    return all(flag_key(v) in FLAG_WORDS or text_key(v) == text_key(option) for v in values)


def _matrix_parts(header: str) -> tuple[str, str] | None:
    for pattern in MATRIX_SPLIT:
        match = pattern.match(header)
        if match and match.group(1).strip() and match.group(2).strip():
            return match.group(1).strip(), match.group(2).strip()
    return None


# --- the draft ---


@dataclass
class _Scale:
    name: str
    points: dict[int, str]


class _Builder:
    def __init__(self, survey_id: str, title: str, hints: Hints | None = None):
        self.id = survey_id
        self.title = title
        self.hints = hints or Hints()
        self.questions: list[str] = []  # YAML blocks
        self.row_sets: list[str] = []
        self.scales: list[_Scale] = []
        self.identifying: list[str] = []
        self.question_ids: set[str] = set()
        self.municipality_done = False

    def scale_for(self, points: dict[int, str | None]) -> tuple[str, str]:
        """(scale name, "1–5") for the points; equal scales are shared."""
        low, high = _scale_range(points)
        labels = {p: (points.get(p) or str(p)) for p in range(low, high + 1)}
        for scale in self.scales:
            if scale.points == labels:
                return scale.name, f"{low}–{high}"
        top = labels[high]
        name = _unique(_slug(top, 20) if not top.isdigit() else f"asteikko_{low}_{high}",
                       {s.name for s in self.scales})  # fmt: skip
        self.scales.append(_Scale(name, labels))
        return name, f"{low}–{high}"

    def question_id(self, header: str, number: int) -> str:
        header = re.sub(r"^\s*(?:q|k|kysymys)?\s*\d+(?:\.\d+)*\s*[.):]?\s+", "", header, flags=re.I)
        return _unique(f"k{number:02d}_{_slug(header, 20)}", self.question_ids)

    def coded(self, headers: list[str]) -> list[str]:
        """A question's LimeSurvey code (``aliases``) and answer codes (``codes``), if any."""
        code = self.hints.question_code(headers[0])
        if code is None:
            return []
        lines = [f"  aliases: [{_y(code)}]"]
        if self.hints.codes.get(code):
            pairs = ", ".join(f"{_y(k)}: {_y(v)}" for k, v in self.hints.codes[code].items())
            lines.append(f"  codes: {{{pairs}}}")
        return lines

    def sub_alias(self, header: str) -> str:
        """``, aliases: ["SQ001"]`` for a row or option that came from a subquestion code."""
        sub = self.hints.sub_code(header)
        return f", aliases: [{_y(sub)}]" if sub else ""

    def add(self, comment: str, lines: list[str]) -> None:
        self.questions.append(f"  # {comment}\n" + "\n".join(f"  {line}" for line in lines))

    def to_yaml(self, source: str, decisions: list[Decision]) -> str:
        checks = [d for d in decisions if d.check]
        head = [
            f"# Luonnos: tilannekuva survey init {Path(source).name} ({date.today().isoformat()}).",
            "# Tarkista kysymysten tyypit, vaihtoehdot ja asteikot ennen ingestiä:",
            f"#   tilannekuva ingest survey {Path(source).name} --survey {self.id}",
            "# `group: true` single- tai municipality-kysymyksessä: tulokset myös ryhmittäin.",
            "# `about: [i06_grants]` kysymyksessä tai matriisin rivillä: vastaus on näyttöä",
            "# yhteistyöasiasta tai tavoitteesta (i01…i13, g1…g4; ks. config/questionnaire.yaml).",
            "# Question types: single, multiple, scale, matrix, municipality, text.",
        ]
        if checks:
            head.append("# Tarkistettavaa:")
            head += [f"#   - {', '.join(d.headers)[:70]}: {d.check}" for d in checks]
        out = [
            *head,
            f"id: {self.id}",
            f"title: {_y(self.title)}",
            f"missing_labels: [{', '.join(_y(m) for m in MISSING_LABELS)}]",
            "",
            "# Columns that identify a respondent: dropped at ingest, never stored.",
            "identifying:" + ("" if self.identifying else " []"),
            *[f"  - {_y(h)}" for h in self.identifying],
            "",
            "scales:" + ("" if self.scales else " {}"),
        ]
        for scale in self.scales:
            out.append(f"  {scale.name}:")
            out += [f"    {p}: {_y(label)}" for p, label in scale.points.items()]
        out += ["", "questions:"]
        out += [block + "\n" for block in self.questions]
        if self.row_sets:
            out += ["row_sets:", *self.row_sets]
        return "\n".join(out).rstrip() + "\n"


def draft_questionnaire(
    path: Path,
    survey_id: str,
    title: str | None = None,
    sheet: str | int | None = None,
    structure: Path | None = None,
) -> Draft:
    """Read ``path`` and infer a questionnaire (see the module's docstring).

    ``structure``: LimeSurvey's structure export (``.lss`` or ``.txt``) for an
    export with question and answer codes (:mod:`tilannekuva.survey.limesurvey`).
    """
    raw = read_export(Path(path), sheet)
    raw, header_rows = _header_reading(raw)
    if not raw.rows:
        raise InputError(Problem(str(path), "at least one response row under the header"))
    hints = None
    if structure is not None:
        raw, hints = translate(raw, read_structure(Path(structure)))
    elif looks_like_limesurvey(raw):
        if codes_only(raw):
            raise CodesOnlyError(f"{path}: {CODES_ONLY_HELP}")
        raw, hints = translate(raw, None)
    raw = name_blank_columns(raw)
    builder = _Builder(survey_id, title or _title_from(raw, path), hints)
    decisions: list[Decision] = []
    header = [h or "" for h in raw.header]
    index, number = 0, 0
    while index < len(header):
        text = header[index].strip()
        values = _values(raw, index)
        if not text:
            index += 1
            continue
        key = norm(text)
        if _identifying(text, values) or (key not in METADATA and _respondent_number(text, values)):
            builder.identifying.append(text)
            decisions.append(Decision([text], "identifying"))
            index += 1
            continue
        if key in METADATA or key.replace("_", " ") in METADATA:
            decisions.append(Decision([text], "tool"))
            index += 1
            continue
        if _timestamp(text, values):
            builder.identifying.append(text)
            decisions.append(Decision([text], "identifying", "aikaleima"))
            index += 1
            continue
        number += 1
        group = _column_group(header, index)
        if len(group) >= 2 and _add_group(raw, builder, decisions, group, number):
            index = group[-1] + 1
            continue
        _add_column(raw, builder, decisions, index, number)
        index += 1
    _stop_on_repeated_headers(raw, decisions)
    text = builder.to_yaml(str(path), decisions)
    return Draft(text, decisions, header_rows, len(raw.rows))


def _stop_on_repeated_headers(raw: RawTable, decisions: list[Decision]) -> None:
    """Two question columns with one header cannot be told apart at ingest: say which."""
    asked = Counter(
        norm(h) for d in decisions if d.kind not in ("identifying", "tool") for h in d.headers
    )
    problems = []
    for key in (k for k, n in asked.items() if n > 1):
        columns = [column_letter(i) for i, h in enumerate(raw.header) if h and norm(h) == key]
        header = next(h for h in raw.header if h and norm(h) == key)
        problems.append(
            Problem(
                raw.file,
                f"one column per question header; '{header}' heads columns "
                f"{', '.join(columns)}: rename all but one in the export (e.g. '{header} (2)') "
                "and run survey init again",
                row=raw.header_row,
            )
        )
    if problems:
        raise InputError(problems)


def _title_from(raw: RawTable, path: Path) -> str:
    return Path(path).stem.replace("_", " ").replace("-", " ").strip().capitalize()


def _column_group(header: list[str], start: int) -> list[int]:
    """``start`` and the columns right after it that share its question part."""
    parts = _matrix_parts(header[start].strip())
    if parts is None:
        return [start]
    group = [start]
    if OTHER_BOX.search(parts[1]):
        return group
    for j in range(start + 1, len(header)):
        other = _matrix_parts(header[j].strip())
        if other is None or norm(other[0]) != norm(parts[0]) or OTHER_BOX.search(other[1]):
            break  # an "other, please specify" box is the respondent's words, not a row
        group.append(j)
    return group


def _add_group(raw: RawTable, builder: _Builder, decisions: list[Decision], group, number) -> bool:
    headers = [raw.header[j].strip() for j in group]
    question, rows = _matrix_parts(headers[0])[0], [_matrix_parts(h)[1] for h in headers]
    columns = [_values(raw, j) for j in group]
    # Multiple choice as 0/1 columns: blanks count as "not chosen", so read raw cells.
    marks = [[str(r[j]).strip() for r in raw.rows if j < len(r) and r[j]] for j in group]
    if all(_flag_column(m, row) for m, row in zip(marks, rows, strict=True)) and any(marks):
        qid = builder.question_id(question, number)
        taken: set[str] = set()
        options = [
            f"{{id: {_y(_unique(_slug(r, 16), taken))}, label: {_y(r)}{builder.sub_alias(h)}}}"
            for r, h in zip(rows, headers, strict=True)
        ]
        builder.add(
            f"{len(group)} saraketta 0/1: monivalinta",
            [f"- id: {qid}", "  type: multiple", f"  header: {_y(question)}",
             *builder.coded(headers), "  options:"]
            + [f"    - {o}" for o in options],
        )  # fmt: skip
        coded = all(re.fullmatch(r"SQ\d+", r) for r in rows)
        check = "vaihtoehdot ovat koodeja: kirjoita vaihtoehtojen nimet" if coded else ""
        decisions.append(
            Decision([question], "multiple", f"{len(rows)} vaihtoehtoa (0/1-sarakkeet)", check)
        )
        return True
    points = _scale_points([v for values in columns for v in values])
    if points is None:
        return False
    scale, span = builder.scale_for(points)
    qid = builder.question_id(question, number)
    taken = set()
    row_ids = [_unique(_slug(r, 20), taken) for r in rows]
    builder.add(
        f"{len(group)} riviä, asteikko {scale} ({span})",
        [
            f"- id: {qid}",
            "  type: matrix",
            f"  header: {_y(question)}",
            f"  scale: {scale}",
            f"  rows: {qid}",
            f'  column: "{qid}__{{row}}"',
            *builder.coded(headers),
        ],
    )
    builder.row_sets.append(
        f"  {qid}:\n"
        + "\n".join(
            f"    - {{id: {_y(rid)}, text: {_y(r)}{builder.sub_alias(h)}}}"
            for rid, r, h in zip(row_ids, rows, headers, strict=True)
        )
    )
    check = (
        "rivit ovat koodeja: kirjoita rivien tekstit"
        if all(re.fullmatch(r"SQ\d+", r) for r in rows)
        else ""
    )
    decisions.append(Decision([question], "matrix", f"{len(rows)} riviä, {span}", check))
    return True


def _add_column(raw: RawTable, builder: _Builder, decisions, index: int, number: int) -> None:
    text = raw.header[index].strip()
    values = _values(raw, index)
    qid = builder.question_id(text, number)
    base = [f"- id: {qid}", *builder.coded([text])]
    if not values:
        decisions.append(Decision([text], "empty", check="ei yhtään vastausta"))
        builder.add(
            "ei vastauksia: avoin vastaus", [*base, "  type: text", f"  header: {_y(text)}"]
        )
        return
    if OTHER_BOX.search(text):
        builder.add("muu, mikä: avoin vastaus", [*base, "  type: text", f"  header: {_y(text)}"])
        decisions.append(Decision([text], "text", f"{len(values)} vastausta (muu, mikä)"))
        return
    if not builder.municipality_done and _municipality(values):
        builder.municipality_done = True
        builder.add(
            "kunnan nimet: kunta",
            [*base, "  type: municipality", f"  header: {_y(text)}", "  group: true"],
        )
        decisions.append(Decision([text], "municipality", "ryhmittely: kunta ja seutukunta"))
        return
    points = _scale_points(values)
    if points is not None:
        scale, span = builder.scale_for(points)
        builder.add(
            f"asteikko {scale} ({span})",
            [*base, "  type: scale", f"  header: {_y(text)}", f"  scale: {scale}"],
        )
        unlabelled = not any(points.values())
        decisions.append(
            Decision(
                [text],
                "scale",
                span,
                "asteikon päätepisteet ja nimet" if unlabelled else "",
            )
        )
        return
    joined = _split_options(values)
    if joined is not None:
        _, options = joined
        taken: set[str] = set()
        builder.add(
            f"{len(options)} vaihtoehtoa samassa solussa: monivalinta",
            [*base, "  type: multiple", f"  header: {_y(text)}", "  options:"]
            + [
                f"    - {{id: {_y(_unique(_slug(o, 16), taken))}, label: {_y(o)}}}" for o in options
            ],
        )
        decisions.append(
            Decision(
                [text],
                "multiple",
                f"{len(options)} vaihtoehtoa",
                "vaihtoehdot, joiden nimessä on pilkku" if "," in " ".join(options) else "",
            )
        )
        return
    options = _single(values)
    code = builder.hints.question_code(text)
    if options is not None and code in builder.hints.codes:
        # The structure lists every option, also those nobody chose, in its own order.
        listed = [v for v in builder.hints.codes[code].values() if not _is_missing(v)]
        options = list(dict.fromkeys([*listed, *options]))
    if options is not None:
        taken = set()
        builder.add(
            f"{len(options)} vaihtoehtoa: yksi valinta",
            [*base, "  type: single", f"  header: {_y(text)}", "  group: false", "  options:"]
            + [
                f"    - {{id: {_y(_unique(_slug(o, 16), taken))}, label: {_y(o)}}}" for o in options
            ],
        )
        decisions.append(
            Decision(
                [text],
                "single",
                f"{len(options)} vaihtoehtoa",
                "puuttuvatko vaihtoehdot, joita kukaan ei valinnut; group: true ryhmittelyyn?",
            )
        )
        return
    builder.add("avoin vastaus", [*base, "  type: text", f"  header: {_y(text)}"])
    decisions.append(Decision([text], "text", f"{len(values)} vastausta"))


def check_draft(text: str, path: str) -> Questionnaire:
    """The draft parsed as a questionnaire (a bug here must not reach the analyst's file)."""
    from tilannekuva.questionnaire import Questionnaire
    from tilannekuva.yamlfile import parse_yaml

    return Questionnaire.model_validate(parse_yaml(text, path))
