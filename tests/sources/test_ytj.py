"""YTJ v3: the response parser (hand-checked values), paging, the fetch and the ingest CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tilannekuva.cli import app
from tilannekuva.errors import InputError, SourceUnavailable
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import read_record
from tilannekuva.registry.ingest import ingest_registry
from tilannekuva.registry.schema import ASSOCIATIONS
from tilannekuva.registry.ytj import pick_main_name, read_ytj_response, tol_field
from tilannekuva.sources.http import BadResponse
from tilannekuva.sources.ytj import (
    fetch_registry,
    iter_pages,
    region_locations,
    region_post_offices,
)
from tilannekuva.store import read_table, table_sources
from typer.testing import CliRunner
from werkzeug import Request, Response

from tests.sources.conftest import FIXTURES, fixture_json

PAGE = FIXTURES / "ytj_companies.json"

# Hand-checked from the fixture (see its README): business ID → expected row.
EXPECTED = {
    "0201256-6": (
        "Jyväskylän Seudun Kamarikuoro ry",  # current type-1 name, not the ended one nor "JSK Kuoro"
        "179",
        "Jyväskylä",
        "131",
        "culture",  # TOL 90010
        "1978-05-24",  # the register-of-associations entry, not businessId 1997
        None,
    ),
    "0917243-1": ("Laukaan Urheilijat ry", "410", "Laukaa", "131", "sports", "1948-11-02", None),
    "1063458-4": (
        "Korpilahden Eläkeläiset ry",
        "179",  # post office KORPILAHTI without a code: merged into Jyväskylä
        "Jyväskylä",
        "131",
        "social_health",  # TOL 88109
        "1970-01-01",
        None,
    ),
    "0208463-1": (
        "Äänekosken Työväenyhdistys ry",
        "992",
        "Äänekoski",
        "135",
        "political",
        "1906-10-01",
        "2021-06-30",
    ),
    "0842571-6": ("Jämsän Metsästysseura ry", "182", "Jämsä", "134", "leisure", "1952-08-30", None),
    "0199841-5": (
        "Jyväskylän Yrittäjät ry",
        "179",
        "Jyväskylä",
        "131",
        "professional",
        "1946-03-12",
        None,
    ),
}


def _date(text: str | None):
    return pd.NaT if text is None else pd.Timestamp(text)


def test_parsed_values_equal_hand_checked_ones():
    frame, report, record = read_ytj_response(PAGE, None)
    frame = ASSOCIATIONS.validate(frame)
    assert record.source == "ytj" and record.licence.startswith("CC BY 4.0")
    assert list(frame["business_id"]) == list(EXPECTED)  # file order, region only
    for row in frame.itertuples():
        name, code, municipality, subregion, field, registered, ended = EXPECTED[row.business_id]
        assert row.source == "ytj"
        assert pd.isna(row.register_id)
        assert row.name == name
        assert (row.municipality_code, row.municipality, row.subregion) == (
            code,
            municipality,
            subregion,
        )
        assert row.field == field
        assert row.registered == _date(registered)
        assert (pd.isna(row.ended) and ended is None) or row.ended == _date(ended)
    assert report.rows_read == 9
    assert (report.kept, report.active, report.ended) == (6, 5, 1)
    assert dict(report.outside_region) == {"Helsinki (091)": 1, "(no address)": 1}
    assert dict(report.not_association) == {"Osakeyhtiö": 1}
    text = report.to_text()
    assert "6 associations kept of 9 rows (5 active, 1 deregistered)" in text
    assert "not an association (not kept): 1 (Osakeyhtiö 1)" in text
    assert "business ID only" in text


def test_visiting_address_decides_before_postal():
    # Laukaan Urheilijat: postal address in Helsinki, visiting address in Laukaa.
    frame, _, _ = read_ytj_response(PAGE, None)
    assert frame.set_index("business_id").loc["0917243-1", "municipality"] == "Laukaa"


def test_main_name_choice():
    names = [
        {
            "name": "Vanha ry",
            "type": "1",
            "registrationDate": "1990-01-01",
            "endDate": "2000-01-01",
        },
        {"name": "Rinnakkais rf", "type": "2", "registrationDate": "2001-01-01"},
        {"name": "Uusi ry", "type": "1", "registrationDate": "2000-01-01", "version": 1},
    ]
    assert pick_main_name(names)["name"] == "Uusi ry"
    ended = [{"name": "Lopetettu ry", "type": "1", "endDate": "2020-01-01"}]
    assert pick_main_name(ended)["name"] == "Lopetettu ry"
    assert pick_main_name([]) is None


@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("94920", "political"),
        ("94200", "professional"),
        ("94120", "professional"),
        ("94991", "other"),
        ("94999", "other"),
        ("93120", "sports"),
        ("93299", "leisure"),
        ("85510", "sports"),
        ("90010", "culture"),
        ("91020", "culture"),
        ("87900", "social_health"),
        ("01700", "leisure"),
        ("00000", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_tol_field(code, field):
    assert tol_field(code) == field


def _write(tmp_path: Path, payload: object, name: str = "bad.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def test_malformed_entries_name_file_entry_field_and_expectation(tmp_path):
    page = fixture_json("ytj_companies.json")
    page["companies"][1]["businessId"]["value"] = "09172431"
    page["companies"][2]["names"] = []
    page["companies"][3]["endDate"] = "30.6.2021"
    page["companies"][5]["addresses"] = {"type": 1}
    entries = page["companies"][6]["registeredEntries"]
    entries.insert(0, {"type": "1", "register": "4", "registrationDate": "1990-10-10"})
    entries[1]["registrationDate"] = "1946"
    path = _write(tmp_path, page)
    with pytest.raises(InputError) as caught:
        read_ytj_response(path, None)
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {
        "companies[1].businessId.value",
        "companies[2].names",
        "companies[3].endDate",
        "companies[5].addresses",
        "companies[6].registeredEntries[1].registrationDate",
    }
    assert all(p.file == str(path) for p in problems.values())
    assert "a business ID such as 1234567-8" in str(problems["companies[1].businessId.value"])
    assert "'09172431'" in str(problems["companies[1].businessId.value"])
    assert "a date YYYY-MM-DD" in str(problems["companies[3].endDate"])
    assert "a list of objects" in str(problems["companies[5].addresses"])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "malformed at line 1 column 2"),
        ("[1, 2]", "(found list)"),
        ('{"totalResults": 0}', "(found no 'companies' list)"),
    ],
)
def test_malformed_file_is_one_problem(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_ytj_response(path, None)
    assert len(caught.value.problems) == 1
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_ingest_keeps_other_sources_rows(tmp_path):
    layout = DataLayout.at(tmp_path / "data")
    report = ingest_registry(PAGE, layout)
    assert report.kept == 6
    table = read_table(layout, "associations")
    assert set(table["source"]) == {"ytj"}
    assert [s.source for s in table_sources(layout, "associations")] == ["ytj"]


# -- the network side ---------------------------------------------------------------------


def _pages(companies: list[dict], size: int) -> list[dict]:
    return [
        {"totalResults": len(companies), "companies": companies[i : i + size]}
        for i in range(0, len(companies), size)
    ]


def test_paging_two_pages_then_empty(httpserver, make_client):
    companies = fixture_json("ytj_companies.json")["companies"]
    first, second = _pages(companies, 5)
    for number, body in ((1, first), (2, second), (3, {"totalResults": 9, "companies": []})):
        httpserver.expect_ordered_request(
            "/companies",
            query_string={"companyForm": "AYH", "location": "JYVÄSKYLÄ", "page": str(number)},
        ).respond_with_json(body)
    pages = list(
        iter_pages(
            make_client("ytj"),
            httpserver.url_for("/companies"),
            {"companyForm": "AYH", "location": "JYVÄSKYLÄ"},
        )
    )
    assert [p.number for p in pages] == [1, 2]
    assert sum(len(p.companies) for p in pages) == 9
    assert len(httpserver.log) == 3
    httpserver.check_assertions()


def test_paging_stops_when_an_out_of_range_page_repeats_page_1(httpserver, make_client):
    companies = fixture_json("ytj_companies.json")["companies"]
    first, second = _pages(companies, 5)

    def handler(request: Request) -> Response:
        page = int(request.args["page"])
        body = {1: first, 2: second}.get(page, first)  # YTJ answers page 1 when out of range
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/companies").respond_with_handler(handler)
    pages = list(iter_pages(make_client(), httpserver.url_for("/companies"), {}))
    assert [p.number for p in pages] == [1, 2]
    assert len(httpserver.log) == 3


def test_paging_has_a_page_limit(httpserver, make_client):
    def handler(request: Request) -> Response:  # a server that never stops paging
        page = int(request.args["page"])
        company = {"businessId": {"value": f"{page:07d}-0"}}
        return Response(json.dumps({"totalResults": 10**6, "companies": [company]}))

    httpserver.expect_request("/companies").respond_with_handler(handler)
    pages = list(iter_pages(make_client(), httpserver.url_for("/companies"), {}, max_pages=4))
    assert [p.number for p in pages] == [1, 2, 3, 4]


def test_a_page_of_the_wrong_shape_is_a_clear_error(httpserver, make_client):
    httpserver.expect_request("/companies").respond_with_json({"results": []})
    with pytest.raises(BadResponse) as caught:
        list(iter_pages(make_client("ytj"), httpserver.url_for("/companies"), {}))
    assert "expected a YTJ v3 companies page" in str(caught.value)
    assert "without a 'companies' list" in str(caught.value)


def test_region_post_offices_reads_post_codes_tolerantly():
    payload = [
        {"postCode": "40270", "city": "PALOKKA", "languageCode": "1", "municipalityCode": "179"},
        {"postCode": "40270", "city": "PALOKKA", "languageCode": "2", "municipalityCode": "179"},
        {"postCode": "00100", "city": "HELSINKI", "languageCode": "1", "municipalityCode": "091"},
        {
            "postCode": "41340",
            "postOffices": [{"city": "Laukaa", "languageCode": "1", "municipalityCode": "410"}],
        },
    ]
    assert region_post_offices(payload) == ["LAUKAA", "PALOKKA"]
    assert region_post_offices({"postCodes": payload}) == ["LAUKAA", "PALOKKA"]
    assert region_post_offices("nonsense") == []
    assert "KORPILAHTI" in region_locations() and "JYVÄSKYLÄ" in region_locations()
    assert "KUHMOINEN" not in region_locations()


def _ytj_server(httpserver) -> None:
    companies = fixture_json("ytj_companies.json")["companies"]
    by_place = {"JYVÄSKYLÄ": companies[:5], "PALOKKA": companies[4:]}

    def companies_handler(request: Request) -> Response:
        assert request.args["companyForm"] == "AYH"
        found = by_place.get(request.args["location"], [])
        pages = _pages(found, 3) or [{"totalResults": 0, "companies": []}]
        page = int(request.args["page"])
        body = (
            pages[page - 1] if page <= len(pages) else {"totalResults": len(found), "companies": []}
        )
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")

    httpserver.expect_request("/v3/post_codes", query_string="lang=fi").respond_with_json(
        [{"postCode": "40270", "city": "PALOKKA", "languageCode": "1", "municipalityCode": "179"}]
    )
    httpserver.expect_request("/v3/companies").respond_with_handler(companies_handler)


def test_fetch_registry_saves_pages_union_and_provenance(httpserver, make_client, tmp_path):
    _ytj_server(httpserver)
    layout = DataLayout.at(tmp_path / "data")
    path = fetch_registry(
        layout,
        base=httpserver.url_for("/v3"),
        client=make_client("ytj"),
        today=pd.Timestamp("2026-11-20").date(),
    )
    assert path == layout.raw / "ytj" / "2026-11-20" / "associations.json"
    merged = json.loads(path.read_text(encoding="utf-8"))
    assert merged["totalResults"] == 9 == len(merged["companies"])  # company 4 was in both places
    record = read_record(path)
    assert record.source == "ytj" and record.rows == 9 and record.http_status == 200
    assert record.url.endswith("/v3/companies")
    assert "PALOKKA" in record.query["location"] and "JYVÄSKYLÄ" in record.query["location"]
    pages = sorted(p.name for p in (path.parent / "pages").glob("*-p???.json"))
    assert pages == [
        "jyvaskyla-p001.json",
        "jyvaskyla-p002.json",
        "palokka-p001.json",
        "palokka-p002.json",
    ]
    page_record = read_record(path.parent / "pages" / "jyvaskyla-p002.json")
    assert page_record.query["page"] == 2 and page_record.rows == 2
    assert all(read_record(path.parent / "pages" / name) for name in pages)
    frame, _, stored = read_ytj_response(path, None)
    assert stored == record  # the saved record is the one ingest uses
    assert sorted(frame["business_id"]) == sorted(EXPECTED)


def test_a_saved_page_is_partial_but_the_saved_union_is_whole(httpserver, make_client, tmp_path):
    _ytj_server(httpserver)
    merged = fetch_registry(
        DataLayout.at(tmp_path / "data"),
        base=httpserver.url_for("/v3"),
        client=make_client("ytj"),
        today=pd.Timestamp("2026-11-20").date(),
    )
    # One page of JYVÄSKYLÄ's two (5 companies, 3 a page) is refused, naming both counts …
    with pytest.raises(InputError) as caught:
        read_ytj_response(merged.parent / "pages" / "jyvaskyla-p001.json", None)
    assert "totalResults is 5 but the file holds 3 companies" in str(caught.value)
    # … while the union fetch saves says how many it holds and is read whole.
    _, report, _ = read_ytj_response(merged, None)
    assert report.total_results == report.rows_read == 9


def test_a_partial_download_is_an_error_and_never_ingested(httpserver, tmp_path, monkeypatch):
    companies = fixture_json("ytj_companies.json")["companies"]

    def short_handler(request: Request) -> Response:  # reports 7, serves 5, then nothing
        found = companies[:5] if request.args["location"] == "JYVÄSKYLÄ" else []
        page = int(request.args["page"])
        body = {"totalResults": 7 if found else 0, "companies": found if page == 1 else []}
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")

    httpserver.expect_request("/v3/post_codes", query_string="lang=fi").respond_with_json([])
    httpserver.expect_request("/v3/companies").respond_with_handler(short_handler)
    monkeypatch.setenv("TILANNEKUVA_YTJ_URL", httpserver.url_for("/v3"))
    monkeypatch.setenv("TILANNEKUVA_HTTP_BACKOFF", "0")
    data = tmp_path / "data"
    result = CliRunner().invoke(app, ["fetch", "registry", "--data", str(data)])
    assert result.exit_code == 1
    assert "error: ytj: partial download (JYVÄSKYLÄ 5 of 7 companies received)" in result.stderr
    assert not (data / "processed").exists()
    saved = next((data / "raw" / "ytj").glob("*/associations.json"))
    with pytest.raises(InputError, match="totalResults is 7 but the file holds 5 companies"):
        read_ytj_response(saved, None)


def test_fetch_ingests_through_the_cli(httpserver, tmp_path, monkeypatch):
    _ytj_server(httpserver)
    monkeypatch.setenv("TILANNEKUVA_YTJ_URL", httpserver.url_for("/v3"))
    monkeypatch.setenv("TILANNEKUVA_HTTP_BACKOFF", "0")
    data = tmp_path / "data"
    runner = CliRunner()
    fetched = runner.invoke(app, ["fetch", "registry", "--data", str(data)])
    assert fetched.exit_code == 0, fetched.output
    saved = next((data / "raw" / "ytj").glob("*/associations.json"))
    assert f"registry: saved {saved}" in fetched.output
    # fetch ingests what it saved, so the next build uses the fresh register …
    assert "6 associations kept of 9 rows" in fetched.output
    assert len(read_table(DataLayout.at(data), "associations")) == 6
    # … and ingesting the saved response again gives the same table.
    ingested = runner.invoke(app, ["ingest", "registry", str(saved), "--data", str(data)])
    assert ingested.exit_code == 0, ingested.output
    assert "6 associations kept of 9 rows" in ingested.output
    table = read_table(DataLayout.at(data), "associations")
    assert sorted(table["business_id"]) == sorted(EXPECTED)
    assert (data / "processed" / "associations.ingest-report.txt").exists()


def test_cli_ingest_of_a_saved_response(tmp_path):
    saved = tmp_path / "saved.json"
    saved.write_bytes(PAGE.read_bytes())
    result = CliRunner().invoke(
        app, ["ingest", "registry", str(saved), "--data", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output
    assert "source ytj" in result.output
    table = read_table(DataLayout.at(tmp_path / "d"), "associations")
    assert len(table) == 6 and table["field"].notna().all()


def test_cli_ingest_of_a_malformed_response_lists_problems(tmp_path):
    page = fixture_json("ytj_companies.json")
    page["companies"][0]["registrationDate"] = "eilen"
    page["companies"][0]["registeredEntries"] = []
    saved = _write(tmp_path, page, "saved.json")
    result = CliRunner().invoke(
        app, ["ingest", "registry", str(saved), "--data", str(tmp_path / "d")]
    )
    assert result.exit_code == 1
    assert "companies[0].registrationDate" in result.stderr
    assert "a date YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "d" / "processed").exists()


def test_cli_fetch_offline_is_one_clear_line(tmp_path, monkeypatch, refused_url):
    monkeypatch.setenv("TILANNEKUVA_YTJ_URL", refused_url)
    monkeypatch.setenv("TILANNEKUVA_HTTP_BACKOFF", "0")
    result = CliRunner().invoke(app, ["fetch", "registry", "--data", str(tmp_path / "d")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ytj: cannot connect to http://127.0.0.1")
    assert "Traceback" not in result.output
    with pytest.raises(SourceUnavailable):
        fetch_registry(DataLayout.at(tmp_path / "d"))
