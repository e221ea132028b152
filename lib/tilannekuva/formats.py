"""Finnish number, percentage and date formats for everything a reader sees.

``1 234,5``, ``12 %``, ``22.11.2026`` (report.md, conventions). Built on babel's
``fi_FI`` locale data; babel writes a no-break space as the group separator,
which keeps a number on one line in print. Negative numbers use the minus sign
(U+2212), as Finnish typography does, and an interval is written one way
everywhere: ``2,1…2,5``, ``−0,1…4,6`` (an en dash between two numbers would
read as a minus sign).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALE = "fi_FI"
MISSING = "–"
MINUS = "\u2212"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fi_number(value: float | int | None, decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (with ``decimals`` fixed decimals)."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(value, format=pattern, locale=LOCALE)
    return _minus(text)


def _minus(text: str) -> str:
    """The hyphen babel writes for a negative number becomes the minus sign; "−0,0" becomes "0,0"."""
    if text.startswith("-"):
        text = MINUS + text[1:]
    if text.startswith(MINUS) and not any(c in "123456789" for c in text):
        text = text[1:]
    return text


def fi_interval(low: float | None, high: float | None, decimals: int = 1) -> str:
    """A 95 % interval as the site writes it: ``2,1…2,5``; ``–`` when a bound is missing."""
    if _missing(low) or _missing(high):
        return MISSING
    return f"{fi_number(low, decimals)}…{fi_number(high, decimals)}"


def fi_percent(share: float | None, decimals: int = 0) -> str:
    """A share 0–1 as a Finnish percentage: ``0.12`` → ``12 %``."""
    if _missing(share):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + " %"
    return _minus(format_percent(share, format=pattern, locale=LOCALE))


def fi_date(value: date | datetime | str | None) -> str:
    """A date as ``22.11.2026``."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="d.M.yyyy", locale=LOCALE)


def _shown(value: float, decimals: int) -> Decimal:
    """The number :func:`fi_number` shows, read back exactly (babel's rounding, not float's)."""
    text = fi_number(value, decimals).replace(MINUS, "-").replace("\xa0", "").replace(" ", "")
    return Decimal(text.replace(",", "."))


def shown_value(value: float | None, decimals: int) -> float | None:
    """The number as the page shows it, for downloads that must agree with the page."""
    if _missing(value):
        return None
    return float(_shown(value, decimals))


def shown_difference(first: float, second: float, decimals: int) -> float:
    """``first − second`` as a reader computes it from the two rounded figures shown beside it."""
    return float(_shown(first, decimals) - _shown(second, decimals))


def fi_p_value(p: float | None) -> str:
    """A p-value as a reader can take it: ``0,012``, or ``< 0,001`` rather than ``0,000``."""
    if _missing(p):
        return MISSING
    return "< 0,001" if p < 0.001 else fi_number(p, 3)
