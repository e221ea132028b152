"""`tilannekuva ingest documents PATH...`: memos, statements and reports into processed tables.

Each file (or every file in a folder, recursively; hidden files skipped) is read
by :mod:`tilannekuva.knowledge.documents_extract`, its paragraphs redacted as
open answers are (:func:`tilannekuva.privacy.redact.redact_text`), and stored:

- ``processed/documents.parquet``: one row per document: ``id`` (from the file
  name, also its page's name), ``title``, ``date``, ``kind`` (muistio, lausunto,
  raportti, esitys, muu), where each came from, the source ``file`` name, its
  ``sha256``, the format and the number of passages;
- ``processed/document_passages.parquet``: one row per paragraph: the document,
  its ``passage`` number, the PDF ``page`` it stands on and its ``paragraph``
  number there (or in the whole document), and the redacted text.

Title, date and kind come from the document's metadata, its first lines or its
file name; ``config/documents.yaml`` (see ``documents_config``) wins, and is
applied when the documents are loaded, so an edit needs no new ingest. The
original is first copied under ``raw/documents/<date>/`` with its provenance
record and each ingest is logged (``rebuild-processed`` replays it). The same
file name ingested again is the document's new version: it replaces the old
one; the same bytes under another name are ingested once.

A file that gives no text (a scanned PDF, an encrypted or broken file, an
unknown type) is named on one line; the others are still ingested, and the
command then exits 1. Both tables are written atomically, the passages first:
a passage counts only when its document row (same id and checksum) is there.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tilannekuva.archive import append_log, archive_input
from tilannekuva.errors import Problem
from tilannekuva.knowledge.base import KnowledgeBase
from tilannekuva.knowledge.documents_config import (
    KIND_LABELS,
    KINDS,
    DocumentsConfig,
    load_documents_config,
)
from tilannekuva.knowledge.documents_extract import (
    ExtractedDocument,
    UnreadableDocument,
    extract,
)
from tilannekuva.knowledge.linking import link_passages, word_matches
from tilannekuva.paths import DataLayout
from tilannekuva.privacy.redact import redact_text
from tilannekuva.provenance import SourceRecord, now_iso, record_for, sha256_file
from tilannekuva.store import atomic_write_bytes, has_table, read_table, table_sources, write_table

TABLE = "documents"
PASSAGES_TABLE = "document_passages"
REPORT_FILE = "documents.ingest-report.txt"
MAX_TITLE = 150
# Words (lemmas; compounds included) that say what kind a document is, in its title or name.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "muistio": ("muistio", "pöytäkirja"),
    "lausunto": ("lausunto", "kannanotto", "lausuntokierros"),
    "raportti": ("raportti", "selvitys", "katsaus", "arviointi", "tilinpäätös"),
    "esitys": ("esitys", "dia", "diat", "webinaari", "esitysmateriaali"),
}
FI_DATE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(20\d\d)(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(20\d\d)-(\d{2})-(\d{2})(?!\d)")

DOCUMENTS_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, unique=True),
        "title": pa.Column(str),
        "title_from": pa.Column(str, pa.Check.isin(["metatiedot", "alku", "tiedostonimi"])),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "date_from": pa.Column(str, nullable=True),
        "kind": pa.Column(str, pa.Check.isin(list(KINDS))),
        "file": pa.Column(str, unique=True),
        "sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$"), unique=True),
        "format": pa.Column(str),
        "passages": pa.Column(int, pa.Check.ge(1)),
        "ingested": pa.Column(str),
    },
    strict=True,
    ordered=True,
    coerce=True,
)
PASSAGES_SCHEMA = pa.DataFrameSchema(
    {
        "document_id": pa.Column(str),
        "sha256": pa.Column(str),
        "passage": pa.Column(int, pa.Check.ge(1)),
        "page": pa.Column("Int64", nullable=True),
        "paragraph": pa.Column(int, pa.Check.ge(1)),
        "heading": pa.Column(bool),
        "text": pa.Column(str),
    },
    strict=True,
    ordered=True,
    coerce=True,
)


@dataclass
class DocumentsReport:
    """What an ingest did, for the person at the command line and the report file."""

    added: list[str] = field(default_factory=list)  # one line per document
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unreadable

    def to_text(self) -> str:
        lines = [
            f"Documents: {len(self.added)} added, {len(self.replaced)} replaced by a new version, "
            f"{len(self.unchanged)} already ingested, {len(self.unreadable)} unreadable"
        ]
        lines += [f"  + {line}" for line in self.added]
        lines += [f"  ~ {line}" for line in self.replaced]
        lines += [f"  = {line}" for line in self.unchanged]
        if self.unlinked:
            lines.append(
                "  not linked to any item or goal (add keywords in knowledge_base.yaml "
                "or items in documents.yaml):"
            )
            lines += [f"    {line}" for line in self.unlinked]
        lines += [f"  ! {problem}" for problem in self.unreadable]
        return "\n".join(lines)


def document_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files named, and those in the folders named (recursively, sorted; hidden skipped)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not p.name.endswith(".provenance.json")
            )
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "a document file or a folder; not found"))
    return files, problems


def slug(text: str) -> str:
    """Lower-case ASCII with dashes: the document's id and its page's name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "asiakirja"


