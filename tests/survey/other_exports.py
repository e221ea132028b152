"""Two questionnaires that are not the default one, exported as four survey tools write them.

``EVENT``: feedback after an association day (single choice with a comma in an
option, municipality incl. an old merged name, a labelled 1–5 matrix, options
joined in one cell or as 0/1 columns, a 1–5 rating, free text with planted
contact details). ``PARTNERSHIP``: a municipality's survey of its associations
(two single choices, a Likert matrix of bare labels, needs as 0/1 columns,
free text). The respondents are fixed lists, so counts and means are known
from them; each builder returns the bytes in its tool's shape: Webropol (CSV,
cp1252, title rows, numbered questions, numbers only), Microsoft Forms (XLSX),
Google Forms (CSV, bare labels), LimeSurvey (CSV with subquestion codes). The
demo's own extra survey is a Webropol XLSX with two header rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook

EOS = "En osaa sanoa"
N = 40


@dataclass(frozen=True)
class Spec:
    """One question of an invented questionnaire; ``answers[i]`` is respondent i's."""

    kind: str  # single | municipality | matrix | multiple | scale | text
    header: str
    answers: list  # single/municipality/text: str|None; scale: int|str|None; multiple: set
    rows: tuple[str, ...] = ()  # matrix rows (answers: one list per row)
    options: tuple[str, ...] = ()  # single/multiple options, in order
    labels: dict[int, str] | None = None  # scale labels


def _cycle(values: list, n: int = N) -> list:
    return [values[i % len(values)] for i in range(n)]


SATISFACTION = {
    1: "Erittäin huonosti",
    2: "Melko huonosti",
    3: "Ei hyvin eikä huonosti",
    4: "Melko hyvin",
    5: "Erittäin hyvin",
}
AGREEMENT = {
    1: "Täysin eri mieltä",
    2: "Jokseenkin eri mieltä",
    3: "Ei samaa eikä eri mieltä",
    4: "Jokseenkin samaa mieltä",
    5: "Täysin samaa mieltä",
}
ORG = ("Vapaaehtoisvoimin toimiva yhdistys", "Järjestö, jossa on palkattuja työntekijöitä",
       "Hyvinvointialue tai kunta", "Muu")  # fmt: skip
SECTIONS = ("Avauspuheenvuoro", "Paneelikeskustelu", "Työpajat", "Verkostokahvit")
PLANTED_EMAIL = "pekka.planted@esimerkki.fi"
PLANTED_PHONE = "050 111 2233"

EVENT = [
    Spec("single", "Millaista toimijaa edustat?", _cycle([*ORG[:3], ORG[0], ORG[1], ORG[3]]),
         options=ORG),
    Spec("municipality", "Kotikunta",
         _cycle(["Jyväskylä", "Laukaa", "Korpilahti", "Äänekoski", "Jyväskylä", "Jämsä"])),
    Spec("matrix", "Kuinka hyvin tilaisuus onnistui seuraavissa?",
         [_cycle([5, 4, 4, 3, EOS, 5, 4]), _cycle([4, 4, 5, 2, 3]), _cycle([3, 2, None, 4, 3, 2])],
         rows=("Ohjelman sisältö", "Käytännön järjestelyt", "Tieto avustusperiaatteista"),
         labels=SATISFACTION),
    Spec("multiple", "Mistä osista oli hyötyä?",
         _cycle([{"Avauspuheenvuoro"}, {"Työpajat", "Verkostokahvit"}, {"Paneelikeskustelu"},
                 {"Avauspuheenvuoro", "Työpajat"}, set(), {"Verkostokahvit"}]),
         options=SECTIONS),
    Spec("scale", "Kokonaisarvosana tilaisuudelle", _cycle([4, 5, 3, 4, 2, 4, 5, 1])),
    Spec("text", "Terveisiä järjestäjille",
         [None if i % 3 else f"Kiitos päivästä, numero {i}." for i in range(N - 1)]
         + [f"Soita {PLANTED_PHONE} tai {PLANTED_EMAIL}"]),
]  # fmt: skip

