"""Two builds with a decision recorded in between: the move shows as a change since the last build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from tilannekuva.paths import PROJECT_DATA

from tests.conftest import run_cli

pytestmark = pytest.mark.notebooks


def record_decision(kb: Path, item: str, day: str, status: str, text: str) -> None:
    content = kb.read_text(encoding="utf-8")
    head, tail = content.split(f"  {item}:\n", 1)
    entry, rest = tail.split("    evidence:", 1)
    entry = re.sub(r"(?m)^    status: \w+\n", "", entry)
    entry += f"      - date: {day}\n        status: {status}\n        text: {text}\n"
    kb.write_text(f"{head}  {item}:\n{entry}    evidence:{rest}", encoding="utf-8")


def test_an_edited_status_between_two_builds_shows_as_a_change(demo_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(demo_data / "processed", data / "processed")
    (data / "config").mkdir()
    kb = data / "config" / "knowledge_base.yaml"
    shutil.copy(PROJECT_DATA / "config" / "knowledge_base.yaml", kb)
    site = tmp_path / "site"
    pages = ["--only", "00_yleiskuva", "--only", "40_painopisteet"]

    run_cli("build", "--data", str(data), "--out", str(site), *pages, check=True)
    first = (site / "00_yleiskuva.html").read_text(encoding="utf-8")
    assert "Ensimmäinen koonti" in first

    record_decision(
        kb, "i07_coordinator", "2026-11-20", "sovittu", "Koordinaattorin tehtävästä sovittiin."
    )
    run_cli("build", "--data", str(data), "--out", str(site), *pages, check=True)
    overview = (site / "00_yleiskuva.html").read_text(encoding="utf-8")
    assert "avoin → sovittu" in overview
    assert 'href="40_painopisteet.html#i07_coordinator"' in overview
    assert "tilan muutoksia 1" in overview
    tracker = (site / "40_painopisteet.html").read_text(encoding="utf-8")
    assert "Tilan muutokset edellisen koonnin" in tracker
    assert "Koordinaattorin tehtävästä sovittiin." in tracker
    assert 'id="i07_coordinator"' in tracker
