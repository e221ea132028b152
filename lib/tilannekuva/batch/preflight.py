"""What a build checks before any kernel starts: it can write, and it has the inputs.

Each check stops with one line naming the folder or table and what to do, so a
build never works for half a minute and then fails on a read-only folder, and
never publishes a site of failed pages because ``processed/`` was empty.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tilannekuva.batch.pages import Page
from tilannekuva.errors import TilannekuvaError
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import Questionnaire

# Inputs a page may read that need no ingest: the build prepares the comparison itself,
# populations fall back to the committed reference table, maps to the centre points.
# Documents and decisions are optional: a site without them says so on the tracker.
# `surveys` (the other surveys' tables) may be absent: `each: survey` then makes no page.
PREPARED_OR_OPTIONAL = frozenset(
    {
        "comparison",
        "population",
        "municipalities",
        "documents",
        "document_passages",
        "decisions",
        "surveys",
    }
)
# What every page reads when its declaration has no `reads`.
INGESTED = ("survey", "associations")
HOW_TO_INGEST = {
    "survey": "`tilannekuva ingest survey FILE`",
    "associations": "`tilannekuva ingest registry FILE` (or `tilannekuva fetch registry`)",
}


class PreflightError(TilannekuvaError):
    """The build cannot start; nothing was done (exit 1)."""


def _cannot_write(folder: Path) -> str | None:
    """Why nothing can be written in ``folder`` (created if missing), or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            return "it is not a folder"
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except FileExistsError:
        return "a file of that name is in the way"
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _read_only_inside(folder: Path) -> Path | None:
    """A folder in or under ``folder`` whose entries cannot be replaced, or None."""
    for root, dirs, _ in os.walk(folder):
        if not os.access(root, os.W_OK | os.X_OK):
            return Path(root)
        dirs.sort()
    return None


def check_writable(layout: DataLayout, out: Path) -> None:
    """The site's parent folder and the data directory's build folders are writable.

    The site folder itself is checked by :func:`check_site_writable` once the build
    holds the site's lock (a probe file must not appear under another build's copy).
    """
    if out.exists() and not out.is_dir():
        raise PreflightError(f"--out {out}: a file, not a site folder; choose another --out")
    reason = _cannot_write(out.parent)
    if reason:
        raise PreflightError(
            f"cannot write the site beside {out} (in {out.parent}: {reason}); "
            "fix the folder's permissions or choose another --out"
        )
    for folder in (layout.build, layout.snapshots):
        reason = _cannot_write(folder)
        blocked = folder if reason else _read_only_inside(folder)
        if blocked is not None:
            raise PreflightError(
                f"cannot write in {blocked} ({reason or 'Permission denied'}): the build keeps "
                "its lock, executed notebooks and snapshots under the data directory; fix its "
                "permissions or use another --data"
            )


def check_site_writable(out: Path) -> None:
    """The published site can be replaced: the folder and every folder in it are writable."""
    if not out.exists():
        return
    reason = _cannot_write(out)
    blocked = out if reason else _read_only_inside(out)
    if blocked is not None:
        raise PreflightError(
            f"cannot replace the site {out} ({blocked}: {reason or 'Permission denied'}); "
            "fix its permissions or choose another --out"
        )


def _has_input(layout: DataLayout, name: str) -> bool:
    return any(
        (folder / f"{name}{suffix}").is_file()
        for folder in (layout.processed, layout.build / "shared")
        for suffix in (".parquet", ".geojson", ".json")
    )


def required_inputs(pages: Iterable[Page]) -> list[str]:
    """The inputs the pages read that only an ingest can provide, in a stable order."""
    needed: dict[str, None] = {}
    for page in pages:
        for name in page.reads if page.reads is not None else INGESTED:
            if name not in PREPARED_OR_OPTIONAL:
                needed.setdefault(name)
    known = [name for name in INGESTED if name in needed]
    return known + [name for name in needed if name not in known]


def check_inputs(layout: DataLayout, pages: Iterable[Page]) -> None:
    """Every table the selected pages read is in ``processed/``; else say what to ingest."""
    missing = [name for name in required_inputs(pages) if not _has_input(layout, name)]
    if not missing:
        return
    tables = " and no ".join(missing)
    how = [HOW_TO_INGEST.get(name, f"the ingest that writes {name}") for name in missing]
    raise PreflightError(
        f"{layout.processed} has no {tables} table: run {' and '.join(how)} "
        f"with --data {layout.root}, or `tilannekuva demo --data {layout.root}` for the demo"
    )


def survey_columns(questionnaire: Questionnaire) -> dict[str, str]:
    """Column of the processed survey table -> the question it holds (as the ingest writes it).

    The same columns as :func:`tilannekuva.survey.schema.survey_schema`, without
    loading pandera on every build (a test keeps the two in agreement).
    """
    columns: dict[str, str] = {}
    for q in questionnaire.questions:
        if q.type in ("single", "text"):
            columns[q.id] = q.id
        elif q.type == "municipality":
            for name in ("municipality_code", "municipality", "subregion"):
                columns[name] = q.id
        elif q.type == "multiple":
            columns.update({f"{q.id}__{o.id}": q.id for o in q.options})
        elif q.type == "matrix":
            for row in questionnaire.rows(q.id):
                columns[(q.column or "").format(row=row.id)] = row.id  # the item added
    return columns


def check_survey_questions(
    layout: DataLayout, questionnaire: Questionnaire, pages: Iterable[Page]
) -> None:
    """The processed survey table has a column for every configured question the pages read.

    A question added to the questionnaire is in the table only after the survey
    is ingested again; without this check a page would stop on a bare KeyError.
    """
    if "survey" not in required_inputs(pages):
        return
    path = layout.processed / "survey.parquet"
    if not path.is_file():
        return  # check_inputs names the missing table
    import pyarrow.parquet as pq

    present = set(pq.read_schema(path).names)
    missing: dict[str, None] = {}
    for column, question in survey_columns(questionnaire).items():
        if column not in present:
            missing.setdefault(question)
    if not missing:
        return
    relative = path.relative_to(layout.root) if path.is_relative_to(layout.root) else path
    raise PreflightError(
        "\n".join(
            f"kysymys {question} puuttuu aineistosta {relative}: tuo kyselyn vienti uudelleen "
            f"(`tilannekuva ingest survey FILE --round ROUND --replace --data {layout.root}`) "
            f"tai aja `tilannekuva rebuild-processed --data {layout.root}`"
            for question in missing
        )
    )
