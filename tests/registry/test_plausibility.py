"""Implausible registry values stop the ingest with row and column; processed/ stays as it was."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from tilannekuva.cli import app
from tilannekuva.paths import DataLayout
from tilannekuva.registry.plausibility import close_name, date_problem, home_municipality
from tilannekuva.store import read_table
from typer.testing import CliRunner

from tests.sources.conftest import FIXTURES

HEADER = "Rekisterinumero;Yhdistyksen nimi;Kotipaikka;Rekisteröintipäivä;Toimialaluokka;Tila;Lopettamispäivä"
GOOD_ROWS = [
    "100001;Jyväskylän Kuoro ry;Jyväskylä;3.4.1990;Kulttuuri;Rekisterissä;",
    "100002;Laukaan Latu ry;Laukaa;1.1.1975;Urheilu ja liikunta;Rekisterissä;",
    "100003;Korpilahden Seura ry;Korpilahti;12.6.1950;Muu;Lakannut;1.2.2010",
    "100004;Kuhmoisten Seura ry;Kuhmoinen;3.4.1990;Kulttuuri;Rekisterissä;",
    "100005;Helsingin Seura ry;091 Helsinki;3.4.1990;Kulttuuri;Rekisterissä;",
]


def _extract(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _ingest(file: Path, data: Path):
    return CliRunner().invoke(app, ["ingest", "registry", str(file), "--data", str(data)])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data directory holding a valid extract's 3 associations (2 outside the region)."""
    folder = tmp_path / "data"
    result = _ingest(_extract(tmp_path / "good.csv", GOOD_ROWS), folder)
    assert result.exit_code == 0, result.output
    assert "3 associations kept of 5 rows" in result.output
    assert "outside the region (not kept): 2" in result.output
    return folder


def _rejected(tmp_path: Path, data: Path, rows: list[str]) -> str:
    """Ingest a bad extract over ``data``: exit 1, processed/ byte for byte as before."""
    before = _checksums(data / "processed")
    rows_before = len(read_table(DataLayout.at(data), "associations"))
    result = _ingest(_extract(tmp_path / "bad.csv", rows), data)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert _checksums(data / "processed") == before
    assert len(read_table(DataLayout.at(data), "associations")) == rows_before == 3
    return result.stderr


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        (
            "9;Tulevaisuus ry;Jyväskylä;1.1.2099;Kulttuuri;Rekisterissä;",
            "Rekisteröintipäivä",
            "a date not in the future",
        ),
        (
            "9;Muinainen ry;Jyväskylä;1.1.1812;Kulttuuri;Rekisterissä;",
            "Rekisteröintipäivä",
            "a date on or after 1850-01-01",
        ),
        (
            "9;Takaperoinen ry;Jyväskylä;1.5.2018;Kulttuuri;Lakannut;1.5.2017",
            "Lopettamispäivä",
            "an end date on or after the registration date (2018-05-01)",
        ),
        (
            "9;Ennustaja ry;Jyväskylä;1.5.2018;Kulttuuri;Lakannut;1.5.2099",
            "Lopettamispäivä",
            "a date not in the future",
        ),
        (
            "9;Kirjoitusvirhe ry;Jyvässkylä;1.5.2018;Kulttuuri;Rekisterissä;",
            "Kotipaikka",
            "did you mean 'Jyväskylä'?",
        ),
        (
            "9;Vanha nimi ry;Korpilahtti;1.5.2018;Kulttuuri;Rekisterissä;",
            "Kotipaikka",
            "did you mean 'Korpilahti'?",
        ),
        (
            "9;Koodi ry;999;1.5.2018;Kulttuuri;Rekisterissä;",
            "Kotipaikka",
            "code '999' is none of them",
        ),
        (
            "9;Pelkkä koodi ry;KU091;1.5.2018;Kulttuuri;Rekisterissä;",
            "Kotipaikka",
            "code '091' is none of them",
        ),
        (
            "9;Ristiriita ry;999 Jyväskylä;1.5.2018;Kulttuuri;Rekisterissä;",
            "Kotipaikka",
            "a code and a name of the same municipality",
        ),
    ],
)
def test_implausible_value_is_an_error_with_row_and_column(tmp_path, data, row, column, expected):
    # The bad row is the file's row 3 (header, one good row, then it).
    stderr = _rejected(tmp_path, data, [GOOD_ROWS[0], row])
    problems = [line for line in stderr.splitlines() if line.startswith("  ")]
    assert len(problems) == 1, stderr
    assert f"bad.csv, row 3, column '{column}'" in problems[0]
    assert expected in problems[0]


