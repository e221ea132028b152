"""`tilannekuva ingest registry FILE`: a register extract (CSV/XLSX) → ``processed/associations.parquet``.

Ingesting a source replaces that source's rows only. Rows whose home
municipality is named and outside the region are counted and reported, not
kept; implausible dates, a bare unknown municipality code and a name close to
one of the region's are errors (:mod:`tilannekuva.registry.plausibility`).
Every problem is collected (file row, column, value, what was expected);
nothing under ``processed/`` changes unless the whole file is valid.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.errors

from tilannekuva.errors import InputError, Problem
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import SourceRecord, record_for
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.registry.extract import (
    ENDED_STATUSES,
    REQUIRED,
    field_lookup,
    map_headers,
    parse_date,
)
from tilannekuva.registry.plausibility import date_problem, end_problem, home_municipality
from tilannekuva.registry.schema import ASSOCIATIONS
from tilannekuva.spreadsheet import read_export
from tilannekuva.store import atomic_write_bytes, has_table, read_table, table_sources, write_table
from tilannekuva.survey.headers import norm

TABLE = "associations"
REPORT_FILE = "associations.ingest-report.txt"


@dataclass
class IngestReport:
    file: str
    source: str
    rows_read: int = 0
    kept: int = 0
    active: int = 0
    ended: int = 0
    outside_region: Counter = field(default_factory=Counter)
    columns: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        outside = sum(self.outside_region.values())
        lines = [
            f"Registry ingest: {self.file} (source {self.source}): {self.kept} associations kept "
            f"of {self.rows_read} rows ({self.active} active, {self.ended} deregistered)",
            "  columns: " + ", ".join(f"{h!r} → {c}" for c, h in self.columns.items()),
            f"  unmatched headers (ignored): {', '.join(map(repr, self.unmatched)) or 'none'}",
            f"  outside the region (not kept): {outside}"
            + (
                " (" + ", ".join(f"{k} {v}" for k, v in self.outside_region.most_common()) + ")"
                if outside
                else ""
            ),
        ]
        return "\n".join(lines) + "\n"


def ingest_registry(
    path: Path,
    layout: DataLayout,
    *,
    record: SourceRecord | None = None,
    sheet: str | int | None = None,
    _archived: bool = False,
) -> IngestReport:
    path = Path(path)
    if not _archived:  # first copied under raw/ with its record, then ingested from there
        from tilannekuva.archive import ingest_archived

        source = "ytj" if path.suffix.lower() == ".json" else "registry-extract"
        return ingest_archived(
            path, layout, "registry", source, {"sheet": sheet}, record,
            lambda raw, kept: ingest_registry(raw, layout, record=kept, sheet=sheet, _archived=True),
        )  # fmt: skip
    if path.suffix.lower() == ".json":
        from tilannekuva.registry.ytj import read_ytj_response

        frame, report, record = read_ytj_response(path, record)
    else:
        record = record or record_for(path, "registry-extract")
        # The data directory's own questionnaire (else the project's) names the field classes.
        fields = field_lookup(load_questionnaire(layout=layout))
        frame, report = _read_extract(path, record, fields, sheet)
    try:
        frame = ASSOCIATIONS.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise InputError(
            [
                Problem(
                    str(path),
                    str(case["check"]),
                    column=str(case["column"]),
                    value=case["failure_case"],
                )
                for _, case in exc.failure_cases.head(50).iterrows()
            ]
        ) from exc
    sources = [record]
    if has_table(layout, TABLE):
        earlier = read_table(layout, TABLE)
        earlier = earlier[earlier["source"] != record.source]
        frame = ASSOCIATIONS.validate(pd.concat([earlier, frame], ignore_index=True))
        sources = [s for s in table_sources(layout, TABLE) if s.source != record.source] + sources
    write_table(layout, TABLE, frame, sources)
    atomic_write_bytes(layout.processed / REPORT_FILE, report.to_text().encode("utf-8"))
    return report


def _read_extract(
    path: Path, record: SourceRecord, fields: dict[str, str], sheet: str | int | None = None
) -> tuple[pd.DataFrame, IngestReport]:
    raw = read_export(path, sheet)
    columns, unmatched = map_headers(raw.header)
    report = IngestReport(
        str(path),
        record.source,
        rows_read=len(raw.rows),
        unmatched=unmatched,
        columns={c: raw.header[i] for c, i in columns.items()},
    )
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(
            [
                Problem(
                    raw.file,
                    f"a column for '{c}' (e.g. {', '.join(repr(h) for h in _examples(c))})",
                    row=raw.header_row,
                )
                for c in missing
            ]
        )
    problems: list[Problem] = []
    rows = []
    for cells, number in zip(raw.rows, raw.row_numbers, strict=True):

        def cell(name: str, cells=cells) -> str | None:
            index = columns.get(name)
            value = cells[index] if index is not None and index < len(cells) else None
            return value.strip() if isinstance(value, str) and value.strip() else None

        def bad(name: str, expected: str, number=number) -> None:
            problems.append(
                Problem(
                    raw.file,
                    expected,
                    row=number,
                    column=raw.header[columns[name]],
                    value=cell(name),
                )
            )

        home = cell("municipality")
        if home is None:
            bad("municipality", "the home municipality (a name or a code)")
            continue
        where = home_municipality(home)
        if where.problem is not None:
            bad("municipality", where.problem)
            continue
        if where.municipality is None:
            report.outside_region[home] += 1
            continue
        municipality = where.municipality
        row = {
            "source": record.source,
            "register_id": cell("register_id"),
            "business_id": cell("business_id"),
            "name": cell("name"),
            "municipality_code": municipality.code,
            "municipality": municipality.name,
            "subregion": municipality.subregion_code,
        }
        if row["name"] is None:
            bad("name", "the association's name")
        field_name = cell("field")
        row["field"] = fields.get(norm(field_name)) if field_name else None
        if row["field"] is None:
            bad(
                "field",
                "one of the field classes: "
                + ", ".join(
                    sorted(
                        {
                            o
                            for o in (
                                "Sosiaali- ja terveysala",
                                "Kulttuuri",
                                "Urheilu ja liikunta",
                                "Vapaa-aika ja harrastukset",
                                "Ammatti ja elinkeino",
                                "Poliittinen toiminta",
                                "Muu",
                            )
                        }
                    )
                ),
            )
        for name in ("registered", "ended"):
            text = cell(name)
            row[name] = None
            if text:
                try:
                    row[name] = parse_date(text)
                except ValueError as exc:
                    bad(name, str(exc))
                    continue
                if problem := date_problem(row[name]):
                    bad(name, problem)
        if problem := end_problem(row["registered"], row["ended"]):
            bad("ended", problem)
        if row["registered"] is None and cell("registered") is None:
            bad("registered", "the registration date")
        status = cell("status")
        if (
            status
            and norm(status) in ENDED_STATUSES
            and row["ended"] is None
            and cell("ended") is None
        ):
            bad(
                "status",
                "an end date for a deregistered association (column of the end date empty)",
            )
        rows.append(row)
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(rows, columns=list(ASSOCIATIONS.columns))
    report.kept = len(frame)
    report.ended = int(frame["ended"].notna().sum())
    report.active = report.kept - report.ended
    return frame, report


def _examples(column: str) -> list[str]:
    from tilannekuva.registry.extract import HEADERS

    return HEADERS[column][:3]
