"""Aggregates of the register of associations, as tidy frames ready for charts.

Register counts of associations are public facts (privacy.md): they are not
suppressed. Every frame carries ``n`` (the count behind each figure) so that a
chart can print it. "Active" means registered on or before the reference day
and not ended by it; deregistered associations stay in the table with their end
date and are counted in :func:`registered_per_year`.

Frames
------
- :func:`by_municipality_field`: ``municipality_code, municipality, field, n``,
  every municipality × field pair of the region (zeros included).
- :func:`per_inhabitants`: ``municipality_code, municipality, subregion, n,
  population, population_year, per_1000``, one row per municipality, plus the
  region as ``municipality_code == "MK13"``.
- :func:`registered_per_year`: ``year, registered, ended`` (counts of
  registrations and deregistrations in each calendar year).
- :func:`field_shares`: ``field, n, share`` for one municipality (or the region).

Fields are the ids of the questionnaire's ``field`` options; :func:`field_labels`
gives their Finnish names.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa

from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.region import Region
from tilannekuva.registry.schema import FIELD_IDS

FIELDS: tuple[str, ...] = tuple(FIELD_IDS)


def field_labels() -> dict[str, str]:
    """Field id → its Finnish name (from the questionnaire's ``field`` question)."""
    return {o.id: o.display for o in load_questionnaire().question("field").options}


BY_MUNICIPALITY_FIELD = pa.DataFrameSchema(
    {
        "municipality_code": pa.Column(str),
        "municipality": pa.Column(str),
        "field": pa.Column(str, pa.Check.isin(FIELDS)),
        "n": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
)

PER_INHABITANTS = pa.DataFrameSchema(
    {
        "municipality_code": pa.Column(str),
        "municipality": pa.Column(str),
        "subregion": pa.Column(str, nullable=True),
        "n": pa.Column(int, pa.Check.ge(0)),
        "population": pa.Column(int, pa.Check.gt(0)),
        "population_year": pa.Column(int),
        "per_1000": pa.Column(float, pa.Check.ge(0)),
    },
    strict=True,
)

PER_YEAR = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "registered": pa.Column(int, pa.Check.ge(0)),
        "ended": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
)


def _as_day(value: object) -> pd.Timestamp | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value)


def active(associations: pd.DataFrame, on: dt.date | None = None) -> pd.DataFrame:
    """Associations registered by ``on`` (default: any time) and not ended by it."""
    registered = pd.to_datetime(associations["registered"], errors="coerce")
    ended = pd.to_datetime(associations["ended"], errors="coerce")
    if on is None:
        return associations[ended.isna()]
    day = pd.Timestamp(on)
    alive = (registered.isna() | (registered <= day)) & (ended.isna() | (ended > day))
    return associations[alive]


def by_municipality_field(
    associations: pd.DataFrame, *, region: Region, on: dt.date | None = None
) -> pd.DataFrame:
    """Active associations per municipality × field (every pair of the region, zeros too)."""
    now = active(associations, on)
    towns = region.municipalities
    pairs = pd.MultiIndex.from_product(
        [towns["code"], FIELDS], names=["municipality_code", "field"]
    )
    counts = now.groupby(["municipality_code", "field"]).size().reindex(pairs, fill_value=0)
    table = counts.rename("n").astype(int).reset_index()
    names = dict(zip(towns["code"], towns["name"], strict=True))
    table.insert(1, "municipality", table["municipality_code"].map(names))
    return BY_MUNICIPALITY_FIELD.validate(table)


def shares_from(table: pd.DataFrame, municipality_code: str | None = None) -> pd.DataFrame:
    """Field shares from a :func:`by_municipality_field` table: one municipality or the region."""
    if municipality_code is not None:
        table = table[table["municipality_code"] == municipality_code]
    counts = table.groupby("field", sort=False)["n"].sum().reindex(list(FIELDS), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "field": counts.index,
            "n": counts.astype(int).to_numpy(),
            "share": (counts / total).to_numpy() if total else [0.0] * len(counts),
        }
    )


def field_shares(
    associations: pd.DataFrame,
    municipality_code: str | None = None,
    on: dt.date | None = None,
    *,
    region: Region,
) -> pd.DataFrame:
    """Active associations by field in one municipality (None: the region), with shares."""
    return shares_from(by_municipality_field(associations, region=region, on=on), municipality_code)


def per_inhabitants(
    associations: pd.DataFrame,
    population: pd.DataFrame | None = None,
    on: dt.date | None = None,
    *,
    region: Region,
) -> pd.DataFrame:
    """Active associations per 1 000 inhabitants by municipality, and for the whole region.

    ``population``: columns ``municipality_code, year, population`` (the latest year
    of each municipality is used); None: the reference table's populations.
    """
    towns = region.municipalities
    if population is None:
        pop = towns[["code", "population", "population_year"]].rename(
            columns={"code": "municipality_code"}
        )
    else:
        latest = population.sort_values("year").groupby("municipality_code").tail(1)
        pop = latest.rename(columns={"year": "population_year"})[
            ["municipality_code", "population", "population_year"]
        ]
    counts = active(associations, on).groupby("municipality_code").size()
    table = towns[["code", "name", "subregion_code"]].rename(
        columns={"code": "municipality_code", "name": "municipality", "subregion_code": "subregion"}
    )
    table = table.merge(pop, on="municipality_code", how="left")
    missing = table[table["population"].isna()]["municipality"].tolist()
    if missing:
        raise ValueError(f"no population for {', '.join(missing)}")
    table["n"] = table["municipality_code"].map(counts).fillna(0).astype(int)
    whole = {
        "municipality_code": region.code,
        "municipality": region.name,
        "subregion": None,
        "n": int(table["n"].sum()),
        "population": int(table["population"].sum()),
        "population_year": int(table["population_year"].max()),
    }
    table = pd.concat([table, pd.DataFrame([whole])], ignore_index=True)
    table["population"] = table["population"].astype(int)
    table["population_year"] = table["population_year"].astype(int)
    table["per_1000"] = table["n"] / table["population"] * 1000
    columns = list(PER_INHABITANTS.columns)
    return PER_INHABITANTS.validate(table[columns])


def registered_per_year(
    associations: pd.DataFrame, municipality_code: str | None = None
) -> pd.DataFrame:
    """Registrations and deregistrations per calendar year (years with neither omitted)."""
    frame = associations
    if municipality_code is not None:
        frame = frame[frame["municipality_code"] == municipality_code]
    registered = pd.to_datetime(frame["registered"], errors="coerce").dt.year.dropna()
    ended = pd.to_datetime(frame["ended"], errors="coerce").dt.year.dropna()
    years = sorted(set(registered.astype(int)) | set(ended.astype(int)))
    reg_counts = registered.astype(int).value_counts()
    end_counts = ended.astype(int).value_counts()
    table = pd.DataFrame(
        {
            "year": years,
            "registered": [int(reg_counts.get(y, 0)) for y in years],
            "ended": [int(end_counts.get(y, 0)) for y in years],
        },
        columns=["year", "registered", "ended"],
    )
    return PER_YEAR.validate(table.astype(int))