FIELDS = ("Sosiaali- ja terveysala", "Kulttuuri", "Liikunta", "Nuoriso", "Muu")
SIZES = ("alle 50 jäsentä", "50–199 jäsentä", "200 jäsentä tai enemmän")
NEEDS = ("Tilat", "Avustukset", "Viestintä", "Koulutus")
PARTNERSHIP = [
    Spec("single", "Yhdistyksen toimiala", _cycle([*FIELDS, "Kulttuuri", "Liikunta"]),
         options=FIELDS),
    Spec("single", "Yhdistyksen jäsenmäärä", _cycle([SIZES[0], SIZES[1], SIZES[0], SIZES[2]]),
         options=SIZES),
    Spec("municipality", "Kunta, jossa yhdistys toimii",
         _cycle(["Laukaa", "Muurame", "Jyväskylä", "Laukaa"])),
    Spec("matrix", "Miten samaa mieltä olet seuraavista väittämistä?",
         [_cycle([4, 5, 3, 4, 2]), _cycle([2, 1, 3, EOS, 2, 2]), _cycle([3, 4, 4, 5, 3, None]),
          _cycle([5, 4, 4, 4])],
         rows=("Kunta tuntee yhdistyksemme toiminnan", "Avustusten perusteet ovat selkeät",
               "Yhteistyö kunnan kanssa sujuu", "Yhdistyksellämme on sopivat tilat"),
         labels=AGREEMENT),
    Spec("multiple", "Millaista tukea yhdistys tarvitsee kunnalta?",
         _cycle([{"Tilat", "Avustukset"}, {"Viestintä"}, {"Avustukset"}, set(),
                 {"Koulutus", "Tilat"}, {"Tilat"}]),
         options=NEEDS),
    Spec("text", "Tärkein kehittämisehdotus kunnalle",
         [None if i % 4 else "Avustushaku selkeämmäksi ja tilat edullisemmiksi." for i in range(N)]),
]  # fmt: skip

QUESTIONNAIRES = {"event": EVENT, "partnership": PARTNERSHIP}
EXPECTED_TYPES = {
    "event": ["single", "municipality", "matrix", "multiple", "scale", "text"],
    "partnership": ["single", "single", "municipality", "matrix", "multiple", "text"],
}


def mean_of(values: list) -> tuple[float, int]:
    numbers = [v for v in values if isinstance(v, int)]
    return sum(numbers) / len(numbers), len(numbers)


# --- cells in each tool's style ---


def _scale_cell(value, labels: dict[int, str] | None, style: str) -> str | None:
    if value is None:
        return None
    if value == EOS:
        return EOS
    if labels is None or style == "number":
        return str(value)
    return {"full": f"{value} {labels[value]}", "label": labels[value]}[style]


def _columns(specs: list[Spec], matrix: str, scale: str, multiple: str):
    """[(top header, sub header or None, cells)] for the questionnaire part."""
    out = []
    for spec in specs:
        if spec.kind in ("single", "municipality", "text"):
            out.append((spec.header, None, spec.answers))
        elif spec.kind == "scale":
            out.append((spec.header, None, [_scale_cell(v, None, "number") for v in spec.answers]))
        elif spec.kind == "matrix":
            for i, (row, values) in enumerate(zip(spec.rows, spec.answers, strict=True)):
                cells = [_scale_cell(v, spec.labels, scale) for v in values]
                out.append(_split(spec.header, row, i, matrix, cells))
        elif spec.kind == "multiple":
            if multiple in ("semicolon", "comma"):
                sep = ";" if multiple == "semicolon" else ", "
                cells = [
                    sep.join(o for o in spec.options if o in chosen) or None
                    for chosen in spec.answers
                ]
                out.append((spec.header, None, cells))
            else:
                on, off = ("Y", "") if multiple == "limesurvey" else ("1", "0")
                for i, option in enumerate(spec.options):
                    cells = [
                        (on if option in chosen else off) if chosen else off
                        for chosen in spec.answers
                    ]
                    out.append(_split(spec.header, option, i, multiple, cells))
    return out


