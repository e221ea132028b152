"""An invented survey export of the default questionnaire, shaped like Microsoft Forms' XLSX.

About 300 respondents with realistic patterns: importance high, current state
middling, differences between respondent groups, "En osaa sanoa" and skipped
questions, Finnish open answers (a few with invented contact details that the
ingest must redact). Deterministic for a seed.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timedelta

import numpy as np
from openpyxl import Workbook

from tilannekuva.questionnaire import Questionnaire
from tilannekuva.region import current, municipalities

RESPONDENTS = 300
DONT_KNOW = "En osaa sanoa"
FIXED_TIME = datetime(2026, 11, 1)

ORG_TYPE_P = {
    "volunteer": 0.45,
    "staffed": 0.25,
    "service_provider": 0.12,
    "parish": 0.07,
    "other": 0.11,
}
FIELD_P = {
    "social_health": 0.38,
    "culture": 0.14,
    "sports": 0.14,
    "leisure": 0.14,
    "professional": 0.06,
    "political": 0.04,
    "other": 0.10,
}
SIZE_P = {"lt50": 0.38, "50_199": 0.34, "200_499": 0.17, "500plus": 0.11}
STRUCTURE_P = {
    "partnership_table": 0.22,
    "jarjestoareena": 0.35,
    "expert_group": 0.12,
    "municipal": 0.40,
}
# Item profiles: (importance mean, state mean) on the 1–5 scale.
ITEM_PROFILE = {
    "i01_agreement": (4.3, 2.4),
    "i02_councillors": (3.7, 2.2),
    "i03_structure": (4.2, 2.9),
    "i04_working_groups": (4.0, 2.5),
    "i05_rules": (3.6, 2.8),
    "i06_grants": (4.6, 2.3),
    "i07_coordinator": (4.4, 3.1),
    "i08_staff": (4.1, 2.2),
    "i09_premises": (4.2, 3.0),
    "i10_participation": (4.0, 2.6),
    "i11_wellbeing_data": (3.5, 2.4),
    "i12_guidance": (4.3, 2.1),
    "i13_health_promotion": (4.5, 3.2),
}
GOAL_MEAN = {"g1_role": 2.7, "g2_structures": 2.6, "g3_conditions": 2.3, "g4_expertise": 2.5}

OPEN_PRIORITY = [
    "Avustusten periaatteista pitäisi sopia yhdessä järjestöjen kanssa ja rahoituksen olla ennakoitavaa.",
    "Järjestöjen rahoitus on epävarmaa, avustuksia haetaan joka vuosi alusta.",
    "Palveluohjauksessa työntekijät eivät tunne järjestöjen toimintaa, asiakkaita ei ohjata meille.",
    "Sujuva asiakasohjaus järjestöjen toimintaan sosiaali- ja terveyspalveluista.",
    "Tarvitaan koordinaattori, joka tuntee kentän ja vastaa yhteydenottoihin.",
    "Kohtuuhintaiset ja esteettömät tilat kokoontumisiin, kunnan tilojen käyttö maksuttomaksi.",
    "Tiedonkulku hyvinvointialueelta yhdistyksille on heikkoa, emme tiedä kenelle olla yhteydessä.",
    "Kumppanuussopimus, jossa järjestöjen rooli kirjataan selvästi.",
    "Järjestöjen osallisuus valmistelussa jo alkuvaiheessa eikä vasta lausuntovaiheessa.",
    "Vapaaehtoisten jaksaminen ja tuki, vapaaehtoistoiminnan koordinointi.",
    "Hyvinvoinnin ja terveyden edistämisen yhteistyö kuntien kanssa.",
    "Pienten yhdistysten ääni kuuluviin, nyt vain isot järjestöt ovat mukana työryhmissä.",
    "Yhteiset verkkoalustat ja tiedotuskanavat järjestöille.",
    "Aluevaltuutetut eivät tunne järjestötoimintaa, perehdytystä tarvitaan.",
    "Järjestöjen tuottama tieto asukkaiden hyvinvoinnista pitäisi ottaa käyttöön raportoinnissa.",
    "Yhteistyön pitäisi olla osa hyvinvointialueen työntekijöiden arkea, ei erillinen projekti.",
]
OPEN_OTHER = [
    "Kiitos kyselystä, toivottavasti tuloksia hyödynnetään.",
    "Lisätietoja antaa puheenjohtaja, puh. 040 123 4567.",
    "Kyselyssä oli vaikea arvioida asioita, joista pieni yhdistys ei tiedä.",
    "Voitte olla yhteydessä sähköpostilla: sihteeri(at)esimerkkiyhdistys.fi",
    "Toivomme tapaamista syksyn aikana, osoitteemme on Esimerkkikatu 12 B 4.",
    "Hyvä, että järjestöjen näkemyksiä kysytään.",
    "Yhteistyö kunnan kanssa toimii hyvin, hyvinvointialueen kanssa vielä hakee muotoaan.",
]


def _pick(rng: np.random.Generator, probabilities: dict[str, float]) -> str:
    keys = list(probabilities)
    p = np.array(list(probabilities.values()), dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _scale_value(rng: np.random.Generator, mean: float) -> int:
    return int(np.clip(np.rint(rng.normal(mean, 0.95)), 1, 5))


def _municipality_weights() -> dict[str, float]:
    table = municipalities()
    weights = {row.name: float(row.population) ** 0.8 for row in table.itertuples()}
    weights[current().whole_region_label] = sum(weights.values()) * 0.06
    return weights


def survey_xlsx(
    questionnaire: Questionnaire, seed: int = 20261122, respondents: int = RESPONDENTS
) -> bytes:
    """The export as XLSX bytes: header row 1, Forms' own columns first."""
    rng = np.random.default_rng(seed)
    q = questionnaire
    options = {question.id: {o.id: o.label for o in question.options} for question in q.questions}
    scales = q.scales
    municipality_weights = _municipality_weights()

    header = ["ID", "Start time", "Completion time", "Email", "Name"]
    for question in q.questions:
        if question.type == "matrix":
            header += [f"{question.header} - {row.text}" for row in q.rows(question.id)]
        else:
            header.append(question.header)

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(header)
    start = datetime(2026, 10, 5, 8, 0)
    for index in range(respondents):
        org_type = _pick(rng, ORG_TYPE_P)
        field = _pick(rng, FIELD_P)
        began = start + timedelta(minutes=int(rng.integers(0, 60 * 24 * 20)))
        row: list[object] = [
            index + 1,
            began,
            began + timedelta(seconds=int(rng.integers(240, 1500))),
            "anonymous",
            "",
        ]
        # Staff-run organisations know the structures better: fewer don't-knows, lower state.
        knows = {"volunteer": 0.80, "staffed": 0.95, "service_provider": 0.96}.get(org_type, 0.85)
        state_shift = {"staffed": -0.35, "service_provider": -0.55, "parish": 0.3}.get(
            org_type, 0.0
        )
        importance_shift = {"service_provider": 0.25, "volunteer": -0.15}.get(field, 0.0)
        for question in q.questions:
            if question.type == "single":
                value = {"org_type": org_type, "field": field}.get(question.id) or _pick(
                    rng, SIZE_P
                )
                row.append(options[question.id][value] if rng.random() > 0.01 else None)
            elif question.type == "municipality":
                names = list(municipality_weights)
                p = np.array(list(municipality_weights.values()))
                row.append(str(rng.choice(names, p=p / p.sum())))
            elif question.type == "multiple":
                chosen = [
                    options[question.id][o] for o, p in STRUCTURE_P.items() if rng.random() < p
                ]
                if not chosen:
                    chosen = [options[question.id]["none"]]
                row.append(";".join(chosen) + ";")
            elif question.type == "matrix":
                labels = scales[question.scale or ""]
                for item in q.rows(question.id):
                    if rng.random() < 0.03:
                        row.append(None)  # skipped
                        continue
                    if question.id == "importance":
                        mean = ITEM_PROFILE[item.id][0] + importance_shift
                        dont_know = 0.03
                    elif question.id == "state":
                        mean = ITEM_PROFILE[item.id][1] + state_shift
                        dont_know = 1 - knows
                    else:
                        mean = GOAL_MEAN[item.id] + state_shift / 2
                        dont_know = 1 - knows + 0.05
                    if rng.random() < dont_know:
                        row.append(DONT_KNOW)
                    else:
                        value = _scale_value(rng, mean)
                        row.append(f"{value} {labels[value]}")
            elif question.type == "text":
                pool, p = (
                    (OPEN_PRIORITY, 0.62) if question.id == "open_priority" else (OPEN_OTHER, 0.2)
                )
                row.append(str(rng.choice(pool)) if rng.random() < p else None)
        sheet.append(row)
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite the XLSX zip with fixed member times so the same seed gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(member.filename)
            if member.filename == "docProps/core.xml":
                # openpyxl stamps the save time as "modified"; pin it.
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-11-01T00:00:00Z", content
                )
            target.writestr(info, content)
    return out.getvalue()