def _date_in(text: str) -> dt.date | None:
    for pattern, order in ((ISO_DATE, (0, 1, 2)), (FI_DATE, (2, 1, 0))):
        for match in pattern.finditer(text):
            parts = [int(match.group(i + 1)) for i in order]
            try:
                return dt.date(*parts)
            except ValueError:
                continue
    return None


def _kind_in(text: str) -> str | None:
    tokens = re.findall(r"[a-zåäöéü]+", text.lower())
    for kind, words in KIND_WORDS.items():
        if any(word_matches(word, token) for word in words for token in tokens):
            return kind
    return None


def _humanised(stem: str) -> str:
    text = re.sub(r"[_\-]+", " ", stem).strip()
    return text[:1].upper() + text[1:] if text else stem


def describe(document: ExtractedDocument, file_name: str) -> dict[str, object]:
    """Title, date and kind (and where each came from) by what the file says of itself."""
    stem = Path(file_name).stem
    first = next((p.text for p in document.paragraphs if p.heading), None)
    first = first or document.paragraphs[0].text
    if document.meta_title:
        title, title_from = document.meta_title, "metatiedot"
    elif len(first) <= MAX_TITLE:
        title, title_from = first.rstrip(" .:"), "alku"
    else:
        title, title_from = _humanised(stem), "tiedostonimi"
    opening = " ".join(p.text for p in document.paragraphs[:5])
    date, date_from = _date_in(stem), "tiedostonimi"
    if date is None:
        date, date_from = _date_in(opening), "alku"
    if date is None and document.meta_date is not None:
        date, date_from = document.meta_date, "metatiedot"
    if date is None:
        date_from = None
    kind = _kind_in(title) or _kind_in(stem) or _kind_in(opening[:300]) or "muu"
    return {
        "title": redact_text(title),
        "title_from": title_from,
        "date": pd.Timestamp(date) if date else pd.NaT,
        "date_from": date_from,
        "kind": kind,
    }


def _passages(document: ExtractedDocument, document_id: str, sha: str) -> pd.DataFrame:
    rows = []
    counters: dict[int | None, int] = {}
    for number, paragraph in enumerate(document.paragraphs, 1):
        counters[paragraph.page] = counters.get(paragraph.page, 0) + 1
        rows.append(
            {
                "document_id": document_id,
                "sha256": sha,
                "passage": number,
                "page": paragraph.page,
                "paragraph": counters[paragraph.page],
                "heading": paragraph.heading,
                "text": redact_text(paragraph.text),
            }
        )
    return _typed_passages(pd.DataFrame(rows, columns=list(PASSAGES_SCHEMA.columns)))


