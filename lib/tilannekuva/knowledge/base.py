"""The knowledge base: where each cooperation item and goal stands, who owns it, what was decided.

Analysts keep ``data/config/knowledge_base.yaml`` in git. It has two sections,
``items`` (the 13 cooperation items) and ``goals`` (the 4 goals), keyed by the
questionnaire's row ids (``i01_agreement`` … ``g4_expertise``). Titles are not
repeated in the file: they come from the questionnaire, so one edit renames an
item everywhere. Each entry has

- ``owner``: the responsible body (kumppanuuspöytä, Järjestöareena, …);
- ``history``: dated decisions and status changes, oldest first, each with
  ``date`` (ISO ``YYYY-MM-DD``), ``status``, ``text`` and an optional ``reference``;
- ``status`` (optional): the current status. **The status is derived from the
  history**: it is the status of the last history entry. Writing ``status`` is
  allowed for readability, but then it must equal the last history status, so
  the file can never say two things at once;
- ``evidence``: ``survey`` (questionnaire row ids whose answers bear on the
  entry) and ``documents`` (each a ``title`` with either a ``url`` or a ``path``).

Statuses, in order of progress: ``avoin`` → ``valmistelussa`` → ``sovittu`` →
``toteutunut``. The history must be in date order (the loader checks, it does not
sort: a misplaced line is more likely a typo than an intention). Every item and
goal of the questionnaire must have an entry, and an id the questionnaire does
not know is an error.

A malformed file raises one :class:`~tilannekuva.errors.ConfigError` that lists
every problem, each line naming the file, the entry and the field, e.g.
``knowledge_base.yaml: line 42: entry 'i05_rules', field 'history[2].date': value
'1.9.2026': expected an ISO date (YYYY-MM-DD)``. References to the
questionnaire (an entry's id, ``evidence.survey``) are checked the same way. History positions are counted from 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import pandera.pandas as pa
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tilannekuva.errors import ConfigError
from tilannekuva.paths import PROJECT_DATA, DataLayout
from tilannekuva.questionnaire import Questionnaire, load_questionnaire
from tilannekuva.yamlfile import UniqueKeyLoader, parse_yaml

KNOWLEDGE_BASE_FILE = "config/knowledge_base.yaml"

Status = Literal["avoin", "valmistelussa", "sovittu", "toteutunut"]
STATUSES: tuple[str, ...] = ("avoin", "valmistelussa", "sovittu", "toteutunut")
STATUS_LABELS: dict[str, str] = {
    "avoin": "Avoin",
    "valmistelussa": "Valmistelussa",
    "sovittu": "Sovittu",
    "toteutunut": "Toteutunut",
}
Kind = Literal["item", "goal"]
# The file's sections: questionnaire row set → kind of entry.
SECTIONS: dict[str, Kind] = {"items": "item", "goals": "goal"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def status_rank(status: str) -> int:
    """Position of a status on the path avoin (0) … toteutunut (3)."""
    return STATUSES.index(status)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _iso_date(value: Any) -> dt.date:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string; nothing else (no timestamps)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError("expected an existing date in ISO form (YYYY-MM-DD)") from exc
    raise ValueError("expected an ISO date (YYYY-MM-DD)")


class HistoryEntry(_Strict):
    """One dated decision or status change."""

    date: dt.date
    status: Status
    text: str = Field(min_length=1)
    reference: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        return _iso_date(value)


class Document(_Strict):
    """A document behind an entry: a web address or a path in the project."""

    title: str = Field(min_length=1)
    url: str | None = None
    path: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("expected a web address starting with http:// or https://")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> Document:
        if (self.url is None) == (self.path is None):
            raise ValueError("a document needs exactly one of 'url' or 'path'")
        return self

    @property
    def target(self) -> str:
        return self.url or self.path or ""


def _known_row(value: str, info: ValidationInfo) -> str:
    """A survey evidence id must be a row of the questionnaire (passed in the context)."""
    known = (info.context or {}).get("row_ids")
    if known is not None and value not in known:
        raise ValueError("not an item or goal id of the questionnaire")
    return value


class Evidence(_Strict):
    """What supports an entry: questionnaire rows (survey answers) and documents."""

    survey: list[Annotated[str, AfterValidator(_known_row)]] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)


class _EntrySpec(_Strict):
    """One entry as written in the file (the id is its key, the title comes from the questionnaire)."""

    owner: str = Field(min_length=1)
    status: Status | None = None
    history: list[HistoryEntry] = Field(min_length=1)
    evidence: Evidence = Field(default_factory=Evidence)
    # Finnish words and phrases that link a document's passage to this entry
    # (knowledge.linking): matched on lemmas, compounds included.
    keywords: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """One item or goal of the knowledge base, with its questionnaire title."""

    id: str
    kind: Kind
    title: str
    short: str
    owner: str
    history: tuple[HistoryEntry, ...]
    evidence: Evidence
    keywords: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """The current status: that of the last history entry."""
        return self.history[-1].status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def last(self) -> HistoryEntry:
        return self.history[-1]

    def status_on(self, day: dt.date) -> str | None:
        """The status in force on ``day`` (None before the first history entry)."""
        current = None
        for step in self.history:
            if step.date <= day:
                current = step.status
        return current


AS_FRAME_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, unique=True),
        "kind": pa.Column(str, pa.Check.isin(list(SECTIONS.values()))),
        "title": pa.Column(str),
        "short": pa.Column(str),
        "status": pa.Column(str, pa.Check.isin(list(STATUSES))),
        "status_label": pa.Column(str, pa.Check.isin(list(STATUS_LABELS.values()))),
        "owner": pa.Column(str),
        "last_decision_date": pa.Column("datetime64[ns]"),
        "last_decision": pa.Column(str),
        "reference": pa.Column(str, nullable=True),
        "evidence_items": pa.Column(str),
    },
    strict=True,
    ordered=True,
)

TIMELINE_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(list(SECTIONS.values()))),
        "short": pa.Column(str),
        "date": pa.Column("datetime64[ns]"),
        "status": pa.Column(str, pa.Check.isin(list(STATUSES))),
        "status_label": pa.Column(str),
        "status_rank": pa.Column(int, pa.Check.in_range(0, len(STATUSES) - 1)),
        "text": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


@dataclass(frozen=True)
class KnowledgeBase:
    """Every item and goal, in questionnaire order."""

    entries: tuple[Entry, ...]
    source: Path

    def entry(self, entry_id: str) -> Entry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)

    def __contains__(self, entry_id: object) -> bool:
        return any(e.id == entry_id for e in self.entries)

    @property
    def statuses(self) -> dict[str, str]:
        """Current status per id (what a snapshot stores)."""
        return {e.id: e.status for e in self.entries}

    def as_frame(self) -> pd.DataFrame:
        """One row per entry: id, kind, title, short, status, status_label, owner,
        last_decision_date, last_decision, reference (of the last decision, may be
        missing) and evidence_items (the survey row ids, comma-separated)."""
        rows = [
            {
                "id": e.id,
                "kind": e.kind,
                "title": e.title,
                "short": e.short,
                "status": e.status,
                "status_label": e.status_label,
                "owner": e.owner,
                "last_decision_date": pd.Timestamp(e.last.date),
                "last_decision": e.last.text,
                "reference": e.last.reference,
                "evidence_items": ", ".join(e.evidence.survey),
            }
            for e in self.entries
        ]
        frame = pd.DataFrame(rows, columns=list(AS_FRAME_SCHEMA.columns))
        frame["last_decision_date"] = frame["last_decision_date"].astype("datetime64[ns]")
        frame["reference"] = frame["reference"].astype("string")
        return AS_FRAME_SCHEMA.validate(frame)

    def timeline(self) -> pd.DataFrame:
        """One row per history entry, for a timeline chart: id, kind, short, date,
        status, status_label, status_rank (0 avoin … 3 toteutunut), text."""
        rows = [
            {
                "id": e.id,
                "kind": e.kind,
                "short": e.short,
                "date": pd.Timestamp(step.date),
                "status": step.status,
                "status_label": STATUS_LABELS[step.status],
                "status_rank": status_rank(step.status),
                "text": step.text,
            }
            for e in self.entries
            for step in e.history
        ]
        frame = pd.DataFrame(rows, columns=list(TIMELINE_SCHEMA.columns))
        frame["date"] = frame["date"].astype("datetime64[ns]")
        frame["status_rank"] = frame["status_rank"].astype(int)
        return TIMELINE_SCHEMA.validate(frame)

    def statuses_on(self, day: dt.date) -> dict[str, str]:
        """Status per id as it stood on ``day`` (ids without history by then left out)."""
        out = {}
        for e in self.entries:
            status = e.status_on(day)
            if status is not None:
                out[e.id] = status
        return out


def _field_name(loc: tuple[int | str, ...]) -> str:
    """Pydantic's location as an analyst reads it: ``history[2].date`` (1-based)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(entry)"


