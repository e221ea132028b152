"""Reading a register-of-associations extract (PRH delivers CSV or Excel on request).

Header names vary by delivery, so columns are found by a documented, tolerant
mapping (case, spacing, punctuation and order do not matter):

| column | accepted headers (normalised) |
|---|---|
| register_id | rekisterinumero, rekisterinro, rek.nro, rek nro, reknro, register number, registration number |
| name | nimi, yhdistyksen nimi, yhdistys, name, association name, association |
| municipality | kotipaikka, kotikunta, kunta, kotipaikkakunta, kuntakoodi, kotipaikan koodi, municipality, home municipality, domicile |
| registered | rekisteröintipäivä, rekisteröintipvm, rekisteröity, rek.pvm, rek pvm, merkitty rekisteriin, registration date, registered |
| field | toimialaluokka, toimiala, toimialaluokitus, luokka, field, category, field class |
| status | tila, status, rekisteritila |
| ended | lopettamispäivä, poistopäivä, lakkaamispäivä, purkautumispäivä, rekisteristä poistettu, end date, deregistered, ended |
| business_id | y-tunnus, ytunnus, y tunnus, business id, businessid |

Municipalities: a current name, an old name of a merged one, or a code
(``179``, ``KU179``). Dates: Finnish ``1.5.2018`` / ``01.05.2018`` or ISO
``2018-05-01`` (with or without a time). Field classes: the project's seven
(data-sources.md §1a), matched case- and spacing-insensitively.
"""

from __future__ import annotations

import re
from datetime import datetime

from tilannekuva.questionnaire import Questionnaire
from tilannekuva.survey.headers import norm

HEADERS = {
    "register_id": [
        "rekisterinumero",
        "rekisterinro",
        "rek.nro",
        "rek nro",
        "reknro",
        "rek.numero",
        "register number",
        "registration number",
        "register id",
    ],
    "name": [
        "nimi",
        "yhdistyksen nimi",
        "yhdistys",
        "name",
        "association name",
        "association",
        "yhdistyksen nimi (fi)",
    ],
    "municipality": [
        "kotipaikka",
        "kotikunta",
        "kunta",
        "kotipaikkakunta",
        "kuntakoodi",
        "kotipaikan koodi",
        "kotipaikka (kunta)",
        "municipality",
        "home municipality",
        "domicile",
        "municipality code",
    ],
    "registered": [
        "rekisteröintipäivä",
        "rekisteröintipvm",
        "rekisteröity",
        "rek.pvm",
        "rek pvm",
        "rekisteröintipäivämäärä",
        "merkitty rekisteriin",
        "registration date",
        "registered",
    ],
    "field": [
        "toimialaluokka",
        "toimiala",
        "toimialaluokitus",
        "luokka",
        "field",
        "category",
        "field class",
        "toimialaluokka (prh)",
    ],
    "status": ["tila", "status", "rekisteritila", "yhdistyksen tila"],
    "ended": [
        "lopettamispäivä",
        "poistopäivä",
        "lakkaamispäivä",
        "purkautumispäivä",
        "rekisteristä poistettu",
        "poistettu rekisteristä",
        "end date",
        "deregistered",
        "ended",
        "lakannut",
    ],
    "business_id": [
        "y-tunnus",
        "ytunnus",
        "y tunnus",
        "business id",
        "businessid",
        "y-tunnus (ytj)",
    ],
}
REQUIRED = ["name", "municipality", "registered", "field"]
ENDED_STATUSES = {
    "lakannut",
    "poistettu",
    "purkautunut",
    "purettu",
    "lakkautettu",
    "ended",
    "deregistered",
    "poistettu rekisteristä",
    "ei rekisterissä",
}


def _key(header: str) -> str:
    return re.sub(r"[\s_]+", " ", norm(header)).strip()


def map_headers(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """(column → index, unmatched headers)."""
    lookup = {_key(alias): column for column, aliases in HEADERS.items() for alias in aliases}
    found: dict[str, int] = {}
    unmatched = []
    for index, raw in enumerate(header):
        column = lookup.get(_key(raw)) or lookup.get(_key(raw).replace(".", "").replace("-", " "))
        if column and column not in found:
            found[column] = index
        elif raw.strip():
            unmatched.append(raw)
    return found, unmatched


def parse_date(text: str) -> datetime:
    """``1.5.2018``, ``01.05.2018``, ``2018-05-01``, ``2018-05-01 00:00:00`` → datetime."""
    value = text.strip()
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?(?:\s+.*)?", value):
        return datetime(int(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s].*)?", value):
        return datetime(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError("a date such as 1.5.2018 or 2018-05-01")


def field_lookup(questionnaire: Questionnaire) -> dict[str, str]:
    """Field class names (labels, short names, aliases, ids) → field id, from ``questionnaire``."""
    question = questionnaire.question("field")
    names = {}
    for option in question.options:
        for name in (option.label, option.id, option.short, *option.aliases):
            if name:
                names[norm(name)] = option.id
    return names
