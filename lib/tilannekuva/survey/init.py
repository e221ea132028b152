"""`tilannekuva survey init`: write the draft questionnaire and tell the analyst what to check.

The draft (:mod:`tilannekuva.survey.draft`) is checked as a questionnaire
before it is written, then written in one rename; an existing file is never
replaced without ``force``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tilannekuva.errors import TilannekuvaError
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import SURVEYS_FOLDER
from tilannekuva.store import atomic_write_bytes
from tilannekuva.survey.catalog import check_survey_id, default_survey
from tilannekuva.survey.draft import KIND_WORDS, Draft, check_draft, draft_questionnaire


class ExistsError(TilannekuvaError):
    """The questionnaire file is there already (exit 1, nothing written)."""


@dataclass
class InitResult:
    path: Path
    draft: Draft
    export: Path
    survey_id: str


def init_survey(
    export: Path,
    layout: DataLayout,
    survey_id: str,
    *,
    title: str | None = None,
    sheet: str | None = None,
    force: bool = False,
    structure: Path | None = None,
) -> InitResult:
    """Draft ``DIR/config/surveys/<id>.yaml`` from ``export``; see the module's docstring."""
    check_survey_id(survey_id)
    if survey_id == default_survey(layout).id:
        raise ExistsError(
            f"survey id '{survey_id}' is the default survey's (config/questionnaire.yaml); "
            "choose another id"
        )
    path = layout.root / SURVEYS_FOLDER / f"{survey_id}.yaml"
    if path.exists() and not force:
        raise ExistsError(
            f"{path} already exists; nothing was written. Give --force to replace it with a "
            "new draft (your edits in it would be lost), or choose another --id"
        )
    draft = draft_questionnaire(Path(export), survey_id, title, sheet, structure)
    check_draft(draft.text, str(path))
    atomic_write_bytes(path, draft.text.encode("utf-8"))
    return InitResult(path, draft, Path(export), survey_id)


def print_summary(result: InitResult) -> None:
    """The decisions as a short Finnish table, and the next step."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    draft = result.draft
    table = Table(title=f"Kyselyn {result.survey_id} luonnos: sarakkeiden tulkinta")
    table.add_column("Sarake / kysymys", overflow="fold", max_width=48)
    table.add_column("Tulkinta")
    table.add_column("Tarkista", overflow="fold", max_width=36)
    for decision in draft.decisions:
        shown = decision.headers[0] + (
            f" (+{len(decision.headers) - 1})" if len(decision.headers) > 1 else ""
        )
        kind = KIND_WORDS[decision.kind] + (f", {decision.detail}" if decision.detail else "")
        table.add_row(shown, kind, decision.check)
    console.print(table)
    questions = sum(d.kind not in ("identifying", "tool", "empty") for d in draft.decisions)
    dropped = sum(d.kind == "identifying" for d in draft.decisions)
    console.print(
        f"Vastaajia {draft.respondents}, kysymyksiä {questions}, poistettavia tunnistetietoja "
        f"{dropped}"
        + (f"; otsikko riveiltä {draft.header_rows}" if draft.header_rows else "")
        + "."
    )
    console.print(f"Luonnos kirjoitettu: {result.path}")
    console.print(
        "Tarkista tyypit, vaihtoehdot ja asteikot; merkitse ryhmittelevät kysymykset "
        "(group: true) ja yhteistyöasiat (about: [...]). Sitten:\n"
        f"  tilannekuva ingest survey {result.export} --survey {result.survey_id}"
    )
