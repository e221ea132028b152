"""Each redaction class: forms people really write, and near-misses that must survive."""

from __future__ import annotations

import pytest
from tilannekuva.privacy.redact import find_personal_data, redact_text

POSITIVES = {
    "[sähköposti]": [
        "matti.meikalainen@example.fi",
        "Matti.Meikalainen@Esimerkki.FI",
        "liisa(at)yhdistys.fi",
        "liisa (at) yhdistys.fi",
        "pekka [at] kylaseura [dot] fi",
        "pekka at kylaseura dot fi",
        "info@kyla-seura.example.com",
    ],
    "[puhelin]": [
        "040 123 4567",
        "0401234567",
        "040-1234567",
        "+358 40 123 4567",
        "+358401234567",
        "+358 (0)40 123 4567",
        "(014) 266 0000",
        "014 266 0000",
        "050-765 4321",
        "00358 50 765 4321",
        "09 310 1234",
    ],
    "[hetu]": [
        "131052-308T",
        "131052+308T",
        "010101A123N",
        "010101a123n",
        "020304B987X",
        "020304C987X",
        "020304D987X",
        "020304E987X",
        "020304F987X",
        "020304Y987X",
        "020304X987X",
        "020304W987X",
        "020304V987X",
        "020304U987X",
        "131052-900X",
        "131052-999Y",
        "131052-308U",
        "131052 - 308T",
    ],
    "[tilinumero]": ["FI21 1234 5600 0007 85", "FI2112345600000785", "DE89 3704 0044 0532 0130 00"],
    "[osoite]": [
        "Kauppakatu 12 A 3",
        "Vapaudenkatu 5",
        "Mäkitie 3 b",
        "Kirkkopuisto 4",
        "PL 35",
        "PB 35",
        "PL35",
        "Storgatan 5",
        "Hämeenkatu 1-3",
    ],
    "[linkki]": [
        "https://lomake.example.fi/vastaus?email=x&id=12345",
        "https://example.fi/profiili?user=matti",
        "www.example.fi/a?token=abc123",
    ],
}

NEAR_MISSES = [
    "Y-tunnus 1234567-8",
    "Y-tunnus 0123456-7",
    "vuonna 2018",
    "1.5.2018",
    "01.05.2018",
    "2026-11-22",
    "hinta 1 200 €",
    "postinumero 40100",
    "40100 Jyväskylä",
    "130 jäsentä",
    "klo 18.30",
    "3–5 henkeä",
    "kokous 12.12. klo 17",
    "https://www.jyvaskyla.fi/palvelut",
    "puhelinpalvelu",
    "1 500 000 euroa",
    "sivu 12",
    "i06_grants",
    "KU179",
    "MK13",
]


@pytest.mark.parametrize("tag,text", [(t, x) for t, xs in POSITIVES.items() for x in xs])
def test_true_positives_are_redacted(tag, text):
    redacted = redact_text(f"Tiedot: {text}, kiitos.")
    assert redacted == f"Tiedot: {tag}, kiitos.", redacted


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_survive(text):
    assert redact_text(text) == text
    assert find_personal_data(text) == []


def test_several_in_one_answer_and_line_breaks_kept():
    text = "Soita 040 123 4567\ntai laita viestiä matti@example.fi. Tili FI21 1234 5600 0007 85."
    assert (
        redact_text(text) == "Soita [puhelin]\ntai laita viestiä [sähköposti]. Tili [tilinumero]."
    )


def test_finding_is_masked():
    (finding,) = find_personal_data("puh 040 123 4567")
    assert finding.kind == "phone" and "123" not in finding.masked()


def test_decimal_fractions_in_figure_data_are_not_phones():
    # Plotly writes layout positions such as "y": 0.953125 into every page.
    for text in ('"y":0.953125,"yanchor"', "0.1234567", "osuus 0,953125"):
        assert find_personal_data(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "muuttuneita tunnuslukuja 0, ennallaan 45",  # a plural partitive, and no house is 0
        "Roimäki\n  961 Roiniemi",  # a list of place names and codes across lines
    ],
)
def test_words_and_lists_that_look_like_streets_are_not_addresses(text):
    assert find_personal_data(text) == []
