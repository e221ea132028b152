"""An invented event-feedback survey, "Järjestöpäivän palaute", shaped like a Webropol XLSX export.

About 80 respondents of an invented association day. The export has Webropol's
two header rows (each question in the upper row, a matrix's rows under its
question), its respondent number and answer time, a labelled 1–5 matrix whose
two rows speak to items of the default questionnaire, a single choice with a
group of only four respondents (parishes), a municipality question, options
joined with ``;`` in one cell, and free text with an invented e-mail address
and phone number that the ingest must redact. Deterministic for a seed. Its
questionnaire is ``data/config/surveys/jarjestopaiva.yaml`` (drafted by
``survey init`` from this file, then given ``group:`` and ``about:``).
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import numpy as np
from openpyxl import Workbook

from tilannekuva.demo.survey import FIXED_TIME, _fixed_zip_times
from tilannekuva.region import municipalities

SURVEY_ID = "jarjestopaiva"
RESPONDENTS = 80
DONT_KNOW = "En osaa sanoa"
PLANTED_EMAIL = "maija.meikalainen@esimerkki.fi"
PLANTED_PHONE = "040 765 4321"

ORG_TYPES = {
    "Vapaaehtoisvoimin toimiva yhdistys": 0.50,
    "Järjestö, jossa on palkattuja työntekijöitä": 0.28,
    "Hyvinvointialue tai kunta": 0.17,
}
PARISH = "Seurakunta"  # exactly four respondents: a group under the threshold
PARISH_ROWS = {5, 23, 41, 67}
SCALE = {
    1: "Erittäin huonosti",
    2: "Melko huonosti",
    3: "Ei hyvin eikä huonosti",
    4: "Melko hyvin",
    5: "Erittäin hyvin",
}
MATRIX = "Kuinka hyvin järjestöpäivä onnistui seuraavissa asioissa?"
# Row → mean on 1–5; the avustus row is clearly weaker than the rest.
ROWS = {
    "Ohjelman sisältö": 4.1,
    "Käytännön järjestelyt": 4.3,
    "Verkostoituminen muiden toimijoiden kanssa": 3.9,
    "Tieto järjestöavustusten periaatteista": 2.7,
    "Järjestöjen rooli hyvinvoinnin ja terveyden edistämisessä": 3.8,
}
SECTIONS = {
    "Avauspuheenvuoro": 0.45,
    "Avustuspaneeli": 0.55,
    "Työpajat": 0.6,
    "Verkostokahvit": 0.5,
}
WISHES = [
    "Enemmän aikaa työpajoille ja keskustelulle.",
    "Avustusten hakemisesta selkeämpää tietoa, esimerkkejä hyvistä hakemuksista.",
    "Toivoisin, että hyvinvointialueen edustajia olisi enemmän paikalla.",
    "Etäosallistumisen mahdollisuus olisi hyvä, matkat ovat pitkiä.",
    "Kiitos hyvästä päivästä! Verkostoituminen oli antoisaa.",
    "Tilat olivat ahtaat, ja äänentoisto ei toiminut takarivissä.",
    "Lisää tietoa siitä, miten järjestöt voivat osallistua hyvinvoinnin edistämiseen kunnissa.",
    "Avustusperiaatteista pitäisi keskustella järjestöjen kanssa jo ennen päätöksiä.",
    "Pienten yhdistysten näkökulma jäi vähälle.",
    "Vapaaehtoisten jaksaminen ja rekrytointi olisi hyvä aihe ensi kerralla.",
]
PLANTED = f"Ottakaa yhteyttä, niin kerron lisää: {PLANTED_EMAIL} tai {PLANTED_PHONE}."


def _pick(rng: np.random.Generator, probabilities: dict[str, float]) -> str:
    names = list(probabilities)
    p = np.array(list(probabilities.values()))
    return str(rng.choice(names, p=p / p.sum()))


def feedback_xlsx(seed: int = 20261115, respondents: int = RESPONDENTS) -> bytes:
    """The export as XLSX bytes (two header rows, Webropol-like)."""
    rng = np.random.default_rng(seed)
    towns = municipalities()
    weights = {row.name: float(row.population) ** 0.7 for row in towns.itertuples()}
    top = [
        "Vastaajan numero",
        "Vastausaika",
        "1. Millaista toimijaa edustat?",
        "2. Missä kunnassa toimit?",
        f"3. {MATRIX}",
        *[None] * (len(ROWS) - 1),
        "4. Kokonaisarvio järjestöpäivästä (1 = heikko, 5 = erinomainen)",
        "5. Mistä ohjelman osista oli sinulle eniten hyötyä?",
        "6. Mitä toivot seuraavalta järjestöpäivältä?",
        "7. Sähköpostiosoitteesi, jos haluat kutsun seuraavaan tilaisuuteen",
    ]
    sub = [None] * 4 + list(ROWS) + [None] * 4
    book = Workbook()
    sheet = book.active
    sheet.title = "Vastaukset"
    sheet.append(top)
    sheet.append(sub)
    sheet.merge_cells(start_row=1, start_column=5, end_row=1, end_column=4 + len(ROWS))
    start = datetime(2026, 11, 12, 15, 0)
    for index in range(respondents):
        org = PARISH if index in PARISH_ROWS else _pick(rng, ORG_TYPES)
        staff = org != "Vapaaehtoisvoimin toimiva yhdistys"
        row: list[object] = [
            1000 + index,
            (start + timedelta(minutes=int(rng.integers(0, 60 * 48)))).strftime("%d.%m.%Y %H:%M"),
            org,
            _pick(rng, weights),
        ]
        for name, mean in ROWS.items():
            if rng.random() < 0.05:
                row.append(DONT_KNOW)
                continue
            shift = -0.4 if (staff and "avustus" in name) else 0.0
            value = int(np.clip(np.rint(rng.normal(mean + shift, 0.8)), 1, 5))
            row.append(f"{value} {SCALE[value]}")
        row.append(int(np.clip(np.rint(rng.normal(4.0, 0.7)), 1, 5)))
        chosen = [s for s, p in SECTIONS.items() if rng.random() < p]
        row.append(";".join(chosen) if chosen else None)
        if index == 12:
            row.append(PLANTED)
        else:
            row.append(str(rng.choice(WISHES)) if rng.random() < 0.55 else None)
        row.append(f"osallistuja{index}@esimerkki.fi" if rng.random() < 0.3 else None)
        sheet.append(row)
    book.properties.created = book.properties.modified = FIXED_TIME  # the same bytes each run
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())
