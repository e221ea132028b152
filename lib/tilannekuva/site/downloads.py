"""The data behind each figure and table, as files a reader opens in Finnish Excel.

Blocks from ``tilannekuva.pages.present`` carry their table in the
``application/vnd.tilannekuva.table+json`` output; for each, the build writes
``data/<page>--<slug>.csv`` (UTF-8 with BOM, ``;`` between fields, decimal
comma) and ``.xlsx``. Values come as the page published them: a suppressed
cell is the suppression marker, never a number. Headers are the page's Finnish
column names; numeric columns also name n and the data's date.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd

from tilannekuva.pages.present import TABLE_MIMETYPE

DATA_DIR = "data"


def tables(notebook: nbformat.NotebookNode) -> list[dict]:
    """The table payloads of a notebook's outputs, in order."""
    found = []
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            payload = out.get("data", {}).get(TABLE_MIMETYPE)
            if payload:
                found.append(payload)
    return found


def download_frame(payload: dict) -> pd.DataFrame:
    """The table with its download headers (numeric columns: n and the data's date)."""
    note = "; ".join(
        part
        for part in (
            f"n = {payload['n']}" if payload.get("n") is not None else "",
            f"aineisto {payload['date']}" if payload.get("date") else "",
        )
        if part
    )
    numeric = set(payload.get("numeric", []))
    columns = [f"{c} ({note})" if note and c in numeric else c for c in payload["columns"]]
    frame = pd.DataFrame(payload["rows"], columns=columns)
    for column, original in zip(columns, payload["columns"], strict=True):
        if original in numeric:
            # Numbers stay numbers (decimal comma in the CSV); the marker stays text.
            converted = pd.to_numeric(frame[column], errors="coerce")
            if converted.notna().sum() == frame[column].notna().sum():
                frame[column] = converted
    return frame


def csv_value(value: object) -> object:
    """A cell for the CSV: decimal comma in every number, even in a column with markers."""
    if isinstance(value, float) and not isinstance(value, bool):
        if value != value:  # NaN: an empty cell
            return ""
        if value.is_integer():
            return str(int(value))  # a count in a column of mixed figures stays a count
        return repr(value).replace(".", ",")
    return value


def write_downloads(site: Path, page: str, notebook: nbformat.NotebookNode) -> list[Path]:
    """Write every block's CSV and XLSX of one page; returns the files written."""
    written = []
    payloads = tables(notebook)
    if not payloads:
        return written
    folder = site / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for payload in payloads:
        frame = download_frame(payload)
        stem = folder / f"{page}--{payload['slug']}"
        csv = stem.with_suffix(".csv")
        frame.map(csv_value).to_csv(csv, sep=";", encoding="utf-8-sig", index=False)
        xlsx = stem.with_suffix(".xlsx")
        about = pd.DataFrame(
            {
                "Tieto": ["Otsikko", "n", "Aineiston päiväys"],
                "Arvo": [payload["caption"], payload.get("n"), payload.get("date")],
            }
        )
        with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="Tiedot", index=False)
            about.to_excel(writer, sheet_name="Tietoja", index=False)
        written += [csv, xlsx]
    return written
