"""Documents: text from each format, redaction at ingest, provenance, unreadable files, replay."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from tilannekuva.demo import documents as demo_documents
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.documents import (
    DOCUMENTS_SCHEMA,
    PASSAGES_SCHEMA,
    ingest_documents,
    load_library,
    stored_documents,
)
from tilannekuva.knowledge.documents_extract import UnreadableDocument, extract
from tilannekuva.paths import DataLayout
from tilannekuva.rebuild import rebuild_processed

from tests.conftest import run_cli

KNOWN = "Järjestöavustusten periaatteet valmistellaan yhdessä järjestöjen kanssa."


def _docx(path: Path, paragraphs: list[str], title: str = "") -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def _pdf(path: Path, paragraphs: list[str], encrypt: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for text in paragraphs:
        pdf.multi_cell(0, 6, text)
        pdf.ln(5)
    if encrypt:
        pdf.set_encryption(owner_password="omistaja", user_password=encrypt)
    path.write_bytes(bytes(pdf.output()))
    return path


def _scanned_pdf(path: Path) -> Path:
    """A PDF with a page but no text layer (what a scanner without OCR writes)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    path.write_bytes(bytes(pdf.output()))
    return path


def _odt(path: Path, heading: str, paragraphs: list[str]) -> Path:
    from odf import dc, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="ODT-otsikko metatiedoissa"))
    document.text.addElement(text.H(outlinelevel=1, text=heading))
    for paragraph in paragraphs:
        document.text.addElement(text.P(text=paragraph))
    document.save(str(path))
    return path


def test_docx_paragraphs_and_title(tmp_path):
    path = _docx(tmp_path / "muistio.docx", ["Kokouksen muistio", KNOWN, "Seuraava kokous."])
    document = extract(path)
    assert document.format == "DOCX"
    assert [p.text for p in document.paragraphs] == ["Kokouksen muistio", KNOWN, "Seuraava kokous."]
    assert all(p.page is None for p in document.paragraphs)


def test_pdf_text_layer_with_pages_and_paragraphs(tmp_path):
    long = (
        "Esitämme, että avustusperiaatteista sovitaan kirjallisesti ja että periaatteet "
        "käsitellään kumppanuuspöydässä ennen aluehallituksen päätöstä vuoden loppuun mennessä."
    )
    path = _pdf(tmp_path / "lausunto.pdf", ["Lausunto", long, KNOWN])
    document = extract(path)
    assert document.format == "PDF"
    texts = [p.text for p in document.paragraphs]
    # The wrapped paragraph comes back whole, the paragraphs apart.
    assert texts == ["Lausunto", long, KNOWN]
    assert {p.page for p in document.paragraphs} == {1}


def test_odt_heading_paragraphs_and_metadata_title(tmp_path):
    path = _odt(tmp_path / "raportti.odt", "Loppuraportti", [KNOWN, "Toinen kappale."])
    document = extract(path)
    assert document.format == "ODT"
    assert [p.text for p in document.paragraphs] == ["Loppuraportti", KNOWN, "Toinen kappale."]
    assert document.paragraphs[0].heading
    assert document.meta_title == "ODT-otsikko metatiedoissa"


def test_markdown_html_and_text(tmp_path):
    markdown = tmp_path / "muistiinpanot.md"
    markdown.write_text(f"# Otsikko\n\n{KNOWN}\n\n- kohta yksi\n- kohta kaksi\n", encoding="utf-8")
    page = tmp_path / "sivu.html"
    page.write_text(
        "<html><head><title>Sivun otsikko</title><script>var x = 'ei tekstiä';</script></head>"
        f"<body><nav>Valikko</nav><h1>Otsikko</h1><p>{KNOWN}</p></body></html>",
        encoding="utf-8",
    )
    plain = tmp_path / "teksti.txt"
    plain.write_bytes(f"Otsikko\n\n{KNOWN}\nrivi jatkuu\n".encode("cp1252"))
    md = extract(markdown)
    assert [p.text for p in md.paragraphs] == ["Otsikko", KNOWN, "kohta yksi", "kohta kaksi"]
    html = extract(page)
    assert [p.text for p in html.paragraphs] == ["Otsikko", KNOWN]
    assert html.meta_title == "Sivun otsikko"
    text = extract(plain)  # Windows-1252 is read as such
    assert [p.text for p in text.paragraphs] == ["Otsikko", f"{KNOWN} rivi jatkuu"]
    # Notepad's "Unicode": UTF-16 with its BOM, full of NUL bytes, is still text.
    wide = tmp_path / "muistio.txt"
    wide.write_bytes(f"Otsikko\r\n\r\n{KNOWN}\r\n".encode("utf-16"))
    assert [p.text for p in extract(wide).paragraphs] == ["Otsikko", KNOWN]
    (tmp_path / "rikki.txt").write_bytes(b"\x00\x01binary")
    with pytest.raises(UnreadableDocument, match=r"binary content, not text$"):
        extract(tmp_path / "rikki.txt")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: _scanned_pdf(p / "skannattu.pdf"), "no text layer"),
        (lambda p: _pdf(p / "salattu.pdf", [KNOWN], encrypt="salasana"), "encrypted"),
        (
            lambda p: (p / "rikki.docx").write_bytes(b"PK\x03\x04 broken") and p / "rikki.docx",
            "broken",
        ),
        (
            lambda p: (
                (p / "vanha.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64)
                and p / "vanha.doc"
            ),
            r"encrypted \(password-protected\) Office file or an old binary \.doc",
        ),
        (
            lambda p: (p / "kuva.png").write_bytes(b"\x89PNG\r\n\x1a\n") and p / "kuva.png",
            "unknown",
        ),
    ],
)
def test_unreadable_files_say_why(tmp_path, make, reason):
    path = make(tmp_path)
    with pytest.raises(UnreadableDocument, match=reason):
        extract(path)


