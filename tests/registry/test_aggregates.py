"""Register aggregates against hand-counted answers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from tilannekuva.region import PROJECT_REFERENCE, read_region
from tilannekuva.registry.aggregates import (
    by_municipality_field,
    field_shares,
    per_inhabitants,
    registered_per_year,
)

KESKI_SUOMI = read_region(PROJECT_REFERENCE)


def associations(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    """(municipality code, field, registered, ended) → an associations frame."""
    return pd.DataFrame(
        {
            "source": "registry-extract",
            "municipality_code": [r[0] for r in rows],
            "field": [r[1] for r in rows],
            "registered": pd.to_datetime([r[2] for r in rows]),
            "ended": pd.to_datetime([r[3] for r in rows]),
        }
    )


ROWS = associations(
    [
        ("179", "sports", "2001-05-01", None),
        ("179", "sports", "2019-03-01", None),
        ("179", "culture", "2019-06-01", "2024-01-31"),  # ended: not active
        ("179", "social_health", "2024-02-01", None),
        ("892", "culture", "1990-01-01", None),
        ("892", "culture", "2024-08-15", None),
        ("077", "other", "2024-09-01", "2025-02-01"),
    ]
)
POPULATION = pd.DataFrame(
    {
        "municipality_code": ["179", "892", "077", "179"],
        "year": [2025, 2025, 2025, 2024],
        "population": [150_000, 3_500, 4_000, 149_000],
    }
)


def test_by_municipality_field_counts_active_associations_and_lists_zero_cells():
    table = by_municipality_field(ROWS, region=KESKI_SUOMI).set_index(
        ["municipality_code", "field"]
    )["n"]
    assert table[("179", "sports")] == 2
    assert table[("179", "culture")] == 0  # the only one ended
    assert table[("892", "culture")] == 2
    assert table[("077", "other")] == 0
    assert len(table) == 22 * 7 and table.sum() == 5


def test_on_a_past_day_counts_what_was_active_then():
    table = by_municipality_field(ROWS, on=dt.date(2020, 1, 1), region=KESKI_SUOMI).set_index(
        ["municipality_code", "field"]
    )["n"]
    assert table[("179", "culture")] == 1 and table[("179", "social_health")] == 0
    assert table.sum() == 4


def test_per_inhabitants_uses_the_latest_population_year():
    table = per_inhabitants(
        ROWS, POPULATION.iloc[:3].pipe(_with_all), region=KESKI_SUOMI
    ).set_index("municipality_code")
    assert table.loc["179", "n"] == 3
    assert table.loc["179", "per_1000"] == pytest.approx(3 / 150_000 * 1000)
    assert table.loc["892", "per_1000"] == pytest.approx(2 / 3.5)
    region = table.loc["MK13"]
    assert region["n"] == 5
    assert region["per_1000"] == pytest.approx(5 / region["population"] * 1000)


def _with_all(frame: pd.DataFrame) -> pd.DataFrame:
    """Every municipality needs a population; the others get 1 000 inhabitants."""
    others = KESKI_SUOMI.municipalities[["code"]].rename(columns={"code": "municipality_code"})
    others = others[~others["municipality_code"].isin(frame["municipality_code"])]
    return pd.concat(
        [frame, others.assign(year=2025, population=1000), POPULATION.iloc[[3]]],
        ignore_index=True,
    )


def test_reference_populations_when_none_fetched():
    table = per_inhabitants(ROWS, region=KESKI_SUOMI).set_index("municipality_code")
    assert table.loc["179", "population_year"] == 2022
    assert table.loc["179", "population"] == 145_887


def test_registered_per_year_counts_registrations_and_deregistrations():
    table = registered_per_year(ROWS).set_index("year")
    assert table.loc[2024, "registered"] == 3
    assert table.loc[2024, "ended"] == 1
    assert table.loc[2025, "registered"] == 0 and table.loc[2025, "ended"] == 1
    assert table.loc[2019, "registered"] == 2
    assert 2000 not in table.index  # years with nothing are left out
    only = registered_per_year(ROWS, "892").set_index("year")
    assert list(only.index) == [1990, 2024]


def test_field_shares_of_a_municipality():
    shares = field_shares(ROWS, "179", region=KESKI_SUOMI).set_index("field")
    assert shares.loc["sports", "n"] == 2
    assert shares.loc["sports", "share"] == pytest.approx(2 / 3)
    assert shares["share"].sum() == pytest.approx(1.0)
