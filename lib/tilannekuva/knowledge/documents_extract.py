"""Text and metadata of a document file: DOCX, PDF (text layer), ODT, Markdown, text, HTML.

The format is decided by the content where the content says it (a ZIP package,
``%PDF-``, an OLE container), else by the file name's suffix. Each format is
read with a well-kept library: python-docx (DOCX), pypdf (PDF text layer),
odfpy (ODT), markdown-it-py (Markdown, rendered to HTML) and BeautifulSoup
(HTML). The result is a list of passages (paragraphs, with the PDF page they
stand on) and what the file says of itself: its title and date, if any.

A file that cannot give text raises :class:`UnreadableDocument` with one line
saying why (no text layer, encrypted, broken, unknown format); the caller names
the file and goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tilannekuva.errors import InputError
from tilannekuva.spreadsheet import decode

SUFFIXES = {
    ".docx": "DOCX",
    ".pdf": "PDF",
    ".odt": "ODT",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "HTML",
    ".htm": "HTML",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_BYTES = 100 * 2**20  # a memo or a report is a few MB; anything far larger is no document
# A line that ends a sentence and falls short of the page's text width ends a PDF paragraph.
SHORT_LINE = 0.8
BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "blockquote", "dt")
HEADING_TAGS = ("h1", "h2", "h3")


class UnreadableDocument(Exception):
    """The file gives no text; the message says why in one line (English, for the log)."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None = None  # PDF page (1-based); None for formats without pages
    heading: bool = False


@dataclass
class ExtractedDocument:
    """What a file gives: its paragraphs and what its metadata says (title, date)."""

    format: str
    paragraphs: list[Paragraph]
    meta_title: str | None = None
    meta_date: dt.date | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


def document_format(path: Path, data: bytes) -> str:
    """DOCX, PDF, ODT, Markdown, text or HTML; UnreadableDocument for anything else."""
    if data.startswith(OLE_MAGIC):
        raise UnreadableDocument(
            "an encrypted (password-protected) Office file or an old binary .doc; "
            "save it without a password as .docx or .odt"
        )
    if data.lstrip()[:5] == b"%PDF-":
        return "PDF"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnreadableDocument(f"a broken ZIP package ({exc})") from exc
        if "word/document.xml" in names:
            return "DOCX"
        if mimetype.strip() == b"application/vnd.oasis.opendocument.text":
            return "ODT"
        raise UnreadableDocument(
            "a ZIP package that is no DOCX or ODT text document (a spreadsheet or slides?)"
        )
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UnreadableDocument(
            f"an unknown document type '{path.suffix or '(no suffix)'}'; expected "
            "DOCX, PDF, ODT, Markdown (.md), text (.txt) or HTML"
        )
    if kind in ("DOCX", "PDF", "ODT"):
        raise UnreadableDocument(f"not a {kind} file though named so (broken or renamed)")
    # UTF-16 (Notepad's "Unicode") is full of NULs but is text; its BOM says so.
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        what = "text" if kind == "text" else f"{kind} text"
        raise UnreadableDocument(f"binary content, not {what}")
    return kind


