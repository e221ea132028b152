"""Fixtures of the survey tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def project_region():
    """The project's own region active: ingest still reads the active region's places."""
    from tilannekuva.paths import PROJECT_DATA, DataLayout
    from tilannekuva.region import activate

    activate(DataLayout.at(PROJECT_DATA))
