"""Linking passages to items and goals: inflected and compound Finnish forms link, near misses do not."""

from __future__ import annotations

import pandas as pd
import pytest
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.linking import best_links, link_passages


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def _links(kb, *texts: str, tags=None) -> pd.DataFrame:
    passages = pd.DataFrame(
        {
            "document_id": ["d"] * len(texts),
            "passage": list(range(1, len(texts) + 1)),
            "text": list(texts),
        }
    )
    return link_passages(passages, kb, tags)


@pytest.mark.parametrize(
    "text",
    [
        "Järjestöavustukset jaetaan keväällä.",
        "Keskustelimme avustusperiaatteista pitkään.",
        "Avustamisen periaatteet on sovittava yhdessä.",
        "Hallitus päätti järjestöavustusten hakuajasta.",
    ],
)
def test_inflected_and_compound_forms_find_the_grants_item(kb, text):
    links = _links(kb, text)
    assert "i06_grants" in set(links["entry_id"]), links
    row = links[links["entry_id"] == "i06_grants"].iloc[0]
    assert row["passage"] == 1 and row["excerpt"] == text


@pytest.mark.parametrize(
    "text",
    [
        # An assistant (avustaja) is no grant (avustus); "tilanne" is no "tila".
        "Henkilökohtainen avustaja auttaa arjessa.",
        "Järjestöjen tilanne on vaikeutunut.",
        # A municipality's wellbeing coordinator is not the item's coordinator.
        "Kuntien hyvinvointikoordinaattorit osallistuivat.",
        # Periaate alone, without the grants, is no reference to them.
        "Periaatteet kirjataan pöytäkirjaan.",
    ],
)
def test_near_misses_do_not_link(kb, text):
    links = _links(kb, text)
    assert links.empty, links


def test_explicit_references_link_by_id_and_by_name(kb):
    links = _links(
        kb,
        "Asia i09_premises käsitellään seuraavaksi.",
        "Koordinaattorin tehtävästä sovittiin.",
    )
    found = {(r.entry_id, r.passage, r.how) for r in links.itertuples()}
    assert ("i09_premises", 1, "viittaus") in found
    assert ("i07_coordinator", 2, "viittaus") in found


def test_the_link_carries_its_sentence(kb):
    text = "Kokous alkoi ajallaan. Hallintosääntöön lisätään kirjaukset. Muuta ei ollut."
    row = _links(kb, text).iloc[0]
    assert row["entry_id"] == "i05_rules"
    assert row["excerpt"] == "Hallintosääntöön lisätään kirjaukset."


def test_a_tag_always_links(kb):
    links = _links(kb, "Yleinen tiedote ilman mainintoja.", tags={"d": ["g3_conditions"]})
    assert list(zip(links["entry_id"], links["how"], strict=True)) == [
        ("g3_conditions", "tunniste")
    ]


def test_best_link_prefers_explicit_reference(kb):
    links = _links(kb, "Järjestöavustukset puhuttivat.", "Asia i06_grants palaa ensi kokoukseen.")
    best = best_links(links)
    row = best[best["entry_id"] == "i06_grants"].iloc[0]
    assert (row["how"], row["passage"]) == ("viittaus", 2)


def test_every_entry_has_keywords(kb):
    assert all(entry.keywords for entry in kb.entries)
