"""`tilannekuva ingest survey FILE`: read, match, normalise, redact, validate, store.

Every problem is collected before failing (missing questions first, then each
answer that fits no accepted form, then the table schema), named with the
file's own row number, the column header, the value and what was expected.
Nothing under ``processed/`` changes unless the whole file is valid; the
table and the report are then each replaced in one rename.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.errors

from tilannekuva.errors import InputError, Problem
from tilannekuva.paths import DataLayout
from tilannekuva.privacy.redact import find_personal_data, redact_text
from tilannekuva.provenance import SourceRecord, record_for
from tilannekuva.questionnaire import Questionnaire, load_questionnaire
from tilannekuva.spreadsheet import RawTable, read_export
from tilannekuva.store import atomic_write_bytes, has_table, read_table, table_sources, write_table
from tilannekuva.survey import answers
from tilannekuva.survey.headers import ColumnMatch, HeaderMatch, match_headers
from tilannekuva.survey.schema import column_order, survey_schema

TABLE = "survey"
REPORT_FILE = "survey.ingest-report.txt"


@dataclass
class IngestReport:
    file: str
    round: str
    rows_read: int
    rows_kept: int
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    matched: list[tuple[str, str]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    ignored_metadata: list[str] = field(default_factory=list)
    answered: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # column → (answers, missing)
    redactions: Counter = field(default_factory=Counter)
    replaced_round: bool = False

    def to_text(self) -> str:
        lines = [
            f"Survey ingest: {self.file} → round {self.round}: {self.rows_kept} respondents kept "
            f"of {self.rows_read} rows read"
            + (" (replaced the earlier ingest of this round)" if self.replaced_round else ""),
            f"  read as: {'sheet ' + repr(self.sheet) if self.sheet else 'CSV'}"
            + (
                f", encoding {self.encoding}, separator {self.separator!r}" if self.encoding else ""
            ),
            f"  matched columns: {len(self.matched)}",
        ]
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
    scale_of = {c.column: q.scales[c.scale] for c in q.scale_columns}
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
                    Problem(raw.file, expected, row=number, column=col.header, value=value)
                )

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
                        record[col.target] = redact_text(str(value).strip())
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
    return "r" + hashlib.sha256(f"{source_sha}:{round_label}:{row}".encode()).hexdigest()[:12]


def ingest_survey(
    path: Path,
    layout: DataLayout,
    round_label: str | None = None,
    *,
    sheet: str | int | None = None,
    record: SourceRecord | None = None,
) -> IngestReport:
    """Ingest one export as one survey round (replacing an earlier ingest of that round)."""
    path = Path(path)
    questionnaire = load_questionnaire(layout=layout)
    raw = read_export(path, sheet)
    match = match_headers(raw.header, questionnaire)
    problems = _check_columns(raw, match, questionnaire)
    if problems:
        raise InputError(problems)
    record = record or record_for(path, "survey")
    label = round_label or _round_from_dates(raw, match) or _season(date.today())
    if not re.fullmatch(r"[\w\-.]+", label):
        raise InputError(
            Problem(str(path), "a round label without spaces, e.g. 2026-syksy", value=label)
        )
    report = IngestReport(
        file=str(path),
        round=label,
        rows_read=len(raw.rows),
        rows_kept=0,
        sheet=raw.sheet,
        encoding=raw.encoding,
        separator=raw.separator,
    )
    report.matched = [
        (c.header, c.target if c.kind != "multiple-option" else f"{c.question}__{c.target}")
        for c in match.columns
    ]
    report.unmatched = match.unmatched
    report.dropped = match.identifying
    report.ignored_metadata = match.metadata

    records, problems = _parse_rows(raw, match, questionnaire, report, record.sha256)
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError(Problem(str(path), "at least one answered response; every row is empty"))

    frame = pd.DataFrame.from_records(records)
    rows = frame.pop("_row").tolist()
    frame.insert(0, "round", label)
    frame.insert(1, "respondent", [_respondent_id(record.sha256, label, r) for r in rows])
    frame = frame.reindex(columns=column_order(questionnaire))
    try:
        frame = survey_schema(questionnaire).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise InputError(_schema_problems(exc, str(path), rows)) from exc

    report.rows_kept = len(frame)
    for column in frame.columns:
        if column not in ("round", "respondent", "source_sha256"):
            report.answered[column] = (
                int(frame[column].notna().sum()),
                int(frame[column].isna().sum()),
            )

    sources = [record.model_copy(update={"extra": {**record.extra, "round": label}})]
    if has_table(layout, TABLE):
        earlier = read_table(layout, TABLE)
        report.replaced_round = bool((earlier["round"] == label).any())
        earlier = earlier[earlier["round"] != label]
        frame = pd.concat([earlier.reindex(columns=frame.columns), frame], ignore_index=True)
        frame = survey_schema(questionnaire).validate(frame)
        sources = [
            s for s in table_sources(layout, TABLE) if s.extra.get("round") != label
        ] + sources
    write_table(layout, TABLE, frame, sources)
    atomic_write_bytes(layout.processed / REPORT_FILE, report.to_text().encode("utf-8"))
    return report


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
