"""Results shared between the pages of one kernel: computed once, never stale."""

from __future__ import annotations

import pandas as pd
from tilannekuva.pages import memo
from tilannekuva.paths import DataLayout
from tilannekuva.store import atomic_write_bytes


def test_a_shared_result_is_computed_once_per_data_version(tmp_path):
    layout = DataLayout.at(tmp_path / "data")
    layout.processed.mkdir(parents=True)
    table = layout.processed / "survey.parquet"
    atomic_write_bytes(table, b"first")
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"n": [len(calls)]})

    memo.clear()
    first = memo.shared(layout, "k", compute)
    assert memo.shared(layout, "k", compute)["n"].tolist() == [1]
    assert len(calls) == 1

    # A page changing its copy does not change what the next page gets.
    first["n"] = 99
    first["extra"] = 1
    again = memo.shared(layout, "k", compute)
    assert again["n"].tolist() == [1] and "extra" not in again.columns

    # New data (an ingest writes a new file): computed again.
    atomic_write_bytes(table, b"second, longer")
    assert memo.shared(layout, "k", compute)["n"].tolist() == [2]
    # So does a changed setting of the data directory.
    (layout.root / "config").mkdir()
    (layout.root / "config" / "privacy.yaml").write_text("min_group_size: 7\n")
    assert memo.shared(layout, "k", compute)["n"].tolist() == [3]
    assert len(calls) == 3
    # Another data directory never gets this one's result.
    other = DataLayout.at(tmp_path / "other")
    assert memo.shared(other, "k", compute)["n"].tolist() == [4]
