"""YTJ open data API v3 (PRH): registered associations with a business ID in the region.

data-sources.md §1b. ``GET {base}/companies?companyForm=AYH&location=<post office>&page=n``
(``AYH`` = aatteellinen yhdistys, registered association; in the response its
``companyForms[].type`` is ``"6"``; checked against the published company-form
code list, where AYH has code 6). ``location`` is a post office name, not a
municipality code, so the query runs once per place name of the region:

- every current municipality name and the old names of merged municipalities
  (``data/reference/``), and
- the post office names whose post codes lie in the region's municipalities,
  from ``GET {base}/post_codes?lang=fi`` (*check*: the code list's layout is not
  fixed in the spec; entries are read tolerantly for a post office name and a
  ``municipalityCode``; when it cannot be read, the municipality names alone
  are used and the provenance record says so).

Paging: ``page`` from 1; at most 100 companies a page. An out-of-range page
returns page 1 again, so paging stops on an empty page, on a page whose
companies were all seen already in this query (a repeat), or after
``max_pages``. Companies are de-duplicated by business ID across queries and
filtered to the region when read (:mod:`tilannekuva.registry.ytj`).

Saved under ``raw/ytj/<YYYY-MM-DD>/``: every page exactly as received
(``pages/<place>-p<n>.json``) and ``associations.json``, the union in the API's
own response shape ``{"totalResults", "companies"}``, each with a provenance
record. When a place's pages hold fewer companies than its ``totalResults``
(e.g. paging stopped at the page limit), the download is partial: the
union's ``totalResults`` counts the missing ones too (so ingest refuses it) and
the fetch stops with an error naming the places and both counts. ``tilannekuva ingest registry raw/ytj/<date>/associations.json`` turns
it into rows of the associations table (source ``ytj``); fetching does not
ingest, so processed data never mixes in a download silently.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tilannekuva.errors import SourceUnavailable
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import write_record
from tilannekuva.region import mergers, municipalities, normalise_municipality
from tilannekuva.registry.ytj import LICENCE
from tilannekuva.sources.http import BadResponse, HttpClient, HttpStatusError, base_url

log = logging.getLogger(__name__)

SOURCE = "ytj"
DEFAULT_BASE = "https://avoindata.prh.fi/opendata-ytj-api/v3"
ENV_BASE = "TILANNEKUVA_YTJ_URL"
COMPANY_FORM = "AYH"
MAX_PAGES = 100
PAGE_EXPECTED = 'a YTJ v3 companies page {"totalResults": N, "companies": [ … ]}'


@dataclass
class Page:
    """One page as received."""

    location: str
    number: int
    url: str
    params: dict[str, Any]
    status: int
    content: bytes
    companies: list[dict[str, Any]]
    total_results: int | None


@dataclass
class Download:
    """What one fetch collected."""

    pages: list[Page] = field(default_factory=list)
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    locations: list[str] = field(default_factory=list)
    capped: list[str] = field(default_factory=list)  # locations that hit max_pages
    # Locations that gave fewer companies than their totalResults: (location, got, reported).
    short: list[tuple[str, int, int]] = field(default_factory=list)
    post_codes_note: str | None = None


def _company_key(company: Any) -> str:
    if isinstance(company, dict):
        business = company.get("businessId")
        if isinstance(business, dict) and business.get("value"):
            return str(business["value"])
    return json.dumps(company, sort_keys=True, ensure_ascii=False)


def iter_pages(
    client: HttpClient,
    url: str,
    params: dict[str, Any],
    *,
    location: str = "",
    max_pages: int = MAX_PAGES,
) -> Iterator[Page]:
    """The pages of one query, stopping on an empty or repeated page or at ``max_pages``.

    Raises :class:`~tilannekuva.sources.http.BadResponse` for a page that is not
    ``{"totalResults", "companies": [...]}``. When the guard stops the paging,
    the last page yielded has ``number == max_pages`` (the caller records it).
    """
    seen: set[str] = set()
    previous: list[str] | None = None
    for number in range(1, max_pages + 1):
        query = {**params, "page": number}
        payload, response = client.get_json(url, query, expected=PAGE_EXPECTED)
        if not isinstance(payload, dict) or not isinstance(payload.get("companies"), list):
            found = (
                "an object without a 'companies' list"
                if isinstance(payload, dict)
                else (f"a JSON {type(payload).__name__}")
            )
            raise client.bad_shape(response, PAGE_EXPECTED, found)
        companies = payload["companies"]
        if not companies:
            return
        keys = [_company_key(c) for c in companies]
        if keys == previous or set(keys) <= seen:
            log.info("ytj: %s page %d repeats an earlier page; done", location, number)
            return
        total = payload.get("totalResults")
        yield Page(
            location,
            number,
            str(response.request.url),
            query,
            response.status_code,
            response.content,
            companies,
            total if isinstance(total, int) else None,
        )
        seen.update(keys)
        previous = keys


def _post_office_entries(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, dict)]
    if isinstance(payload, dict):
        for value in payload.values():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                return [p for p in value if isinstance(p, dict)]
    return []


def region_post_offices(payload: Any) -> list[str]:
    """Post office names of the region's post codes, from a ``/post_codes`` answer.

    Tolerant of the layout (*check*): a list of entries (or an object holding
    one) with ``municipalityCode`` and a name in ``city`` / ``postOffice`` /
    ``name``, or in ``postOffices[{city, languageCode, municipalityCode}]``.
    """
    names: set[str] = set()
    for item in _post_office_entries(payload):
        nested = [o for o in item.get("postOffices") or [] if isinstance(o, dict)]
        candidates = [item, *nested]
        code = next(
            (str(c["municipalityCode"]) for c in candidates if c.get("municipalityCode")), None
        )
        if not code or normalise_municipality(code) is None:
            continue
        for candidate in candidates:
            language = str(candidate.get("languageCode") or "1")
            for key in ("city", "postOffice", "name"):
                value = candidate.get(key)
                if isinstance(value, str) and value.strip() and language == "1":
                    names.add(value.strip().upper())
    return sorted(names)


def region_locations() -> list[str]:
    """Current municipality names and the old names of merged ones, in the region."""
    current = list(municipalities()["name"])
    old = [
        row.old_name
        for row in mergers().itertuples()
        if normalise_municipality(row.new_code) is not None
    ]
    return sorted({name.upper() for name in [*current, *old]})


def download(
    client: HttpClient,
    base: str,
    *,
    locations: list[str] | None = None,
    use_post_codes: bool = True,
    max_pages: int = MAX_PAGES,
) -> Download:
    """Query every place name of the region for registered associations."""
    result = Download()
    places = set(locations or region_locations())
    if use_post_codes and locations is None:
        try:
            payload, _ = client.get_json(
                f"{base}/post_codes", {"lang": "fi"}, expected="a list of post codes"
            )
            offices = region_post_offices(payload)
        except (HttpStatusError, BadResponse) as exc:  # answered, but not usefully
            offices, result.post_codes_note = [], f"post_codes not used: {exc}"
        else:
            if not offices:
                result.post_codes_note = (
                    "post_codes answer not understood or without the region's post codes; "
                    "municipality names only"
                )
        places.update(offices)
    result.locations = sorted(places)
    url = f"{base}/companies"
    for location in result.locations:
        params = {"companyForm": COMPANY_FORM, "location": location}
        last, reported, got = 0, None, set()
        for page in iter_pages(client, url, params, location=location, max_pages=max_pages):
            result.pages.append(page)
            for company in page.companies:
                result.companies.setdefault(_company_key(company), company)
                got.add(_company_key(company))
            last = page.number
            reported = page.total_results if reported is None else reported
        if last >= max_pages:
            log.warning("ytj: %s: stopped at the page limit (%d pages)", location, max_pages)
            result.capped.append(location)
        if reported is not None and len(got) < reported:
            result.short.append((location, len(got), reported))
    return result


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "all"


def fetch_registry(
    layout: DataLayout,
    *,
    base: str | None = None,
    client: HttpClient | None = None,
    locations: list[str] | None = None,
    max_pages: int = MAX_PAGES,
    today: date | None = None,
) -> Path:
    """Download the region's registered associations from YTJ into ``raw/ytj/<date>/``.

    Returns the merged ``associations.json`` (ready for ``tilannekuva ingest
    registry``). ``base`` overrides ``$TILANNEKUVA_YTJ_URL`` and the default.
    """
    root = base_url(DEFAULT_BASE, ENV_BASE, base)
    own = client is None
    http = client or HttpClient(SOURCE)
    try:
        result = download(http, root, locations=locations, max_pages=max_pages)
    finally:
        if own:
            http.close()
    folder = layout.raw / "ytj" / (today or date.today()).isoformat()
    pages_folder = folder / "pages"
    pages_folder.mkdir(parents=True, exist_ok=True)
    for page in result.pages:
        path = pages_folder / f"{_slug(page.location)}-p{page.number:03d}.json"
        path.write_bytes(page.content)
        write_record(
            path,
            SOURCE,
            url=page.url,
            query=page.params,
            http_status=page.status,
            rows=len(page.companies),
            licence=LICENCE,
        )
    merged = folder / "associations.json"
    companies = list(result.companies.values())
    # The union says how many companies the answers reported, so a partial download can
    # never be ingested as if whole (the reader refuses totalResults > companies).
    missing = sum(reported - got for _, got, reported in result.short)
    merged.write_text(
        json.dumps(
            {"totalResults": len(companies) + missing, "companies": companies},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    notes = [
        f"union of {len(result.pages)} pages in pages/ over {len(result.locations)} "
        "place names, de-duplicated by business ID; associations with a business ID only"
    ]
    if result.capped:
        notes.append(f"page limit {max_pages} reached for: {', '.join(result.capped)}")
    partial = [f"{place} {got} of {reported}" for place, got, reported in result.short]
    if partial:
        notes.append("partial: " + ", ".join(partial))
    if result.post_codes_note:
        notes.append(result.post_codes_note)
    write_record(
        merged,
        SOURCE,
        url=f"{root}/companies",
        query={
            "companyForm": COMPANY_FORM,
            "location": result.locations,
            "pages": len(result.pages),
        },
        http_status=200 if result.pages else None,
        rows=len(companies),
        licence=LICENCE,
        note="; ".join(notes),
    )
    if partial:
        raise SourceUnavailable(
            f"ytj: partial download ({', '.join(partial)} companies received); the pages are "
            f"saved under {pages_folder}, nothing was ingested; try again later"
        )
    return merged