def _problem(
    path: Path,
    entry: str | None,
    field: str | None,
    message: str,
    value=None,
    line: int | None = None,
) -> str:
    where = [f"entry '{entry}'"] if entry is not None else []
    if field is not None:
        where.append(f"field '{field}'")
    text = f"{path}: " + (f"line {line}: " if line is not None else "")
    if where:
        text += ", ".join(where) + ": "
    if value is not None:
        text += f"value {value!r}: "
    return text + message


class _Lines:
    """Line numbers of the file's keys and list entries, for messages (1-based)."""

    def __init__(self, text: str | None):
        self.root = None
        if text is not None:
            try:
                self.root = yaml.compose(text, Loader=UniqueKeyLoader)
            except yaml.YAMLError:
                self.root = None  # parse_yaml reports it

    def of(self, *keys: str | int) -> int | None:
        """The line of the deepest of ``keys`` found (mapping keys, 0-based list positions)."""
        node, line = self.root, None
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if str(k.value) == str(key)), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if not 0 <= key < len(node.value):
                    break
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def of_field(self, section: str, entry: str, field: str) -> int | None:
        """The line of a field written as in messages: ``history[2].date`` (1-based)."""
        keys: list[str | int] = []
        for name, position in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", field):
            keys.append(name if name else int(position) - 1)
        return self.of(section, entry, *keys)


