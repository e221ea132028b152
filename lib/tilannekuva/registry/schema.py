"""The processed associations table (``processed/associations.parquet``).

One row per association and source:

- ``source`` (str): which input the row came from (``registry-extract``, ``ytj``)
- ``register_id`` (str, nullable): the register of associations number
- ``business_id`` (str, nullable): Y-tunnus ``1234567-8``
- ``name`` (str)
- ``municipality_code`` (str): 3-digit code of the current home municipality
- ``municipality`` (str): its current name
- ``subregion`` (str): sub-region code (``131`` …)
- ``field`` (str): one of the seven field classes (ids of the questionnaire's ``field``)
- ``registered`` (datetime64, nullable): registration date
- ``ended`` (datetime64, nullable): deregistration date; null while active
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

FIELD_IDS = ["social_health", "culture", "sports", "leisure", "professional", "political", "other"]

ASSOCIATIONS = pa.DataFrameSchema(
    {
        "source": pa.Column(pd.StringDtype(), nullable=False),
        "register_id": pa.Column(pd.StringDtype(), nullable=True),
        "business_id": pa.Column(
            pd.StringDtype(), pa.Check.str_matches(r"^\d{7}-\d$"), nullable=True
        ),
        "name": pa.Column(pd.StringDtype(), nullable=False),
        "municipality_code": pa.Column(pd.StringDtype(), pa.Check.str_matches(r"^\d{3}$")),
        "municipality": pa.Column(pd.StringDtype()),
        "subregion": pa.Column(pd.StringDtype(), pa.Check.str_matches(r"^\d{3}$")),
        "field": pa.Column(pd.StringDtype(), pa.Check.isin(FIELD_IDS)),
        "registered": pa.Column("datetime64[ms]", nullable=True),
        "ended": pa.Column("datetime64[ms]", nullable=True),
    },
    strict=True,
    coerce=True,
    name="associations",
)
