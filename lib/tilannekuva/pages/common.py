"""What every page needs: its data directory's tables, their dates, Finnish HTML tables."""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import pandas as pd
from IPython.display import HTML

from tilannekuva.pages import memo
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import SourceRecord
from tilannekuva.region import activate
from tilannekuva.store import has_table, read_table, table_sources

T = TypeVar("T")


@dataclass
class PageData:
    """The processed tables of one data directory, read once per page."""

    data_dir: str | Path

    def __post_init__(self) -> None:
        # The page describes the data directory's region (its own reference/, or the project's).
        activate(self.layout)

    @cached_property
    def layout(self) -> DataLayout:
        return DataLayout.at(self.data_dir)

    @cached_property
    def version(self) -> tuple:
        """The data's fingerprint when the page started (see :mod:`tilannekuva.pages.memo`)."""
        return memo.data_version(self.layout)

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A result the pages of this kernel share: computed once per data version."""
        return memo.shared(self.layout, key, compute, self.version)

    def table(self, name: str) -> pd.DataFrame:
        if not has_table(self.layout, name):
            raise FileNotFoundError(
                f"processed/{name}.parquet is missing in {self.layout.root}: "
                "run `tilannekuva demo` or ingest the inputs first"
            )
        return self.shared(("table", name), lambda: read_table(self.layout, name))

    @cached_property
    def survey(self) -> pd.DataFrame:
        return self.table("survey")

    @cached_property
    def associations(self) -> pd.DataFrame:
        return self.table("associations")

    def sources(self, name: str) -> list[SourceRecord]:
        return self.shared(("sources", name), lambda: table_sources(self.layout, name))

    def data_date(self, name: str) -> str | None:
        """The newest retrieval time of a table's sources (ISO), for chart notes."""
        dates = [s.retrieved for s in self.sources(name)]
        return max(dates) if dates else None


def anchor(element_id: str) -> HTML:
    """An empty element with an id, for links from other pages (e.g. key messages)."""
    return HTML(f'<a id="{html.escape(element_id)}" class="tk-anchor"></a>')


def html_table(
    frame: pd.DataFrame,
    numeric: tuple[str, ...] = (),
    caption: str | None = None,
    row_ids: list[str] | None = None,
) -> HTML:
    """A small, printable HTML table (values already formatted as Finnish strings).

    ``row_ids``: an id per row, so other pages can link to a row.
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for position, (_, row) in enumerate(frame.iterrows()):
        cells = "".join(
            f'<td class="num">{html.escape(str(v))}</td>'
            if c in numeric
            else f"<td>{html.escape(str(v))}</td>"
            for c, v in row.items()
        )
        row_id = f' id="{html.escape(row_ids[position])}"' if row_ids else ""
        rows.append(f"<tr{row_id}>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(
        f'<table class="tk-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
