"""Plausibility of registry values: dates that can be true, homes that are really named.

Both registry readers (the extract and the YTJ response) check every row with
these rules before a row is kept or counted as outside the region:

- **Dates.** A registration or end date after today (plus
  :data:`FUTURE_TOLERANCE`, for clocks and time zones of a fresh extract) or
  before :data:`EARLIEST` is an error, and so is an end date before the
  registration date.
- **Home municipality.** A value the active region recognises (a current name,
  an old name of a merged municipality, or a code of either) is kept. Otherwise:

  - a name close to one of the region's names or old names (difflib ratio of
    at least :data:`CLOSE_RATIO`) is an error suggesting that name: a typo must
    not move an association out of the region;
  - a bare code (``999``, ``KU091``) is an error: with no name nothing says
    that the code is a real municipality elsewhere rather than a mistake. Only a
    value that *names* another municipality (``Helsinki``, ``091 Helsinki``)
    is counted as "outside the region";
  - a code with a name where either is the region's own but they do not
    agree (``999 Jyväskylä``, ``179 Helsinki``) is an error.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tilannekuva.region import Municipality, current

EARLIEST = date(1850, 1, 1)
FUTURE_TOLERANCE = timedelta(days=2)
CLOSE_RATIO = 0.85

_CODE = re.compile(r"(?:ku)?\s*(\d+)(?:\.0)?(?:\s+(.*))?")


def _key(text: str) -> str:
    return re.sub(r"[\s\-–_]+", " ", str(text).casefold()).strip(" .")


def date_problem(value: datetime | date, today: date | None = None) -> str | None:
    """Why ``value`` cannot be a registry date, or None when it can."""
    day = value.date() if isinstance(value, datetime) else value
    latest = (today or date.today()) + FUTURE_TOLERANCE
    if day > latest:
        return f"a date not in the future (today is {(today or date.today()).isoformat()})"
    if day < EARLIEST:
        return f"a date on or after {EARLIEST.isoformat()}"
    return None


def end_problem(registered: datetime | date | None, ended: datetime | date | None) -> str | None:
    """Why the end date cannot follow the registration date, or None."""
    if registered is None or ended is None or ended >= registered:
        return None
    shown = registered.date() if isinstance(registered, datetime) else registered
    return f"an end date on or after the registration date ({shown.isoformat()})"


@dataclass(frozen=True)
class Home:
    """What a home-municipality value means: in the region, elsewhere, or a problem."""

    municipality: Municipality | None = None  # in the region
    outside: str | None = None  # the value, when it names a place outside the region
    problem: str | None = None  # what was expected, when it is neither


def _names() -> dict[str, str]:
    """Comparison key → the name as written, for the region's names and old names."""
    region = current()
    names = {_key(n): str(n) for n in region.municipalities["name"]}
    for old in region.mergers["old_name"]:
        names.setdefault(_key(old), str(old))
    return names


def _folded(key: str) -> str:
    """``key`` without diacritics: an extract typed without ä and ö is still close."""
    return unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()


def close_name(text: str) -> str | None:
    """The region's name or old name that ``text`` is close to (but not equal to), or None."""
    key = _key(text)
    best, best_ratio = None, 0.0
    for candidate_key, name in _names().items():
        ratio = max(
            difflib.SequenceMatcher(None, key, candidate_key).ratio(),
            difflib.SequenceMatcher(None, _folded(key), _folded(candidate_key)).ratio(),
        )
        if ratio > best_ratio:
            best, best_ratio = name, ratio
    return best if best_ratio >= CLOSE_RATIO else None


def home_municipality(text: str) -> Home:
    """Classify a home-municipality value (a name, a code or ``code name``; see the module)."""
    region = current()
    found = region.normalise(text)
    if found is not None:
        return Home(municipality=found)
    key = _key(text)
    match = _CODE.fullmatch(key)
    if match:
        code, name = match.group(1), match.group(2)
        if len(code) > 3:
            return Home(problem="a municipality name or a 3-digit municipality code")
        if not name:
            return Home(
                problem=f"a municipality of {region.name} (name or code); code "
                f"{code.zfill(3)!r} is none of them: write the municipality's name "
                "when it is outside the region"
            )
        by_code, by_name = region.normalise(code), region.normalise(name)
        if by_code is not None or by_name is not None:
            return Home(
                problem=f"a code and a name of the same municipality (code {code.zfill(3)!r}, "
                f"name {name!r})"
            )
        text_for_name = name
    else:
        text_for_name = text
    if not re.search(r"[^\W\d_]", text_for_name):
        return Home(problem="a municipality name or a 3-digit municipality code")
    suggestion = close_name(text_for_name)
    if suggestion is not None:
        return Home(problem=f"a municipality name: did you mean {suggestion!r}?")
    return Home(outside=str(text).strip())
