"""Reading a survey export into a header and rows of text, with the file's own row numbers.

The format is decided by the content, not the name: CSV, XLSX, ODS, Excel
2003 XML (SpreadsheetML) and an HTML table saved as ``.xlsx`` are read; an old
binary ``.xls``, a PDF, a Word file or other markup is named and refused.

Encodings are decided, not guessed: a BOM says UTF-8 (or UTF-16); otherwise
strict UTF-8; otherwise Windows-1252 (Finnish Excel's "CSV"). Text that decodes
but carries mojibake (``Ã¤`` for ``ä``: UTF-8 read as cp1252 somewhere upstream)
is rejected. The separator is the one of ``,`` ``;`` tab that splits the header
line into the most columns consistently. Workbooks: the first sheet unless told,
the header row found even under title rows; the row above the header is kept
(``above``) for exports whose questions sit in merged cells over their sub-items.

Limits, checked before parsing: at most ``MAX_UNCOMPRESSED`` bytes of content
(a workbook's declared unpacked size, from its ZIP directory) and ``MAX_ROWS``
rows (an XLSX sheet's declared dimension, then counted while reading). A formula
cell without a stored value stops the read with the cells named. A stray NUL
character is removed and noted with its row (``RawTable.notes``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from tilannekuva.errors import InputError, Problem

MOJIBAKE = re.compile(r"Ã[\x80-\xbf¤¥¶„…–—‘’“”•]|Ã[¤¥¶]|â€[“”™œ\x9d]|Â[\xa0-\xbf]")
SEPARATORS = [";", ",", "\t"]
MAX_UNCOMPRESSED = 200 * 2**20  # bytes of content; a survey export is a few MB
MAX_ROWS = 200_000
CSV_FIELD_LIMIT = 64 * 2**20  # the csv module's default (128 kB) would reject a long answer


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
    format: str = "CSV"
    above: list[str | None] | None = None  # the row just above the header, if any
    above_row: int | None = None
    notes: list[Problem] = field(default_factory=list)  # what was cleaned, located


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
    # A binary file is full of NULs; a stray one in a text export is cleaned and noted.
    if text.count("\x00") > max(1, len(text) // 1000):
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
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise InputError(Problem(name, f"a well-formed CSV file ({exc})")) from exc
    # File row numbers as a spreadsheet shows them: a quoted field with line
    # breaks still makes one row.
    numbered = [(i + 1, r) for i, r in enumerate(records)]
    if len(numbered) > MAX_ROWS:
        raise _limit_problem(name, f"the file has {len(numbered):,} rows")
    return _table(name, numbered, encoding=encoding, separator=separator)


def _limit_problem(name: str, what: str) -> InputError:
    return InputError(
        Problem(
            name,
            f"a survey export within the limits ({MAX_UNCOMPRESSED // 2**20} MB of content, "
            f"{MAX_ROWS:,} rows); {what}: refused before reading".replace(",", " "),
        )
    )


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The ZIP directory of a workbook, its declared sizes checked before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            Problem(name, f"a readable XLSX workbook (not a valid ZIP archive: {exc})")
        ) from exc
    # The reader stops at each member's declared size, so the declared sizes bound the work.
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise _limit_problem(name, f"its content unpacks to {total / 2**20:,.0f} MB")
    return archive


def _zip_kind(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:200].decode("ascii", "replace").strip()
        if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
            return "ODS"
        return f"OpenDocument ({mimetype})"
    if "xl/workbook.xml" in names or any(n.endswith("workbook.xml") for n in names):
        return "XLSX"
    if "word/document.xml" in names:
        return "Word document"
    if "ppt/presentation.xml" in names:
        return "PowerPoint presentation"
    return "ZIP archive"


def _choose_sheet(names: list[str], sheet: str | int | None, name: str) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
        index = int(sheet) - 1 if isinstance(sheet, str) else sheet
        if not 0 <= index < len(names):
            raise InputError(Problem(name, f"sheet number 1–{len(names)}", value=sheet))
        return names[index]
    if sheet in names:
        return sheet
    raise InputError(Problem(name, f"a sheet named one of {names}", value=sheet))


def read_xlsx(data: bytes, name: str, sheet: str | int | None = None) -> RawTable:
    from openpyxl import load_workbook

    archive = _open_zip(data, name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputError(Problem(name, f"a readable XLSX workbook ({type(exc).__name__})")) from exc
    chosen = _choose_sheet(book.sheetnames, sheet, name)
    worksheet = book[chosen]
    declared = worksheet.max_row  # from the sheet's <dimension>, when the writer gave one
    if declared is not None and declared > MAX_ROWS:
        raise _limit_problem(name, f"sheet {chosen!r} declares {declared:,} rows")
    # The <dimension> is the writer's claim (some write "A1" whatever the sheet holds, and a
    # question row over merged cells may be narrower than the answers): read every cell.
    worksheet.reset_dimensions()
    numbered = []
    try:
        for i, row in enumerate(worksheet.iter_rows(values_only=True)):
            if i >= MAX_ROWS:
                raise _limit_problem(name, f"sheet {chosen!r} has more than {MAX_ROWS:,} rows")
            numbered.append((i + 1, [_cell_text(v) for v in row]))
        book.close()
        _stop_on_uncached_formulas(data, archive, name, chosen, numbered)
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet: bad XML, a CRC error, a cut-off member
        raise InputError(
            Problem(name, f"a readable XLSX workbook (sheet {chosen!r}: {type(exc).__name__})")
        ) from exc
    return _table(name, numbered, sheet=chosen, format="XLSX")


FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _stop_on_uncached_formulas(
    data: bytes, archive: zipfile.ZipFile, name: str, sheet: str, numbered: list
) -> None:
    """Formula cells with no stored result read as empty: name them instead of losing answers."""
    from openpyxl import load_workbook

    if not _sheet_has_formulas(archive, sheet):
        return
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    missing = []
    for (_, values), row in zip(numbered, book[sheet].iter_rows(), strict=False):
        for value, cell in zip(values, row, strict=False):
            formula = getattr(cell, "value", None)
            if value is None and isinstance(formula, str) and formula.startswith("="):
                missing.append(cell.coordinate)
    book.close()
    if missing:
        shown = ", ".join(missing[:10]) + (", …" if len(missing) > 10 else "")
        raise InputError(
            Problem(
                name,
                f"stored values in every cell; sheet {sheet!r} has formulas without a computed "
                f"value in {shown} ({len(missing)} cells): open the file in Excel or "
                "LibreOffice and save it again, or export values instead of formulas",
            )
        )


def _sheet_has_formulas(archive: zipfile.ZipFile, sheet: str) -> bool:
    """Any formula tag in the sheet's XML (a cheap scan; the second read only when needed)."""
    members = [
        n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
    ]
    # Which member is which sheet needs the workbook's relations; scanning every sheet is
    # cheap and errs on the side of the slower, exact check.
    del sheet
    for member in members:
        with archive.open(member) as stream:
            tail = b""
            while block := stream.read(1 << 20):
                if FORMULA_TAG.search(tail + block):
                    return True
                tail = block[-8:]
    return False


