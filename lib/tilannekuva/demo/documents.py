"""The demo's documents and decision log, written in their real formats.

A DOCX memo (python-docx), a PDF statement (fpdf2, a real text layer), a
Markdown note and a CSV decision log of the secretary. Everything is invented;
the memo and the statement carry planted personal data (an e-mail address,
phone numbers, a personal identity code, a street address) that redaction must
remove before anything reaches a page. The bytes are deterministic: the ZIP
entries and the PDF carry fixed times, so writing the demo again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

FIXED_TIME = (2026, 11, 1, 0, 0, 0)

MEMO_FILE = "kumppanuuspoyta-muistio-2026-10-14.docx"
STATEMENT_FILE = "lausunto-jarjestosuunnitelma-2026-11-02.pdf"
NOTE_FILE = "webinaari-hyvinvointitieto-2026-11-05.md"
DECISIONS_FILE = "paatosloki_demo.csv"

# Planted personal data: the tests look for these on the rendered pages (they must not be there).
PLANTED = {
    "memo_email": "maija.meikalainen@esimerkki-yhdistys.fi",
    "memo_phone": "040 123 4567",
    "memo_address": "Kauppakatu 12 A 3",
    "statement_phone": "+358 50 765 4321",
    "statement_hetu": "131052-308T",
}

MEMO = [
    ("Title", "Kumppanuuspöydän muistio 14.10.2026"),
    ("Normal", "Aika: 14.10.2026 klo 13–15. Paikka: Jyväskylä ja Teams."),
    (
        "Normal",
        "Läsnä: kumppanuuspöydän jäsenet, hyvinvointialueen järjestöyhteistyön edustajat ja "
        "kahden kunnan hyvinvointikoordinaattorit.",
    ),
    ("Heading 1", "1. Järjestöavustukset vuodelle 2027"),
    (
        "Normal",
        "Keskusteltiin järjestöavustusten hakuaikataulusta. Todettiin, että järjestöavustusten "
        "periaatteet valmistellaan yhdessä järjestöjen kanssa ennen seuraavaa hakua.",
    ),
    ("Heading 1", "2. Järjestöyhteistyön koordinaattori"),
    (
        "Normal",
        "Hyvinvointialue esitteli luonnoksen koordinaattorin työnkuvasta. Työnkuvaan "
        "toivottiin selkeämpää vastuuta järjestöjen neuvonnasta.",
    ),
    ("Heading 1", "3. Muut asiat"),
    (
        "Normal",
        "Henkilökohtainen avustaja -palvelun asiakaspalautteesta kerrotaan seuraavassa "
        "kokouksessa.",
    ),
    (
        "Normal",
        f"Muistion laati Maija Meikäläinen, {PLANTED['memo_email']}, puh. "
        f"{PLANTED['memo_phone']}, {PLANTED['memo_address']}, 40100 Jyväskylä.",
    ),
]

STATEMENT = [
    "Lausunto hyvinvointialueen järjestösuunnitelman luonnoksesta",
    "Keski-Suomen Järjestöareena, 2.11.2026",
    "Järjestöareena kiittää mahdollisuudesta lausua järjestösuunnitelman luonnoksesta. "
    "Lausunto on valmisteltu yhdessä jäsenjärjestöjen kanssa lokakuussa 2026.",
    "Esitämme, että avustusperiaatteista sovitaan kirjallisesti ja että periaatteet "
    "käsitellään kumppanuuspöydässä ennen aluehallituksen päätöstä.",
    "Järjestöyhteistyön kirjaukset on tarpeen lisätä hallintosääntöön, jotta yhteistyö "
    "ei jää yksittäisten viranhaltijoiden varaan.",
    "Tilannekuvan mukaan järjestöjen tilanne on vaikeutunut, mutta monet yhdistykset "
    "jatkavat toimintaansa vapaaehtoisvoimin.",
    f"Yhteyshenkilö: Matti Esimerkki, puh. {PLANTED['statement_phone']}, "
    f"henkilötunnus {PLANTED['statement_hetu']} (merkitty vahingossa).",
]

NOTE = """# Webinaari: järjestöt hyvinvointitiedon tuottajina

Webinaari 5.11.2026 kokosi yhteen hyvinvointialueen raportoinnin ja järjestöjen
keräämän tiedon. Muistiinpanot: Keski-Suomen Järjestöareena.

## Keskeiset huomiot

- Järjestöjen tuottamaa hyvinvointitietoa toivotaan osaksi hyvinvointikertomusta
  (yhteistyöasia i11_wellbeing_data).
- Osallistujat muistuttivat, että avustamisen periaatteet vaikuttavat siihen,
  kuinka moni pieni yhdistys jaksaa kerätä tietoa.
- Asukasosallisuuden tavoista päätöksenteossa sovitaan erikseen.

## Jatko

Seuraava webinaari pidetään keväällä 2027.
"""

DECISIONS = (
    "päivämäärä;asia;uusi tila;päätös;viite\n"
    "14.10.2026;Avustusperiaatteet;valmistelussa;Kumppanuuspöytä aloitti "
    "järjestöavustusten periaatteiden valmistelun yhdessä järjestöjen kanssa.;"
    "Kumppanuuspöydän muistio 14.10.2026\n"
    "2026-11-20;i02_councillors;sovittu;Aluevaltuutettujen perehdytys järjestötoimintaan "
    "pidetään helmikuussa 2027.;Asiantuntijaryhmän kokous 20.11.2026\n"
    "20.11.2026;Kirjaukset hallintosäännössä;valmistelussa;Aluehallitukselle "
    "esitetään järjestöyhteistyön kirjauksia hallintosääntöön.;"
    "Asiantuntijaryhmän kokous 20.11.2026\n"
)


def _fixed_zip(data: bytes) -> bytes:
    """The same ZIP package with every entry's time fixed (deterministic bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def memo_docx() -> bytes:
    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.title = ""  # the memo's first line is its title, as in most real memos
    properties.author = "tilannekuva demo"
    properties.created = properties.modified = dt.datetime(2026, 10, 14)
    properties.last_printed = dt.datetime(2026, 10, 14)
    properties.revision = 1
    for style, text in MEMO:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def statement_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    pdf.set_title("Lausunto järjestösuunnitelman luonnoksesta")
    pdf.set_author("Keski-Suomen Järjestöareena (demo)")
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, STATEMENT[0])
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for paragraph in STATEMENT[1:]:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    return bytes(pdf.output())


def note_markdown() -> bytes:
    return NOTE.encode("utf-8")


def decisions_csv() -> bytes:
    return DECISIONS.encode("utf-8")


DOCUMENTS = {
    MEMO_FILE: memo_docx,
    STATEMENT_FILE: statement_pdf,
    NOTE_FILE: note_markdown,
}