def _clean_message(msg: str) -> str:
    return msg.removeprefix("Value error, ")


def parse_knowledge_base(
    raw: Any, path: Path, questionnaire: Questionnaire, text: str | None = None
) -> KnowledgeBase:
    """Validate the parsed YAML of a knowledge base; every problem in one ConfigError.

    ``text``: the file's text, so that each problem names its line.
    """
    problems: list[str] = []
    lines = _Lines(text)
    if not isinstance(raw, dict):
        raise ConfigError(_problem(path, None, None, "expected sections 'items' and 'goals'"))
    for key in raw:
        if key not in SECTIONS:
            problems.append(
                _problem(
                    path,
                    None,
                    str(key),
                    "unknown section; expected 'items' or 'goals'",
                    line=lines.of(key),
                )
            )
    entries: list[Entry] = []
    for section, kind in SECTIONS.items():
        rows = questionnaire.row_sets.get(section, [])
        known = {row.id: row for row in rows}
        written = raw.get(section)
        if written is None:
            written = {}
            if rows:
                problems.append(_problem(path, None, section, "section missing"))
        if not isinstance(written, dict):
            problems.append(
                _problem(
                    path,
                    None,
                    section,
                    "expected a mapping of id → entry",
                    line=lines.of(section),
                )
            )
            continue
        other_section = next(s for s in SECTIONS if s != section)
        other_ids = {row.id for row in questionnaire.row_sets.get(other_section, [])}
        for entry_id in written:
            if entry_id not in known:
                hint = (
                    f"belongs under '{other_section}'"
                    if entry_id in other_ids
                    else f"not {'an' if kind == 'item' else 'a'} {kind} of the questionnaire ({', '.join(known) or 'none'})"
                )
                problems.append(
                    _problem(
                        path,
                        str(entry_id),
                        None,
                        f"unknown id: {hint}",
                        line=lines.of(section, entry_id),
                    )
                )
        all_rows = {row.id for rows_ in questionnaire.row_sets.values() for row in rows_}
        for row in rows:
            if row.id not in written:
                problems.append(
                    _problem(
                        path,
                        row.id,
                        None,
                        f"missing: every {kind} of the questionnaire needs an entry",
                        line=lines.of(section),
                    )
                )
                continue
            body = written[row.id]
            if not isinstance(body, dict):
                problems.append(
                    _problem(
                        path,
                        row.id,
                        None,
                        "expected a mapping of fields",
                        line=lines.of(section, row.id),
                    )
                )
                continue
            try:
                spec = _EntrySpec.model_validate(body, context={"row_ids": all_rows})
            except ValidationError as exc:
                for err in exc.errors():
                    value = err.get("input") if err["type"] != "missing" else None
                    if isinstance(value, dict | list):
                        value = None
                    problems.append(
                        _problem(
                            path,
                            row.id,
                            _field_name(err["loc"]),
                            _clean_message(err["msg"]),
                            value,
                            line=lines.of(section, row.id, *err["loc"]),
                        )
                    )
                continue
            entry_problems = _check_entry(spec)
            problems.extend(
                _problem(path, row.id, f, m, v, line=lines.of_field(section, row.id, f))
                for f, m, v in entry_problems
            )
            if entry_problems:
                continue
            entries.append(
                Entry(
                    id=row.id,
                    kind=kind,
                    title=row.text,
                    short=row.display,
                    owner=spec.owner,
                    history=tuple(spec.history),
                    evidence=spec.evidence,
                    keywords=tuple(spec.keywords),
                )
            )
    if problems:
        raise ConfigError("\n".join(problems))
    return KnowledgeBase(entries=tuple(entries), source=path)