ODS_ROW = re.compile(rb"<table:table-row[ >/]")


def _count_ods_rows(archive: zipfile.ZipFile) -> int:
    """Rows in ``content.xml``, counted by streaming it (odfpy builds the whole document)."""
    if "content.xml" not in archive.namelist():
        return 0
    count, tail, keep = 0, b"", 32  # a tag is shorter than what is carried over
    with archive.open("content.xml") as stream:
        while block := stream.read(1 << 20):
            chunk = tail + block
            count += sum(1 for m in ODS_ROW.finditer(chunk) if m.start() < len(chunk) - keep)
            tail = chunk[-keep:]
    return count + len(ODS_ROW.findall(tail))


def read_ods(data: bytes, name: str, sheet: str | int | None = None) -> RawTable:
    """OpenDocument spreadsheet (LibreOffice, some survey tools) through pandas' odf reader."""
    import pandas as pd

    rows = _count_ods_rows(_open_zip(data, name))
    if rows > MAX_ROWS:
        raise _limit_problem(name, f"its sheets have {rows:,} rows")
    try:
        workbook = pd.ExcelFile(io.BytesIO(data), engine="odf")
        chosen = _choose_sheet(list(workbook.sheet_names), sheet, name)
        frame = pd.read_excel(
            workbook, sheet_name=chosen, header=None, dtype=object, keep_default_na=False
        )
    except InputError:
        raise
    except Exception as exc:  # odfpy raises a variety of XML and key errors on broken files
        raise InputError(
            Problem(name, f"a readable OpenDocument spreadsheet (ODS) ({type(exc).__name__})")
        ) from exc
    if len(frame) > MAX_ROWS:
        raise _limit_problem(name, f"sheet {chosen!r} has {len(frame):,} rows")
    numbered = [
        (i + 1, [_cell_text(None if v is None or v == "" or v is pd.NaT else v) for v in row])
        for i, row in enumerate(frame.itertuples(index=False, name=None))
    ]
    return _table(name, numbered, sheet=chosen, format="ODS")


