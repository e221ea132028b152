""" "What changed since the last meeting" includes new documents and decisions."""

from __future__ import annotations

import datetime as dt

from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.comparison import knowledge_records
from tilannekuva.knowledge.decisions import ingest_decisions
from tilannekuva.knowledge.documents import ingest_documents
from tilannekuva.knowledge.snapshots import Snapshot, compare
from tilannekuva.paths import DataLayout


def test_new_documents_and_decisions_since_the_previous_snapshot(tmp_path):
    import docx

    layout = DataLayout.at(tmp_path / "data")
    kb = load_knowledge_base(layout)
    before = Snapshot(created=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), **knowledge_records(layout))
    assert before.documents == {} and before.decisions == {}

    memo = docx.Document()
    memo.add_paragraph("Kumppanuuspöydän muistio")
    memo.add_paragraph("Järjestöavustukset käsiteltiin.")
    memo.save(tmp_path / "muistio.docx")
    ingest_documents([tmp_path / "muistio.docx"], layout, kb)
    log = tmp_path / "loki.csv"
    log.write_text(
        "päivämäärä;asia;uusi tila;päätös\n2026-11-20;i06_grants;sovittu;Periaatteet hyväksyttiin.\n",
        encoding="utf-8",
    )
    ingest_decisions(log, layout, kb)
    after = Snapshot(created=dt.datetime(2026, 11, 24, tzinfo=dt.UTC), **knowledge_records(layout))

    changes = compare(before, after)
    assert changes.new_documents == {"muistio": "Kumppanuuspöydän muistio"}
    assert list(changes.new_decisions.values()) == [
        "i06_grants: 2026-11-20 Periaatteet hyväksyttiin."
    ]
    assert "uusia asiakirjoja 1" in changes.summary()
    assert "uusia päätöksiä 1" in changes.summary()
    frame = changes.as_frame()
    assert set(frame["kind"]) == {"document", "decision"}
    # Nothing new the next time.
    assert compare(after, after).new_documents == {} == compare(after, after).new_decisions
