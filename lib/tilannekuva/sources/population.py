"""Population by municipality from Statistics Finland's PxWeb API v1 (data-sources.md §2a).

1. ``GET {base}/{table}``: the table's metadata ``{"title", "variables": [{code,
   text, values, valueTexts, …}]}``. The table is the key figures by area,
   ``11ra.px``, or under its older name ``statfin_vaerak_pxt_11ra.px`` (tried in
   that order; a 404 moves on to the next).
2. The variable codes are picked by prefix, because they changed in 2026 and
   either generation may be served:

   | role | old code | new code | rule |
   |---|---|---|---|
   | area | ``Alue`` | ``alue_…`` | code starts with ``alue`` (any case) |
   | year | ``Vuosi`` | ``timeperiod_y`` | starts with ``vuosi`` or ``timeperiod``, or ``"time": true`` |
   | contents | ``Tiedot`` | ``contentscode`` | starts with ``tiedot`` or ``contentscode`` |
   | population | ``vaesto`` | ``vaerak-vaesto`` | value code ``vaesto`` or ending ``-vaesto``/``_vaesto`` |

   Area values ``KU179`` (or a bare ``179``) are the municipalities; only the
   region's are asked for. Other variables, should a table have any, are
   eliminated when allowed, else their first value is selected.
3. ``POST`` the query with ``"response": {"format": "json-stat2"}`` and read the
   JSON-stat 2.0 dataset (:func:`parse_jsonstat2`; values row-major over
   ``id``/``size``, ``null`` for a missing value, dense list or sparse object).

Saved: ``raw/population/<YYYY-MM-DD>/{metadata,population}.json`` with
provenance records, and ``processed/population.parquet`` (:data:`POPULATION`)
carrying the record of the data response. :func:`population_table` is what
pages use: the fetched table when present, else the committed 2022 reference
populations (``data/reference/kunnat.csv``) labelled with their year and source.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from tilannekuva.paths import DataLayout
from tilannekuva.provenance import write_record
from tilannekuva.region import municipalities, region_of
from tilannekuva.sources.http import BadResponse, HttpClient, HttpStatusError, base_url
from tilannekuva.store import has_table, read_table, table_path, write_table

log = logging.getLogger(__name__)

SOURCE = "population"
DEFAULT_BASE = "https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin/vaerak"
ENV_BASE = "TILANNEKUVA_PXWEB_URL"
TABLES = ("11ra.px", "statfin_vaerak_pxt_11ra.px")
LICENCE = "CC BY 4.0 (Tilastokeskus, StatFin)"
TABLE = "population"
FETCHED_LABEL = "Tilastokeskus, StatFin (väestörakenne, 11ra)"
METADATA_EXPECTED = 'PxWeb table metadata {"title", "variables": [{"code", "values", …}]}'
DATA_EXPECTED = 'a JSON-stat 2.0 dataset {"class": "dataset", "id", "size", "dimension", "value"}'

POPULATION = pa.DataFrameSchema(
    {
        "municipality_code": pa.Column(pd.StringDtype(), pa.Check.str_matches(r"^\d{3}$")),
        "municipality": pa.Column(pd.StringDtype()),
        "year": pa.Column("int64", pa.Check.in_range(1900, 2100)),
        "population": pa.Column("int64", pa.Check.ge(0)),
    },
    strict=True,
    coerce=True,
    unique=["municipality_code", "year"],
    name="population",
)


@dataclass(frozen=True)
class Variables:
    """The codes picked from a table's metadata."""

    area: str
    year: str
    contents: str
    population: str
    areas: dict[str, str]  # table's area value code → 3-digit municipality code
    others: dict[str, list[str]]  # variables to select explicitly → values


def _variables(metadata: Any) -> list[dict[str, Any]]:
    if not isinstance(metadata, dict) or not isinstance(metadata.get("variables"), list):
        raise ValueError("no 'variables' list")
    variables = [v for v in metadata["variables"] if isinstance(v, dict) and "code" in v]
    if not variables:
        raise ValueError("an empty 'variables' list")
    return variables


def _find(variables: list[dict[str, Any]], prefixes: tuple[str, ...], role: str) -> dict:
    for variable in variables:
        if str(variable["code"]).casefold().startswith(prefixes):
            return variable
    if role == "year":
        for variable in variables:
            if variable.get("time") is True:
                return variable
    codes = ", ".join(str(v["code"]) for v in variables)
    raise ValueError(
        f"no {role} variable (a code starting with {' or '.join(prefixes)}; found {codes})"
    )


