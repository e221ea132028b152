"""Reading a spreadsheet export (CSV or XLSX) into a header and rows of text, with file row numbers.

Encodings are decided, not guessed: a BOM says UTF-8 (or UTF-16); otherwise
strict UTF-8; otherwise Windows-1252 (Finnish Excel's "CSV"). Text that decodes
but carries mojibake (``Ã¤`` for ``ä``: UTF-8 read as cp1252 somewhere upstream)
is rejected. The separator is the one of ``,`` ``;`` tab that splits the header
line into the most columns consistently. XLSX: the first sheet unless told, the
header row found even under title rows.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tilannekuva.errors import InputError, Problem

MOJIBAKE = re.compile(r"Ã[\x80-\xbf¤¥¶„…–—‘’“”•]|Ã[¤¥¶]|â€[“”™œ\x9d]|Â[\xa0-\xbf]")
SEPARATORS = [";", ",", "\t"]


@dataclass
class RawTable:
    """Cells as text; ``row_numbers[i]`` is the file's own row number of ``rows[i]``."""

    file: str
    header: list[str]
    rows: list[list[str | None]]
    row_numbers: list[int]
    header_row: int
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) by BOM → strict UTF-8 → cp1252; mojibake is an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:
                raise InputError(
                    Problem(name, "text in UTF-8 or Windows-1252 (cp1252); the bytes are neither")
                ) from exc
    if "\x00" in text:
        raise InputError(Problem(name, "a CSV or XLSX file; this looks like a binary file"))
    found = MOJIBAKE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise InputError(
            Problem(
                name,
                "readable Finnish text; this looks like UTF-8 decoded twice "
                "(mojibake such as 'Ã¤' for 'ä'): export the file again as UTF-8",
                row=line,
                value=text[found.start() : found.start() + 12],
            )
        )
    return text, encoding


def _separator(text: str) -> str:
    sample = text[:20000]
    best, best_score = ",", -1
    for sep in SEPARATORS:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=sep))[:15]
        except csv.Error:
            continue
        widths = [len(r) for r in rows if any(c.strip() for c in r)]
        if not widths:
            continue
        # The header's width, weighted by how many rows agree with it.
        widest = max(widths)
        score = widest * sum(w == widest for w in widths)
        if score > best_score:
            best, best_score = sep, score
    return best


def read_csv(data: bytes, name: str) -> RawTable:
    text, encoding = decode(data, name)
    if not text.strip():
        raise InputError(Problem(name, "a header row and answers; the file is empty"))
    separator = _separator(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise InputError(Problem(name, f"a well-formed CSV file ({exc})")) from exc
    # File row numbers as a spreadsheet shows them: a quoted field with line
    # breaks still makes one row.
    numbered = [(i + 1, r) for i, r in enumerate(records)]
    return _table(name, numbered, encoding=encoding, separator=separator)


def read_xlsx(data: bytes, name: str, sheet: str | int | None = None) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(Problem(name, f"a readable XLSX workbook ({type(exc).__name__})")) from exc
    names = book.sheetnames
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
        index = int(sheet) - 1 if isinstance(sheet, str) else sheet
        if not 0 <= index < len(names):
            raise InputError(Problem(name, f"sheet number 1–{len(names)}", value=sheet))
        chosen = names[index]
    elif sheet in names:
        chosen = sheet
    else:
        raise InputError(Problem(name, f"a sheet named one of {names}", value=sheet))
    numbered = []
    for i, row in enumerate(book[chosen].iter_rows(values_only=True)):
        numbered.append((i + 1, [_cell_text(v) for v in row]))
    book.close()
    table = _table(name, numbered, sheet=chosen)
    return table


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def _table(name: str, numbered: list[tuple[int, list]], **meta) -> RawTable:
    numbered = [
        (n, r) for n, r in numbered if any(c not in (None, "") and str(c).strip() for c in r)
    ]
    if not numbered:
        raise InputError(Problem(name, "a header row and answers; the file has no data"))
    # Header row: the first of the first ten non-empty rows that is as wide as the
    # widest, so a title row or two above the header are skipped.
    head = numbered[:10]
    widths = [sum(1 for c in r if c not in (None, "")) for _, r in head]
    header_at = next((i for i, w in enumerate(widths) if w >= max(2, max(widths) * 0.6)), 0)
    header_no, header = head[header_at]
    width = len(header)
    rows, numbers = [], []
    for number, row in numbered[numbered.index(head[header_at]) + 1 :]:
        cells = [None if c is None or str(c).strip() == "" else str(c) for c in row]
        cells = (cells + [None] * width)[:width] if len(cells) <= width else cells
        rows.append(cells)
        numbers.append(number)
    header = [("" if h is None else str(h)).strip() for h in header]
    return RawTable(name, header, rows, numbers, header_no, **meta)


def read_export(path: Path, sheet: str | int | None = None) -> RawTable:
    """Read a CSV or XLSX export; the format is decided by its content, not its name."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(name, f"a readable file ({exc.strerror})")) from exc
    if not data.strip():
        raise InputError(Problem(name, "a header row and answers; the file is empty"))
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data, name, sheet)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            Problem(
                name,
                "XLSX or CSV; this is an old binary Excel file (.xls): save it as .xlsx or CSV",
            )
        )
    if data.lstrip()[:5].lower() in (b"<!doc", b"<html", b"%pdf-"):
        raise InputError(Problem(name, "a spreadsheet (CSV or XLSX); this is HTML or PDF"))
    return read_csv(data, name)
