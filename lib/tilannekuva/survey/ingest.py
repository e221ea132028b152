"""`tilannekuva ingest survey FILE`: archive, read, match, normalise, redact, validate, store.

The file is first copied under ``raw/survey/<date>/`` with its provenance
record (``archive``) and read from that copy; a successful ingest is logged
there with its options, so ``rebuild-processed`` can replay it. Every problem
is collected before failing (missing questions first, then each answer that
fits no accepted form, then the table schema), named with the file's own row
number, the column header, the value and what was expected. Nothing under
``processed/`` changes unless the whole file is valid; the table and the
report are then each replaced in one rename.

Rows that are not respondents are excluded and reported with their row
numbers: total rows (a total word such as "Yhteensä" in the first cell, or the
column sums of the rows above) and repeated responses (the same answers and
tool columns, or the same respondent number; with different answers that is an
error). An export with neither a respondent number nor a time column keeps rows
with equal answers (two respondents may answer alike) and notes them.
``keep_duplicates`` counts repeats anyway. A round already in the
table is replaced only with ``replace_round``. Earlier rounds keep every
column they had after a question is removed from the questionnaire. An open
answer longer than ``MAX_ANSWER_CHARS`` is redacted, then cut, and reported.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.errors

from tilannekuva.archive import append_log, archive_config, archive_input
from tilannekuva.errors import InputError, Problem
from tilannekuva.paths import DataLayout
from tilannekuva.privacy.redact import find_personal_data, redact_text
from tilannekuva.provenance import SourceRecord, record_for
from tilannekuva.questionnaire import Questionnaire, load_questionnaire
from tilannekuva.spreadsheet import RawTable, name_blank_columns, read_export
from tilannekuva.store import atomic_write_bytes, has_table, read_table, table_sources, write_table
from tilannekuva.survey import answers
from tilannekuva.survey.headers import ColumnMatch, HeaderMatch, match_headers, norm
from tilannekuva.survey.schema import column_order, survey_schema

TABLE = "survey"
REPORT_FILE = "survey.ingest-report.txt"
MAX_ANSWER_CHARS = 20_000  # an open answer longer than this is cut (and reported)


@dataclass
class IngestReport:
    file: str
    round: str
    rows_read: int
    rows_kept: int
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    format: str = "CSV"
    header_rows: str | None = None  # "rows 1–2" for a two-row header
    archived: str | None = None  # the copy under raw/ that was ingested
    matched: list[tuple[str, str]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    ignored_metadata: list[str] = field(default_factory=list)
    answered: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # column → (answers, missing)
    redactions: Counter = field(default_factory=Counter)
    totals: list[tuple[int, str]] = field(default_factory=list)  # (row, why) excluded
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (row, first row)
    kept_duplicates: bool = False
    same_time: list[tuple[int, int]] = field(default_factory=list)  # (row, first row), kept
    notes: list[str] = field(default_factory=list)  # cleaned cells, located
    replaced_round: bool = False
    replaced: list[str] = field(default_factory=list)  # files of the replaced round
    replaced_rows: int = 0

    def to_text(self) -> str:
        lines = [
            f"Survey ingest: {self.file} → round {self.round}: {self.rows_kept} respondents kept "
            f"of {self.rows_read} rows read"
            + (" (replaced the earlier ingest of this round)" if self.replaced_round else ""),
            f"  read as: {self.format}"
            + (f", sheet {self.sheet!r}" if self.sheet else "")
            + (f", encoding {self.encoding}" if self.encoding else "")
            + (f", separator {self.separator!r}" if self.separator else "")
            + (f", two-row header ({self.header_rows})" if self.header_rows else ""),
        ]
        if self.archived:
            lines.append(f"  archived as: raw/{self.archived}")
        if self.replaced_round:
            lines.append(
                f"  replaced round {self.round}: {self.replaced_rows} respondents from "
                f"{', '.join(self.replaced) or 'an earlier ingest'} → {self.rows_kept} from this "
                "file (the earlier input stays in raw/)"
            )
        lines.append(f"  total rows excluded: {len(self.totals)}")
        lines += [f"    row {row}: {why}" for row, why in self.totals]
        verb = "kept (--keep-duplicates)" if self.kept_duplicates else "dropped, first kept"
        lines.append(f"  duplicate rows {verb}: {len(self.duplicates)}")
        lines += [f"    row {row} repeats row {first}" for row, first in self.duplicates]
        if self.same_time:
            lines.append(
                "  rows with the same submission time as an earlier row, other answers (kept): "
                f"{len(self.same_time)}"
            )
            lines += [f"    row {row} and row {first}" for row, first in self.same_time]
        lines.append(f"  cells cleaned: {len(self.notes)}")
        lines += [f"    {note}" for note in self.notes]
        lines.append(f"  matched columns: {len(self.matched)}")
        lines += [f"    {header!r} → {target}" for header, target in self.matched]
        lines.append(f"  unmatched headers (left out of the analysis): {len(self.unmatched)}")
        lines += [f"    {h!r}" for h in self.unmatched]
        lines.append(
            f"  identifying columns dropped: {', '.join(map(repr, self.dropped)) or 'none'}"
        )
        lines.append(
            f"  survey-tool columns ignored: {', '.join(map(repr, self.ignored_metadata)) or 'none'}"
        )
        lines.append("  answers / missing per column:")
        lines += [f"    {col}: {a} / {m}" for col, (a, m) in self.answered.items()]
        total = sum(self.redactions.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(self.redactions.items()))
        lines.append(
            f"  personal data redacted in open answers: {total}" + (f" ({detail})" if total else "")
        )
        return "\n".join(lines) + "\n"


def _required(questionnaire: Questionnaire) -> dict[str, str]:
    """Processed targets that need a column → the header a user would look for."""
    needed = {}
    for q in questionnaire.questions:
        if q.type == "matrix":
            for row in questionnaire.rows(q.id):
                needed[(q.column or "").format(row=row.id)] = f"{q.header} – {row.text}"
        else:
            needed[q.id] = q.header
    return needed


def _check_columns(
    raw: RawTable, match: HeaderMatch, questionnaire: Questionnaire
) -> list[Problem]:
    problems = []
    covered: dict[str, list[ColumnMatch]] = {}
    for col in match.columns:
        key = col.question if col.kind in ("multiple", "multiple-option") else col.target
        covered.setdefault(key, []).append(col)
    for target, header in _required(questionnaire).items():
        if target not in covered:
            problems.append(
                Problem(
                    raw.file,
                    f"a column for the question '{header}'; none found",
                    row=raw.header_row,
                )
            )
    for target, cols in covered.items():
        kinds = {c.kind for c in cols}
        single = [c for c in cols if c.kind != "multiple-option"]
        options = [c.target for c in cols if c.kind == "multiple-option"]
        if (
            len(single) > 1
            or (single and "multiple-option" in kinds)
            or len(options) != len(set(options))
        ):
            headers = ", ".join(repr(c.header) for c in cols)
            problems.append(
                Problem(
                    raw.file,
                    f"one column per question; {headers} all answer '{target}'",
                    row=raw.header_row,
                )
            )
    return problems


def _season(day: date) -> str:
    return f"{day.year}-{'kevät' if day.month <= 6 else 'syksy'}"


def _round_from_dates(raw: RawTable, match: HeaderMatch) -> str | None:
    if match.time_column is None:
        return None
    days = []
    for row in raw.rows:
        cell = row[match.time_column] if match.time_column < len(row) else None
        if not cell:
            continue
        text = str(cell)
        if m := re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        elif m := re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        elif m := re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):  # Google Forms en-US: M/D/YYYY
            mo, d, y = int(m[1]), int(m[2]), int(m[3])
        else:
            continue
        if 1 <= mo <= 12 and 1 <= d <= 31:
            days.append(date(y, mo, d))
    if not days:
        return None
    return _season(sorted(days)[len(days) // 2])


def _parse_rows(
    raw: RawTable, match: HeaderMatch, q: Questionnaire, report: IngestReport, source_sha: str
) -> tuple[list[dict], list[Problem]]:
    problems: list[Problem] = []
    records: list[dict] = []
    questions = {question.id: question for question in q.questions}
    scale_of = {column: q.scales[scale] for column, scale in q.scale_targets.items()}
    option_label = {
        (question.id, o.id): o.label for question in q.questions for o in question.options
    }
    for row, number in zip(raw.rows, raw.row_numbers, strict=True):
        cells = {c.index: (row[c.index] if c.index < len(row) else None) for c in match.columns}
        if all(answers.is_missing(v, q) for v in cells.values()):
            continue  # an empty response (a tool's blank line or an abandoned form)
        record: dict = {}
        flags: dict[str, dict[str, bool | None]] = {}
        for col in match.columns:
            value = cells[col.index]

            def bad(expected: str, col=col, value=value, number=number) -> None:
                problems.append(
                    Problem(raw.file, expected, row=number, column=col.header, value=_shown(value))
                )

            codes = questions[col.question].codes if col.question in questions else {}
            if codes and value is not None:
                value = codes.get(str(value).strip(), value)
            missing = answers.is_missing(value, q)
            try:
                if col.kind == "scale":
                    record[col.target] = (
                        None if missing else answers.parse_scale(value, scale_of[col.target])
                    )
                elif col.kind == "single":
                    record[col.target] = (
                        None if missing else answers.parse_single(value, questions[col.question])
                    )
                elif col.kind == "municipality":
                    code, name, sub = (
                        (None, None, None) if missing else answers.parse_municipality(value)
                    )
                    record.update(municipality_code=code, municipality=name, subregion=sub)
                elif col.kind == "multiple":
                    chosen = (
                        None if missing else answers.parse_multiple(value, questions[col.question])
                    )
                    flags[col.question] = {
                        o.id: (None if chosen is None else o.id in chosen)
                        for o in questions[col.question].options
                    }
                elif col.kind == "multiple-option":
                    flag = (
                        None
                        if value is None or not str(value).strip()
                        else answers.parse_flag(value, option_label[(col.question, col.target)])
                    )
                    flags.setdefault(col.question, {})[col.target] = flag
                elif col.kind == "text":
                    if missing:
                        record[col.target] = None
                    else:
                        for finding in find_personal_data(value):
                            report.redactions[finding.kind] += 1
                        text = redact_text(str(value).strip())
                        if len(text) > MAX_ANSWER_CHARS:
                            # Redacted first, so no cut can split personal data in two.
                            cut = Problem(
                                raw.file,
                                f"answer of {len(text)} characters cut to the first "
                                f"{MAX_ANSWER_CHARS}",
                                row=number,
                                column=col.header,
                            )
                            report.notes.append(str(cut))
                            text = text[:MAX_ANSWER_CHARS]
                        record[col.target] = text
            except answers.AnswerError as exc:
                bad(str(exc))
        for question_id, chosen in flags.items():
            # Nothing ticked = not answered (the question has an explicit "none" option);
            # a blank or 0 beside a ticked option means "not chosen".
            any_answer = any(v is True for v in chosen.values())
            for option in questions[question_id].options:
                value = chosen.get(option.id)
                record[f"{question_id}__{option.id}"] = bool(value) if any_answer else None
        record["_row"] = number
        record["source_sha256"] = source_sha
        records.append(record)
    return records, problems


def _respondent_id(source_sha: str, round_label: str, row: int) -> str:
    """A pseudonym of letters only: hex ids such as ``rc241296e3514`` read as an identity
    code to the privacy scan (a national build of 20 000 rows stopped on two)."""
    digest = hashlib.sha256(f"{source_sha}:{round_label}:{row}".encode()).digest()
    return "r" + "".join(string.ascii_lowercase[b % 26] for b in digest[:13])


# --- two-row headers: the question in a merged cell above its sub-items ---

GENERIC_SUBHEADERS = {"response", "open-ended response", "vastaus", "avoin vastaus"}


def combine_headers(top: list[str | None], sub: list[str | None]) -> list[str]:
    """``<question> - <sub-item>`` headers from a merged question row over a sub-item row.

    A merged cell leaves the cells it covers empty: the question carries on to
    the right while the sub-item row has something there.
    """
    combined, question = [], None
    for index, item in enumerate(sub):
        above = top[index] if index < len(top) else None
        item = (item or "").strip()
        if above:
            question = above.strip()
        elif not item:
            question = None  # an empty column ends the merged span
        current = above or (question if item else None)
        if item and current and norm(item) not in GENERIC_SUBHEADERS:
            combined.append(f"{current} - {item}")
        else:
            combined.append(current or item)
    return combined


def _choose_header(
    raw: RawTable, questionnaire: Questionnaire
) -> tuple[RawTable, HeaderMatch, str | None]:
    """The header reading that matches the most questions: one row, or two rows combined."""
    candidates = [(raw, None)]
    if raw.above is not None:
        header = combine_headers(raw.above, raw.header)
        candidates.append((replace(raw, header=header), f"rows {raw.above_row}–{raw.header_row}"))
    if raw.rows:
        two = replace(
            raw,
            header=combine_headers(raw.header, raw.rows[0]),
            rows=raw.rows[1:],
            row_numbers=raw.row_numbers[1:],
            header_row=raw.row_numbers[0],
        )
        candidates.append((two, f"rows {raw.header_row}–{raw.row_numbers[0]}"))
    matched = [
        (table, match_headers(table.header, questionnaire), span) for table, span in candidates
    ]
    return max(matched, key=lambda c: len(c[1].columns))  # ties: the first, one header row


# --- rows that are not respondents: totals and duplicates ---

TOTAL_WORDS = {"yhteensä", "yht", "total", "totals", "summa", "keskiarvo", "yhteensa"}
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def _number(cell: str | None) -> float | None:
    if cell is None or not NUMBER.fullmatch(cell.strip()):
        return None
    return float(cell.strip().replace(",", "."))


def _total_rows(raw: RawTable, match: HeaderMatch) -> dict[int, str]:
    """Index → why, for summary rows: a total word first, or the column sums of the rows above."""
    found: dict[int, str] = {}
    answer_columns = [c.index for c in match.columns]
    sums: dict[int, float] = dict.fromkeys(answer_columns, 0.0)
    highest: dict[int, float] = dict.fromkeys(answer_columns, float("-inf"))
    counted = 0
    for i, row in enumerate(raw.rows):
        first = next((c for c in row if c is not None and c.strip()), None)
        word = norm(first).rstrip(".:") if first else ""
        if word in TOTAL_WORDS:
            found[i] = f"a total row ({first.strip()!r} in its first cell)"
            continue
        values = {j: _number(row[j]) for j in answer_columns if j < len(row) and row[j]}
        numeric = {j: v for j, v in values.items() if v is not None}
        if (
            counted >= 2
            and len(numeric) >= 2
            and len(numeric) == len(values)
            and all(abs(v - sums[j]) < 1e-9 for j, v in numeric.items())
            and any(v > highest[j] for j, v in numeric.items())
        ):
            found[i] = "a total row (each number is the sum of its column above)"
            continue
        for j, v in numeric.items():
            sums[j] += v
            highest[j] = max(highest[j], v)
        counted += 1
    return found


def _same_times(raw: RawTable, match: HeaderMatch, skip: set[int]) -> list[tuple[int, int]]:
    """(row, first row) of kept rows whose every start/end time equals an earlier row's.

    Reported, not dropped: the answers differ, and two respondents can submit
    within the same second.
    """
    if not match.time_columns:
        return []
    first: dict[tuple, int] = {}
    found = []
    for i, row in enumerate(raw.rows):
        if i in skip:
            continue
        times = tuple(row[j] if j < len(row) else None for j in match.time_columns)
        if not all(times):
            continue
        if times in first:
            found.append((raw.row_numbers[i], raw.row_numbers[first[times]]))
        else:
            first[times] = i
    return found


def _duplicates(
    raw: RawTable, match: HeaderMatch, skip: set[int]
) -> tuple[dict[int, int], list[Problem]]:
    """Index → index of the first row, for rows that repeat a response; conflicts as problems.

    A row repeats an earlier one when every answer cell and every tool column
    of the response (respondent number, start/end times) is the same, or when
    it carries the same respondent number (with different answers: a problem).
    """
    answers_at = [c.index for c in match.columns]
    tool_at = [*match.respondent_columns, *match.time_columns]
    by_content: dict[tuple, int] = {}
    by_number: dict[tuple, int] = {}
    repeats: dict[int, int] = {}
    problems: list[Problem] = []

    def cell(row: list, j: int) -> str | None:
        value = row[j] if j < len(row) else None
        return value.strip() if value and value.strip() else None

    for i, row in enumerate(raw.rows):
        if i in skip:
            continue
        content = tuple(cell(row, j) for j in [*answers_at, *tool_at])
        if all(cell(row, j) is None for j in answers_at):
            continue  # an empty response, skipped later anyway
        number = tuple(cell(row, j) for j in match.respondent_columns)
        if content in by_content:
            repeats[i] = by_content[content]
            continue
        if match.respondent_columns and any(number) and number in by_number:
            first = by_number[number]
            problems.append(
                Problem(
                    raw.file,
                    f"one row per respondent; row {raw.row_numbers[first]} has the same "
                    "respondent number with different answers",
                    row=raw.row_numbers[i],
                    column=raw.header[match.respondent_columns[0]],
                    value=", ".join(n or "" for n in number),
                )
            )
            continue
        by_content[content] = i
        if any(number):
            by_number[number] = i
    return repeats, problems


def _shown(value: object) -> object:
    """A cell's value for a message: a 160 kB answer is not printed whole."""
    if isinstance(value, str) and len(value) > 120:
        return f"{value[:80]}… ({len(value)} characters)"
    return value