def test_every_implausible_row_is_listed(tmp_path, data):
    stderr = _rejected(
        tmp_path,
        data,
        [
            "1;A ry;Jyvässkylä;1.5.2018;Kulttuuri;Rekisterissä;",
            "2;B ry;999;1.5.2018;Kulttuuri;Rekisterissä;",
            "3;C ry;Jyväskylä;1.1.2099;Kulttuuri;Rekisterissä;",
        ],
    )
    assert "3 problem(s)" in stderr
    for number in (2, 3, 4):
        assert f"row {number}," in stderr


def test_named_places_outside_the_region_are_still_counted_not_kept(tmp_path, data):
    result = _ingest(
        _extract(
            tmp_path / "ok.csv",
            [*GOOD_ROWS, "100006;Tampereen Seura ry;Tampere;1.1.2000;Muu;Rekisterissä;"],
        ),
        data,
    )
    assert result.exit_code == 0, result.output
    assert "outside the region (not kept): 3" in result.output
    assert len(read_table(DataLayout.at(data), "associations")) == 3


def test_dates_today_and_in_1850_are_plausible():
    today = date(2026, 11, 23)
    assert date_problem(today, today) is None
    assert date_problem(today + timedelta(days=1), today) is None  # a fresh extract's clock
    assert date_problem(date(1850, 1, 1), today) is None
    assert date_problem(today + timedelta(days=30), today) is not None
    assert date_problem(date(1849, 12, 31), today) is not None


def test_close_names_and_far_names():
    assert close_name("Jyvässkylä") == "Jyväskylä"
    assert close_name("Jamsankoski") == "Jämsänkoski"
    assert close_name("Kuhmoinen") is None  # left the region in 2021: outside, not a typo
    assert close_name("Helsinki") is None
    assert home_municipality("jyväskylä").municipality.code == "179"
    assert home_municipality("Helsinki").outside == "Helsinki"
    assert home_municipality("179 Helsinki").problem is not None
    assert home_municipality("12345").problem is not None


# -- YTJ --------------------------------------------------------------------------------


def _ytj(tmp_path: Path, payload: dict) -> Path:
    path = tmp_path / "ytj.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def _page() -> dict:
    return json.loads((FIXTURES / "ytj_companies.json").read_text(encoding="utf-8"))


def _rejected_ytj(tmp_path: Path, data: Path, payload: dict) -> str:
    before = _checksums(data / "processed")
    result = _ingest(_ytj(tmp_path, payload), data)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert _checksums(data / "processed") == before
    assert len(read_table(DataLayout.at(data), "associations")) == 3
    return result.stderr


def test_one_page_of_a_paged_ytj_response_is_an_error_naming_both_counts(tmp_path, data):
    page = _page()
    page["totalResults"] = 500
    stderr = _rejected_ytj(tmp_path, data, page)
    assert "ytj.json, column 'totalResults'" in stderr
    assert "totalResults is 500 but the file holds 9 companies" in stderr


def test_ytj_total_that_matches_is_accepted(tmp_path, data):
    result = _ingest(_ytj(tmp_path, _page()), data)
    assert result.exit_code == 0, result.output
    assert len(read_table(DataLayout.at(data), "associations")) == 3 + 6


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (
            lambda c: c["registeredEntries"][0].update(registrationDate="2099-01-01"),
            "companies[0].registeredEntries[0].registrationDate",
            "a date not in the future",
        ),
        (
            lambda c: c.update(endDate="1970-01-01"),
            "companies[0].endDate",
            "an end date on or after the registration date (1978-05-24)",
        ),
        (
            lambda c: c["addresses"][1]["postOffices"][0].update(
                municipalityCode=None, city="JYVÄSSKYLÄ"
            ),
            "companies[0].addresses[1].postOffices",
            "did you mean 'Jyväskylä'?",
        ),
    ],
)
def test_implausible_ytj_values_name_the_entry_and_field(tmp_path, data, change, field, expected):
    page = _page()
    company = page["companies"][0]
    # The visiting address (type 1) decides; make both post offices say the same.
    visiting = next(a for a in company["addresses"] if a["type"] == 1)
    company["addresses"] = [company["addresses"][0], copy.deepcopy(visiting)]
    change(company)
    for office in company["addresses"][1]["postOffices"][1:]:
        office.update(company["addresses"][1]["postOffices"][0])
    stderr = _rejected_ytj(tmp_path, data, page)
    assert f"column '{field}'" in stderr
    assert expected in stderr


def test_ytj_unknown_code_without_a_city_is_an_error(tmp_path, data):
    page = _page()
    for address in page["companies"][6]["addresses"]:
        for office in address["postOffices"]:
            office.update(municipalityCode="999", city=None)
    stderr = _rejected_ytj(tmp_path, data, page)
    assert "companies[6].addresses[0].postOffices" in stderr
    assert "code '999' is none of them" in stderr
