"""Helpers for the source tests: fixture files and a fast, recording HTTP client."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from tilannekuva.sources.http import HttpClient

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture_bytes(name))


class Sleeps(list):
    """Records the delays a client asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(sleeps):
    """A client with a tiny backoff that never really sleeps."""
    clients: list[HttpClient] = []

    def make(source: str = "test", **options: Any) -> HttpClient:
        options.setdefault("attempts", 4)
        options.setdefault("backoff", 0.01)
        options.setdefault("timeout", 5.0)
        client = HttpClient(source, sleep=sleeps, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def refused_url() -> str:
    """A URL on a local port where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
