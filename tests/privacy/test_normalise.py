"""Normalisation for matching, and the map back to what the respondent typed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tilannekuva.privacy.normalise import normalise


@pytest.mark.parametrize(
    "typed,seen",
    [
        ("131052\u2013308T", "131052-308T"),
        ("131052\u00a0-\u00a0308T", "131052 - 308T"),
        ("040\u202f123\u20094567", "040 123 4567"),
        ("mat\u200bti\uff20yhdistys\uff0efi", "matti@yhdistys.fi"),
        ("matti%40yhdistys%2Efi", "matti@yhdistys.fi"),
        ("\uff26\uff29\uff12\uff11", "FI21"),
        ("Ma\u0308kitie", "Mäkitie"),
        ("\ufeffteksti\u00ad", "teksti"),
    ],
)
def test_look_alikes_are_seen_as_ascii(typed, seen):
    assert normalise(typed).text == seen


@pytest.mark.parametrize(
    "text",
    ["Hyvää yhteistyötä, kiitos!", "ääkköset ÅÄÖ åäö é", "100 %", "50%:n osuus", "a%zz"],
)
def test_ordinary_text_is_seen_as_written(text):
    assert normalise(text).text == text


def test_spans_map_back_to_the_original():
    typed = "x mat\u200bti\uff20yhdistys.fi y"
    normal = normalise(typed)
    start = normal.text.index("matti")
    end = normal.text.index(" y")
    a, b = normal.original_span(start, end)
    assert typed[a:b] == "mat\u200bti\uff20yhdistys.fi"
    a, b = normal.original_span(normal.text.index("@"), normal.text.index("@") + 1)
    assert typed[a:b] == "\uff20"


def test_a_percent_code_maps_back_to_its_three_characters():
    typed = "to=matti%40x.fi"
    normal = normalise(typed)
    at = normal.text.index("@")
    assert normal.original_span(at, at + 1) == (8, 11)


_TYPED = st.text(
    alphabet=st.sampled_from(
        [*"abcäöÅ019 -@.%4", "\u200b", "\u00a0", "\u2013", "\uff20", "\uff11", "\u0308"]
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(_TYPED)
def test_every_normalised_character_has_an_ordered_original_span(typed):
    normal = normalise(typed)
    if normal.starts is None:  # one for one: positions are the original's
        assert len(normal.text) == len(typed)
        return
    assert len(normal.starts) == len(normal.ends) == len(normal.text)
    for start, end in zip(normal.starts, normal.ends, strict=True):
        assert 0 <= start < end <= len(typed)
    # In order: a later normalised character never comes from earlier text.
    assert normal.starts == sorted(normal.starts)
    assert normal.ends == sorted(normal.ends)
    # Every visible typed character is covered by some span.
    covered = {i for a, b in zip(normal.starts, normal.ends, strict=True) for i in range(a, b)}
    dropped = {i for i, c in enumerate(typed) if i not in covered}
    assert all(typed[i] in "\u200b" for i in dropped), [typed[i] for i in dropped]