def pick_variables(metadata: Any) -> Variables:
    """Pick the area, year and contents variables and the population value by prefix.

    Raises ValueError saying what was missing; both code generations work.
    """
    variables = _variables(metadata)
    area = _find(variables, ("alue",), "area")
    year = _find(variables, ("vuosi", "timeperiod"), "year")
    contents = _find(variables, ("tiedot", "contentscode"), "contents")
    values = [str(v) for v in contents.get("values") or []]
    texts = [str(t) for t in contents.get("valueTexts") or []]
    population = next((v for v in values if v.casefold() in {"vaesto", "vaerak-vaesto"}), None)
    population = population or next(
        (v for v in values if re.fullmatch(r"(?:.*[-_])?vaesto", v.casefold())), None
    )
    if population is None:
        population = next(
            (
                v
                for v, t in zip(values, texts, strict=False)
                if t.casefold().startswith(("väkiluku", "population"))
            ),
            None,
        )
    if population is None:
        raise ValueError(
            f"no population value in '{contents['code']}' (vaesto or vaerak-vaesto; found "
            f"{', '.join(values[:10])})"
        )
    region = set(municipalities()["code"])
    areas: dict[str, str] = {}
    for value in area.get("values") or []:
        match = re.fullmatch(r"(?:KU)?(\d{3})", str(value).strip(), flags=re.IGNORECASE)
        if match and match.group(1) in region:
            areas[str(value)] = match.group(1)
    if not areas:
        raise ValueError(f"none of the region's municipalities (KU077 …) in '{area['code']}'")
    picked = {area["code"], year["code"], contents["code"]}
    others = {
        str(v["code"]): [str(v["values"][0])]
        for v in variables
        if v["code"] not in picked and not v.get("elimination") and v.get("values")
    }
    return Variables(
        str(area["code"]),
        str(year["code"]),
        str(contents["code"]),
        population,
        areas,
        others,
    )


def build_query(variables: Variables, years: list[str] | None = None) -> dict[str, Any]:
    """The PxWeb POST body asking json-stat2 for the region's municipalities."""
    year_selection = (
        {"filter": "item", "values": list(years)} if years else {"filter": "all", "values": ["*"]}
    )
    query = [
        {"code": variables.area, "selection": {"filter": "item", "values": list(variables.areas)}},
        {"code": variables.year, "selection": year_selection},
        {
            "code": variables.contents,
            "selection": {"filter": "item", "values": [variables.population]},
        },
    ]
    query += [
        {"code": code, "selection": {"filter": "item", "values": values}}
        for code, values in variables.others.items()
    ]
    return {"query": query, "response": {"format": "json-stat2"}}