def ingest_survey(
    path: Path,
    layout: DataLayout,
    round_label: str | None = None,
    *,
    sheet: str | int | None = None,
    record: SourceRecord | None = None,
    replace_round: bool = False,
    keep_duplicates: bool = False,
    questionnaire_file: Path | None = None,
    log: bool = True,
    survey_id: str | None = None,
) -> IngestReport:
    """Ingest one export as one survey round.

    The file is first copied under ``raw/survey/<date>/`` with its provenance
    record and read from there. A round that already exists is replaced only
    with ``replace_round``; otherwise nothing changes and the error names the
    round and both row counts. ``log=False`` (a replay by ``rebuild-processed``)
    reads ``path`` in place and adds nothing to the archive. ``survey_id``: a
    survey other than the default one (``config/surveys/<id>.yaml`` →
    ``processed/surveys/<id>.parquet``, archived under ``raw/surveys/<id>/``).
    """
    from tilannekuva.survey.catalog import survey_for

    path = Path(path)
    survey = survey_for(layout, survey_id, None if log else questionnaire_file)
    table = survey.table
    options = {
        "round": round_label,
        "sheet": sheet,
        "replace": replace_round,
        "keep_duplicates": keep_duplicates,
    }
    archived = None
    if log:
        archived = archive_input(
            path, layout, survey.archive_source, record=record, options=options
        )
        read_from, record = archived.path, archived.record
        questionnaire_file = layout.raw / archive_config(
            layout, questionnaire_file or survey.questionnaire_file
        )
    else:
        read_from = path
        record = record or record_for(path, "survey")
        questionnaire_file = questionnaire_file or survey.questionnaire_file
    questionnaire = load_questionnaire(questionnaire_file)
    # Messages and the report name the user's file; a replay names it the same way.
    shown_name = str(record.extra.get("original") or path)
    raw = read_export(read_from, sheet, name=shown_name)
    raw, match, header_rows = _choose_header(raw, questionnaire)
    named = name_blank_columns(raw)
    if named is not raw:  # answers under no header: named, so the report lists them
        raw, match = named, match_headers(named.header, questionnaire)
    problems = _check_columns(raw, match, questionnaire)
    if problems:
        raise InputError(problems)
    label = round_label or _round_from_dates(raw, match) or _season(date.today())
    if not re.fullmatch(r"[\w\-.]+", label):
        raise InputError(
            Problem(shown_name, "a round label without spaces, e.g. 2026-syksy", value=label)
        )
    report = IngestReport(
        file=shown_name,
        round=label,
        rows_read=len(raw.rows),
        rows_kept=0,
        sheet=raw.sheet,
        encoding=raw.encoding,
        separator=raw.separator,
        format=raw.format,
        header_rows=header_rows,
        kept_duplicates=keep_duplicates,
    )
    if read_from.resolve().is_relative_to(layout.raw.resolve()):
        report.archived = read_from.resolve().relative_to(layout.raw.resolve()).as_posix()
    report.matched = [
        (c.header, c.target if c.kind != "multiple-option" else f"{c.question}__{c.target}")
        for c in match.columns
    ]
    report.unmatched = match.unmatched
    report.dropped = match.identifying
    report.ignored_metadata = match.metadata
    report.notes = [str(note) for note in raw.notes]

    totals = _total_rows(raw, match)
    report.totals = [(raw.row_numbers[i], why) for i, why in totals.items()]
    repeats, problems = _duplicates(raw, match, set(totals))
    if repeats and not (match.respondent_columns or match.time_columns):
        # Nothing tells a pasted repeat from respondents who answered alike (a one-question
        # poll has few distinct answers): keep every row and say so.
        pairs = [(raw.row_numbers[i], raw.row_numbers[j]) for i, j in repeats.items()]
        shown = ", ".join(f"{a} (= {b})" for a, b in pairs[:10]) + (" …" if len(pairs) > 10 else "")
        report.notes.append(
            f"{raw.file}: {len(pairs)} rows repeat an earlier row's answers and are kept: the "
            f"export has no respondent number or time column to tell a repeated row from "
            f"respondents who answered alike (rows {shown})"
        )
        repeats = {}
    report.duplicates = [(raw.row_numbers[i], raw.row_numbers[j]) for i, j in repeats.items()]
    skip = set(totals) | (set() if keep_duplicates else set(repeats))
    report.same_time = _same_times(raw, match, set(totals) | set(repeats))
    kept = replace(
        raw,
        rows=[r for i, r in enumerate(raw.rows) if i not in skip],
        row_numbers=[n for i, n in enumerate(raw.row_numbers) if i not in skip],
    )
    records, row_problems = _parse_rows(kept, match, questionnaire, report, record.sha256)
    problems += row_problems
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError(Problem(shown_name, "at least one answered response; every row is empty"))

    frame = pd.DataFrame.from_records(records)
    rows = frame.pop("_row").tolist()
    frame.insert(0, "round", label)
    frame.insert(1, "respondent", [_respondent_id(record.sha256, label, r) for r in rows])
    frame = frame.reindex(columns=column_order(questionnaire))
    try:
        frame = survey_schema(questionnaire).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise InputError(_schema_problems(exc, shown_name, rows)) from exc

    report.rows_kept = len(frame)
    for column in frame.columns:
        if column not in ("round", "respondent", "source_sha256"):
            report.answered[column] = (
                int(frame[column].notna().sum()),
                int(frame[column].isna().sum()),
            )

    sources = [record.model_copy(update={"extra": {**record.extra, "round": label}})]
    if has_table(layout, table):
        earlier = read_table(layout, table)
        earlier_sources = table_sources(layout, table)
        in_round = int((earlier["round"] == label).sum())
        if in_round:
            files = [s.file for s in earlier_sources if s.extra.get("round") == label]
            if not replace_round:
                same = " (the same file)" if record.sha256 in set(earlier["source_sha256"]) else ""
                raise InputError(
                    Problem(
                        shown_name,
                        f"a round not yet ingested: round {label} already holds {in_round} "
                        f"respondents (from {', '.join(files) or 'an earlier file'}){same}, and "
                        f"this file has {len(frame)}; nothing changed. Give --replace to replace "
                        "the round (its earlier input stays in raw/), or --round for another",
                    )
                )
            report.replaced_round, report.replaced, report.replaced_rows = True, files, in_round
        frame = _with_history(earlier[earlier["round"] != label], frame)
        sources = [s for s in earlier_sources if s.extra.get("round") != label] + sources
    write_table(layout, table, frame, sources)
    atomic_write_bytes(layout.processed / survey.report_file, report.to_text().encode("utf-8"))
    if archived is not None:
        logged = {
            **options,
            **({} if survey.default else {"survey": survey.id}),
            "round": label,
            "questionnaire": questionnaire_file.relative_to(layout.raw).as_posix(),
        }
        append_log(layout, "survey", archived, logged, rows=len(frame[frame["round"] == label]))
    return report