def _check_entry(spec: _EntrySpec) -> list[tuple[str, str, Any]]:
    """Checks across fields: history order and status agreement."""
    out: list[tuple[str, str, Any]] = []
    for pos in range(1, len(spec.history)):
        before, step = spec.history[pos - 1], spec.history[pos]
        if step.date < before.date:
            out.append(
                (
                    f"history[{pos + 1}].date",
                    f"history must be in date order; this is earlier than entry {pos} "
                    f"({before.date.isoformat()})",
                    step.date.isoformat(),
                )
            )
    last = spec.history[-1].status
    if spec.status is not None and spec.status != last:
        out.append(
            (
                "status",
                f"the status must equal the last history status '{last}' "
                "(add a dated history entry to change the status)",
                spec.status,
            )
        )
    return out


def load_knowledge_base(
    layout: DataLayout | None = None,
    path: Path | None = None,
    questionnaire: Questionnaire | None = None,
) -> KnowledgeBase:
    """Load and validate the knowledge base.

    ``layout.config_file("config/knowledge_base.yaml")``: the data directory's own
    copy, else the project's, with the data directory's logged decisions
    (``processed/decisions.parquet``) merged into the histories. ``path``
    overrides the file (tests, other rounds; no decisions merged);
    ``questionnaire`` defaults to the layout's questionnaire.
    """
    layout = layout or DataLayout.at(PROJECT_DATA)
    own_file = path is None
    path = Path(path) if path is not None else layout.config_file(KNOWLEDGE_BASE_FILE)
    questionnaire = questionnaire or load_questionnaire(layout=layout)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: knowledge base file not found") from exc
    raw = parse_yaml(text, path)
    kb = parse_knowledge_base(raw, path, questionnaire, text)
    if own_file:
        # The secretary's decision log is stored beside the file (processed/decisions.parquet,
        # `tilannekuva ingest decisions`) and merged here; the YAML is never rewritten.
        from tilannekuva.knowledge.decisions import load_decisions, merge_decisions

        kb = merge_decisions(kb, load_decisions(layout))
    return kb