@pytest.fixture
def layout(tmp_path) -> DataLayout:
    return DataLayout.at(tmp_path / "data")


def _demo_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in demo_documents.DOCUMENTS.items():
        path = folder / name
        path.write_bytes(make())
        paths.append(path)
    return paths


def test_ingest_stores_redacted_passages_with_provenance(tmp_path, layout):
    paths = _demo_files(tmp_path / "in")
    report = ingest_documents(paths, layout, load_knowledge_base(layout))
    assert report.ok and len(report.added) == 3
    documents, passages = stored_documents(layout)
    DOCUMENTS_SCHEMA.validate(documents)
    PASSAGES_SCHEMA.validate(passages)
    memo = documents.set_index("file").loc[demo_documents.MEMO_FILE]
    assert memo["kind"] == "muistio"
    assert memo["date"] == pd.Timestamp("2026-10-14")
    assert memo["title"] == "Kumppanuuspöydän muistio 14.10.2026"
    statement = documents.set_index("file").loc[demo_documents.STATEMENT_FILE]
    assert statement["kind"] == "lausunto" and statement["format"] == "PDF"
    assert statement["title"] == "Lausunto järjestösuunnitelman luonnoksesta"  # PDF metadata
    note = documents.set_index("file").loc[demo_documents.NOTE_FILE]
    assert note["kind"] == "esitys" and note["date"] == pd.Timestamp("2026-11-05")
    # Nothing planted survives in any stored text; the tags stand in its place.
    stored = "\n".join(passages["text"]) + "\n".join(documents["title"])
    for planted in demo_documents.PLANTED.values():
        assert planted not in stored
    for tag in ("[sähköposti]", "[puhelin]", "[hetu]", "[osoite]"):
        assert tag in stored
    # The PDF's passages know their page.
    pdf_passages = passages[passages["document_id"] == statement["id"]]
    assert set(pdf_passages["page"]) == {1}
    # Originals are archived under raw/documents/ with a provenance record and logged.
    for path in paths:
        copies = list((layout.raw / "documents").rglob(path.name))
        assert len(copies) == 1 and copies[0].read_bytes() == path.read_bytes()
        record = json.loads(copies[0].with_name(path.name + ".provenance.json").read_text())
        assert record["source"] == "documents"
    log = (layout.raw / "ingest-log.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["kind"] for line in log] == ["documents"] * 3


def test_same_file_again_adds_nothing_and_new_version_replaces(tmp_path, layout):
    kb = load_knowledge_base(layout)
    folder = tmp_path / "in"
    folder.mkdir()
    path = _docx(folder / "muistio-2026-11-01.docx", ["Muistio", KNOWN])
    ingest_documents([path], layout, kb)
    again = ingest_documents([folder], layout, kb)  # a folder works as well
    assert again.added == [] and len(again.unchanged) == 1
    _docx(path, ["Muistio", KNOWN, "Lisätty kappale."])
    newer = ingest_documents([path], layout, kb)
    assert len(newer.replaced) == 1
    documents, passages = stored_documents(layout)
    assert len(documents) == 1
    assert list(passages["text"]) == ["Muistio", KNOWN, "Lisätty kappale."]


def test_unreadable_file_is_named_and_the_others_are_ingested(tmp_path):
    data = tmp_path / "data"
    folder = tmp_path / "in"
    folder.mkdir()
    _docx(folder / "hyva.docx", ["Muistio", KNOWN])
    _scanned_pdf(folder / "skannattu.pdf")
    result = run_cli("ingest", "documents", str(folder), "--data", str(data))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert "skannattu.pdf" in errors[0] and "no text layer" in errors[0]
    assert "Traceback" not in result.stderr
    documents, _ = stored_documents(DataLayout.at(data))
    assert list(documents["file"]) == ["hyva.docx"]


def test_failed_write_leaves_the_earlier_tables(tmp_path, layout, monkeypatch):
    kb = load_knowledge_base(layout)
    first = _docx(tmp_path / "eka.docx", ["Ensimmäinen", KNOWN])
    ingest_documents([first], layout, kb)
    before = (layout.processed / "documents.parquet").read_bytes()
    second = _docx(tmp_path / "toka.docx", ["Toinen", KNOWN])

    import tilannekuva.knowledge.documents as module

    calls = []
    real = module.write_table

    def failing(layout_, name, frame, sources):
        calls.append(name)
        if name == "documents":
            raise OSError("disk full")
        return real(layout_, name, frame, sources)

    monkeypatch.setattr(module, "write_table", failing)
    with pytest.raises(OSError):
        ingest_documents([second], layout, kb)
    assert calls == ["document_passages", "documents"]
    assert (layout.processed / "documents.parquet").read_bytes() == before
    # The passages of the version never registered are not read.
    documents, passages = stored_documents(layout)
    assert list(documents["file"]) == ["eka.docx"]
    assert set(passages["document_id"]) == {"eka"}


def test_documents_yaml_wins_and_tags_link(tmp_path, layout):
    kb = load_knowledge_base(layout)
    path = _docx(tmp_path / "jotain.docx", ["Yleinen tiedote", "Ei mainintoja asioista."])
    ingest_documents([path], layout, kb)
    (layout.root / "config").mkdir(parents=True, exist_ok=True)
    (layout.root / "config" / "documents.yaml").write_text(
        "documents:\n  jotain.docx:\n    title: Oikea otsikko\n    date: 2026-09-30\n"
        "    kind: raportti\n    items: [i09_premises]\n",
        encoding="utf-8",
    )
    library = load_library(layout, kb)
    row = library.document("jotain")
    assert (row["title"], row["kind"], row["date"]) == (
        "Oikea otsikko",
        "raportti",
        pd.Timestamp(dt.date(2026, 9, 30)),
    )
    assert list(library.links["entry_id"]) == ["i09_premises"]
    assert list(library.links["how"]) == ["tunniste"]


def test_rebuild_processed_replays_documents(tmp_path, layout):
    paths = _demo_files(tmp_path / "in")
    ingest_documents(paths, layout, load_knowledge_base(layout))
    documents, passages = stored_documents(layout)
    (layout.processed / "documents.parquet").unlink()
    rebuild_processed(layout)
    again, again_passages = stored_documents(layout)
    columns = [c for c in documents.columns if c != "ingested"]
    pd.testing.assert_frame_equal(documents[columns], again[columns])
    pd.testing.assert_frame_equal(passages, again_passages)


def test_demo_documents_are_deterministic():
    for make in demo_documents.DOCUMENTS.values():
        assert make() == make()
    with zipfile.ZipFile(io.BytesIO(demo_documents.memo_docx())) as archive:
        assert {i.date_time for i in archive.infolist()} == {demo_documents.FIXED_TIME}


def test_the_guides_documents_yaml_example_loads(tmp_path):
    import re

    from tilannekuva.knowledge.documents_config import load_documents_config

    guide = (Path(__file__).resolve().parents[2] / "docs" / "analyytikon-opas.md").read_text(
        encoding="utf-8"
    )
    section = guide[guide.index("## 9. Asiakirjat") :]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    layout = DataLayout.at(tmp_path)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "documents.yaml").write_text(example, encoding="utf-8")
    kb = load_knowledge_base(layout)
    config = load_documents_config(layout, {e.id for e in kb.entries})
    settings = config.get(demo_documents.MEMO_FILE)
    assert (settings.kind, settings.items, settings.date) == (
        "muistio",
        ["i06_grants"],
        dt.date(2026, 10, 14),
    )


def test_documents_yaml_mistakes_name_document_and_field(tmp_path):
    from tilannekuva.errors import ConfigError
    from tilannekuva.knowledge.documents_config import load_documents_config

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "documents.yaml").write_text(
        "documents:\n  a.docx:\n    kind: pöytäkirja\n    date: 14.10.2026\n"
        "    items: [i99_none]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_documents_config(DataLayout.at(tmp_path), {"i06_grants"})
    message = str(info.value)
    assert "document 'a.docx', field 'kind'" in message
    assert "document 'a.docx', field 'date'" in message


def test_a_checksum_is_no_identity_code_but_a_planted_one_is_found(tmp_path):
    # A document page and the site's manifest show sha256 checksums; one can end in
    # characters that read as an identity code, which must not stop the build.
    from tilannekuva.privacy.scan import scan_paths

    page = tmp_path / "sivu.html"
    page.write_text(
        "<p>Tarkistussumma ab7764780ef2d2d3cade8256dd5a39b1d981100ae2584a68978831061052a308d</p>"
        "<p>Henkilötunnus 061052a308d jäi tekstiin.</p>",
        encoding="utf-8",
    )
    assert [f.kind for f in scan_paths([page])] == ["hetu"]
