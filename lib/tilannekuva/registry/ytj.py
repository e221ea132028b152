"""Reading a YTJ open data API v3 response (``GET /companies``, data-sources.md §1b).

The file is ``{"totalResults": N, "companies": [ … ]}`` exactly as the API
returns it (or several pages merged into that shape by ``tilannekuva fetch
registry``). Each company becomes at most one row of the associations table:

- ``business_id``: ``businessId.value``.
- ``name``: the current main name: the ``names[]`` entry with ``type`` ``"1"``
  (main name) and no ``endDate``, preferring ``version`` 1 (current) and then the
  latest ``registrationDate``. An association that has ended may have no open
  name: then the type-1 name registered last; then any name.
- association or not: the current ``companyForms[]`` entry (no ``endDate``,
  ``version`` 1 preferred) has ``type`` ``"6"`` (aatteellinen yhdistys, short
  form ``AYH``; the query parameter ``companyForm=AYH`` selects the same
  form), or its Finnish description is "Aatteellinen yhdistys", or the company
  has a ``registeredEntries[]`` entry in ``register`` ``"3"`` (the register of
  associations). A company whose current form is known and is something else
  is not kept and is counted in the report ("not an association").
- ``municipality_code``: from the addresses: the visiting address (``type``
  ``1``) first, then the postal address (``type`` ``2``), then any other; in an
  address, the ``municipalityCode`` of its ``postOffices[]`` (Finnish
  ``languageCode`` ``"1"`` first), else the post office's ``city`` read as a
  municipality name. Codes and names of merged municipalities map to today's
  municipality (:func:`tilannekuva.region.normalise_municipality`). A company
  with no usable address, or one whose address names a place outside the
  region, is counted in the report and not kept; an unknown code without a
  city, or a city close to one of the region's names, is an error
  (:mod:`tilannekuva.registry.plausibility`).
- dates: a registration or end date in the future or before 1850, or an end
  before the registration, is an error naming the field it came from.
- ``totalResults`` larger than the companies in the file means one page of a
  paged answer: the whole file is an error naming both counts.
- ``registered``: the earliest ``registrationDate`` of its entries in the
  register of associations (``registeredEntries[].register == "3"``), else the
  company's ``registrationDate``, else ``businessId.registrationDate``.
- ``ended``: the company's ``endDate``; else, when every entry in the register
  of associations has an ``endDate``, the latest of them; else null (active).
- ``field``: from ``mainBusinessLine.type`` (the TOL code) by :func:`tol_field`.
- ``register_id``: null; YTJ does not give the register-of-associations number.

A file that is not such a response raises :class:`~tilannekuva.errors.InputError`
listing every problem: file, entry (``companies[i]``), field and what was
expected.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from tilannekuva.errors import InputError, Problem
from tilannekuva.provenance import SourceRecord, record_for
from tilannekuva.region import current
from tilannekuva.registry.ingest import IngestReport
from tilannekuva.registry.plausibility import (
    Home,
    date_problem,
    end_problem,
    home_municipality,
)
from tilannekuva.registry.schema import ASSOCIATIONS

SOURCE = "ytj"
LICENCE = "CC BY 4.0 (Patentti- ja rekisterihallitus, YTJ avoin data)"
ASSOCIATION_FORM_CODES = frozenset({"6", "AYH"})
ASSOCIATION_FORM_NAME = "aatteellinen yhdistys"
ASSOCIATIONS_REGISTER = "3"
MAIN_NAME_TYPE = "1"
VISITING, POSTAL = "1", "2"
FINNISH = "1"

# TOL 2008 (and TOL 2025, whose divisions 01, 85–94 keep these codes) → field id.
# Longest matching prefix wins; anything else is "other" (Muu).
TOL_FIELDS: dict[str, str] = {
    "017": "leisure",  # metsästys: hunting clubs (metsästysseurat)
    "8551": "sports",  # urheilu- ja liikuntakoulutus
    "8552": "culture",  # taiteen perusopetus ja muu kulttuurikoulutus
    "86": "social_health",  # terveyspalvelut
    "87": "social_health",  # sosiaalihuollon laitospalvelut
    "88": "social_health",  # sosiaalihuollon avopalvelut
    "59": "culture",  # elokuva-, video- ja äänitetuotanto
    "90": "culture",  # kulttuuri- ja viihdetoiminta / taiteellinen toiminta
    "91": "culture",  # kirjastot, arkistot, museot, muut kulttuurilaitokset
    "931": "sports",  # urheilutoiminta (urheiluseurat, liikuntapaikat)
    "932": "leisure",  # huvi- ja virkistystoiminta
    "9411": "professional",  # elinkeinoelämän ja työnantajajärjestöt
    "9412": "professional",  # ammattialajärjestöt
    "942": "professional",  # ammattiyhdistykset
    "9491": "other",  # uskonnolliset yhdyskunnat
    "9492": "political",  # poliittiset järjestöt
    "9499": "other",  # muut järjestöt (kansalaisjärjestöt, m.u.l.)
}


def tol_field(code: object) -> str:
    """The project's field class id for a TOL (toimialaluokitus) code; unknown → ``other``.

    YTJ gives an association's main line of business, not PRH's classification
    of associations, so the mapping is partial by nature. Chosen, by the
    longest matching code prefix:

    | TOL code | field |
    |---|---|
    | 86, 87, 88 (health, residential care, social work) | Sosiaali- ja terveysala |
    | 59, 90, 91, 8552 (film/music, arts, libraries/museums, arts education) | Kulttuuri |
    | 931, 8551 (sports clubs and facilities, sports education) | Urheilu ja liikunta |
    | 932, 017 (recreation, hunting clubs) | Vapaa-aika ja harrastukset |
    | 9411, 9412, 942 (business, employers', professional orgs, trade unions) | Ammatti ja elinkeino |
    | 9492 (political organisations) | Poliittinen toiminta |
    | everything else, 9491 (religious), 9499 (other orgs), missing or ``00000`` | Muu |

    Most associations report 94999 ("other organisations"), so "Muu" is large in
    YTJ figures; they are shown as "associations with a business ID" only.
    """
    if code is None:
        return "other"
    digits = re.sub(r"\D", "", str(code))
    for length in range(len(digits), 1, -1):
        found = TOL_FIELDS.get(digits[:length])
        if found:
            return found
    return "other"


@dataclass
class YtjIngestReport(IngestReport):
    """The registry ingest report, plus the companies that were not associations."""

    not_association: Counter = field(default_factory=Counter)
    total_results: int | None = None

    def to_text(self) -> str:
        text = super().to_text()
        skipped = sum(self.not_association.values())
        extra = [
            "  YTJ: associations with a business ID only (most small associations are not in YTJ)",
        ]
        if self.total_results is not None:
            extra.append(f"  totalResults in the response: {self.total_results}")
        extra.append(
            f"  not an association (not kept): {skipped}"
            + (
                " (" + ", ".join(f"{k} {v}" for k, v in self.not_association.most_common()) + ")"
                if skipped
                else ""
            )
        )
        return text + "\n".join(extra) + "\n"


class _Entry:
    """Collects the problems of one ``companies[i]`` entry."""

    def __init__(self, file: str, index: int, problems: list[Problem]):
        self.file = file
        self.index = index
        self.problems = problems

    def bad(self, path: str, expected: str, value: object = None) -> None:
        self.problems.append(
            Problem(self.file, expected, column=f"companies[{self.index}].{path}", value=value)
        )

    def list_of_objects(self, company: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = company.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.bad(key, "a list of objects", _short(value))
            return []
        return value

    def date(self, path: str, value: object) -> datetime | None:
        if value in (None, ""):
            return None
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", str(value).strip())
        if isinstance(value, str) and m:
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        self.bad(path, "a date YYYY-MM-DD", value)
        return None


def _short(value: object) -> object:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:59] + "…"


def _code(value: object) -> str | None:
    """Codes are strings in v3; accept numbers too (``1`` → ``"1"``)."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _is_current(item: dict[str, Any]) -> bool:
    return not item.get("endDate")


def _preferred(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Version 1 (current) first, then the latest ``registrationDate``."""
    ordered = sorted(items, key=lambda i: str(i.get("registrationDate") or ""), reverse=True)
    ordered.sort(key=lambda i: 0 if _code(i.get("version")) in (None, "1") else 1)
    return ordered[0]


def pick_main_name(names: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The current main name entry (see the module docstring for the order)."""
    usable = [n for n in names if isinstance(n.get("name"), str) and n["name"].strip()]
    main = [n for n in usable if _code(n.get("type")) == MAIN_NAME_TYPE]
    for candidates in (
        [n for n in main if _is_current(n)],
        main,
        [n for n in usable if _is_current(n)],
        usable,
    ):
        if candidates:
            return _preferred(candidates)
    return None


def pick_company_form(forms: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The current company form entry: no end date, version 1 first, latest registration."""
    current = [f for f in forms if _is_current(f)] or forms
    return _preferred(current) if current else None


def _form_label(form: dict[str, Any]) -> str:
    descriptions = form.get("descriptions") or []
    texts = [
        d.get("description")
        for d in descriptions
        if isinstance(d, dict) and _code(d.get("languageCode")) == FINNISH
    ]
    return str(texts[0]) if texts and texts[0] else f"company form {form.get('type')}"


def _is_association_form(form: dict[str, Any]) -> bool:
    if _code(form.get("type")) in ASSOCIATION_FORM_CODES:
        return True
    label = _form_label(form).strip().casefold()
    return label == ASSOCIATION_FORM_NAME


def _address_municipality(address: dict[str, Any]) -> tuple[str | None, str | None]:
    """(municipality code or None, post office city or None) of one address."""
    offices = [o for o in address.get("postOffices") or [] if isinstance(o, dict)]
    offices.sort(key=lambda o: 0 if _code(o.get("languageCode")) == FINNISH else 1)
    code = next(
        (_code(o.get("municipalityCode")) for o in offices if o.get("municipalityCode")), None
    )
    city = next((str(o["city"]).strip() for o in offices if o.get("city")), None)
    return code, city


def _address_order(address: dict[str, Any]) -> int:
    kind = _code(address.get("type"))
    return {VISITING: 0, POSTAL: 1}.get(kind or "", 2)


def read_ytj_response(
    path: Path, record: SourceRecord | None = None
) -> tuple[pd.DataFrame, IngestReport, SourceRecord]:
    """A saved YTJ v3 ``/companies`` response → (associations rows, report, record).

    Rows are in the region only, one per association; see the module docstring
    for which value is taken from where. Raises :class:`InputError` with every
    problem found (nothing is returned for a partly malformed file).
    """
    path = Path(path)
    record = record or record_for(path, SOURCE, licence=LICENCE)
    file = str(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(Problem(file, "a YTJ open data v3 response in UTF-8 JSON")) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            Problem(
                file,
                f"a YTJ open data v3 response (JSON); malformed at line {exc.lineno} "
                f"column {exc.colno}: {exc.msg}",
            )
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("companies"), list):
        found = type(payload).__name__ if not isinstance(payload, dict) else "no 'companies' list"
        raise InputError(
            Problem(
                file,
                'a YTJ open data v3 response {"totalResults": N, "companies": [ … ]} '
                f"(found {found})",
            )
        )
    companies: list[Any] = payload["companies"]
    total = payload.get("totalResults")
    if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
        raise InputError(
            Problem(
                file, "a count of companies (a whole number)", column="totalResults", value=total
            )
        )
    if total is not None and total > len(companies):
        # One page of a paged answer: ingesting it would silently drop the other pages.
        raise InputError(
            Problem(
                file,
                f"a complete response: totalResults is {total} but the file holds "
                f"{len(companies)} companies (one page of a paged response?); "
                "`tilannekuva fetch registry` saves every page merged into one file",
                column="totalResults",
            )
        )
    report = YtjIngestReport(
        file,
        record.source,
        rows_read=len(companies),
        columns={
            "business_id": "businessId.value",
            "name": "names[type=1, no endDate]",
            "municipality": "addresses[].postOffices[].municipalityCode",
            "registered": "registeredEntries[register=3].registrationDate",
            "field": "mainBusinessLine.type (TOL)",
            "ended": "endDate",
        },
        total_results=total,
    )
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, company in enumerate(companies):
        entry = _Entry(file, index, problems)
        if not isinstance(company, dict):
            entry.bad("", "a company object", _short(company))
            continue
        row = _company_row(company, entry, report, record.source)
        if row is None:
            continue
        if row["business_id"] in seen:  # pages that overlap: keep the first
            continue
        seen.add(row["business_id"])
        rows.append(row)
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(rows, columns=list(ASSOCIATIONS.columns))
    for column in ("registered", "ended"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ms]")
    report.kept = len(frame)
    report.ended = int(frame["ended"].notna().sum())
    report.active = report.kept - report.ended
    return frame, report, record


def _company_row(
    company: dict[str, Any], entry: _Entry, report: YtjIngestReport, source: str
) -> dict[str, Any] | None:
    """One company → one row, or None when it is skipped (problems go to ``entry``)."""
    before = len(entry.problems)
    business = company.get("businessId")
    business_id = business.get("value") if isinstance(business, dict) else None
    if not isinstance(business_id, str) or not re.fullmatch(r"\d{7}-\d", business_id.strip()):
        entry.bad("businessId.value", "a business ID such as 1234567-8", _short(business_id))
        business_id = None
    else:
        business_id = business_id.strip()

    names = entry.list_of_objects(company, "names")
    main = pick_main_name(names)
    if main is None:
        entry.bad("names", "at least one name (type '1' = main name)", _short(names))

    forms = entry.list_of_objects(company, "companyForms")
    entries = entry.list_of_objects(company, "registeredEntries")
    in_register = {
        i: e for i, e in enumerate(entries) if _code(e.get("register")) == ASSOCIATIONS_REGISTER
    }
    form = pick_company_form(forms)

    addresses = entry.list_of_objects(company, "addresses")
    line = company.get("mainBusinessLine")
    if line is not None and not isinstance(line, dict):
        entry.bad("mainBusinessLine", "an object with 'type' (TOL code)", _short(line))
        line = None

    registered, registered_at = None, ""
    for i, item in in_register.items():
        path = f"registeredEntries[{i}].registrationDate"
        value = entry.date(path, item.get("registrationDate"))
        if value and (registered is None or value < registered):
            registered, registered_at = value, path
    if registered is None:
        registered, registered_at = (
            entry.date("registrationDate", company.get("registrationDate")),
            "registrationDate",
        )
    if registered is None and isinstance(business, dict):
        registered, registered_at = (
            entry.date("businessId.registrationDate", business.get("registrationDate")),
            "businessId.registrationDate",
        )
    ended, ended_at = entry.date("endDate", company.get("endDate")), "endDate"
    if ended is None and in_register and all(e.get("endDate") for e in in_register.values()):
        ends = {
            f"registeredEntries[{i}].endDate": entry.date(
                f"registeredEntries[{i}].endDate", e.get("endDate")
            )
            for i, e in in_register.items()
        }
        dated = {path: d for path, d in ends.items() if d}
        if dated:
            ended_at = max(dated, key=dated.__getitem__)
            ended = dated[ended_at]
    for path, value in ((registered_at, registered), (ended_at, ended)):
        if value is not None and (problem := date_problem(value)):
            entry.bad(path, problem, value.date().isoformat())
    if problem := end_problem(registered, ended):
        entry.bad(ended_at, problem, ended.date().isoformat() if ended else None)
    if len(entry.problems) > before:
        return None

    if form is not None and not _is_association_form(form) and not in_register:
        report.not_association[_form_label(form)] += 1
        return None

    municipality = None
    where = "(no address)"
    for index, address in sorted(enumerate(addresses), key=lambda a: _address_order(a[1])):
        code, city = _address_municipality(address)
        if not (code or city):
            continue
        # The first address that names a place decides (visiting, then postal). A known
        # code decides alone: a post office's city need not be its municipality's name.
        known = current().normalise(code) if code else None
        home = (
            Home(municipality=known)
            if known is not None
            else home_municipality(f"{code} {city}" if code and city else str(code or city))
        )
        if home.problem is not None:
            entry.bad(f"addresses[{index}].postOffices", home.problem, _short(code or city))
            return None
        municipality = home.municipality
        where = f"{city.title()} ({code})" if city and code else str(city or code)
        break
    if municipality is None:
        report.outside_region[where] += 1
        return None

    assert main is not None and business_id is not None
    return {
        "source": source,
        "register_id": None,
        "business_id": business_id,
        "name": " ".join(str(main["name"]).split()),
        "municipality_code": municipality.code,
        "municipality": municipality.name,
        "subregion": municipality.subregion_code,
        "field": tol_field(line.get("type") if line else None),
        "registered": registered,
        "ended": ended,
    }
