"""A survey declaring an importance–state pair, built as a coordinator builds it: the page
shows the pair's chart and ranks with the hidden row hidden, the tracker shows the gap."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli
from tests.survey.pair_survey import IMPORTANCE, LABELS, ROWS, SPEC, STATE

PAGE = "25_muu_kysely--kumppanuus.html"


def _export(path: Path) -> None:
    importance, state = SPEC["questions"][0]["header"], SPEC["questions"][1]["header"]
    header = ["Vastaajan numero"]
    header += [f"{importance} - {LABELS[r]}" for r in ROWS]
    header += [f"{state} - {LABELS[r]}" for r in ROWS]
    lines = [";".join(header)]
    for i in range(10):
        cells = [str(500 + i)]
        cells += [str(IMPORTANCE[r][i]) for r in ROWS]
        cells += ["" if STATE[r][i] is None else str(STATE[r][i]) for r in ROWS]
        lines.append(";".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def pair_site(demo_data, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pair-site")
    data, site = root / "data", root / "site"
    shutil.copytree(demo_data, data, ignore=shutil.ignore_patterns("build", "snapshots"))
    path = data / "config" / "surveys" / "kumppanuus.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(SPEC, allow_unicode=True, sort_keys=False), encoding="utf-8")
    export = root / "kumppanuus.csv"
    _export(export)
    run_cli(
        "ingest", "survey", str(export), "--survey", "kumppanuus", "--data", str(data),
        check=True,
    )  # fmt: skip
    run_cli(
        "build", "--data", str(data), "--out", str(site), "--only", "25_muu_kysely",
        "--only", "40_painopisteet", check=True,
    )  # fmt: skip
    return site


def _text(path: Path) -> str:
    page = re.sub(r"<script.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_pair_on_the_built_page(pair_site):
    page = (pair_site / PAGE).read_text(encoding="utf-8")
    assert 'id="kuvio-tarkeys-ja-toteutuminen"' in page and 'id="taulukko-painopisteet"' in page
    text = _text(pair_site / PAGE)
    assert "Tärkeys ja toteutuminen" in text
    assert "Suurin ero tärkeyden ja toteutumisen välillä on asiassa Toimitilat (2,20)" in text
    # The row with four pairs: its line of the table carries the marker, not figures.
    row = re.search(r'<tr id="asia-neuvonta".*?</tr>', page, re.S).group(0)
    cells = re.sub(r"<[^>]+>", " ", row)
    assert "piilotettu" in cells and not re.search(r"\d", cells)
    csv = next(pair_site.glob(f"data/{PAGE[:-5]}--painopisteet.csv")).read_text("utf-8-sig")
    line = next(r for r in csv.splitlines() if "Neuvonta" in r)
    assert not re.search(r"\d", line)


def test_the_gap_is_evidence_in_the_tracker(pair_site):
    csv = next(pair_site.glob("data/40_painopisteet--naytto-muista-kyselyista.csv")).read_text(
        "utf-8-sig"
    )
    line = next(r for r in csv.splitlines() if "Tärkeyden ja toteutumisen ero: Avustukset" in r)
    fields = line.split(";")
    assert "Kunnan kumppanuuskysely" in line and fields[4] == "10"
    assert float(fields[5].replace(",", ".")) == pytest.approx(1.0)
