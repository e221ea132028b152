"""What every page of the site shares: the section navigation, the municipality
finder, a municipality page's links to its other pages, and the footer's sources.

Page file names follow ``notebooks/pages.yaml`` (``<notebook>--kunta-<code>``);
the links are relative so the site works from the file system.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tilannekuva.formats import fi_date
from tilannekuva.provenance import SourceRecord
from tilannekuva.region import Region

SITE_NAME = "Järjestökentän tilannekuva"

SECTIONS = (
    ("Yleiskuva", "00_yleiskuva.html"),
    ("Järjestökenttä", "10_jarjestokentta.html"),
    ("Kyselyn tulokset", "20_kysely.html"),
    ("Avoimet vastaukset", "30_avoimet.html"),
    ("Painopisteet", "40_painopisteet.html"),
    ("Kuntakortit", "index.html#kuntakortit"),
    ("Menetelmät", "menetelmat.html"),
)

SOURCE_LABELS = {
    "survey": "Kyselyaineisto",
    "registry-extract": "Yhdistysrekisterin ote",
    "ytj": "YTJ-avoin data (yhdistykset, joilla Y-tunnus)",
    "population": "Väestö (Tilastokeskus)",
    "geo": "Kuntarajat (Tilastokeskus)",
}


def page_title(title: str) -> str:
    """The browser title: the page and its scope, then the site."""
    return f"{title} – {SITE_NAME}"


def field_page(code: str) -> str:
    return f"10_jarjestokentta--kunta-{code}.html"


def card_page(code: str) -> str:
    return f"50_kuntakortti--kunta-{code}.html"


def subregion_page(subregion_code: str) -> str:
    return f"20_kysely--seutukunta-{subregion_code}.html"


def slug(name: str) -> str:
    """A municipality's name as lower-case ASCII for file names: Äänekoski → aanekoski."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())


@dataclass(frozen=True)
class Place:
    """A municipality as the finder lists it."""

    code: str
    name: str
    subregion: str
    field: str
    card: str
    survey: str


def places(region: Region) -> list[Place]:
    """The region's municipalities in Finnish alphabetical order (å, ä, ö last)."""
    rows = [
        Place(
            r.code,
            r.name,
            r.subregion,
            field_page(r.code),
            card_page(r.code),
            subregion_page(r.subregion_code),
        )
        for r in region.municipalities.itertuples()
    ]
    order = str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}"})
    return sorted(rows, key=lambda p: p.name.lower().translate(order))


def related_links(parameters: dict, region: Region) -> list[tuple[str, str]]:
    """On a municipality's page: its field page, card, sub-region's survey page, the region."""
    code = parameters.get("municipality")
    if not code:
        return []
    for place in places(region):
        if place.code == code:
            return [
                (f"Järjestökenttä: {place.name}", place.field),
                (f"Kuntakortti: {place.name}", place.card),
                (f"Kyselyn tulokset: {place.subregion}", place.survey),
                (f"Koko {region.name}", "00_yleiskuva.html"),
            ]
    return []


def source_lines(sources: list[SourceRecord]) -> list[dict]:
    """The footer's sources: Finnish words for readers, file and checksum for the technical block."""
    return [
        {
            "label": SOURCE_LABELS.get(s.source, "Muu aineisto"),
            "date": fi_date(s.retrieved),
            "licence": s.licence,
            "file": s.file,
            "sha256": s.sha256[:12],
        }
        for s in sources
    ]


def context(
    title: str, *, region: Region, demo: bool, built: str, sources: list[SourceRecord]
) -> dict:
    """The shared part of every page's template context (``region``: the data directory's)."""
    return {
        "site_name": SITE_NAME,
        "title": title,
        "region": region.name,
        "demo": demo,
        "built": built,
        "sections": SECTIONS,
        "places": places(region),
        "sources": source_lines(sources),
    }