def _typed_passages(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["page"] = frame["page"].astype("Int64")
    frame["passage"] = frame["passage"].astype(int)
    frame["paragraph"] = frame["paragraph"].astype(int)
    frame["heading"] = frame["heading"].astype(bool)
    return PASSAGES_SCHEMA.validate(frame)


def _typed_documents(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["passages"] = frame["passages"].astype(int)
    frame["date_from"] = frame["date_from"].astype(object).where(frame["date_from"].notna(), None)
    return DOCUMENTS_SCHEMA.validate(frame.reset_index(drop=True))


def stored_documents(layout: DataLayout) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stored documents and their passages, as ingested (no analyst settings applied)."""
    if not has_table(layout, TABLE):
        empty = pd.DataFrame(columns=list(DOCUMENTS_SCHEMA.columns))
        return _typed_documents(empty), _typed_passages(
            pd.DataFrame(columns=list(PASSAGES_SCHEMA.columns))
        )
    documents = DOCUMENTS_SCHEMA.validate(read_table(layout, TABLE))
    passages = (
        PASSAGES_SCHEMA.validate(read_table(layout, PASSAGES_TABLE))
        if has_table(layout, PASSAGES_TABLE)
        else _typed_passages(pd.DataFrame(columns=list(PASSAGES_SCHEMA.columns)))
    )
    # Passages of a version whose document row was never written (a failed ingest) are left out.
    held = set(zip(documents["id"], documents["sha256"], strict=True))
    keep = [
        (d, s) in held for d, s in zip(passages["document_id"], passages["sha256"], strict=True)
    ]
    return documents, passages[keep].reset_index(drop=True)


def _unique_id(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    return candidate


def ingest_documents(
    paths: list[Path],
    layout: DataLayout,
    kb: KnowledgeBase,
    *,
    log: bool = True,
    names: list[str] | None = None,
    records: list[SourceRecord | None] | None = None,
) -> DocumentsReport:
    """Ingest every readable document of ``paths`` (see the module's docstring).

    ``log=False`` (a replay) reads the files in place and archives nothing;
    ``names`` then gives each file's original name. ``records``: the files'
    provenance records when the caller has written them (the demo's).
    """
    config = load_documents_config(layout, {e.id for e in kb.entries})
    files, problems = document_files(paths)
    report = DocumentsReport(unreadable=list(problems))
    documents, passages = stored_documents(layout)
    sources = table_sources(layout, TABLE)
    archived_entries = []
    for position, path in enumerate(files):
        name = names[position] if names else path.name
        try:
            extracted = extract(path)
        except UnreadableDocument as exc:
            report.unreadable.append(Problem(str(path), f"no text was read: {exc}"))
            continue
        sha = sha256_file(path)
        if sha in set(documents["sha256"]):
            held = documents[documents["sha256"] == sha].iloc[0]
            report.unchanged.append(f"{name}: the same as {held['file']} ({held['id']})")
            continue
        record = records[position] if records else None
        if log:
            archived = archive_input(path, layout, "documents", record=record)
            record = archived.record
            archived_entries.append((archived, name))
        else:
            record = record or record_for(path, "documents")
        earlier = documents[documents["file"] == name]
        if not earlier.empty:
            document_id = str(earlier.iloc[0]["id"])
            documents = documents[documents["file"] != name]
            passages = passages[passages["document_id"] != document_id]
            sources = [s for s in sources if s.sha256 != earlier.iloc[0]["sha256"]]
        else:
            document_id = _unique_id(slug(Path(name).stem), set(documents["id"]))
        described = describe(extracted, name)
        row = {
            "id": document_id,
            **described,
            "file": name,
            "sha256": sha,
            "format": extracted.format,
            "passages": len(extracted.paragraphs),
            "ingested": now_iso(),
        }
        new_passages = _passages(extracted, document_id, sha)
        documents = pd.concat([documents, pd.DataFrame([row])], ignore_index=True)
        passages = pd.concat([passages, new_passages], ignore_index=True)
        sources = [*sources, record.model_copy(update={"file": name})]
        line = (
            f"{document_id}: {name} ({extracted.format}, {len(extracted.paragraphs)} passages) "
            f"– {described['title']}"
        )
        (report.added if earlier.empty else report.replaced).append(line)
    if report.added or report.replaced or not has_table(layout, TABLE):
        documents = _typed_documents(documents.sort_values("id"))
        passages = _typed_passages(passages.sort_values(["document_id", "passage"]))
        # Passages first: until the documents table names the new version, it is not read.
        write_table(layout, PASSAGES_TABLE, passages, sources)
        write_table(layout, TABLE, documents, sources)
    shown, shown_passages = apply_settings(documents, passages, config)
    links = link_passages(shown_passages, kb, tags_of(shown, config))
    linked = set(links["document_id"])
    report.unlinked = [
        f"{row.id}: {row.file} – {row.title}" for row in shown.itertuples() if row.id not in linked
    ]
    atomic_write_bytes(layout.processed / REPORT_FILE, report.to_text().encode("utf-8"))
    for archived, name in archived_entries:
        append_log(layout, "documents", archived, {"name": name})
    return report


def apply_settings(
    documents: pd.DataFrame, passages: pd.DataFrame, config: DocumentsConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analyst's title, date and kind (``documents.yaml``) over what the files said."""
    documents = documents.copy()
    for index, row in documents.iterrows():
        settings = config.get(str(row["file"]))
        if settings.title:
            documents.at[index, "title"] = settings.title
            documents.at[index, "title_from"] = "asetukset"
        if settings.date:
            documents.at[index, "date"] = pd.Timestamp(settings.date)
            documents.at[index, "date_from"] = "asetukset"
        if settings.kind:
            documents.at[index, "kind"] = settings.kind
    return documents, passages


def tags_of(documents: pd.DataFrame, config: DocumentsConfig) -> dict[str, list[str]]:
    """Document id → the entries the analyst tagged it with."""
    return {
        str(row.id): list(config.get(str(row.file)).items)
        for row in documents.itertuples()
        if config.get(str(row.file)).items
    }


@dataclass(frozen=True)
class DocumentLibrary:
    """The ingested documents as the site shows them: settings applied, passages linked."""

    documents: pd.DataFrame  # DOCUMENTS_SCHEMA columns, with kind_label
    passages: pd.DataFrame
    links: pd.DataFrame  # linking.LINK_SCHEMA

    def document(self, document_id: str) -> pd.Series:
        found = self.documents[self.documents["id"] == document_id]
        if found.empty:
            raise KeyError(document_id)
        return found.iloc[0]

    def passages_of(self, document_id: str) -> pd.DataFrame:
        return self.passages[self.passages["document_id"] == document_id].sort_values("passage")

    def links_of(self, document_id: str) -> pd.DataFrame:
        return self.links[self.links["document_id"] == document_id]

    def links_to(self, entry_id: str) -> pd.DataFrame:
        return self.links[self.links["entry_id"] == entry_id]


def load_library(layout: DataLayout, kb: KnowledgeBase) -> DocumentLibrary:
    """The data directory's documents with ``documents.yaml`` applied and links computed now.

    Links follow the knowledge base's current keywords and the analyst's tags,
    so editing either changes the site at the next build without a new ingest.
    """
    config = load_documents_config(layout, {e.id for e in kb.entries})
    documents, passages = stored_documents(layout)
    documents, passages = apply_settings(documents, passages, config)
    documents = documents.assign(kind_label=documents["kind"].map(KIND_LABELS))
    links = link_passages(passages, kb, tags_of(documents, config))
    return DocumentLibrary(documents.reset_index(drop=True), passages, links)


def passage_anchor(passage: int) -> str:
    """The HTML id of a passage on its document's page (search links to it)."""
    return f"kohta-{passage}"
