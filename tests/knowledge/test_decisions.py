"""The decision log: tolerant headers, errors with row and column and nothing written, idempotence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from tilannekuva.errors import InputError
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.decisions import ingest_decisions, load_decisions
from tilannekuva.paths import PROJECT_DATA, DataLayout

from tests.conftest import run_cli

GOOD = (
    "Päivämäärä;Asia;Uusi tila;Päätös;Viite\n"
    "14.10.2026;Avustusperiaatteet;valmistelussa;Valmistelu alkoi, lisätiedot 040 123 4567.;"
    "Muistio 14.10.2026\n"
    "2026-11-20;i07_coordinator;Sovittu;Työnkuva hyväksyttiin.;\n"
    "2026-11-21;i07_coordinator;;Työnkuva julkaistaan.;\n"
)


@pytest.fixture
def layout(tmp_path) -> DataLayout:
    return DataLayout.at(tmp_path / "data")


def _write(tmp_path: Path, text: str, name: str = "loki.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_decisions_join_the_history_and_move_the_status(tmp_path, layout):
    report = ingest_decisions(_write(tmp_path, GOOD), layout, load_knowledge_base(layout))
    assert (report.rows, report.added) == (3, 3)
    kb = load_knowledge_base(layout)
    grants = kb.entry("i06_grants")
    assert grants.status == "valmistelussa"
    assert grants.history[-1].date == dt.date(2026, 10, 14)
    assert "[puhelin]" in grants.history[-1].text and "040" not in grants.history[-1].text
    assert grants.history[-1].reference == "Muistio 14.10.2026"
    coordinator = kb.entry("i07_coordinator")
    # A decision without a new status keeps the status in force.
    assert [h.status for h in coordinator.history] == ["avoin", "sovittu", "sovittu"]
    # The analyst's file is not touched.
    shipped = (PROJECT_DATA / "config" / "knowledge_base.yaml").read_text(encoding="utf-8")
    assert "Työnkuva hyväksyttiin" not in shipped


def test_the_same_log_twice_adds_nothing(tmp_path, layout):
    path = _write(tmp_path, GOOD)
    ingest_decisions(path, layout, load_knowledge_base(layout))
    before = (layout.processed / "decisions.parquet").read_bytes()
    again = ingest_decisions(path, layout, load_knowledge_base(layout))
    assert (again.added, again.already) == (0, 3)
    assert (layout.processed / "decisions.parquet").read_bytes() == before
    # A longer log adds only its new row; the history holds each decision once.
    longer = _write(
        tmp_path, GOOD + "2026-11-24;i05_rules;valmistelussa;Luonnos valmis.;\n", "b.csv"
    )
    assert ingest_decisions(longer, layout, load_knowledge_base(layout)).added == 1
    assert len(load_decisions(layout)) == 4
    texts = [h.text for h in load_knowledge_base(layout).entry("i07_coordinator").history]
    assert texts.count("Työnkuva hyväksyttiin.") == 1


def test_xlsx_with_other_header_names(tmp_path, layout):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Pvm", "Kohta", "Tila", "Kirjaus", "Lähde", "Sihteerin huomio"])
    sheet.append(
        [dt.datetime(2026, 11, 3), "Kirjaukset hallintosäännössä", "Valmistelussa", "Ok", None, "x"]
    )
    path = tmp_path / "loki.xlsx"
    book.save(path)
    report = ingest_decisions(path, layout, load_knowledge_base(layout))
    assert report.added == 1 and report.ignored_columns == ["Sihteerin huomio"]
    assert load_knowledge_base(layout).entry("i05_rules").status == "valmistelussa"


def test_errors_name_row_and_column_and_nothing_is_written(tmp_path, layout):
    ingest_decisions(_write(tmp_path, GOOD), layout, load_knowledge_base(layout))
    before = (layout.processed / "decisions.parquet").read_bytes()
    bad = _write(
        tmp_path,
        "päivämäärä;asia;uusi tila;päätös\n"
        "2026-11-01;i06_grants;sovittu;Hyvä rivi.\n"
        "31.2.2026;i06_grants;sovittu;Päivää ei ole.\n"
        "2026-11-02;i06_grantz;sovittu;Tuntematon asia.\n"
        "2026-11-03;i06_grants;valmis;Tuntematon tila.\n",
        "huono.csv",
    )
    with pytest.raises(InputError) as info:
        ingest_decisions(bad, layout, load_knowledge_base(layout))
    problems = {(p.row, p.column) for p in info.value.problems}
    assert problems == {(3, "päivämäärä"), (4, "asia"), (5, "uusi tila")}
    assert any("did you mean 'i06_grants'" in str(p) for p in info.value.problems)
    assert (layout.processed / "decisions.parquet").read_bytes() == before


def test_missing_column_and_cli_exit(tmp_path):
    data = tmp_path / "data"
    path = _write(tmp_path, "päivämäärä;uusi tila;päätös\n2026-11-01;sovittu;x\n")
    result = run_cli("ingest", "decisions", str(path), "--data", str(data))
    assert result.returncode == 1
    assert "column 'asia'" in result.stderr and "row 1" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (data / "processed" / "decisions.parquet").exists()


def test_headers_written_out_in_words_are_recognised(tmp_path, layout):
    path = _write(
        tmp_path,
        "Kokouksen päivämäärä (pvm);Yhteistyöasia;Tila;Päätöksen sisältö;Viite muistioon;Huom\n"
        "2026-11-02;Koordinaattori;valmistelussa;Haku avattiin.;Muistio 2.11.;x\n",
    )
    report = ingest_decisions(path, layout, load_knowledge_base(layout))
    assert report.added == 1 and report.ignored_columns == ["Huom"]
    decision = load_decisions(layout).iloc[0]
    assert (decision["entry_id"], decision["text"], decision["reference"]) == (
        "i07_coordinator",
        "Haku avattiin.",
        "Muistio 2.11.",
    )
