"""A municipality's partnership survey asking importance and state over the same five rows.

The answers are fixed lists, so every mean, gap and rank is known by hand:

====================  ==========  =====  ====  ================================
row                   importance  state  gap   note
====================  ==========  =====  ====  ================================
tilat                 4.6         2.4    2.2   the largest gap, rank 1
avustukset            4.0         3.0    1.0   rank 2, ``about: [i06_grants]``
viestinta             3.4         3.4    0.0
koulutus              2.4         3.8    −1.4
neuvonta              (10)        (4)    –     only 4 answered both: hidden
====================  ==========  =====  ====  ================================
"""

from __future__ import annotations

import pandas as pd
from tilannekuva.questionnaire import Questionnaire

ROWS = ("tilat", "avustukset", "viestinta", "koulutus", "neuvonta")
IMPORTANCE = {
    "tilat": [5, 5, 5, 5, 4, 4, 4, 4, 5, 5],
    "avustukset": [4, 4, 5, 5, 4, 4, 3, 3, 4, 4],
    "viestinta": [3, 3, 4, 4, 3, 3, 4, 4, 3, 3],
    "koulutus": [2, 2, 3, 3, 2, 2, 3, 3, 2, 2],
    "neuvonta": [5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
}
STATE = {
    "tilat": [2, 2, 3, 3, 2, 2, 3, 3, 2, 2],
    "avustukset": [3, 3, 3, 3, 3, 3, 3, 3, 4, 2],
    "viestinta": [3, 4, 4, 3, 3, 3, 4, 4, 3, 3],
    "koulutus": [4, 4, 4, 4, 4, 4, 4, 4, 3, 3],
    "neuvonta": [1, 1, 2, 2, None, None, None, None, None, None],
}
LABELS = {
    "tilat": "Toimitilat",
    "avustukset": "Avustukset",
    "viestinta": "Viestintä",
    "koulutus": "Koulutus",
    "neuvonta": "Neuvonta",
}
AGREE = {1: "Ei lainkaan", 2: "Vähän", 3: "Jonkin verran", 4: "Paljon", 5: "Erittäin paljon"}

SPEC = {
    "id": "kumppanuus",
    "title": "Kunnan kumppanuuskysely",
    "pair": {"importance": "tarkeys", "state": "toteutuminen"},
    "scales": {"tarkeys": AGREE, "tila": AGREE},
    "questions": [
        {"id": "tarkeys", "type": "matrix", "header": "Kuinka tärkeä asia on yhdistyksellenne?",
         "short": "Tärkeys", "scale": "tarkeys", "rows": "asiat", "column": "tarkeys__{row}"},
        {"id": "toteutuminen", "type": "matrix", "header": "Miten asia toimii kunnassanne?",
         "short": "Toteutuminen", "scale": "tila", "rows": "asiat",
         "column": "toteutuminen__{row}"},
    ],
    "row_sets": {
        "asiat": [
            {"id": r, "text": LABELS[r], **({"about": ["i06_grants"]} if r == "avustukset" else {})}
            for r in ROWS
        ]
    },
}  # fmt: skip


def questionnaire() -> Questionnaire:
    return Questionnaire.model_validate(SPEC)


def frame(round_label: str = "2026") -> pd.DataFrame:
    """The processed table: one row per respondent, the pair's columns and the round."""
    columns = {}
    for row in ROWS:
        columns[f"tarkeys__{row}"] = pd.array(IMPORTANCE[row], dtype="Int8")
        columns[f"toteutuminen__{row}"] = pd.array(STATE[row], dtype="Int8")
    out = pd.DataFrame(columns)
    out["round"] = round_label
    return out
