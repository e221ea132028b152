"""One small HTTP client for the public sources: timeouts, bounded retries, clear errors.

- Every request has a timeout (connect and read).
- ``429 Too Many Requests`` and ``5xx`` are retried with exponential backoff
  (``backoff * 2**n``, capped at ``max_backoff``); a ``Retry-After`` header
  (seconds or an HTTP date) is honoured, capped at ``max_retry_after``.
  A read timeout or a dropped connection mid-response is retried the same way.
- A connection that cannot be opened at all (offline, DNS failure, refused)
  is retried at most ``connect_retries`` times (default once), then fails.
- After ``attempts`` tries, or on any other ``4xx``, the request fails with
  :class:`~tilannekuva.errors.SourceUnavailable` (:class:`HttpStatusError` for
  a status) whose message is ONE line naming the source and the URL.
- :meth:`HttpClient.get_json` / :meth:`HttpClient.post_json` raise
  :class:`BadResponse` (also a ``SourceUnavailable``) when the body is not the
  JSON that was expected, naming the URL and what was expected.

Base URLs are arguments of the fetchers and can be overridden from the
environment (:func:`base_url`): ``TILANNEKUVA_YTJ_URL``,
``TILANNEKUVA_PXWEB_URL``, ``TILANNEKUVA_WFS_URL``. Backoff can be shortened
with ``TILANNEKUVA_HTTP_BACKOFF`` (seconds), attempts with
``TILANNEKUVA_HTTP_ATTEMPTS``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from tilannekuva.errors import SourceUnavailable

log = logging.getLogger(__name__)

USER_AGENT = "tilannekuva/0.1 (Keski-Suomi jarjestokentan tilannekuva; open-data client)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpStatusError(SourceUnavailable):
    """The source answered with an HTTP error status (after any retries)."""

    def __init__(self, message: str, status: int, url: str):
        super().__init__(message)
        self.status = status
        self.url = url


class BadResponse(SourceUnavailable):
    """The source answered, but not with what was expected (malformed JSON, wrong shape)."""

    def __init__(self, message: str, url: str):
        super().__init__(message)
        self.url = url


def base_url(default: str, env: str, override: str | None = None) -> str:
    """``override`` if given, else the environment variable ``env``, else ``default``."""
    return (override or os.environ.get(env) or default).rstrip("/")


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ[name])
    except (KeyError, ValueError):
        return default


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _error_detail(response: httpx.Response) -> str:
    """The error body's message: YTJ's ``{timestamp, message, errorcode}``, else the text."""
    try:
        body = response.json()
    except ValueError:
        return _one_line(response.text, 120)
    if isinstance(body, dict):
        message = body.get("message") or body.get("error") or body.get("detail")
        code = body.get("errorcode") or body.get("errorCode")
        if message:
            return _one_line(f"{message}" + (f" (error code {code})" if code else ""), 160)
    return _one_line(response.text, 120)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class HttpClient:
    """A retrying client for one named public source (the name goes into every error)."""

    source: str
    timeout: float = 30.0
    attempts: int = field(default_factory=lambda: int(_env_float("TILANNEKUVA_HTTP_ATTEMPTS", 5)))
    backoff: float = field(default_factory=lambda: _env_float("TILANNEKUVA_HTTP_BACKOFF", 1.0))
    max_backoff: float = 60.0
    max_retry_after: float = 120.0
    connect_retries: int = 1
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                headers={"User-Agent": USER_AGENT},
                follow_redirects=True,
                transport=self.transport,
            )
        return self._client

    # -- requests ----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send with retries; a 2xx response, or :class:`SourceUnavailable` (one line)."""
        shown = _show_url(url, params)
        connect_failures = 0
        last_problem = "no attempt made"
        attempts = max(1, self.attempts)
        for attempt in range(1, attempts + 1):
            try:
                response = self.client.request(
                    method, url, params=params, json=json_body, headers=headers
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol) as exc:
                connect_failures += 1
                if connect_failures > self.connect_retries or isinstance(
                    exc, httpx.UnsupportedProtocol
                ):
                    raise SourceUnavailable(
                        f"{self.source}: cannot connect to {shown} (offline?): "
                        f"{_one_line(str(exc) or type(exc).__name__, 120)}"
                    ) from None
                last_problem = f"connection failed ({type(exc).__name__})"
                self._wait(attempt, None, last_problem, shown)
                continue
            except httpx.TransportError as exc:  # read timeout, dropped connection …
                last_problem = f"{type(exc).__name__}: {_one_line(str(exc), 80)}"
                if attempt < attempts:
                    self._wait(attempt, None, last_problem, shown)
                continue
            if response.is_success:
                return response
            status = response.status_code
            last_problem = f"HTTP {status} {response.reason_phrase}: {_error_detail(response)}"
            if status not in RETRY_STATUSES:
                raise HttpStatusError(f"{self.source}: {shown}: {last_problem}", status, url)
            if attempt < attempts:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                self._wait(attempt, wait, last_problem, shown)
        raise SourceUnavailable(
            f"{self.source}: {shown}: gave up after {attempts} attempts; last: {last_problem}"
        )

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        return self.request("GET", url, params=params)

    def get_json(
        self, url: str, params: Mapping[str, Any] | None = None, *, expected: str = "JSON"
    ) -> tuple[Any, httpx.Response]:
        """GET and decode JSON: ``(payload, response)``; :class:`BadResponse` if not JSON."""
        response = self.get(url, params)
        return self.decode_json(response, expected), response

    def post_json(
        self, url: str, body: Any, *, expected: str = "JSON"
    ) -> tuple[Any, httpx.Response]:
        """POST a JSON body and decode the JSON answer: ``(payload, response)``."""
        response = self.request("POST", url, json_body=body)
        return self.decode_json(response, expected), response

    def decode_json(self, response: httpx.Response, expected: str) -> Any:
        shown = _show_url(str(response.request.url), None)
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            kind = response.headers.get("content-type", "unknown content type")
            raise BadResponse(
                f"{self.source}: {shown}: expected {expected}, got malformed JSON "
                f"({kind}; {_one_line(str(exc), 80)})",
                str(response.request.url),
            ) from None

    def bad_shape(self, response: httpx.Response, expected: str, found: str) -> BadResponse:
        """A :class:`BadResponse` for valid JSON of the wrong shape."""
        shown = _show_url(str(response.request.url), None)
        return BadResponse(
            f"{self.source}: {shown}: expected {expected}, found {found}",
            str(response.request.url),
        )

    def _wait(self, attempt: int, retry_after: float | None, problem: str, shown: str) -> None:
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        if retry_after is not None:
            delay = min(self.max_retry_after, max(delay, retry_after))
        log.info("%s: %s: %s; retrying in %.1f s", self.source, shown, problem, delay)
        if delay > 0:
            self.sleep(delay)


def _show_url(url: str, params: Mapping[str, Any] | None) -> str:
    """The URL as a user would paste it into a browser (query included)."""
    if not params:
        return url
    return str(httpx.URL(url, params={k: v for k, v in params.items() if v is not None}))
