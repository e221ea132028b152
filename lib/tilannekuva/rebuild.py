"""`tilannekuva rebuild-processed`: the processed tables again, from ``raw/`` alone.

Replays ``raw/ingest-log.jsonl`` (see ``archive``) in order: each survey round
with the options and the questionnaire it was ingested with, each registry
extract with its sheet; another survey's rounds into its own table
(``processed/surveys/<id>.parquet``). Every archived file is checked against its checksum
first. The tables are built in a staging folder beside ``processed/`` and
swapped in only when every ingest replayed; tables no logged ingest makes (the
fetched population) are carried over. On any failure ``processed/`` is left as
it was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from tilannekuva.archive import archived_file, read_log
from tilannekuva.errors import InputError, Problem
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import read_record

# What the logged ingests write; everything else under processed/ is carried over.
REPLAYED = {
    "survey": ("survey.parquet", "survey.ingest-report.txt"),
    "registry": ("associations.parquet", "associations.ingest-report.txt"),
    "documents": (
        "documents.parquet",
        "document_passages.parquet",
        "documents.ingest-report.txt",
    ),
    "decisions": ("decisions.parquet", "decisions.ingest-report.txt"),
}


def _replayed(entry) -> tuple[str, ...]:
    """The files under ``processed/`` a logged ingest writes (another survey: its own)."""
    survey_id = entry.options.get("survey") if entry.kind == "survey" else None
    if survey_id:
        return (f"surveys/{survey_id}.parquet", f"surveys/{survey_id}.ingest-report.txt")
    return REPLAYED.get(entry.kind, ())


@dataclass(frozen=True)
class StagingLayout(DataLayout):
    """The same data directory, with processed tables written to a staging folder."""

    staging: Path | None = None

    @property
    def processed(self) -> Path:
        assert self.staging is not None
        return self.staging


def rebuild_processed(layout: DataLayout) -> list[str]:
    """Rebuild the logged tables under ``processed/``; returns one line per replayed ingest."""
    from tilannekuva.registry.ingest import ingest_registry
    from tilannekuva.survey.ingest import ingest_survey

    entries = read_log(layout)
    if not entries:
        raise InputError(
            Problem(str(layout.raw / "ingest-log.jsonl"), "at least one logged ingest to replay")
        )
    files = [archived_file(layout, entry) for entry in entries]  # all checked before any work
    staging = layout.root / f".processed-rebuild-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    replayed = {name for entry in entries for name in _replayed(entry)}
    lines = []
    try:
        if layout.processed.exists():
            # Top-level tables and the other surveys' (processed/surveys/) alike.
            for path in sorted(layout.processed.rglob("*")):
                name = path.relative_to(layout.processed).as_posix()
                if path.is_file() and name not in replayed and not path.name.startswith("."):
                    (staging / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, staging / name)
        target = StagingLayout(layout.root, staging)
        for entry, path in zip(entries, files, strict=True):
            options = entry.options
            try:
                if entry.kind == "survey":
                    report = ingest_survey(
                        path,
                        target,
                        options.get("round"),
                        sheet=options.get("sheet"),
                        record=read_record(path),
                        replace_round=bool(options.get("replace")),
                        keep_duplicates=bool(options.get("keep_duplicates")),
                        questionnaire_file=layout.raw / options["questionnaire"]
                        if options.get("questionnaire")
                        else None,
                        log=False,
                        survey_id=options.get("survey"),
                    )
                    lines.append(
                        f"#{entry.seq} survey {entry.file} → round {report.round}: "
                        f"{report.rows_kept} respondents"
                    )
                elif entry.kind == "registry":
                    report = ingest_registry(
                        path,
                        target,
                        record=read_record(path),
                        sheet=options.get("sheet"),
                        _archived=True,
                    )
                    lines.append(f"#{entry.seq} registry {entry.file}: {report.kept} associations")
                elif entry.kind == "documents":
                    from tilannekuva.knowledge.base import load_knowledge_base
                    from tilannekuva.knowledge.documents import ingest_documents

                    ingest_documents(
                        [path],
                        target,
                        load_knowledge_base(layout),
                        log=False,
                        names=[options.get("name") or path.name],
                        records=[read_record(path)],
                    )
                    lines.append(f"#{entry.seq} document {entry.file}")
                elif entry.kind == "decisions":
                    from tilannekuva.knowledge.base import load_knowledge_base
                    from tilannekuva.knowledge.decisions import ingest_decisions

                    report = ingest_decisions(
                        path,
                        target,
                        load_knowledge_base(layout, path=None),
                        record=read_record(path),
                        log=False,
                        name=options.get("name"),
                    )
                    lines.append(f"#{entry.seq} decisions {entry.file}: {report.added} added")
                else:
                    raise InputError(
                        Problem(str(path), "a logged ingest to replay", value=entry.kind)
                    )
            except InputError as exc:
                raise InputError(
                    [
                        Problem(
                            str(layout.raw / "ingest-log.jsonl"),
                            f"ingest #{entry.seq} ({entry.file}) to replay; it failed: "
                            "nothing under processed/ changed",
                            row=entry.seq,
                        ),
                        *exc.problems,
                    ]
                ) from exc
        _check_nothing_lost(layout, target, replayed)
        _swap(staging, layout.processed)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return lines


def _check_nothing_lost(layout: DataLayout, rebuilt: DataLayout, replayed: set[str]) -> None:
    """Refuse to drop data the log does not know (e.g. ingested before inputs were archived)."""
    from tilannekuva.store import table_sources

    problems = []
    for name in sorted(n.removesuffix(".parquet") for n in replayed if n.endswith(".parquet")):
        after = {(s.sha256, s.extra.get("round")) for s in table_sources(rebuilt, name)}
        for source in table_sources(layout, name):
            if (source.sha256, source.extra.get("round")) not in after:
                problems.append(
                    Problem(
                        str(layout.processed / f"{name}.parquet"),
                        "only inputs that raw/ingest-log.jsonl lists; this table holds "
                        f"{source.file}"
                        + (f" (round {source.extra['round']})" if source.extra.get("round") else "")
                        + ", which a rebuild would drop: ingest that file again first; "
                        "nothing changed",
                    )
                )
    if problems:
        raise InputError(problems)


def _swap(staging: Path, processed: Path) -> None:
    """Put the staging folder in place of ``processed/`` (two renames, the old one then removed)."""
    old = processed.with_name(f".processed-old-{os.getpid()}")
    if processed.exists():
        os.replace(processed, old)
    try:
        os.replace(staging, processed)
    except OSError:
        if old.exists():
            os.replace(old, processed)
        raise
    shutil.rmtree(old, ignore_errors=True)