def _with_history(earlier: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Earlier rounds with every column they had; the new round's answers to gone questions NA.

    The new round was validated against today's questionnaire; earlier rounds
    were validated against theirs, so only their types are aligned here.
    """
    extra = [c for c in earlier.columns if c not in new.columns]
    for column in extra:
        new[column] = pd.Series(pd.NA, index=new.index, dtype=earlier[column].dtype)
    order = [c for c in new.columns if c not in (*extra, "source_sha256")]
    order += [*extra, "source_sha256"]
    earlier = earlier.reindex(columns=order)
    for column in order:
        if column in new.columns and earlier[column].dtype != new[column].dtype:
            try:
                earlier[column] = earlier[column].astype(new[column].dtype)
            except (TypeError, ValueError) as exc:
                raise InputError(
                    Problem(
                        "questionnaire",
                        f"the same kind of answers as in earlier rounds; column '{column}' "
                        f"was {earlier[column].dtype} and is now {new[column].dtype}",
                    )
                ) from exc
    return pd.concat([earlier, new[order]], ignore_index=True)


def _schema_problems(exc: pandera.errors.SchemaErrors, file: str, rows: list[int]) -> list[Problem]:
    problems = []
    for _, case in exc.failure_cases.iterrows():
        index = case.get("index")
        row = rows[int(index)] if index is not None and not pd.isna(index) else None
        problems.append(
            Problem(
                file,
                f"{case.get('check')}",
                row=row,
                column=case.get("column"),
                value=case.get("failure_case"),
            )
        )
    return problems
