"""privacy.md §6: build the site from input with planted personal data and small groups.

Asserts at the boundary: no planted string (in any spacing) anywhere in the
site, the executed notebooks or processed/; the group of 3 shows no figure,
and the published totals do not let it be recomputed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook
from tilannekuva.charts.render import PLOTLY_MIMETYPE
from tilannekuva.questionnaire import load_questionnaire

from tests.conftest import run_cli
from tests.privacy.test_suppress import assert_protected

pytestmark = pytest.mark.notebooks

PLANTED = [
    "matti.meikalainen@example.fi",
    "liisa(at)yhdistys.fi",
    "pekka [at] kylaseura [dot] fi",
    "040 123 4567",
    "+358 50 765 4321",
    "(014) 266 0000",
    "045-1234567",
    "131052-308T",
    "020304B987X",
    "131052-900X",
    "131052-308U",
    "010101Y123N",
    "FI21 1234 5600 0007 85",
    "FI2112345600000785",
    "Kauppakatu 12 A 3",
    "PL 35",
    "https://lomake.example.fi/v?email=x@example.fi&id=4711",
]
Q = load_questionnaire()
PARISH = Q.question("org_type").options[3]


def compact(text: str) -> str:
    return re.sub(r"[\s\-()\[\]]", "", text).casefold()


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("planted")
    data, site = root / "data", root / "site"
    run_cli("demo", "--data", str(data), check=True)
    book = load_workbook(next((data / "raw" / "demo").glob("*.xlsx")))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    org = header.index(Q.question("org_type").header) + 1
    place = header.index(Q.question("municipality").header) + 1
    open_priority = header.index(Q.question("open_priority").header) + 1
    other = Q.question("org_type").options[4].label
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, org).value == PARISH.label:
            sheet.cell(row, org).value = other
        if sheet.cell(row, place).value == "Luhanka":
            sheet.cell(row, place).value = "Jyväskylä"
    for row in (2, 3, 4):  # a group of 3
        sheet.cell(row, org).value = PARISH.label
    for row in (5, 6):  # a municipality with 2
        sheet.cell(row, place).value = "Luhanka"
    for i, secret in enumerate(PLANTED):
        sheet.cell(10 + i, open_priority).value = f"Ottakaa yhteyttä: {secret} – kiitos"
    path = root / "kysely.xlsx"
    book.save(path)
    # The planted export replaces the demo's round (a round is replaced only when asked).
    run_cli(
        "ingest", "survey", str(path), "--data", str(data), "--round", "2026-syksy", "--replace",
        check=True,
    )  # fmt: skip
    run_cli("build", "--data", str(data), "--out", str(site), check=True)
    return data, site


def outputs(data: Path, site: Path) -> dict[Path, str]:
    texts = {}
    for path in site.rglob("*"):
        if path.is_file() and "assets" not in path.parts:
            texts[path] = path.read_text(encoding="utf-8", errors="replace")
    for path in (data / "build").rglob("*.ipynb"):
        texts[path] = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
    for path in (data / "processed").iterdir():
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            texts[path] = "\n".join(str(v) for v in frame.to_numpy().ravel())
        else:
            texts[path] = path.read_text(encoding="utf-8")
    return texts


def test_no_planted_string_anywhere(planted):
    data, site = planted
    texts = {p: compact(t) for p, t in outputs(data, site).items()}
    assert any("[puhelin]" in t or "puhelin" in t for t in texts.values())  # redaction happened
    for secret in PLANTED:
        forms = {compact(secret), compact(secret.replace("(at)", "@").replace(" [at] ", "@"))}
        for path, text in texts.items():
            for form in forms:
                assert form not in text, f"{secret!r} leaked into {path}"


def test_quarantine_and_raw_are_outside_the_site(planted):
    _, site = planted
    assert not (site / "raw").exists()
    assert not list(site.rglob("*.ipynb"))


def test_group_of_three_shows_no_figure_and_cannot_be_recomputed(planted):
    data, site = planted
    notebook = nbformat.read(data / "build" / "executed" / "00_yleiskuva.ipynb", as_version=4)
    figures = [
        out["data"][PLOTLY_MIMETYPE]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if PLOTLY_MIMETYPE in out.get("data", {})
    ]
    groups = next(
        trace for fig in figures for trace in fig["data"] if PARISH.display in trace.get("y", [])
    )
    shown = dict(zip(groups["y"], groups["text"], strict=True))
    assert shown[PARISH.display] == "<5"
    assert "3" not in shown.values()
    survey = pd.read_parquet(data / "processed" / "survey.parquet")
    labels = {o.display: o.id for o in Q.question("org_type").options}
    counts = [int((survey["org_type"] == labels[label]).sum()) for label in groups["y"]]
    hidden = [shown[label] == "<5" for label in groups["y"]]
    assert_protected(counts, hidden)
    page = (site / "00_yleiskuva.html").read_text(encoding="utf-8")
    assert "\\u003c5" in page or "&lt;5" in page  # plotly escapes "<" in its JSON
