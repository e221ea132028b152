"""Write the demo inputs under ``raw/demo/`` and ingest them through the real path."""

from __future__ import annotations

from pathlib import Path

from tilannekuva.demo.feedback import SURVEY_ID as FEEDBACK_SURVEY
from tilannekuva.demo.feedback import feedback_xlsx
from tilannekuva.demo.registry import registry_csv
from tilannekuva.demo.survey import survey_xlsx
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import write_record
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.region import activate
from tilannekuva.store import has_table, table_sources

SURVEY_FILE = "kysely_vastaukset_demo.xlsx"
REGISTRY_FILE = "yhdistysrekisteri_ote_demo.csv"
FEEDBACK_FILE = "jarjestopaivan_palaute_demo.xlsx"  # an extra survey (config/surveys/)
FEEDBACK_ROUND = "2026-marraskuu"
DEMO_ROUND = "2026-syksy"
DEMO_LICENCE = "Keksitty esimerkkiaineisto (CC0); ei todellisia vastauksia eikä yhdistyksiä"
DEMO_TIME = "2026-11-01T00:00:00+00:00"


def demo_present(layout: DataLayout) -> bool:
    """True when the processed tables the pages need are there (demo or real)."""
    return has_table(layout, "survey") and has_table(layout, "associations")


def write_demo(layout: DataLayout) -> list[str]:
    """Write and ingest the demo; returns the ingest reports' texts."""
    # Imported here: ingestion pulls in pandera and the privacy layer, which
    # `tilannekuva --help` should not pay for.
    from tilannekuva.registry.ingest import ingest_registry
    from tilannekuva.survey.ingest import ingest_survey

    activate(layout)  # the demo is spread over the data directory's region
    folder = layout.raw / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    questionnaire = load_questionnaire(layout=layout)
    survey_path = _write(folder / SURVEY_FILE, survey_xlsx(questionnaire))
    registry_path = _write(folder / REGISTRY_FILE, registry_csv())
    common = {"demo": True, "licence": DEMO_LICENCE, "retrieved": DEMO_TIME}
    survey_record = write_record(
        survey_path, "survey", note="tilannekuva demo: Forms-tyyppinen XLSX-vienti", **common
    )
    registry_record = write_record(
        registry_path, "registry-extract", note="tilannekuva demo: PRH-tyyppinen ote", **common
    )
    reports = [
        ingest_survey(
            survey_path,
            layout,
            DEMO_ROUND,
            record=survey_record,
            replace_round=_demo_round_only(layout),
        ).to_text(),
        ingest_registry(registry_path, layout, record=registry_record).to_text(),
        *_write_documents(layout, folder, common),
    ]
    # An extra survey, so the site shows a generic survey page and evidence from it.
    # In its own folder: raw/demo/*.xlsx stays the default survey's export alone.
    (folder / FEEDBACK_SURVEY).mkdir(exist_ok=True)
    feedback_path = _write(folder / FEEDBACK_SURVEY / FEEDBACK_FILE, feedback_xlsx())
    feedback_record = write_record(
        feedback_path,
        "survey",
        note="tilannekuva demo: Webropol-tyyppinen palautekyselyn XLSX-vienti",
        **common,
    )
    reports.append(
        ingest_survey(
            feedback_path,
            layout,
            FEEDBACK_ROUND,
            record=feedback_record,
            replace_round=_demo_round_only(layout, f"surveys/{FEEDBACK_SURVEY}", FEEDBACK_ROUND),
            survey_id=FEEDBACK_SURVEY,
        ).to_text()
    )
    return reports


def _write_documents(layout: DataLayout, folder: Path, common: dict) -> list[str]:
    """The demo's memo, statement and note, and the decision log, through the real ingest."""
    from tilannekuva.demo.documents import DECISIONS_FILE, DOCUMENTS, decisions_csv
    from tilannekuva.knowledge.base import load_knowledge_base
    from tilannekuva.knowledge.decisions import ingest_decisions
    from tilannekuva.knowledge.documents import ingest_documents

    documents_folder = folder / "asiakirjat"
    documents_folder.mkdir(parents=True, exist_ok=True)
    paths, records = [], []
    for name, make in DOCUMENTS.items():
        path = _write(documents_folder / name, make())
        paths.append(path)
        records.append(
            write_record(path, "documents", note="tilannekuva demo: asiakirja", **common)
        )
    kb = load_knowledge_base(layout)
    report = ingest_documents(paths, layout, kb, records=records)
    decisions_path = _write(folder / DECISIONS_FILE, decisions_csv())
    decisions_record = write_record(
        decisions_path, "decisions", note="tilannekuva demo: sihteerin päätösloki", **common
    )
    decisions = ingest_decisions(decisions_path, layout, kb, record=decisions_record)
    return [report.to_text(), decisions.to_text()]


def _demo_round_only(
    layout: DataLayout, table: str = "survey", round_label: str = DEMO_ROUND
) -> bool:
    """Writing the demo again may replace the demo's own round, never a real one."""
    held = [s for s in table_sources(layout, table) if s.extra.get("round") == round_label]
    return bool(held) and all(s.demo for s in held)


def _write(path: Path, data: bytes) -> Path:
    # Raw files are immutable: the demo rewrites only its own, identical bytes.
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path