def parse_jsonstat2(payload: Any) -> pd.DataFrame:
    """A JSON-stat 2.0 dataset → a long frame: one column per dimension (codes) and ``value``.

    Values are row-major over ``id``/``size`` (the last dimension varies fastest);
    ``value`` may be a list or a sparse ``{"index": value}`` object; ``null`` stays
    missing. Raises ValueError naming what is wrong.
    """
    if not isinstance(payload, dict):
        raise ValueError(f"a JSON {type(payload).__name__}, not an object")
    if payload.get("class") != "dataset":
        raise ValueError(f"class {payload.get('class')!r}, not 'dataset'")
    ids, sizes, dims = payload.get("id"), payload.get("size"), payload.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise ValueError("'id' and 'size' must be lists of the same length")
    if not isinstance(dims, dict):
        raise ValueError("no 'dimension' object")
    categories: list[list[str]] = []
    for dim_id, size in zip(ids, sizes, strict=True):
        category = (
            (dims.get(dim_id) or {}).get("category") if isinstance(dims.get(dim_id), dict) else None
        )
        if not isinstance(category, dict):
            raise ValueError(f"dimension {dim_id!r} has no 'category'")
        index = category.get("index")
        if isinstance(index, dict):
            codes = [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
        elif isinstance(index, list):
            codes = [str(c) for c in index]
        elif index is None and isinstance(category.get("label"), dict) and size == 1:
            codes = list(category["label"])
        else:
            raise ValueError(f"dimension {dim_id!r} has no category 'index'")
        if len(codes) != size:
            raise ValueError(f"dimension {dim_id!r}: {len(codes)} categories but size {size}")
        categories.append(codes)
    count = math.prod(sizes)
    raw = payload.get("value")
    if isinstance(raw, list):
        if len(raw) != count:
            raise ValueError(f"{len(raw)} values for size {sizes} ({count} cells)")
        values = raw
    elif isinstance(raw, dict):
        values = [None] * count
        for key, value in raw.items():
            values[int(key)] = value
    else:
        raise ValueError("no 'value' list")
    rows = [
        (*combo, value) for combo, value in zip(itertools.product(*categories), values, strict=True)
    ]
    return pd.DataFrame(rows, columns=[*ids, "value"])


def population_frame(dataset: Any, variables: Variables) -> pd.DataFrame:
    """The JSON-stat answer → (municipality_code, municipality, year, population), validated."""
    long = parse_jsonstat2(dataset)
    for needed in (variables.area, variables.year):
        if needed not in long.columns:
            raise ValueError(f"no dimension {needed!r} in the dataset")
    if variables.contents in long.columns:
        long = long[long[variables.contents] == variables.population]
    long = long[long["value"].notna()]
    names = dict(zip(municipalities()["code"], municipalities()["name"], strict=True))
    codes = long[variables.area].map(variables.areas)
    years = long[variables.year].astype(str).str.extract(r"^(\d{4})", expand=False)
    frame = pd.DataFrame(
        {
            "municipality_code": codes,
            "municipality": codes.map(names),
            "year": years,
            "population": long["value"],
        }
    ).dropna(subset=["municipality_code", "year"])
    frame = frame.sort_values(["municipality_code", "year"], ignore_index=True)
    return POPULATION.validate(frame)


def fetch_population(
    layout: DataLayout,
    *,
    base: str | None = None,
    tables: tuple[str, ...] = TABLES,
    years: list[str] | None = None,
    client: HttpClient | None = None,
    today: date | None = None,
) -> Path:
    """Download the region's populations into ``raw/population/<date>/`` and
    ``processed/population.parquet``; returns the processed table's path."""
    root = base_url(DEFAULT_BASE, ENV_BASE, base)
    own = client is None
    http = client or HttpClient(SOURCE)
    try:
        metadata_response = None
        url = ""
        for table in tables:
            url = f"{root}/{table}"
            try:
                metadata, metadata_response = http.get_json(url, expected=METADATA_EXPECTED)
                break
            except HttpStatusError as exc:
                if exc.status != 404 or table == tables[-1]:
                    raise
                log.info("population: %s not found; trying the next table name", url)
        assert metadata_response is not None
        try:
            variables = pick_variables(metadata)
        except ValueError as exc:
            raise http.bad_shape(metadata_response, METADATA_EXPECTED, str(exc)) from None
        query = build_query(variables, years)
        dataset, data_response = http.post_json(url, query, expected=DATA_EXPECTED)
        try:
            frame = population_frame(dataset, variables)
        except ValueError as exc:
            raise http.bad_shape(data_response, DATA_EXPECTED, str(exc)) from None
        except pandera.errors.SchemaError as exc:
            raise BadResponse(
                f"population: {url}: the data are not populations by municipality and year: "
                f"{' '.join(str(exc).split())[:160]}",
                url,
            ) from None
    finally:
        if own:
            http.close()
    folder = layout.raw / "population" / (today or date.today()).isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    metadata_file = folder / "metadata.json"
    metadata_file.write_bytes(metadata_response.content)
    write_record(
        metadata_file,
        SOURCE,
        url=url,
        http_status=metadata_response.status_code,
        licence=LICENCE,
        note="table metadata (variables and their codes)",
    )
    data_file = folder / "population.json"
    data_file.write_bytes(data_response.content)
    record = write_record(
        data_file,
        SOURCE,
        url=url,
        query=query,
        http_status=data_response.status_code,
        rows=len(frame),
        licence=LICENCE,
        extra={
            "variables": {
                "area": variables.area,
                "year": variables.year,
                "contents": variables.contents,
                "population": variables.population,
            },
            "updated": dataset.get("updated") if isinstance(dataset, dict) else None,
        },
    )
    return write_table(layout, TABLE, frame, [record])


def population_table(layout: DataLayout) -> pd.DataFrame:
    """Populations by municipality: fetched ones when present, else the reference ones.

    Columns ``municipality_code, municipality, year, population, source``; the
    reference table (Sotkanet 2022, committed) has one year per municipality,
    a fetched table all years asked for.
    """
    if has_table(layout, TABLE):
        frame = POPULATION.validate(read_table(layout, TABLE))
        return frame.assign(source=FETCHED_LABEL)
    reference = region_of(layout).municipalities  # the data directory's region, explicitly
    return pd.DataFrame(
        {
            "municipality_code": reference["code"].astype("string"),
            "municipality": reference["name"].astype("string"),
            "year": reference["population_year"].astype("int64"),
            "population": reference["population"].astype("int64"),
            "source": reference["population_source"].astype(str) + " (reference, data/reference)",
        }
    )


def latest_population(layout: DataLayout) -> pd.DataFrame:
    """One row per municipality: its latest year in :func:`population_table`."""
    frame = population_table(layout)
    latest = frame.sort_values("year").groupby("municipality_code", as_index=False).tail(1)
    return latest.sort_values("municipality_code", ignore_index=True)


def population_path(layout: DataLayout) -> Path:
    return table_path(layout, TABLE)
