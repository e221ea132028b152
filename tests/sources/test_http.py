"""The HTTP client: retries on 429/5xx with backoff, bounded attempts, one-line errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from tilannekuva.errors import SourceUnavailable
from tilannekuva.sources.http import (
    BadResponse,
    HttpStatusError,
    base_url,
    retry_after_seconds,
)
from werkzeug import Response


def test_429_then_success_honours_retry_after(httpserver, make_client, sleeps):
    httpserver.expect_ordered_request("/companies").respond_with_response(
        Response('{"message": "slow down"}', status=429, headers={"Retry-After": "3"})
    )
    httpserver.expect_ordered_request("/companies").respond_with_json({"companies": []})
    client = make_client("ytj")
    payload, response = client.get_json(httpserver.url_for("/companies"))
    assert payload == {"companies": []}
    assert response.status_code == 200
    assert sleeps == [3.0]  # Retry-After wins over the 0.01 s backoff
    assert len(httpserver.log) == 2


def test_503_backs_off_exponentially_then_succeeds(httpserver, make_client, sleeps):
    for _ in range(2):
        httpserver.expect_ordered_request("/x").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/x").respond_with_json([1])
    client = make_client(backoff=0.5)
    payload, _ = client.get_json(httpserver.url_for("/x"))
    assert payload == [1]
    assert sleeps == [0.5, 1.0]


def test_500_until_giving_up_is_one_line_naming_source_and_url(httpserver, make_client, sleeps):
    httpserver.expect_request("/companies").respond_with_json(
        {"timestamp": "2026-11-20T10:00:00", "message": "Internal error", "errorcode": "E500"},
        status=500,
    )
    client = make_client("ytj", attempts=3)
    with pytest.raises(SourceUnavailable) as caught:
        client.get(httpserver.url_for("/companies"), {"location": "JYVÄSKYLÄ", "page": 2})
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("ytj: http://")
    assert "/companies?location=JYV" in message and "page=2" in message
    assert "gave up after 3 attempts" in message
    assert "HTTP 500" in message and "Internal error (error code E500)" in message
    assert len(httpserver.log) == 3
    assert len(sleeps) == 2  # no sleep after the last attempt


def test_400_is_not_retried(httpserver, make_client):
    httpserver.expect_request("/companies").respond_with_json(
        {"timestamp": "2026-11-20T10:00:00", "message": "Invalid companyForm", "errorcode": "400"},
        status=400,
    )
    client = make_client("ytj")
    with pytest.raises(HttpStatusError) as caught:
        client.get(httpserver.url_for("/companies"))
    assert caught.value.status == 400
    assert "Invalid companyForm" in str(caught.value)
    assert len(httpserver.log) == 1


def test_malformed_json_names_the_url_and_what_was_expected(httpserver, make_client):
    httpserver.expect_request("/table.px").respond_with_data(
        "<html>maintenance</html>", content_type="text/html"
    )
    client = make_client("population")
    with pytest.raises(BadResponse) as caught:
        client.get_json(httpserver.url_for("/table.px"), expected="PxWeb table metadata")
    message = str(caught.value)
    assert message.startswith("population: http://")
    assert "/table.px" in message
    assert "expected PxWeb table metadata, got malformed JSON" in message
    assert "text/html" in message
    assert "\n" not in message


def test_connection_refused_fails_fast(make_client, refused_url, sleeps):
    client = make_client("geo", attempts=10)
    with pytest.raises(SourceUnavailable) as caught:
        client.get(f"{refused_url}/wfs")
    message = str(caught.value)
    assert message.startswith(f"geo: cannot connect to {refused_url}/wfs (offline?)")
    assert "\n" not in message
    assert len(sleeps) == 1  # one retry at most, not ten


def test_retry_after_as_http_date():
    now = datetime(2026, 11, 20, 10, 0, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert retry_after_seconds(header, now) == pytest.approx(7)
    assert retry_after_seconds("12") == 12
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_retry_after_is_capped(httpserver, make_client, sleeps):
    httpserver.expect_ordered_request("/x").respond_with_response(
        Response("", status=429, headers={"Retry-After": "86400"})
    )
    httpserver.expect_ordered_request("/x").respond_with_json({})
    make_client(max_retry_after=5).get(httpserver.url_for("/x"))
    assert sleeps == [5]


def test_base_url_override_order(monkeypatch):
    monkeypatch.delenv("TILANNEKUVA_YTJ_URL", raising=False)
    assert base_url("https://a/", "TILANNEKUVA_YTJ_URL") == "https://a"
    monkeypatch.setenv("TILANNEKUVA_YTJ_URL", "http://local/v3/")
    assert base_url("https://a", "TILANNEKUVA_YTJ_URL") == "http://local/v3"
    assert base_url("https://a", "TILANNEKUVA_YTJ_URL", "http://arg") == "http://arg"
