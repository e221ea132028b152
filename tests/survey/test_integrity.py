"""Survey ingestion never loses or double-counts data (issues #13, #14).

Rounds are replaced only on request, every input is archived under raw/ and
processed/ can be rebuilt from it, earlier rounds keep their columns after a
questionnaire edit, and total rows and duplicated respondents are excluded
and reported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from tilannekuva.archive import read_log
from tilannekuva.demo.survey import survey_xlsx
from tilannekuva.errors import InputError
from tilannekuva.paths import PROJECT_DATA, DataLayout
from tilannekuva.provenance import read_record, sha256_file
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.store import read_table
from tilannekuva.survey.ingest import ingest_survey

from tests.conftest import run_cli
from tests.survey import exports


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def xlsx_rows(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def xlsx_of(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- a round never shrinks silently ---


def test_a_smaller_file_for_an_existing_round_changes_nothing_without_replace(tmp_path):
    q = load_questionnaire()
    big = write(tmp_path / "in", "kevat.xlsx", survey_xlsx(q, seed=1, respondents=60))
    small = write(tmp_path / "in", "pieni.xlsx", survey_xlsx(q, seed=2, respondents=20))
    data = tmp_path / "data"
    run_cli("ingest", "survey", str(big), "--data", str(data), check=True)
    before = snapshot(data / "processed")
    assert (read_table(DataLayout.at(data), "survey")["round"] == "2026-syksy").sum() == 60

    result = run_cli("ingest", "survey", str(small), "--data", str(data))
    assert result.returncode == 1, result.stdout
    assert "round 2026-syksy already holds 60 respondents" in result.stderr
    assert "this file has 20" in result.stderr and "--replace" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(data / "processed") == before

    # With --replace the round is replaced, and the report names the file it replaced.
    result = run_cli("ingest", "survey", str(small), "--data", str(data), "--replace")
    assert result.returncode == 0, result.stderr
    assert "replaced round 2026-syksy: 60 respondents from kevat.xlsx → 20" in result.stdout
    table = read_table(DataLayout.at(data), "survey")
    assert (table["round"] == "2026-syksy").sum() == 20 and len(table) == 20
    # The replaced input stays recoverable under raw/, byte for byte.
    archived = {p.name: sha256_file(p) for p in (data / "raw" / "survey").rglob("*.xlsx")}
    assert archived == {"kevat.xlsx": sha256_file(big), "pieni.xlsx": sha256_file(small)}


def test_every_ingested_file_is_archived_with_its_record_first(tmp_path):
    layout = DataLayout.at(tmp_path / "data")
    good = write(tmp_path / "in", "forms.xlsx", exports.forms_xlsx())
    bad = write(tmp_path / "in", "bad.csv", exports.google_csv().replace(b"Laukaa", b"Tampere"))
    report = ingest_survey(good, layout)
    with pytest.raises(InputError):
        ingest_survey(bad, layout, "2025-kevät")
    copies = sorted((layout.raw / "survey").rglob("*.*"))
    names = sorted(p.name for p in copies)
    assert names == sorted(
        ["forms.xlsx", "forms.xlsx.provenance.json", "bad.csv", "bad.csv.provenance.json"]
    )
    record = read_record(next(p for p in copies if p.name == "forms.xlsx"))
    assert record.sha256 == sha256_file(good) and record.source == "survey"
    assert record.extra["original"] == str(good.resolve())
    assert report.archived.startswith("survey/") and report.archived.endswith("/forms.xlsx")
    # Only the ingest that succeeded is logged for a rebuild, with its options.
    log = read_log(layout)
    assert [(e.kind, e.options["round"], e.rows) for e in log] == [("survey", "2026-syksy", 4)]
    assert log[0].options["questionnaire"].startswith("config/questionnaire-")


def test_rebuild_processed_from_raw_gives_the_same_tables(tmp_path):
    data = tmp_path / "data"
    layout = DataLayout.at(data)
    inputs = tmp_path / "in"
    ingest_survey(write(inputs, "w.csv", exports.webropol_csv()), layout, "2025-kevät")
    ingest_survey(write(inputs, "g.csv", exports.google_csv()), layout)  # round from its dates
    ingest_survey(
        write(inputs, "f.xlsx", exports.forms_xlsx()), layout, "2025-kevät", replace_round=True
    )
    from tilannekuva.demo.registry import registry_csv
    from tilannekuva.registry.ingest import ingest_registry

    ingest_registry(write(inputs, "ote.csv", registry_csv(scale=0.05)), layout)
    before = snapshot(data / "processed")
    counts = read_table(layout, "survey")["round"].value_counts().to_dict()
    assert counts == {"2025-kevät": 4, "2026-syksy": 4}
    associations = len(read_table(layout, "associations"))

    shutil.rmtree(data / "processed")
    shutil.rmtree(inputs)  # the user's own copies are gone too: raw/ is enough
    result = run_cli("rebuild-processed", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert snapshot(data / "processed") == before
    assert read_table(layout, "survey")["round"].value_counts().to_dict() == counts
    assert len(read_table(layout, "associations")) == associations

    # A changed archive file stops the rebuild and leaves processed/ as it was.
    victim = next((data / "raw" / "survey").rglob("g.csv"))
    victim.write_bytes(victim.read_bytes() + b"\r\n")
    result = run_cli("rebuild-processed", "--data", str(data))
    assert result.returncode == 1 and "archived file has changed" in result.stderr
    assert snapshot(data / "processed") == before


def test_the_demo_goes_through_the_archive_and_rebuilds(tmp_path):
    data = tmp_path / "data"
    run_cli("demo", "--data", str(data), check=True)
    log = read_log(DataLayout.at(data))
    kinds = [e.kind for e in log]
    assert sorted(set(kinds)) == ["decisions", "documents", "registry", "survey"]
    assert kinds.count("survey") == 2 and kinds.count("documents") == 3
    extra = [e for e in log if e.kind == "survey" and e.options.get("survey")]
    assert [e.options["survey"] for e in extra] == ["jarjestopaiva"]  # the demo's extra survey
    before = snapshot(data / "processed")
    run_cli("demo", "--data", str(data), check=True)  # again: replaces only its own round
    assert read_table(DataLayout.at(data), "survey").shape[0] == 300
    shutil.rmtree(data / "processed")
    run_cli("rebuild-processed", "--data", str(data), check=True)
    after = snapshot(data / "processed")
    assert after["survey.parquet"] == before["survey.parquet"]
    assert after["associations.parquet"] == before["associations.parquet"]
    assert after["surveys/jarjestopaiva.parquet"] == before["surveys/jarjestopaiva.parquet"]
    # The demo's documents and decisions come back from the archive alone too (the
    # documents' ingest time is the rebuild's).
    for table in ("documents", "document_passages", "decisions"):
        assert before[f"{table}.parquet"], table
        rebuilt = read_table(DataLayout.at(data), table)
        assert len(rebuilt) > 0, table
    documents = read_table(DataLayout.at(data), "documents")
    assert sorted(documents["file"]) == sorted(
        p.name
        for p in (data / "raw" / "demo" / "asiakirjat").iterdir()
        if "provenance" not in p.name
    )


# --- a questionnaire edit does not delete history ---


def test_removing_a_question_keeps_the_earlier_rounds_answers(tmp_path):
    data = tmp_path / "data"
    layout = DataLayout.at(data)
    config = data / "config" / "questionnaire.yaml"
    config.parent.mkdir(parents=True)
    original = (PROJECT_DATA / "config" / "questionnaire.yaml").read_text(encoding="utf-8")
    config.write_text(original, encoding="utf-8")
    ingest_survey(write(tmp_path, "f.xlsx", exports.forms_xlsx()), layout, "2025-kevät")
    first = read_table(layout, "survey")
    assert first["open_other"].notna().sum() == 1

    block = "  - id: open_other\n    type: text\n    header: Muuta palautetta tai terveisiä\n"
    assert block in original
    config.write_text(original.replace(block + "    short: Muu palaute\n", ""), encoding="utf-8")
    report = ingest_survey(write(tmp_path, "g.csv", exports.google_csv()), layout, "2026-syksy")
    assert "Muuta palautetta tai terveisiä" in report.unmatched
    table = read_table(layout, "survey")
    assert len(table) == 8
    earlier = table[table["round"] == "2025-kevät"].reset_index(drop=True)
    # The earlier round is unchanged, the gone question just has no answers in the new one.
    pd.testing.assert_frame_equal(earlier[first.columns], first)
    assert table.loc[table["round"] == "2026-syksy", "open_other"].isna().all()

    # A rebuild uses each round's own questionnaire, so it keeps the column too.
    before = snapshot(data / "processed")
    shutil.rmtree(data / "processed")
    run_cli("rebuild-processed", "--data", str(data), check=True)
    assert snapshot(data / "processed") == before


# --- totals and duplicates ---


def test_pasted_twice_counts_once_and_is_reported(tmp_path):
    rows = xlsx_rows(exports.forms_xlsx())
    layout = DataLayout.at(tmp_path / "data")
    path = write(tmp_path, "twice.xlsx", xlsx_of(rows + rows[1:]))
    report = ingest_survey(path, layout, "2026-syksy")
    assert report.rows_read == 8 and report.rows_kept == 4
    assert report.duplicates == [(6, 2), (7, 3), (8, 4), (9, 5)]
    assert "duplicate rows dropped, first kept: 4" in report.to_text()
    assert "row 6 repeats row 2" in report.to_text()
    assert len(read_table(layout, "survey")) == 4

    other = DataLayout.at(tmp_path / "other")
    kept = ingest_survey(path, other, "2026-syksy", keep_duplicates=True)
    assert kept.rows_kept == 8 and len(kept.duplicates) == 4
    assert "kept (--keep-duplicates): 4" in kept.to_text()


def test_duplicate_lines_of_a_csv_without_ids_are_dropped(tmp_path):
    lines = exports.google_csv().split(b"\r\n")
    data = b"\r\n".join([*lines[:3], lines[1], *lines[3:]])
    report = ingest_survey(write(tmp_path, "g.csv", data), DataLayout.at(tmp_path / "d"))
    assert report.rows_kept == 4 and report.duplicates == [(4, 2)]


def test_same_respondent_number_with_other_answers_is_an_error(tmp_path):
    rows = xlsx_rows(exports.forms_xlsx())
    changed = list(rows[2])
    changed[0] = rows[1][0]  # respondent 2 exported with respondent 1's number
    path = write(tmp_path, "clash.xlsx", xlsx_of([*rows, changed]))
    with pytest.raises(InputError) as err:
        ingest_survey(path, DataLayout.at(tmp_path / "d"))
    (problem,) = err.value.problems
    assert problem.row == 6 and problem.column == "ID" and problem.value == "1"
    assert "row 2 has the same respondent number with different answers" in problem.expected


def test_total_rows_are_excluded_and_reported(tmp_path):
    text = exports.webropol_csv().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header_at = 3  # two title rows and an empty one above the header
    body = rows[header_at + 1 :]
    numeric = [
        j
        for j in range(len(rows[header_at]))
        if j > 1 and all(r[j].strip().isdigit() for r in body)
    ]
    sums = ["" for _ in rows[header_at]]
    for j in numeric:
        sums[j] = str(sum(int(r[j]) for r in body))
    labelled = ["Yhteensä", *[""] * (len(rows[header_at]) - 1)]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([*rows, sums, labelled])
    layout = DataLayout.at(tmp_path / "d")
    report = ingest_survey(write(tmp_path, "t.csv", out.getvalue().encode("cp1252")), layout)
    assert report.rows_kept == 4
    assert [row for row, _ in report.totals] == [9, 10]
    assert "column above" in report.totals[0][1] and "'Yhteensä'" in report.totals[1][1]
    assert "row 10: a total row ('Yhteensä' in its first cell)" in report.to_text()
    assert len(read_table(layout, "survey")) == 4


def test_rebuild_refuses_to_drop_data_the_log_does_not_know(tmp_path):
    data = tmp_path / "data"
    layout = DataLayout.at(data)
    ingest_survey(write(tmp_path, "w.csv", exports.webropol_csv()), layout, "2025-kevät")
    ingest_survey(write(tmp_path, "g.csv", exports.google_csv()), layout, "2026-syksy")
    # As in a data directory ingested before inputs were archived: the log lacks round one.
    log = data / "raw" / "ingest-log.jsonl"
    log.write_text(log.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    before = snapshot(data / "processed")
    result = run_cli("rebuild-processed", "--data", str(data))
    assert result.returncode == 1
    assert "w.csv (round 2025-kevät), which a rebuild would drop" in result.stderr
    assert snapshot(data / "processed") == before


def test_same_submission_time_with_other_answers_is_reported_and_kept(tmp_path):
    lines = exports.google_csv().split(b"\r\n")
    stamp = lines[1].split(b",")[0]
    third = lines[3].split(b",", 1)
    lines[3] = stamp + b"," + third[1]  # respondent 3 submitted in the same second as 1
    report = ingest_survey(
        write(tmp_path, "g.csv", b"\r\n".join(lines)), DataLayout.at(tmp_path / "d")
    )
    assert report.rows_kept == 4 and report.duplicates == []
    assert report.same_time == [(4, 2)]
    assert "same submission time as an earlier row, other answers (kept): 1" in report.to_text()


def test_rebuild_keeps_tables_no_ingest_makes(tmp_path):
    from tilannekuva.rebuild import rebuild_processed

    layout = DataLayout.at(tmp_path / "data")
    ingest_survey(write(tmp_path, "g.csv", exports.google_csv()), layout)
    fetched = layout.processed / "population.parquet"  # written by `fetch population`, not logged
    fetched.write_bytes(b"population table")
    before = snapshot(layout.processed)
    (layout.processed / "survey.parquet").unlink()
    assert rebuild_processed(layout) == ["#1 survey " + read_log(layout)[0].file
                                         + " → round 2026-syksy: 4 respondents"]  # fmt: skip
    assert snapshot(layout.processed) == before
    assert not list(layout.root.glob(".processed-*"))  # no staging folder left behind


def test_respondent_pseudonyms_never_read_as_personal_data():
    """Hex pseudonyms such as rc241296e3514 read as an identity code to the privacy scan:
    a national build of 20 000 rows stopped on two. Letters only cannot."""
    import re

    from tilannekuva.privacy.redact import find_personal_data
    from tilannekuva.survey.ingest import _respondent_id

    ids = [_respondent_id("a" * 64, "2026-syksy", row) for row in range(2, 40_002)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"r[a-z]{13}", i) for i in ids)
    assert find_personal_data("\n\n".join(ids)) == []
    assert find_personal_data("rc241296e3514")  # the scan's reading of the old form