def read_html_table(data: bytes, name: str) -> RawTable:
    """An HTML table saved with a spreadsheet's name (some survey tools' "Excel" export).

    Read with BeautifulSoup row by row, not with ``pandas.read_html``: every
    row (``<th>`` ones too) stays a row with its number, every cell stays
    text, and a cell spanning columns is followed by empty cells as in a
    spreadsheet's merged cell.
    """
    from bs4 import BeautifulSoup

    text, encoding = decode(data, name)
    soup = BeautifulSoup(text, "html.parser")
    tables = [t for t in soup.find_all("table") if t.find("tr")]
    if not tables:
        raise InputError(
            Problem(name, "a spreadsheet (CSV, XLSX or ODS); this is an HTML page with no table")
        )
    table = max(tables, key=lambda t: len(t.find_all("tr")))
    numbered = []
    for i, row in enumerate(table.find_all("tr")):
        if i >= MAX_ROWS:
            raise _limit_problem(name, f"the HTML table has more than {MAX_ROWS:,} rows")
        cells: list[str | None] = []
        for cell in row.find_all(["td", "th"]):
            value = cell.get_text("\n", strip=True)
            cells.append(value or None)
            try:
                span = int(cell.get("colspan", 1))
            except ValueError:
                span = 1
            cells += [None] * (min(max(span, 1), 1000) - 1)
        numbered.append((i + 1, cells))
    return _table(name, numbered, encoding=encoding, format="HTML table")


SPREADSHEET_ML = "urn:schemas-microsoft-com:office:spreadsheet"


def read_spreadsheet_ml(data: bytes, name: str, sheet: str | int | None = None) -> RawTable:
    """Excel 2003 XML (SpreadsheetML), read with the standard library's XML parser."""
    import xml.etree.ElementTree as ET

    ns = {"ss": SPREADSHEET_ML}
    attr = f"{{{SPREADSHEET_ML}}}"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(
            Problem(name, f"a well-formed Excel 2003 XML spreadsheet ({exc})")
        ) from exc
    sheets = root.findall("ss:Worksheet", ns)
    if not sheets:
        raise InputError(Problem(name, "an Excel 2003 XML spreadsheet with a worksheet"))
    names = [s.get(attr + "Name") or f"Sheet{i + 1}" for i, s in enumerate(sheets)]
    chosen = _choose_sheet(names, sheet, name)
    worksheet = sheets[names.index(chosen)]
    numbered = []
    number = 0
    for row in worksheet.iterfind("ss:Table/ss:Row", ns):
        number = int(row.get(attr + "Index") or number + 1)
        if number > MAX_ROWS:
            raise _limit_problem(name, f"sheet {chosen!r} has more than {MAX_ROWS:,} rows")
        cells: list[str | None] = []
        for cell in row.iterfind("ss:Cell", ns):
            index = cell.get(attr + "Index")
            if index:
                cells += [None] * (int(index) - 1 - len(cells))
            value = cell.find("ss:Data", ns)
            text = "".join(value.itertext()) if value is not None else ""
            kind = value.get(attr + "Type") if value is not None else None
            if kind == "Number":
                with contextlib.suppress(ValueError):  # keep the text as written
                    text = _cell_text(float(text)) or ""
            cells.append(text if text.strip() else None)
            cells += [None] * int(cell.get(attr + "MergeAcross") or 0)
        numbered.append((number, cells))
    return _table(name, numbered, sheet=chosen, format="Excel 2003 XML")


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def _content_width(row: list) -> int:
    """The position after the row's last non-empty cell."""
    for index in range(len(row) - 1, -1, -1):
        if row[index] not in (None, "") and str(row[index]).strip():
            return index + 1
    return 0


