"""An invented register-of-associations extract shaped like a PRH delivery.

About 5 300 active associations over the 22 municipalities and the field
classes like the regional reference figures (data-sources.md §1a), plus
deregistered ones with their end date, a few rows using the old names of merged
municipalities, and a few with a home municipality outside the region.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import numpy as np

from tilannekuva.region import current, mergers, municipalities

HEADER = [
    "Rekisterinumero",
    "Yhdistyksen nimi",
    "Kotipaikka",
    "Rekisteröintipäivä",
    "Toimialaluokka",
    "Tila",
    "Lopettamispäivä",
    "Y-tunnus",
]

# Field classes as PRH extracts write them, with the regional shares (KYT 2018/2019).
FIELD_SHARES = {
    "Sosiaali- ja terveysala": 0.10,
    "Kulttuuri": 0.15,
    "Vapaa-aika ja harrastukset": 0.15,
    "Urheilu ja liikunta": 0.075,
    "Muu": 0.075,
    "Ammatti ja elinkeino": 0.27,
    "Poliittinen toiminta": 0.18,
}
ACTIVITY = {
    "Sosiaali- ja terveysala": [
        "Eläkeläiset",
        "Omaishoitajat",
        "Sydänyhdistys",
        "Mielenterveysseura",
    ],
    "Kulttuuri": ["Kuoro", "Teatteriyhdistys", "Kotiseutuyhdistys", "Soittokunta"],
    "Vapaa-aika ja harrastukset": [
        "Kyläyhdistys",
        "Metsästysseura",
        "Kalastuskunta",
        "Marttayhdistys",
    ],
    "Urheilu ja liikunta": ["Urheiluseura", "Hiihtoseura", "Palloseura", "Voimisteluseura"],
    "Muu": ["Vanhempainyhdistys", "Ystävyysseura", "Asukasyhdistys"],
    "Ammatti ja elinkeino": ["Yrittäjät", "Maataloustuottajat", "Ammattiosasto", "Tiekunta"],
    "Poliittinen toiminta": ["Kunnallisjärjestö", "Paikallisyhdistys", "Nuorisojärjestö"],
}
ACTIVE_TOTAL = 5300
JYVASKYLA = 2180
# Rural municipalities have many associations per inhabitant; Jämsä, Keuruu and
# Laukaa follow Jyväskylä in the reference figures.
FIXED = {"179": JYVASKYLA, "182": 330, "249": 262, "410": 255}


def municipality_counts() -> dict[str, int]:
    """Active associations per municipality code, ACTIVE_TOTAL in all.

    In Keski-Suomi the four largest follow the reference figures; in another
    region (the benchmark's generated national one) all follow population.
    """
    table = municipalities()
    fixed = FIXED if current().code == "MK13" else {}
    rest = table[~table["code"].isin(fixed)]
    weights = rest["population"].to_numpy(dtype=float) ** 0.6
    remaining = ACTIVE_TOTAL - sum(fixed.values())
    raw = weights / weights.sum() * remaining
    counts = np.floor(raw).astype(int)
    # Largest remainders get the last few so the total is exact.
    for i in np.argsort(raw - counts)[::-1][: remaining - counts.sum()]:
        counts[i] += 1
    out = dict(fixed)
    out.update(dict(zip(rest["code"], counts.tolist(), strict=True)))
    return out


def _business_id(rng: np.random.Generator) -> str:
    body = [int(d) for d in rng.integers(0, 10, 7)]
    remainder = sum(w * d for w, d in zip((7, 9, 10, 5, 8, 4, 2), body, strict=True)) % 11
    if remainder == 1:
        return _business_id(rng)
    check = 0 if remainder == 0 else 11 - remainder
    return "".join(map(str, body)) + f"-{check}"


EXTRACT_DAY = date(2026, 10, 31)


def _registration_date(rng: np.random.Generator) -> date:
    # Founding years: a long tail from 1900, a wave in 1970–2000, steady since.
    # Draws past 2026 are spread over 2000–2026 (clipping them would pile them
    # all into 2026 and draw a false spike in the registrations-per-year chart).
    year = max(int(rng.normal(1985, 22)), 1900)
    if year > 2026:
        year = int(rng.integers(2000, 2027))
    start = date(year, 1, 1)
    last = EXTRACT_DAY if year == 2026 else date(year, 12, 31)
    return start + timedelta(days=int(rng.integers(0, (last - start).days + 1)))


def registry_csv(seed: int = 20261122, scale: float = 1.0) -> bytes:
    """The extract as PRH-like CSV bytes: UTF-8 with BOM, ``;`` separated, Finnish dates.

    ``scale`` multiplies every municipality's count (the benchmark's national-size run).
    """
    rng = np.random.default_rng(seed)
    table = municipalities().set_index("code")
    old_names = mergers().groupby("new_code")["old_name"].apply(list).to_dict()
    fields = list(FIELD_SHARES)
    shares = np.array(list(FIELD_SHARES.values()))
    shares = shares / shares.sum()
    rows: list[list[str]] = []
    register_no = 100000
    for code, base in municipality_counts().items():
        active = round(base * scale)
        name = table.loc[code, "name"]
        ended_count = round(active * 0.09)
        for i in range(active + ended_count):
            register_no += int(rng.integers(1, 40))
            field = fields[int(rng.choice(len(fields), p=shares))]
            registered = _registration_date(rng)
            home = name
            if code in old_names and rng.random() < 0.04:
                home = str(rng.choice(old_names[code]))
            status, ended = "Rekisterissä", ""
            if i >= active:
                # Ended between 400 days after registration and the extract date.
                span = (EXTRACT_DAY - registered).days
                low = min(400, span)
                end = registered + timedelta(days=int(rng.integers(low, span + 1)))
                status, ended = "Lakannut", f"{end.day}.{end.month}.{end.year}"
            activity = str(rng.choice(ACTIVITY[field]))
            rows.append(
                [
                    str(register_no),
                    f"Esimerkki-{activity.lower()} {i + 1} ry, {name}",
                    home,
                    f"{registered.day}.{registered.month}.{registered.year}",
                    field,
                    status,
                    ended,
                    _business_id(rng) if rng.random() < 0.27 else "",
                ]
            )
    # A few associations whose home is outside the region (Kuhmoinen left it in 2021).
    for i in range(6):
        register_no += 7
        rows.append(
            [
                str(register_no),
                f"Kuhmoisten esimerkkiseura {i + 1} ry",
                "Kuhmoinen",
                "3.4.1990",
                "Kulttuuri",
                "Rekisterissä",
                "",
                "",
            ]
        )
    order = rng.permutation(len(rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows[i] for i in order)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
