"""Finnish number, percentage and date formats for everything a reader sees.

``1 234,5``, ``12 %``, ``22.11.2026`` (report.md, conventions). Built on babel's
``fi_FI`` locale data; babel writes a no-break space as the group separator,
which keeps a number on one line in print.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALE = "fi_FI"
MISSING = "–"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fi_number(value: float | int | None, decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (with ``decimals`` fixed decimals)."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def fi_percent(share: float | None, decimals: int = 0) -> str:
    """A share 0–1 as a Finnish percentage: ``0.12`` → ``12 %``."""
    if _missing(share):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + " %"
    return format_percent(share, format=pattern, locale=LOCALE)


def fi_date(value: date | datetime | str | None) -> str:
    """A date as ``22.11.2026``."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="d.M.yyyy", locale=LOCALE)
