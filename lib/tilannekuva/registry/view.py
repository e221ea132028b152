"""Which register rows picture the field: the register extract before YTJ, never both added.

When the processed table holds both a register extract and YTJ rows, the
extract is the picture of the field (it covers every registered
association); YTJ rows alone are "associations with a business ID", never the
whole field.
"""

from __future__ import annotations

import pandas as pd

SOURCE_LABELS = {
    "registry-extract": "yhdistysrekisteri",
    "ytj": "YTJ (yhdistykset, joilla on Y-tunnus)",
}


def field_view(associations: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The rows that picture the field, and the name of their source for chart notes."""
    sources = set(associations["source"].dropna().unique())
    for source in ("registry-extract", "ytj"):
        if source in sources:
            return associations[associations["source"] == source], SOURCE_LABELS[source]
    chosen = sorted(sources)[0] if sources else "registry-extract"
    return associations[associations["source"] == chosen], chosen