def extract(path: Path) -> ExtractedDocument:
    """The paragraphs and metadata of the document at ``path``."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableDocument(f"the file is {size / 2**20:,.0f} MB, more than a document")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"cannot be read ({exc.strerror})") from exc
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    kind = document_format(path, data)
    reader = {
        "DOCX": _docx,
        "PDF": _pdf,
        "ODT": _odt,
        "Markdown": _markdown,
        "text": _text,
        "HTML": _html,
    }[kind]
    try:
        document = reader(data, path.name)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a library's own error on a broken file: one line, the file named
        raise UnreadableDocument(f"a broken {kind} file ({type(exc).__name__}: {exc})") from exc
    document.paragraphs = [p for p in document.paragraphs if p.text.strip()]
    if not document.paragraphs:
        if kind == "PDF":
            raise UnreadableDocument(
                "the PDF has no text layer (a scanned image?); run it through OCR or "
                "export it again from the original"
            )
        raise UnreadableDocument(f"the {kind} file has no text")
    return document


def _clean(text: str) -> str:
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\x00", "")
    return re.sub(r"\s+", " ", text).strip()


def _meta_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (match := re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)):
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            return None
    return None


def _meta_title(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    title = _clean(value)
    # Word's print drivers name the PDF after the program, not the document.
    if not title or title.lower().startswith(("microsoft word -", "untitled", "nimetön")):
        return None
    return title


def _docx(data: bytes, name: str) -> ExtractedDocument:
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs: list[Paragraph] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    text = _clean(cell.text)
                    if text and text not in cells:  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    paragraphs.append(Paragraph(" – ".join(cells)))
            continue
        style = (block.style.name if block.style is not None else "") or ""
        paragraphs.append(
            Paragraph(
                _clean(block.text),
                heading=style.lower().startswith(("heading", "title", "otsikko")),
            )
        )
    props = document.core_properties
    return ExtractedDocument(
        "DOCX", paragraphs, _meta_title(props.title), _meta_date(props.created)
    )


def _pdf(data: bytes, name: str) -> ExtractedDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("the PDF is encrypted (password-protected)")
        pages = [_pdf_page_paragraphs(page) for page in reader.pages]
    except FileNotDecryptedError as exc:
        raise UnreadableDocument("the PDF is encrypted (password-protected)") from exc
    except PdfReadError as exc:
        raise UnreadableDocument(f"a broken PDF ({exc})") from exc
    paragraphs = [
        Paragraph(text, page=number) for number, page in enumerate(pages, 1) for text in page
    ]
    meta = reader.metadata or {}
    title = _meta_title(meta.get("/Title"))
    created = None
    try:
        created = _meta_date(reader.metadata.creation_date) if reader.metadata else None
    except (ValueError, TypeError):
        created = None
    return ExtractedDocument("PDF", paragraphs, title, created)


def _pdf_page_paragraphs(page) -> list[str]:
    """A page's lines joined into paragraphs where the line spacing widens.

    pypdf gives each text run with its position; a gap between two lines wider
    than the page's usual line spacing starts a paragraph. Without positions the
    text alone decides (:func:`_pdf_paragraphs`).
    """
    runs: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text and text.strip():
            runs.append((round(cm[5] + tm[5] * (cm[3] or 1), 1), text))

    text = page.extract_text(visitor_text=visit) or ""
    lines: list[tuple[float, str]] = []
    for y, run in runs:
        if lines and lines[-1][0] == y:
            lines[-1] = (y, lines[-1][1] + run)
        else:
            lines.append((y, run))
    gaps = [a[0] - b[0] for a, b in itertools.pairwise(lines)]
    positive = [g for g in gaps if g >= 1]
    if len(lines) < 2 or len(positive) < len(gaps) or max(positive) < 1.3 * min(positive):
        # No usable positions (columns, runs out of order) or even spacing throughout
        # (one-line paragraphs): the text decides.
        return _pdf_paragraphs(text)
    usual = min(positive)  # the line spacing inside a paragraph
    out: list[list[str]] = [[lines[0][1].strip()]]
    for gap, (_, line) in zip(gaps, lines[1:], strict=True):
        if gap > 1.3 * usual:
            out.append([])
        out[-1].append(line.strip())
    return [_join_lines(part) for part in out if part]


def _pdf_paragraphs(page: str) -> list[str]:
    """A page's lines joined into paragraphs: a blank line, or a short line ending a sentence."""
    lines = [line.rstrip() for line in page.replace("\r", "").split("\n")]
    width = max((len(line) for line in lines), default=0)
    out: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                out.append(current)
                current = []
            continue
        current.append(line.strip())
        if line.rstrip().endswith((".", "!", "?", ":")) and len(line) < SHORT_LINE * width:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return [_join_lines(part) for part in out]


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + line  # a word hyphenated over the line break
        else:
            text = f"{text} {line}" if text else line
    return _clean(text)


def _odt(data: bytes, name: str) -> ExtractedDocument:
    from odf import teletype
    from odf.namespaces import DCNS, METANS, TEXTNS
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    paragraphs: list[Paragraph] = []

    def walk(node) -> None:
        for child in node.childNodes:
            if child.qname == (TEXTNS, "h"):
                paragraphs.append(Paragraph(_clean(teletype.extractText(child)), heading=True))
            elif child.qname == (TEXTNS, "p"):
                paragraphs.append(Paragraph(_clean(teletype.extractText(child))))
            elif getattr(child, "childNodes", None):
                walk(child)

    walk(document.text)
    title = created = None
    for node in document.meta.childNodes:
        if node.qname == (DCNS, "title"):
            title = _meta_title(teletype.extractText(node))
        elif node.qname in ((METANS, "creation-date"), (DCNS, "date")) and created is None:
            created = _meta_date(teletype.extractText(node))
    return ExtractedDocument("ODT", paragraphs, title, created)


def _markdown(data: bytes, name: str) -> ExtractedDocument:
    from markdown_it import MarkdownIt

    text = _decoded(data, name)
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    document = _html_blocks(rendered)
    document.format = "Markdown"
    return document


def _html(data: bytes, name: str) -> ExtractedDocument:
    return _html_blocks(_decoded(data, name))


def _html_blocks(markup: str) -> ExtractedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for junk in soup(["script", "style", "nav", "noscript", "template"]):
        junk.decompose()
    paragraphs = []
    for block in soup.find_all(BLOCK_TAGS):
        if block.find_parent(BLOCK_TAGS) is not None:
            continue  # a paragraph inside a list item is read with the item
        paragraphs.append(
            Paragraph(_clean(block.get_text(" ")), heading=block.name in HEADING_TAGS)
        )
    if not paragraphs and soup.body is not None:
        paragraphs = [Paragraph(_clean(part)) for part in soup.body.get_text("\n").split("\n\n")]
    title = _meta_title(soup.title.get_text()) if soup.title else None
    date = None
    for meta in soup.find_all("meta"):
        if str(meta.get("name", "")).lower() in ("date", "dc.date", "dcterms.date", "created"):
            date = _meta_date(str(meta.get("content", "")))
    return ExtractedDocument("HTML", paragraphs, title, date)


def _text(data: bytes, name: str) -> ExtractedDocument:
    text = _decoded(data, name).replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"\n\s*\n", text)
    return ExtractedDocument("text", [Paragraph(_clean(part)) for part in parts])


def _decoded(data: bytes, name: str) -> str:
    try:
        text, _ = decode(data, name)
    except InputError as exc:
        raise UnreadableDocument(str(exc.problems[0].expected)) from exc
    return text
