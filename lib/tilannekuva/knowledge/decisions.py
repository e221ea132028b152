"""`tilannekuva ingest decisions FILE`: the secretary's decision log into the items' history.

The log is a spreadsheet (XLSX, ODS or CSV, read by :mod:`tilannekuva.spreadsheet`)
with a row per decision. Headers are matched tolerantly (case, spacing,
numbering and punctuation do not matter; Finnish or English names):

- ``päivämäärä`` (pvm, päiväys, kokouspäivä, date): ``2026-11-20``, ``20.11.2026``
  or a spreadsheet date;
- ``asia`` (kohta, tavoite, item, tunnus): an item's or goal's id, its short
  name or its full title, as in the questionnaire;
- ``uusi tila`` (tila, status; optional): avoin, valmistelussa, sovittu or
  toteutunut; empty when the decision does not move the status;
- ``päätös`` (kirjaus, decision): what was decided;
- ``viite`` (lähde, muistio, reference; optional): where it was recorded.

Every problem (unknown item, status, date, a missing column) is reported with
its row and column, and then nothing is written. Decisions are stored in
``processed/decisions.parquet`` beside the knowledge base, never written into
``knowledge_base.yaml`` (its comments and layout stay the analyst's): the
knowledge base merges them into each entry's history when it is loaded
(:func:`merge_decisions`). A decision is identified by its date, entry, status
and text, so ingesting the same log again, or a longer version of it, adds only
what is new. Texts are redacted as open answers are.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tilannekuva.analysis.text import lemma
from tilannekuva.archive import append_log, archive_input
from tilannekuva.errors import InputError, Problem
from tilannekuva.knowledge.base import STATUS_LABELS, STATUSES, HistoryEntry, KnowledgeBase
from tilannekuva.paths import DataLayout
from tilannekuva.privacy.redact import redact_text
from tilannekuva.provenance import SourceRecord, record_for
from tilannekuva.spreadsheet import read_export
from tilannekuva.store import atomic_write_bytes, has_table, read_table, table_sources, write_table
from tilannekuva.survey.headers import norm, text_key

TABLE = "decisions"
REPORT_FILE = "decisions.ingest-report.txt"
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("päivämäärä", "pvm", "päiväys", "päivä", "kokouspäivä", "kokouspäivämäärä", "date"),
    "entry": (
        "asia",
        "kohta",
        "yhteistyöasia",
        "asia tai tavoite",
        "tavoite",
        "item",
        "tunnus",
        "id",
    ),
    "status": ("uusi tila", "tila", "uusi status", "status", "new status"),
    "text": ("päätös", "kirjaus", "päätösteksti", "decision", "teksti"),
    "reference": ("viite", "lähde", "muistio", "pöytäkirja", "reference", "source"),
}
REQUIRED = ("date", "entry", "text")
SHOWN = {
    "date": "päivämäärä",
    "entry": "asia",
    "status": "uusi tila",
    "text": "päätös",
    "reference": "viite",
}

DECISIONS_SCHEMA = pa.DataFrameSchema(
    {
        "key": pa.Column(str, unique=True),
        "date": pa.Column("datetime64[ns]"),
        "entry_id": pa.Column(str),
        "status": pa.Column(str, pa.Check.isin(list(STATUSES)), nullable=True),
        "text": pa.Column(str),
        "reference": pa.Column(str, nullable=True),
        "file": pa.Column(str),
        "row": pa.Column(int),
    },
    strict=True,
    ordered=True,
    coerce=True,
)


@dataclass
class DecisionReport:
    file: str
    rows: int = 0
    added: int = 0
    already: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    archived: str | None = None

    def to_text(self) -> str:
        lines = [
            f"Decision log: {self.file}: {self.rows} decisions read, {self.added} added, "
            f"{self.already} already in the history",
        ]
        if self.ignored_columns:
            lines.append(f"  columns not read: {', '.join(self.ignored_columns)}")
        if self.archived:
            lines.append(f"  archived as: raw/{self.archived}")
        lines.append(
            "  decisions are kept in processed/decisions.parquet and merged into the "
            "items' history at build; knowledge_base.yaml is not changed"
        )
        return "\n".join(lines)


def decision_key(day: dt.date, entry_id: str, status: str | None, text: str) -> str:
    """The decision's identity: the same decision logged twice is one decision."""
    words = re.sub(r"\s+", " ", text.casefold()).strip()
    payload = f"{day.isoformat()}|{entry_id}|{status or ''}|{words}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def parse_date(text: str) -> dt.date | None:
    """ISO ``2026-11-20``, Finnish ``20.11.2026`` or a spreadsheet's ``2026-11-20 00:00:00``."""
    text = text.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _column_roles(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which column is which: an exact name first, else a name standing as a word (or its
    lemma) in it ("Kokouksen päivämäärä (pvm)" is the date, "Päätöksen sisältö" the text);
    the first column of a role wins."""
    roles: dict[str, int] = {}
    keys = [norm(name) for name in header]
    for index, key in enumerate(keys):
        role = next((r for r, names in COLUMNS.items() if key in names), None)
        if role is not None and role not in roles:
            roles[role] = index
    for index, key in enumerate(keys):
        if index in roles.values():
            continue
        tokens = re.findall(r"[\wåäö]+", key)
        words = set(tokens) | {lemma(t) for t in tokens}  # "päätöksen" is a "päätös"
        role = next(
            (
                r
                for r, names in COLUMNS.items()
                if r not in roles and any(set(n.split()) <= words for n in names if len(n) > 2)
            ),
            None,
        )
        if role is not None:
            roles[role] = index
    ignored = [h for i, h in enumerate(header) if h.strip() and i not in roles.values()]
    return roles, ignored


def _entry_names(kb: KnowledgeBase) -> dict[str, str]:
    """Every way the log may name an entry (text keys) → its id."""
    names: dict[str, str] = {}
    for entry in kb.entries:
        for name in (entry.id, entry.id.split("_")[0], entry.short, entry.title):
            names.setdefault(text_key(name), entry.id)
    return names


def _status(text: str) -> str | None:
    key = text_key(text)
    for status in STATUSES:
        if key in (status, text_key(STATUS_LABELS[status])):
            return status
    return None


def read_decisions(path: Path, kb: KnowledgeBase, name: str) -> tuple[pd.DataFrame, list[str]]:
    """The log's decisions as a table (see DECISIONS_SCHEMA); every problem in one InputError."""
    raw = read_export(path, name=name)
    roles, ignored = _column_roles(raw.header)
    missing = [r for r in REQUIRED if r not in roles]
    if missing:
        raise InputError(
            [
                Problem(
                    name,
                    f"a column '{SHOWN[r]}' ({', '.join(COLUMNS[r][1:4])} …); the header row "
                    f"{raw.header_row} has: {', '.join(h for h in raw.header if h) or 'nothing'}",
                    row=raw.header_row,
                    column=SHOWN[r],
                )
                for r in missing
            ]
        )
    names = _entry_names(kb)
    problems: list[Problem] = []
    rows = []
    for cells, number in zip(raw.rows, raw.row_numbers, strict=True):

        def cell(role: str, cells=cells) -> str:
            index = roles.get(role)
            value = cells[index] if index is not None and index < len(cells) else None
            return (value or "").strip()

        def column(role: str) -> str:
            return raw.header[roles[role]]

        day = parse_date(cell("date"))
        if day is None:
            problems.append(
                Problem(
                    name,
                    "a date: 2026-11-20 or 20.11.2026",
                    row=number,
                    column=column("date"),
                    value=cell("date") or None,
                )
                if cell("date")
                else Problem(name, "a date (the cell is empty)", row=number, column=column("date"))
            )
        entry_id = names.get(text_key(cell("entry")))
        if entry_id is None:
            known = [e.id for e in kb.entries] + [e.short for e in kb.entries]
            close = difflib.get_close_matches(cell("entry"), known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                Problem(
                    name,
                    "an item or goal of the knowledge base: its id (i06_grants), short "
                    f"name or title{hint}",
                    row=number,
                    column=column("entry"),
                    value=cell("entry") or None,
                )
            )
        status = None
        if "status" in roles and cell("status"):
            status = _status(cell("status"))
            if status is None:
                problems.append(
                    Problem(
                        name,
                        f"a status: {', '.join(STATUSES)} (or empty when it does not change)",
                        row=number,
                        column=column("status"),
                        value=cell("status"),
                    )
                )
        if not cell("text"):
            problems.append(
                Problem(
                    name,
                    "the decision's text (the cell is empty)",
                    row=number,
                    column=column("text"),
                )
            )
        if (
            day is None
            or entry_id is None
            or not cell("text")
            or (cell("status") and status is None)
        ):
            continue
        text = redact_text(cell("text"))
        reference = redact_text(cell("reference")) or None
        rows.append(
            {
                "key": decision_key(day, entry_id, status, text),
                "date": pd.Timestamp(day),
                "entry_id": entry_id,
                "status": status,
                "text": text,
                "reference": reference,
                "file": Path(name).name,
                "row": number,
            }
        )
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(rows, columns=list(DECISIONS_SCHEMA.columns))
    frame = frame.drop_duplicates("key", ignore_index=True)
    return _typed(frame), ignored


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["row"] = frame["row"].astype(int)
    for column in ("status", "reference"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return DECISIONS_SCHEMA.validate(frame)


def load_decisions(layout: DataLayout) -> pd.DataFrame:
    """The stored decisions (an empty table when none were ingested)."""
    if not has_table(layout, TABLE):
        # Read by every command that loads the knowledge base: no validation of nothing.
        return pd.DataFrame(columns=list(DECISIONS_SCHEMA.columns))
    return DECISIONS_SCHEMA.validate(read_table(layout, TABLE))


def ingest_decisions(
    path: Path,
    layout: DataLayout,
    kb: KnowledgeBase,
    *,
    record: SourceRecord | None = None,
    log: bool = True,
    name: str | None = None,
) -> DecisionReport:
    """Add the log's new decisions to ``processed/decisions.parquet`` (see the module)."""
    path = Path(path)
    archived = None
    if log:
        archived = archive_input(path, layout, "decisions", record=record, options={})
        read_from, record = archived.path, archived.record
    else:
        read_from, record = path, record or record_for(path, "decisions")
    shown = name or str(record.extra.get("original") or path)
    frame, ignored = read_decisions(read_from, kb, shown)
    earlier = load_decisions(layout)
    new = frame[~frame["key"].isin(set(earlier["key"]))]
    report = DecisionReport(
        shown,
        rows=len(frame),
        added=len(new),
        already=len(frame) - len(new),
        ignored_columns=ignored,
    )
    if archived is not None:
        report.archived = archived.path.resolve().relative_to(layout.raw.resolve()).as_posix()
    if not new.empty or not has_table(layout, TABLE):
        combined = pd.concat([earlier, new], ignore_index=True) if not earlier.empty else new
        combined = _typed(combined.sort_values(["date", "entry_id", "key"], ignore_index=True))
        sources = table_sources(layout, TABLE)
        if record.sha256 not in {s.sha256 for s in sources}:
            sources = [*sources, record]
        write_table(layout, TABLE, combined, sources)
    atomic_write_bytes(layout.processed / REPORT_FILE, report.to_text().encode("utf-8"))
    if archived is not None:
        append_log(layout, "decisions", archived, {"name": Path(shown).name}, rows=len(frame))
    return report


def merge_decisions(kb: KnowledgeBase, decisions: pd.DataFrame) -> KnowledgeBase:
    """The knowledge base with the logged decisions in each entry's history, by date.

    On the same date the file's own entries come first. A decision without a
    status keeps the status in force.
    """
    from dataclasses import replace

    if decisions.empty:
        return kb
    entries = []
    for entry in kb.entries:
        mine = decisions[decisions["entry_id"] == entry.id].sort_values(["date", "key"])
        if mine.empty:
            entries.append(entry)
            continue
        logged = [(row.date.date(), 1, row) for row in mine.itertuples()]
        steps = sorted(
            [(step.date, 0, step) for step in entry.history] + logged, key=lambda t: (t[0], t[1])
        )
        history: list[HistoryEntry] = []
        for day, origin, item in steps:
            if origin == 0:
                history.append(item)
                continue
            status = item.status if isinstance(item.status, str) else None
            if status is None:
                status = history[-1].status if history else entry.history[0].status
            history.append(
                HistoryEntry(
                    date=day,
                    status=status,
                    text=item.text,
                    reference=item.reference if isinstance(item.reference, str) else None,
                )
            )
        entries.append(replace(entry, history=tuple(history)))
    return replace(kb, entries=tuple(entries))
