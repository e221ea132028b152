"""Secondary suppression over nested, linked partitions, checked by an independent LP audit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tilannekuva.privacy.disclosure import (
    REGION,
    Relation,
    audit,
    derivable_ranges,
    narrow_cells,
    protect,
)

T = 5
WHOLE = ("whole-region", "")


def region_of(subregions: dict[str, dict[str, int]], whole: int):
    """Counts and relations of a region: sub-regions of municipalities, plus whole-region answers."""
    counts = {WHOLE: whole}
    relations = [Relation(REGION, (*(("subregion", s) for s in subregions), WHOLE))]
    for s, towns in subregions.items():
        counts[("subregion", s)] = sum(towns.values())
        relations.append(Relation(("subregion", s), tuple(("municipality_code", m) for m in towns)))
        for m, n in towns.items():
            counts[("municipality_code", m)] = n
    counts[REGION] = sum(counts[("subregion", s)] for s in subregions) + whole
    return counts, relations


def test_a_card_of_four_cannot_be_recovered_from_its_subregion():
    # Sub-region 132: a municipality of 4 beside one of 30; the sub-region page is published.
    counts, relations = region_of(
        {"131": {"179": 100, "410": 25}, "132": {"172": 30, "435": 4}}, 17
    )
    hidden = protect(counts, relations, T, [WHOLE])
    assert hidden[("municipality_code", "435")] == "small"
    # 132 − 172 would give 435 exactly: either 172 or 132 itself must be hidden too.
    assert ("municipality_code", "172") in hidden or ("subregion", "132") in hidden
    assert audit(counts, relations, hidden, T) == []


def test_a_hidden_subregion_is_not_the_sum_of_published_cards():
    counts, relations = region_of({"131": {"179": 100}, "132": {"172": 3, "435": 3}}, 0)
    hidden = protect(counts, relations, T, [WHOLE])
    assert hidden[("subregion", "132")] == "protects" or ("subregion", "132") not in hidden
    assert audit(counts, relations, hidden, T) == []


def test_the_unpublished_remainder_protects_and_is_protected():
    # Four respondents gave no group: the region minus the published groups would show them.
    counts = {REGION: 70, ("org", "a"): 40, ("org", "b"): 26, ("org-missing", ""): 4}
    relations = [Relation(REGION, (("org", "a"), ("org", "b"), ("org-missing", "")))]
    hidden = protect(counts, relations, T, [("org-missing", "")])
    assert hidden[("org", "b")] == "protects"
    assert audit(counts, relations, hidden, T) == []
    assert narrow_cells(counts, relations, {("org-missing", ""): "unpublished"}, T) == [
        ("org-missing", "")
    ]


def test_reasons_say_small_or_protects():
    counts, relations = region_of({"131": {"179": 100, "410": 3, "500": 9}}, 5)
    hidden = protect(counts, relations, T, [WHOLE])
    assert hidden[("municipality_code", "410")] == "small"
    assert hidden[("municipality_code", "500")] == "protects"
    assert ("municipality_code", "179") not in hidden


towns = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 40), min_size=1, max_size=4
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["1", "2", "3"]), towns, min_size=1, max_size=3),
    st.integers(0, 12),
)
def test_protection_always_passes_the_audit(raw, whole):
    # Municipality ids unique across sub-regions.
    subregions = {s: {f"{s}{m}": n for m, n in t.items()} for s, t in raw.items()}
    counts, relations = region_of(subregions, whole)
    hidden = protect(counts, relations, T, [WHOLE])
    for cell, n in counts.items():
        if cell[0] == "municipality_code" and n < T:
            assert cell in hidden
    if counts[REGION] >= T:
        # Whatever a reader with every page can compute leaves each hidden cell wide.
        assert audit(counts, relations, hidden, T) == []


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["1", "2", "3"]), towns, min_size=1, max_size=3),
    st.integers(0, 12),
    st.lists(st.booleans(), min_size=16, max_size=16),
)
def test_bounds_propagation_agrees_with_the_lp(raw, whole, flags):
    subregions = {s: {f"{s}{m}": n for m, n in t.items()} for s, t in raw.items()}
    counts, relations = region_of(subregions, whole)
    cells = [c for c in counts if c not in (REGION, WHOLE)]
    hidden = {c: "small" for c, f in zip(cells, flags, strict=False) if f}
    hidden[WHOLE] = "unpublished"
    ranges = derivable_ranges(counts, relations, hidden, T)
    narrow_lp = {f.cell for f in audit(counts, relations, hidden, T)}
    narrow_bp = set(narrow_cells(counts, relations, hidden, T))
    assert narrow_lp == narrow_bp, (ranges, narrow_lp, narrow_bp)