def column_letter(index: int) -> str:
    """A spreadsheet's column name of a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def name_blank_columns(raw: RawTable) -> RawTable:
    """Columns with answers but no header get one ("Sarake F"), so none is passed over unseen.

    Call it once the header is final (after two header rows are combined).
    """
    header = list(raw.header)
    for index, text in enumerate(header):
        if (text or "").strip():
            continue
        if any(index < len(row) and row[index] not in (None, "") for row in raw.rows):
            header[index] = f"Sarake {column_letter(index)}"
    return raw if header == raw.header else replace(raw, header=header)


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
    # As wide as the widest row with content: a narrow header row (merged cells over the
    # last question, trailing empty cells not written) must not cut answers off.
    width = max([len(header), *(_content_width(r) for _, r in numbered[header_at + 1 :])])
    notes: list[Problem] = []
    header = [("" if h is None else str(h)).replace("\x00", "").strip() for h in header]
    header = (header + [""] * width)[:width]
    rows, numbers = [], []
    for number, row in numbered[header_at + 1 :]:
        cells = [None if c is None or str(c).strip() == "" else str(c) for c in row]
        cells = (cells + [None] * width)[:width] if len(cells) <= width else cells
        for index, cell in enumerate(cells):
            if cell is not None and "\x00" in cell:
                cells[index] = cell.replace("\x00", "") or None
                notes.append(
                    Problem(
                        name,
                        "NUL character(s) removed from the cell",
                        row=number,
                        column=header[index] if index < width else f"column {index + 1}",
                    )
                )
        rows.append(cells)
        numbers.append(number)
    above_no, above = head[header_at - 1] if header_at > 0 else (None, None)
    if above is not None:
        above = [None if c is None or not str(c).strip() else str(c).strip() for c in above]
        above = (above + [None] * width)[:width]
    return RawTable(
        name, header, rows, numbers, header_no, above=above, above_row=above_no, notes=notes, **meta
    )


def read_export(path: Path, sheet: str | int | None = None, *, name: str | None = None) -> RawTable:
    """Read a survey export; the format is decided by its content, not its name.

    ``name`` is the file as messages call it (the user's file, not its archived copy).
    """
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_UNCOMPRESSED:
            raise _limit_problem(name, f"the file is {size / 2**20:,.0f} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(name, f"a readable file ({exc.strerror})")) from exc
    if not data.strip():
        raise InputError(Problem(name, "a header row and answers; the file is empty"))
    if data[:4] == b"PK\x03\x04":
        kind = _zip_kind(_open_zip(data, name))
        if kind == "XLSX":
            return read_xlsx(data, name, sheet)
        if kind == "ODS":
            return read_ods(data, name, sheet)
        raise InputError(
            Problem(
                name, f"a survey export (CSV, XLSX or ODS); this is a {kind}, not a spreadsheet"
            )
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            Problem(
                name,
                "XLSX or CSV; this is an old binary Excel file (.xls): save it as .xlsx or CSV",
            )
        )
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        raise InputError(Problem(name, "a spreadsheet (CSV or XLSX); this is a PDF document"))
    if head.startswith(b"<"):
        if SPREADSHEET_ML.encode() in head or b'progid="excel.sheet"' in head:
            return read_spreadsheet_ml(data, name, sheet)
        if re.match(rb"<(!doctype html|html|head|body|meta|table|style|\?xml[^>]*>\s*<html)", head):
            return read_html_table(data, name)
        raise InputError(
            Problem(
                name,
                "a spreadsheet (CSV, XLSX, ODS, Excel 2003 XML or an HTML table); "
                "this is some other XML or markup file",
            )
        )
    return read_csv(data, name)