def _split(question: str, row: str, index: int, style: str, cells: list):
    if style == "two-row":
        return (question if index == 0 else None, row, cells)
    name = {
        "dash": f"{question} - {row}",
        "bracket": f"{question} [{row}]",
        "limesurvey": f"{question} [SQ{index + 1:03d}]",
    }[style]
    return (name, None, cells)


def _csv(header: list, rows: list, sep: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def _xlsx(lines: list[list]) -> bytes:
    book = Workbook()
    for line in lines:
        book.active.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def webropol_csv(specs: list[Spec]) -> bytes:
    """Webropol: cp1252, ';', title rows, numbered questions, numbers, 0/1 option columns."""
    numbered = [
        Spec(sp.kind, f"{i}. {sp.header}", sp.answers, sp.rows, sp.options, sp.labels)
        for i, sp in enumerate(specs, 1)
    ]
    columns = _columns(numbered, "dash", "number", "dash")
    header = ["Vastaajan numero", "Vastausaika", *[c[0] for c in columns]]
    rows = [
        [str(500 + i), f"{1 + i % 28:02d}.10.2026", *[c[2][i] for c in columns]] for i in range(N)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([["Raportti"], ["Luotu 22.11.2026"], []])
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode("cp1252")


def forms_xlsx(specs: list[Spec]) -> bytes:
    """Microsoft Forms: ID, times, Email, Name; full labels; options in one cell with ';'."""
    columns = _columns(specs, "dash", "full", "semicolon")
    header = ["ID", "Start time", "Completion time", "Email", "Name", *[c[0] for c in columns]]
    rows = [
        [i + 1, f"2026-10-{1 + i % 28:02d} 10:00:00", f"2026-10-{1 + i % 28:02d} 10:07:00",
         f"vastaaja{i}@esimerkki.fi", f"Vastaaja Numero{i}", *[c[2][i] for c in columns]]
        for i in range(N)
    ]  # fmt: skip
    return _xlsx([header, *rows])


def google_csv(specs: list[Spec]) -> bytes:
    """Google Forms: Timestamp, Email Address, '[row]' matrix headers, bare labels, ', '."""
    columns = _columns(specs, "bracket", "label", "comma")
    header = ["Timestamp", "Email Address", *[c[0] for c in columns]]
    rows = [
        [f"10/{1 + i % 28}/2026 9:{i % 60:02d}:00", f"g{i}@esimerkki.fi", *[c[2][i] for c in columns]]
        for i in range(N)
    ]  # fmt: skip
    return _csv(header, rows, ",", "utf-8")


def limesurvey_csv(specs: list[Spec]) -> bytes:
    """LimeSurvey: its own columns, '[SQ001]' codes, numbers, 'Y' options, ';' and a BOM."""
    columns = _columns(specs, "limesurvey", "number", "limesurvey")
    own = ["id", "submitdate", "lastpage", "startlanguage", "seed", "ipaddr"]
    rows = [
        [str(i + 1), f"2026-10-{1 + i % 28:02d} 11:00:00", "3", "fi", "42", f"10.0.0.{i + 1}",
         *[c[2][i] for c in columns]]
        for i in range(N)
    ]  # fmt: skip
    return b"\xef\xbb\xbf" + _csv([*own, *[c[0] for c in columns]], rows, ";", "utf-8")


TOOLS = {
    "webropol.csv": webropol_csv,
    "forms.xlsx": forms_xlsx,
    "google.csv": google_csv,
    "limesurvey.csv": limesurvey_csv,
}
